//! Credentials the administrator types for direct providers. They live in this tab's memory, or
//! in session storage when the person asks to be remembered for the tab; never in local
//! storage, so closing the tab forgets them. Only the transport reads them, and only for the
//! provider they were typed for.

use std::cell::RefCell;

use leptos::prelude::*;
use userdeck_providers::{Credentials, Secret};

thread_local! {
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    static VERSION: RwSignal<u64> = RwSignal::new(0);
}

/// Bumped whenever a credential is set or forgotten, so prompts and pages react.
pub fn version() -> RwSignal<u64> {
    VERSION.with(|version| *version)
}

fn storage_key(id: &str) -> String {
    format!("userdeck.direct.{id}")
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The bearer token typed for direct provider `id`, if any.
pub fn get(id: &str) -> Option<Credentials> {
    let remembered = || session().and_then(|s| s.get_item(&storage_key(id)).ok().flatten());
    MEMORY
        .with(|memory| {
            memory
                .borrow()
                .iter()
                .find(|(key, _)| key == id)
                .map(|(_, token)| token.clone())
        })
        .or_else(remembered)
        .map(|token| Credentials::Bearer(Secret::new(token)))
}

/// Keeps `token` for `id`; in session storage too when `remember` is set.
pub fn set(id: &str, token: &str, remember: bool) {
    forget(id);
    MEMORY.with(|memory| {
        memory
            .borrow_mut()
            .push((id.to_string(), token.to_string()))
    });
    if remember && let Some(storage) = session() {
        let _ = storage.set_item(&storage_key(id), token);
    }
    changed();
}

/// Forgets the token for `id`, from memory and session storage.
pub fn forget(id: &str) {
    MEMORY.with(|memory| memory.borrow_mut().retain(|(key, _)| key != id));
    if let Some(storage) = session() {
        let _ = storage.remove_item(&storage_key(id));
    }
    changed();
}

fn changed() {
    version().update(|n| *n += 1);
}
