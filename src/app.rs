//! The application shell: header, navigation and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::pages::{home::Home, not_found::NotFound};
use crate::runtime::router_base;
use crate::theme::ThemeToggle;

/// The root component. The router's base comes from the runtime, so the same build works at `/`
/// and under any sub-path.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router base=router_base()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"U"</span>
                    "Userdeck"
                </A>
                <ThemeToggle/>
            </header>
            <main id="main" class="app-main" data-testid="app-ready">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                </Routes>
            </main>
        </Router>
    }
}
