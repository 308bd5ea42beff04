//! The application shell: header, navigation and the routes. State lives in `state`, each
//! route's view in `pages`.

use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::sign_out::SignOut;
use crate::components::when::TimeZoneToggle;
use crate::nav::provider_href;
use crate::pages::{home::Home, not_found::NotFound, provider::ProviderPage, user::UserPage};
use crate::runtime::router_base;
use crate::state::catalog::{ApiBase, ProviderList};
use crate::state::time_zone::TimeZone;
use crate::theme::ThemeToggle;

/// The root component. The router's base and the provider list come from the runtime, so the
/// same build works for any deployment, at `/` or under a sub-path.
#[component]
pub fn App() -> impl IntoView {
    let base = router_base();
    let api_base = ApiBase(base.clone());
    provide_context(ProviderList::load(api_base.clone()));
    provide_context(api_base);
    provide_context(TimeZone::load());
    view! {
        <Router base=base>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"U"</span>
                    "Userdeck"
                </A>
                <ProviderNav/>
                <div class="header-tools">
                    <TimeZoneToggle/>
                    <ThemeToggle/>
                    <SignOut/>
                </div>
            </header>
            <main id="main" class="app-main" data-testid="app-ready">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <ParentRoute path=path!("/p/:provider") view=ProviderPage>
                        <Route path=path!("") view=|| ()/>
                        <Route path=path!("u/:key") view=UserPage/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// One link per provider. Following a provider's link always opens its plain table, which is
/// how a person clears every filter at once.
#[component]
fn ProviderNav() -> impl IntoView {
    let list = expect_context::<ProviderList>();
    view! {
        <nav class="provider-nav" aria-label="Providers">
            {move || {
                list.loaded()
                    .into_iter()
                    .map(|p| view! { <A href=provider_href(&p.id)>{p.label}</A> })
                    .collect_view()
            }}
        </nav>
    }
}
