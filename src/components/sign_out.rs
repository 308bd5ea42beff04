//! "Sign out" in the header, shown while this tab holds a credential: a shared support machine
//! must be easy to leave.

use leptos::prelude::*;

use crate::auth;
use crate::state::catalog::ProviderList;

/// The sign-out button; after signing out the page starts again, at the sign-in form. It is
/// looked for again whenever the provider list loads, which is what a sign-in triggers.
#[component]
pub fn SignOut() -> impl IntoView {
    let list = expect_context::<ProviderList>();
    let on_click = move |_| {
        auth::sign_out();
        let _ = window().location().reload();
    };
    move || {
        list.0.track();
        auth::authorization().is_some().then(|| {
            view! {
                <button type="button" class="button button-small header-button" on:click=on_click data-testid="sign-out">"Sign out"</button>
            }
        })
    }
}
