//! Answers that are errors whatever the provider: the Userdeck server's own problems (it could
//! not pass the provider's answer on), and a success status whose body is an RFC 9457 problem.
//! Both are read here, before the provider's adapter, so that every kind says the same clear
//! sentence instead of a provider parser's "the body is not a list of users".

use serde_json::Value;

use super::json::text;
use super::status::{ErrorDetails, is_success, retry_after_seconds, status_error};
use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpResponse;
use crate::kind::ProviderKind;
use crate::time::Timestamp;

/// The `type` prefix of the problems the Userdeck server writes itself (crates/proxy).
pub const USERDECK_PROBLEM: &str = "urn:userdeck:problem:";

fn is_problem_type(response: &HttpResponse) -> bool {
    response.header("Content-Type").is_some_and(|value| {
        value.split(';').next().is_some_and(|media| {
            media
                .trim()
                .eq_ignore_ascii_case("application/problem+json")
        })
    })
}

fn summary(body: &Value) -> String {
    match (text(body, "title"), text(body, "detail")) {
        (Some(t), Some(d)) if t != d => format!("{t} ({d})"),
        (Some(t), _) => t,
        (None, Some(d)) => d,
        (None, None) => String::new(),
    }
}

/// The error `response` stands for when it is not the provider's to read: a problem the
/// Userdeck server wrote, or a 2xx whose body is a problem. `None` for everything else.
pub fn error(kind: ProviderKind, response: &HttpResponse, now: Timestamp) -> Option<ProviderError> {
    if !(is_problem_type(response) || is_success(response)) {
        return None;
    }
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    let problem_type = body.get("type").and_then(Value::as_str).unwrap_or_default();
    if problem_type.starts_with(USERDECK_PROBLEM) && !is_success(response) {
        let detail = text(&body, "detail").unwrap_or_else(|| summary(&body));
        if response.status == 429 {
            let retry_at = retry_after_seconds(response, now);
            return Some(ProviderError::new(
                kind,
                ErrorKind::RateLimited { retry_at },
                detail,
            ));
        }
        return Some(ProviderError::new(
            kind,
            ErrorKind::Gateway {
                status: response.status,
            },
            detail,
        ));
    }
    let looks_like_problem = is_problem_type(response)
        || (body.get("title").is_some_and(Value::is_string)
            && body.get("status").is_some_and(Value::is_number));
    if !is_success(response) || !looks_like_problem {
        return None;
    }
    let reported = body
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (400..600).contains(s));
    let said = summary(&body);
    let said = if said.is_empty() {
        "no title or detail".to_string()
    } else {
        said
    };
    Some(match reported {
        Some(status) => status_error(
            kind,
            &HttpResponse {
                status,
                headers: response.headers.clone(),
                body: Vec::new(),
            },
            ErrorDetails {
                message: format!("{said} (sent as the body of a {} answer)", response.status),
                fields: Vec::new(),
            },
            retry_after_seconds(response, now),
        ),
        None => ProviderError::malformed(
            kind,
            format!(
                "it answered {} (success) with an error instead of users: {said}",
                response.status
            ),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, content_type: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("Retry-After".into(), "3".into()),
            ],
            body: body.as_bytes().to_vec(),
        }
    }

    fn now() -> Timestamp {
        Timestamp::from_second(1_000).expect("valid")
    }

    #[test]
    fn the_servers_own_problems_keep_their_sentence() {
        let body = r#"{"type":"urn:userdeck:problem:bad-gateway","title":"Provider answer unusable","status":502,"detail":"Rebilly sent more than 8388608 bytes for one page, more than Userdeck accepts. Ask for a smaller page.","provider":"rebilly"}"#;
        for kind in ProviderKind::ALL {
            let e = error(
                kind,
                &response(502, "application/problem+json", body),
                now(),
            )
            .expect("a problem");
            assert_eq!(e.kind, ErrorKind::Gateway { status: 502 });
            assert!(
                e.to_string().ends_with(
                    "could not be read through the Userdeck server: Rebilly sent more than 8388608 bytes for one page, more than Userdeck accepts. Ask for a smaller page."
                ),
                "{e}"
            );
        }
        let held = r#"{"type":"urn:userdeck:problem:rate-limited","title":"Rate limit reached","status":429,"detail":"Nameshield allows only so many requests."}"#;
        let e = error(
            ProviderKind::Nameshield,
            &response(429, "application/problem+json", held),
            now(),
        )
        .expect("a problem");
        assert_eq!(
            e.kind,
            ErrorKind::RateLimited {
                retry_at: Timestamp::from_second(1_003)
            }
        );
    }

    #[test]
    fn a_success_status_with_a_problem_body_is_an_error() {
        let body = r#"{"type":"https://api.rebilly.com/errors/internal-server-error","title":"Internal Server Error","status":500,"detail":"An unexpected error occurred."}"#;
        let e = error(
            ProviderKind::Rebilly,
            &response(200, "application/problem+json", body),
            now(),
        )
        .expect("an error");
        assert_eq!(e.kind, ErrorKind::Upstream { status: 500 });
        assert!(
            e.to_string().starts_with(
                "Rebilly failed with HTTP status 500: Internal Server Error (An unexpected error occurred.) (sent as the body of a 200 answer)."
            ),
            "{e}"
        );
        let e = error(
            ProviderKind::Pngme,
            &response(200, "application/json", r#"{"title":"Oops","status":7}"#),
            now(),
        )
        .expect("an error");
        assert_eq!(e.kind, ErrorKind::Malformed);
        assert!(
            e.to_string()
                .contains("answered 200 (success) with an error instead of users: Oops"),
            "{e}"
        );
    }

    #[test]
    fn ordinary_answers_are_left_to_the_adapter() {
        let ok = response(200, "application/json", r#"[{"id":"usr_1","title":"CEO"}]"#);
        assert!(error(ProviderKind::Rebilly, &ok, now()).is_none());
        let provider_500 = response(
            500,
            "application/problem+json",
            r#"{"title":"Internal Server Error","status":500}"#,
        );
        assert!(error(ProviderKind::Rebilly, &provider_500, now()).is_none());
        let broken = response(200, "application/problem+json", "{");
        assert!(error(ProviderKind::Rebilly, &broken, now()).is_none());
    }
}
