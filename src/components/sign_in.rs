//! The sign-in prompt shown when the Userdeck server answers 401: the server protects the list
//! of every provider's users, so it asks who is looking.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::auth;
use crate::lazy::{lazy_view, load, split_view};
use crate::state::catalog::ProviderList;

/// The sign-in form, fetched on first need: only a locked proxy's first visit shows it.
#[component]
pub fn SignIn() -> impl IntoView {
    lazy_view(|| load!(sign_in_form))
}

split_view! {
    /// The form in its own chunk.
    sign_in, fn sign_in_form() { view! { <SignInForm/> } }
}

/// A token (or user name and password) form; on success the provider list loads again.
#[component]
fn SignInForm() -> impl IntoView {
    let list = expect_context::<ProviderList>();
    let user = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let rejected = auth::authorization().is_some();
    if rejected {
        auth::sign_out();
    }
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if auth::sign_in(&user.get_untracked(), &secret.get_untracked()) {
            problem.set(None);
            list.0.refetch();
        } else {
            problem.set(Some("Enter a token, or a user name and password."));
        }
    };
    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            <p class="lede">"This Userdeck server lists users of every configured provider, so it needs to know who you are."</p>
            {rejected.then(|| view! { <p class="banner banner-error" role="alert">"The server did not accept those credentials. Check them and try again."</p> })}
            <form class="sign-in-form" on:submit=submit>
                <label for="sign-in-user">"User name (only for a password)"</label>
                <input id="sign-in-user" type="text" autocomplete="username" prop:value=move || user.get() on:input=move |e| user.set(event_target_value(&e))/>
                <label for="sign-in-secret">"Access token or password"</label>
                <input id="sign-in-secret" type="password" autocomplete="current-password" required prop:value=move || secret.get() on:input=move |e| secret.set(event_target_value(&e))/>
                {move || problem.get().map(|text| view! { <p class="card-error" role="alert">{text}</p> })}
                <button type="submit" class="button button-primary">"Sign in"</button>
            </form>
        </section>
    }
}
