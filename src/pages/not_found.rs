//! The page for any path the console does not know.

use leptos::prelude::*;
use leptos_router::components::A;

/// Says plainly that the address is unknown and offers the way home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"Nothing lives at this address. "<A href=crate::nav::home_href()>"Back to the providers"</A></p>
    }
}
