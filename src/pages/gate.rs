//! Wraps `/p/:provider` (and its embed twin): a direct provider without a token shows the token
//! prompt instead of its table, because every request would otherwise be refused.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::credential_prompt::CredentialPrompt;
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
        (true, Some(provider)) => view! { <CredentialPrompt provider/> }.into_any(),
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
