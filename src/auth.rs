//! Sign-in to a Userdeck server that has admin authentication on. The credential is kept for
//! the browser tab only (session storage) and sent as `Authorization` on every API call; the
//! proxy checks it and never forwards it to a provider.

use leptos::prelude::window;

const STORAGE_KEY: &str = "userdeck.authorization";

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The `Authorization` header value for what the person typed: HTTP Basic when a user name is
/// given (`encoded` is base64 of `user:secret`), else a bearer token.
pub fn header_value(
    user: &str,
    secret: &str,
    encode: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let secret = secret.trim();
    if secret.is_empty() || secret.contains(['\r', '\n']) {
        return None;
    }
    let user = user.trim();
    if user.is_empty() {
        Some(format!("Bearer {secret}"))
    } else {
        encode(&format!("{user}:{secret}")).map(|encoded| format!("Basic {encoded}"))
    }
}

/// The stored `Authorization` value, if the person has signed in in this tab.
pub fn authorization() -> Option<String> {
    storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
}

/// Remembers the credential for this tab; returns false when it could not be built or stored.
pub fn sign_in(user: &str, secret: &str) -> bool {
    let encode = |text: &str| window().btoa(text).ok();
    match (header_value(user, secret, encode), storage()) {
        (Some(value), Some(storage)) => storage.set_item(STORAGE_KEY, &value).is_ok(),
        _ => false,
    }
}

/// Forgets the credential: after the server refused it, or when the person signs out.
pub fn sign_out() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::header_value;

    fn fake_base64(text: &str) -> Option<String> {
        Some(format!("b64({text})"))
    }

    #[test]
    fn bearer_without_user_and_basic_with_one() {
        assert_eq!(
            header_value("", " tok ", fake_base64),
            Some("Bearer tok".into())
        );
        assert_eq!(
            header_value("ops", "pw", fake_base64),
            Some("Basic b64(ops:pw)".into())
        );
        assert_eq!(header_value("ops", "  ", fake_base64), None);
        assert_eq!(header_value("", "a\r\nX-Evil: 1", fake_base64), None);
        assert_eq!(header_value("ops", "é", |_| None), None);
    }
}
