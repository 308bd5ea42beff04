//! The application shell: header, navigation and the routes. State lives in `state`, each
//! route's view in `pages`. An embed frame (`/embed/p/:provider`) gets no header, and its router
//! is based at `{base}/embed` so that every link stays inside the frame's view.

use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::sign_out::SignOut;
use crate::components::when::TimeZoneToggle;
use crate::lazy::{lazy_view, load, split_view};
use crate::nav::provider_href;
use crate::pages::embed::{EmbedLock, ProviderRoute, UserRoute};
use crate::pages::{find::FindPage, home::Home, not_found::NotFound};
use crate::runtime::{embedded_provider, router_base};
use crate::state::catalog::{ApiBase, ProviderList};
use crate::state::config;
use crate::state::time_zone::TimeZone;
use crate::theme::ThemeToggle;

/// The root component. The router's base, the proxy and the direct providers come from the
/// runtime (`<base href>` and `config.json`), so the same build works for any deployment, at `/`
/// or under a sub-path, behind a proxy or without one.
#[component]
pub fn App() -> impl IntoView {
    let base = router_base();
    let proxy = config::proxy_base(&base).map(ApiBase);
    let list = ProviderList::load(proxy.clone());
    provide_context(list);
    provide_context(proxy.unwrap_or_else(|| ApiBase(base.clone())));
    provide_context(TimeZone::load());
    let title = config::with(|c| c.title.clone());
    if let Some(title) = &title {
        document().set_title(title);
    }
    let embedded = embedded_provider(&base);
    let router_base = match &embedded {
        Some(_) => format!("{base}/embed"),
        None => base,
    };
    crate::nav::set_base(&router_base);
    let framed = embedded.is_some();
    let bridge = embedded.map(|locked| {
        provide_context(EmbedLock(locked));
        crate::embed::start(list)
    });
    view! {
        <Router base=router_base>
            {(!framed).then(|| shell_header(title))}
            <main id="main" class="app-main" data-testid="app-ready">
                {bridge.map(crate::embed::notice)}
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/find") view=|| lazy_view(|| load!(find_page))/>
                    <ParentRoute path=path!("/p/:provider") view=ProviderRoute>
                        <Route path=path!("") view=|| ()/>
                        <Route path=path!("u/:key") view=UserRoute/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

split_view! {
    /// The find page, in its own chunk: most visits open a provider's table first.
    find, fn find_page() { view! { <FindPage/> } }
}

/// The skip link and the header with the brand, the provider links, help and the theme toggle;
/// an embed frame has none of it.
fn shell_header(title: Option<String>) -> impl IntoView {
    let support = config::with(|c| c.support_url.clone());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <A href=crate::nav::home_href() attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"U"</span>
                {title.unwrap_or_else(|| "Userdeck".into())}
            </A>
            <ProviderNav/>
            {support.map(|href| view! { <a class="support-link" href=href rel="noopener">"Help"</a> })}
            <div class="header-tools">
                <TimeZoneToggle/>
                <ThemeToggle/>
                <SignOut/>
            </div>
        </header>
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
