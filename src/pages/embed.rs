//! The provider and user routes, shared by the console and its embed frame
//! (`/embed/p/:provider`, `/embed/p/:provider/u/:key`): in a frame there is no top navigation,
//! and the provider is locked to the one in the address the frame was opened with; every link
//! the table builds stays under `/embed/` because the frame's router is based there.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use userdeck_providers::embed_protocol;

use crate::embed::bridge;
use crate::lazy::{lazy_view, load, split_view};
use crate::pages::gate::ProviderGate;
use crate::pages::user::UserPage;
use crate::state::list::ListContext;

/// The provider id the frame was opened with.
#[derive(Clone)]
pub struct EmbedLock(pub String);

/// `/p/:provider`: the provider's table (behind the token prompt of a direct provider); in an
/// embed frame only for the locked provider, with a note for any other.
#[component]
pub fn ProviderRoute() -> impl IntoView {
    let params = use_params_map();
    let locked = use_context::<EmbedLock>().map(|lock| lock.0);
    let shown = Memo::new(move |_| params.read().get("provider").unwrap_or_default());
    move || {
        match &locked {
        Some(locked) if shown.get() != *locked => {
            view! { <p class="muted">"This embedded view shows only " <code>{locked.clone()}</code> "."</p> }.into_any()
        }
        _ => view! { <ProviderGate/> }.into_any(),
    }
    }
}

/// `/p/:provider/u/:key`: the user detail; in an embed frame it also tells the host which user
/// was opened.
#[component]
pub fn UserRoute() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let params = use_params_map();
    let embedded = use_context::<EmbedLock>().is_some();
    Effect::new(move |_| {
        if !embedded {
            return;
        }
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
    lazy_view(|| load!(user_page))
}

split_view! {
    /// The user page, in its own chunk: a visit opens it only after a table, or from a link.
    user, fn user_page() { view! { <UserPage/> } }
}
