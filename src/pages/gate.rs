//! Wraps `/p/:provider` (and its embed twin): a direct provider without a token shows the token
//! prompt instead of its table, because every request would otherwise be refused.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::credential_prompt::CredentialPrompt;
use crate::lazy::{lazy_view, load, split_view};
use crate::pages::provider::ProviderPage;
use crate::state::{config, credentials};

/// The provider page, or the token prompt for a direct provider that has none yet.
#[component]
pub fn ProviderGate() -> impl IntoView {
    let params = use_params_map();
    let direct =
        Memo::new(move |_| config::direct(&params.read().get("provider").unwrap_or_default()));
    let version = credentials::version();
    let needs_token = Memo::new(move |_| {
        version.track();
        direct
            .get()
            .is_some_and(|d| credentials::get(&d.id).is_none())
    });
    move || match (needs_token.get(), direct.get()) {
        (true, Some(_)) => lazy_view(|| load!(token_prompt)).into_any(),
        (_, Some(provider)) => {
            let id = provider.id.clone();
            view! {
                <p class="direct-note muted">
                    "Direct to " <code>{provider.origin().to_string()}</code> " with your token. "
                    <button type="button" class="button button-small" on:click=move |_| credentials::forget(&id)>"Forget the token"</button>
                </p>
                <ProviderPage/>
            }
            .into_any()
        }
        _ => view! { <ProviderPage/> }.into_any(),
    }
}

split_view! {
    /// The token prompt, in its own chunk: only a direct provider's first visit shows it.
    prompt, fn token_prompt() {
        let params = use_params_map();
        let provider = config::direct(&params.read_untracked().get("provider").unwrap_or_default());
        view! { {provider.map(|provider| view! { <CredentialPrompt provider/> })} }
    }
}
