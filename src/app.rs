//! The application shell: header, navigation, the provider list and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::api::providers::{self, ListError, ProviderInfo};
use crate::components::detail::DetailPanel;
use crate::pages::{home::Home, not_found::NotFound, provider::ProviderPage};
use crate::runtime::router_base;
use crate::theme::ThemeToggle;

/// The configured providers, loaded once from the proxy and shared by every page.
#[derive(Clone, Copy)]
pub struct ProviderList(pub LocalResource<Result<Vec<ProviderInfo>, ListError>>);

impl ProviderList {
    /// The provider with `id`, once the list has loaded.
    pub fn find(&self, id: &str) -> Option<ProviderInfo> {
        self.0
            .get()
            .and_then(|list| list.ok())
            .and_then(|list| list.into_iter().find(|p| p.id == id))
    }
}

/// The root component. The router's base and the provider list come from the runtime, so the
/// same build works for any deployment, at `/` or under a sub-path.
#[component]
pub fn App() -> impl IntoView {
    let base = router_base();
    let api_base = base.clone();
    let list = ProviderList(LocalResource::new(move || {
        let base = api_base.clone();
        async move { providers::load(&base).await }
    }));
    provide_context(list);
    provide_context(ApiBase(base.clone()));
    view! {
        <Router base=base>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"U"</span>
                    "Userdeck"
                </A>
                <ProviderNav/>
                <ThemeToggle/>
            </header>
            <main id="main" class="app-main" data-testid="app-ready">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <ParentRoute path=path!("/p/:provider") view=ProviderPage>
                        <Route path=path!("") view=|| ()/>
                        <Route path=path!("u/:key") view=DetailPanel/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// The path prefix for API calls: the same as the router's base, since the proxy serves both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase(pub String);

/// One link per provider. Following a provider's link always opens its plain table, which is
/// how a person clears every filter at once.
#[component]
fn ProviderNav() -> impl IntoView {
    let list = expect_context::<ProviderList>();
    view! {
        <nav class="provider-nav" aria-label="Providers">
            {move || {
                list.0
                    .get()
                    .and_then(|list| list.ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| {
                        let href = format!("/p/{}", p.id);
                        view! { <A href=href>{p.label}</A> }
                    })
                    .collect_view()
            }}
        </nav>
    }
}
