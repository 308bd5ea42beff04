//! Helpers shared by the integration tests: authenticated requests and a fixed clock.

#![allow(dead_code)]

use userdeck_providers::{Credentials, HttpRequest, ProviderKind, Timestamp};
use userdeck_sim::credentials::demo_secret;

/// A fixed instant (2026-11-24T08:00:00Z) so that every answer is reproducible.
pub fn now() -> Timestamp {
    Timestamp::from_second(1_795_420_800).expect("valid instant")
}

/// The list endpoint of `kind`, relative to its base URL.
pub fn list_path(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::PressOne => userdeck_sim::pressone::PATH,
        ProviderKind::Pngme => userdeck_sim::pngme::PATH,
        ProviderKind::Nameshield => userdeck_sim::nameshield::PATH,
        ProviderKind::Rebilly => userdeck_sim::rebilly::PATH,
        ProviderKind::ActivePlatform => userdeck_sim::activeplatform::PATH,
    }
}

/// `req` with the demo credentials of `kind` put where the providers crate puts them.
pub fn authed(kind: ProviderKind, mut req: HttpRequest) -> HttpRequest {
    Credentials::for_kind(kind, demo_secret(kind))
        .apply(kind, &mut req)
        .expect("the demo credential type is accepted");
    req
}

/// An authenticated GET of the list endpoint with the given query pairs.
pub fn list(kind: ProviderKind, query: &[(&str, &str)]) -> HttpRequest {
    let mut req = HttpRequest::get(list_path(kind));
    req.query = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    authed(kind, req)
}
