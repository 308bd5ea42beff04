//! The browser's `localStorage`, for choices a person expects to find again on their next
//! visit (columns, saved views, the time zone). Every read is untrusted text; the callers
//! decode it totally. A browser that refuses storage (private mode, quota) just forgets.

use leptos::prelude::window;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The stored text under `key`, if any.
pub fn get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Stores `value` under `key`; false when the browser refused.
pub fn set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Forgets `key`.
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
