//! `/embed/p/:provider` (and `/embed/p/:provider/u/:key`): one provider's table and detail for a
//! partner portal's frame. No top navigation, and the provider is locked to the one in the
//! address the frame was opened with; every link the table builds stays under `/embed/`
//! because the embed router's base is the console's base plus `/embed`.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use userdeck_providers::embed_protocol;

use crate::embed::bridge;
use crate::pages::gate::ProviderGate;
use crate::pages::user::UserPage;
use crate::state::list::ListContext;

/// The provider id the frame was opened with.
#[derive(Clone)]
pub struct EmbedLock(pub String);

/// The locked provider's table, or a note when the address names another one.
#[component]
pub fn EmbedProvider() -> impl IntoView {
    let params = use_params_map();
    let locked = expect_context::<EmbedLock>().0;
    let shown = Memo::new(move |_| params.read().get("provider").unwrap_or_default());
    move || {
        if shown.get() == locked {
            view! { <ProviderGate/> }.into_any()
        } else {
            view! { <p class="muted">"This embedded view shows only " <code>{locked.clone()}</code> "."</p> }.into_any()
        }
    }
}

/// The user detail, which also tells the host which user was opened.
#[component]
pub fn EmbedUser() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let params = use_params_map();
    Effect::new(move |_| {
        let provider = list.provider_id();
        let raw = params.read().get("key").unwrap_or_default();
        let key = js_sys::decode_uri_component(&raw)
            .ok()
            .and_then(|decoded| decoded.as_string())
            .unwrap_or(raw);
        if !provider.is_empty() && !key.is_empty() {
            bridge::post(&embed_protocol::user_opened(&provider, &key));
        }
    });
    view! { <UserPage/> }
}
