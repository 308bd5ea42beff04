//! No request, however odd, panics a simulator: every answer is a well-formed JSON document
//! with a status the provider documents (or assumes), and a 200 only for a request that was
//! authenticated.

mod support;

use proptest::prelude::*;
use userdeck_providers::{HttpRequest, ProviderKind};
use userdeck_sim::{Limits, Simulators};

const KEYS: [&str; 27] = [
    "page",
    "page_index",
    "page_size",
    "per_page",
    "limit",
    "offset",
    "email",
    "mobile",
    "search",
    "created_after",
    "created_before",
    "phone_number",
    "device_id",
    "external_id",
    "sort[]",
    "firstname",
    "id",
    "customer_id",
    "include_subsidiaries",
    "sort",
    "filter",
    "q",
    "sorting[field]",
    "sorting[reversed]",
    "filters[created_at]",
    "filters[status]",
    "api_token",
];

const VALUES: [&str; 24] = [
    "",
    "0",
    "1",
    "-1",
    "2",
    "1000",
    "1001",
    "18446744073709551615",
    "99999999999999999999999",
    "*",
    "**a*",
    "a..b",
    "..",
    "!",
    ",",
    ";:",
    "status:!active,,x",
    "createdTime:..2020-01-01",
    "firstname:desc",
    "lastname",
    "true",
    "2024-02-30",
    "🦀\u{202E}",
    "<img src=x onerror=alert(1)>",
];

/// A request of random query pairs, and whether it carries the demo credentials.
fn request(kind: ProviderKind) -> impl Strategy<Value = (HttpRequest, bool)> {
    let pair = (
        prop_oneof![
            proptest::sample::select(&KEYS[..]).prop_map(str::to_string),
            ".{0,6}"
        ],
        prop_oneof![
            proptest::sample::select(&VALUES[..]).prop_map(str::to_string),
            ".{0,12}"
        ],
    );
    (
        proptest::collection::vec(pair, 0..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(query, authenticate, odd_path)| {
            let path = if odd_path {
                "/users/../users"
            } else {
                support::list_path(kind)
            };
            let mut req = HttpRequest::get(path);
            req.query = query;
            if authenticate {
                req = support::authed(kind, req);
            }
            (req, authenticate)
        })
}

fn check(kind: ProviderKind) {
    let sims = Simulators::generate(1, 120, &Limits::default());
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 300,
        failure_persistence: None,
        ..Default::default()
    });
    runner
        .run(&request(kind), |(req, authenticated)| {
            let response = sims.handle(kind, &req, support::now());
            prop_assert!(
                [200, 400, 401, 403, 404, 422, 429].contains(&response.status),
                "{kind:?} {req:?}: status {}",
                response.status
            );
            prop_assert!(
                serde_json::from_slice::<serde_json::Value>(&response.body).is_ok(),
                "{kind:?}: body is not JSON"
            );
            if response.status == 200 {
                prop_assert!(
                    authenticated,
                    "{kind:?} served an unauthenticated request: {req:?}"
                );
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn pressone_never_panics() {
    check(ProviderKind::PressOne);
}

#[test]
fn pngme_never_panics() {
    check(ProviderKind::Pngme);
}

#[test]
fn nameshield_never_panics() {
    check(ProviderKind::Nameshield);
}

#[test]
fn rebilly_never_panics() {
    check(ProviderKind::Rebilly);
}

#[test]
fn activeplatform_never_panics() {
    check(ProviderKind::ActivePlatform);
}
