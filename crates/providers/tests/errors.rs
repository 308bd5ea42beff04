//! Table-driven: each provider's error bodies and statuses map to the right kind, a message a
//! person can act on, and (for 429) the right retry instant.

use userdeck_providers::adapters::parse;
use userdeck_providers::error::FieldMessage;
use userdeck_providers::{ErrorKind, HttpResponse, ProviderKind, Timestamp};

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

const NOW: i64 = 1_700_000_000;

fn at(second: i64) -> Option<Timestamp> {
    Some(Timestamp::from_second(second).expect("valid"))
}

#[test]
fn error_mapping_per_provider() {
    use ProviderKind::*;
    let cases: Vec<(ProviderKind, HttpResponse, ErrorKind, &str)> = vec![
        (
            PressOne,
            response(401, &[], r#"{"message":"Invalid API key","success":false}"#),
            ErrorKind::Unauthorized,
            "PressOne refused the credentials: Invalid API key. Check the credentials",
        ),
        (
            PressOne,
            response(
                200,
                &[],
                r#"{"message":"Provide either mobile or email","success":false,"data":[]}"#,
            ),
            ErrorKind::BadRequest { fields: vec![] },
            "PressOne rejected the query: Provide either mobile or email.",
        ),
        (
            PressOne,
            response(429, &[("Retry-After", "20")], ""),
            ErrorKind::RateLimited {
                retry_at: at(NOW + 20),
            },
            "PressOne is rate limiting requests.",
        ),
        (
            Pngme,
            response(401, &[], "Token expired"),
            ErrorKind::Unauthorized,
            "Pngme refused the credentials: Token expired.",
        ),
        (
            Pngme,
            response(503, &[], "<html>Service Unavailable</html>"),
            ErrorKind::Upstream { status: 503 },
            "Pngme failed with HTTP status 503: <html>Service Unavailable</html>. Try again later",
        ),
        (
            Pngme,
            response(429, &[], r#"{"detail":"slow down"}"#),
            ErrorKind::RateLimited { retry_at: None },
            "Pngme is rate limiting requests: slow down. Wait a minute and try again.",
        ),
        (
            Nameshield,
            response(
                429,
                &[("Retry-After", "120")],
                r#"{"errors":[{"code":"rate_limit","message":"Too many requests"}]}"#,
            ),
            ErrorKind::RateLimited {
                retry_at: at(NOW + 120),
            },
            "Nameshield is rate limiting requests: Too many requests (rate_limit). Try again after 2023-11-14 22:15:20 UTC.",
        ),
        (
            Nameshield,
            response(
                400,
                &[],
                r#"{"errors":{"code":"invalid_parameter","message":"Invalid limit","details":{"limit":"must be at most 500"}}}"#,
            ),
            ErrorKind::BadRequest {
                fields: vec![FieldMessage {
                    field: "limit".into(),
                    message: "must be at most 500".into(),
                }],
            },
            "Nameshield rejected the query: Invalid limit (invalid_parameter). limit: must be at most 500.",
        ),
        (
            Nameshield,
            response(
                403,
                &[],
                r#"{"errors":[{"code":"forbidden","message":"Access denied"},{"message":"Customer 12 is not yours"}]}"#,
            ),
            ErrorKind::Forbidden,
            "Nameshield denied access: Access denied (forbidden); Customer 12 is not yours.",
        ),
        (
            Nameshield,
            response(404, &[], ""),
            ErrorKind::NotFound,
            "Nameshield has no users list at the configured address. Check the base URL",
        ),
        (
            Rebilly,
            response(
                429,
                &[
                    ("X-RateLimit-Retry-After", "1700000300"),
                    ("Retry-After", "5"),
                ],
                r#"{"type":"about:blank","title":"Rate Limit Exceeded","status":429}"#,
            ),
            ErrorKind::RateLimited {
                retry_at: at(1_700_000_300),
            },
            "Rebilly is rate limiting requests: Rate Limit Exceeded. Try again after 2023-11-14 22:18:20 UTC.",
        ),
        (
            Rebilly,
            response(
                422,
                &[("Content-Type", "application/problem+json")],
                r#"{"title":"Invalid data","status":422,"detail":"The filter is invalid","invalidFields":[{"field":"filter","message":"Unknown field foo"}]}"#,
            ),
            ErrorKind::BadRequest {
                fields: vec![FieldMessage {
                    field: "filter".into(),
                    message: "Unknown field foo".into(),
                }],
            },
            "Rebilly rejected the query: Invalid data (The filter is invalid). filter: Unknown field foo.",
        ),
        (
            Rebilly,
            response(
                401,
                &[],
                r#"{"title":"Unauthorized","status":401,"detail":"Invalid credentials"}"#,
            ),
            ErrorKind::Unauthorized,
            "Rebilly refused the credentials: Unauthorized (Invalid credentials).",
        ),
        (
            Rebilly,
            response(403, &[], r#"{"title":"Forbidden","status":403}"#),
            ErrorKind::Forbidden,
            "Rebilly denied access: Forbidden. Ask the provider",
        ),
        (
            ActivePlatform,
            response(422, &[], r#"{"error":"bad filter"}"#),
            ErrorKind::BadRequest { fields: vec![] },
            r#"ActivePlatform rejected the query: HTTP status 422: {"error":"bad filter"}."#,
        ),
        (
            ActivePlatform,
            response(401, &[], ""),
            ErrorKind::Unauthorized,
            "ActivePlatform refused the credentials: HTTP status 401.",
        ),
        (
            ActivePlatform,
            response(500, &[], "boom"),
            ErrorKind::Upstream { status: 500 },
            "ActivePlatform failed with HTTP status 500: boom.",
        ),
    ];
    let now = Timestamp::from_second(NOW).expect("valid");
    for (kind, resp, want_kind, want_text) in cases {
        let err = parse(kind, &resp, now).expect_err("an error response");
        assert_eq!(err.provider, kind);
        assert_eq!(err.kind, want_kind, "{kind:?} {}", resp.status);
        let text = err.to_string();
        assert!(
            text.starts_with(want_text),
            "{kind:?} {}: {text}",
            resp.status
        );
        assert!(text.ends_with('.'), "{text}");
    }
}

#[test]
fn malformed_success_bodies_are_errors_not_panics() {
    let now = Timestamp::from_second(NOW).expect("valid");
    let cases = [
        (ProviderKind::PressOne, "[]"),
        (ProviderKind::PressOne, r#"{"success":true,"data":{"a":1}}"#),
        (ProviderKind::Pngme, r#"{"page":1}"#),
        (ProviderKind::Nameshield, r#"{"message":"OK"}"#),
        (ProviderKind::Rebilly, r#"{"id":"x"}"#),
        (ProviderKind::ActivePlatform, "[1, 2]"),
        (ProviderKind::ActivePlatform, "<html>"),
    ];
    for (kind, body) in cases {
        let err = parse(kind, &response(200, &[], body), now).expect_err("malformed");
        assert_eq!(err.kind, ErrorKind::Malformed, "{kind:?} {body}");
        assert!(err.to_string().contains("could not be read"), "{err}");
    }
}

#[test]
fn nameshield_errors_in_a_success_status_are_errors() {
    let now = Timestamp::from_second(NOW).expect("valid");
    let body = r#"{"errors":[{"code":"bad_sort","message":"Unknown sort field"}]}"#;
    let err = parse(ProviderKind::Nameshield, &response(200, &[], body), now).expect_err("error");
    assert_eq!(err.kind, ErrorKind::BadRequest { fields: vec![] });
    assert!(
        err.message.contains("Unknown sort field (bad_sort)"),
        "{err}"
    );
}
