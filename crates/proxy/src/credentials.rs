//! Where each provider kind wants its credential. This is the single point where a secret is
//! exposed: everything else holds it as a `SecretString`.

use secrecy::{ExposeSecret, SecretString};
use userdeck_providers::ProviderKind;

/// The query parameter or header names that carry a credential for `kind`. A client-supplied
/// value for any of them is dropped before the request is built.
pub fn credential_params(kind: ProviderKind) -> &'static [&'static str] {
    match kind {
        ProviderKind::ActivePlatform => &["api_token"],
        _ => &[],
    }
}

/// Adds `secret` to the outgoing request the way `kind` expects it: headers for four kinds,
/// ActivePlatform's `api_token` query parameter for the fifth.
pub fn inject(
    kind: ProviderKind,
    secret: &SecretString,
    headers: &mut Vec<(&'static str, String)>,
    query: &mut Vec<(String, String)>,
) {
    let secret = secret.expose_secret();
    match kind {
        ProviderKind::PressOne => {
            headers.push(("authorization", format!("Bearer {secret}")));
            headers.push(("pressone-x-api-key", secret.to_string()));
        }
        ProviderKind::Pngme | ProviderKind::Nameshield => {
            headers.push(("authorization", format!("Bearer {secret}")));
        }
        ProviderKind::Rebilly => headers.push(("reb-apikey", secret.to_string())),
        ProviderKind::ActivePlatform => query.push(("api_token".into(), secret.to_string())),
    }
}
