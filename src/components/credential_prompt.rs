//! The prompt for a direct provider's token: the browser calls that provider itself, so the
//! administrator types a short-lived token (a Rebilly JWT, a Pngme bearer JWT). An expired one
//! is refused here, with its expiry time, before anything is sent.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use userdeck_providers::console_config::DirectProvider;
use userdeck_providers::{Credentials, ProviderKind, Secret};

use crate::state::credentials;

fn token_name(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Rebilly => "Rebilly JWT",
        _ => "Pngme bearer token (JWT)",
    }
}

/// Asks for the token of `provider`; on success the page behind it loads.
#[component]
pub fn CredentialPrompt(provider: DirectProvider) -> impl IntoView {
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let name = token_name(provider.kind);
    let origin = provider.origin().to_string();
    let submit = {
        let provider = provider.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            let typed = token.get_untracked();
            let typed = typed.trim().trim_start_matches("Bearer ").trim();
            if typed.is_empty() || !typed.bytes().all(|b| b.is_ascii_graphic()) {
                problem.set(Some(format!("Enter the {name}: one line without spaces.")));
                return;
            }
            let candidate = Credentials::Bearer(Secret::new(typed));
            if let Err(error) = candidate.check_fresh(provider.kind, crate::api::now()) {
                problem.set(Some(format!("{error} It was not sent.")));
                return;
            }
            problem.set(None);
            credentials::set(&provider.id, typed, remember.get_untracked());
        }
    };
    view! {
        <section class="sign-in" aria-labelledby="token-title" data-testid="credential-prompt">
            <h1 id="token-title">{provider.label.clone()}</h1>
            <p class="lede">
                "This console calls " {provider.kind.label()} " directly from your browser, at " <code>{origin.clone()}</code>
                ". Enter your " {name} "; it is sent only there, and forgotten when you close this tab."
            </p>
            <form class="sign-in-form" on:submit=submit>
                <label for="direct-token">{name}</label>
                <input id="direct-token" type="password" autocomplete="off" spellcheck="false" required
                    prop:value=move || token.get() on:input=move |e| token.set(event_target_value(&e))/>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || remember.get() on:change=move |e| remember.set(event_target_checked(&e))/>
                    " Remember for this tab (session storage)"
                </label>
                {move || problem.get().map(|text| view! { <p class="card-error" role="alert">{text}</p> })}
                <button type="submit" class="button button-primary">"Use this token"</button>
            </form>
        </section>
    }
}
