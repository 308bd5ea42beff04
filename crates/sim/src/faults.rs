//! Fault knobs. Real providers time out, fail, throttle, and now and then send broken bodies;
//! the console must turn each into a clear error rather than a hang, a panic or a silent gap.
//! Every random decision comes from the seed and the request's number, so a failing run can be
//! replayed exactly.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use userdeck_providers::{HttpResponse, ProviderKind, Timestamp};

use crate::common::{self, JSON};
use crate::rebilly;
use crate::rng::SplitMix64;

/// What may go wrong with one provider's answers. The default is nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Delay before the answer starts, in milliseconds.
    pub latency_ms: u64,
    /// Share (0 to 1) of requests answered 500 or 503 instead.
    pub server_error_rate: f64,
    /// Bursts of 429 answers.
    pub rate_limit_burst: Option<Burst>,
    /// Share of answers whose JSON body is made invalid.
    pub malformed_json_rate: f64,
    /// Share of answers whose body is cut in half.
    pub truncated_body_rate: f64,
    /// Send the body in small, delayed chunks.
    pub slow_body: Option<SlowBody>,
    /// Share of answers replaced by an HTML page served as `text/html` (a portal or a proxy's
    /// error page where JSON was expected).
    pub wrong_content_type_rate: f64,
    /// The provider stops accepting the configured credentials (a revoked or rotated key):
    /// every request is answered as if it carried none, with the provider's own 401.
    pub reject_credentials: bool,
    /// Cut the connection after half the body (headers and a first chunk sent, then the
    /// connection is dropped without finishing the chunked body).
    pub reset_mid_body: bool,
    /// Announce the whole body in `Content-Length`, send half of it, then close.
    pub short_content_length: bool,
    /// Pad the (valid) JSON body with trailing whitespace to this many bytes: still valid
    /// JSON, but larger than a proxy's response limit. 0 leaves the body alone.
    pub padded_body_bytes: usize,
    /// Answer 200 with the provider's 500 error body (RFC 9457 problem for Rebilly).
    pub problem_with_ok_status: bool,
    /// Rate-limit answers give `Retry-After` as an HTTP date instead of seconds (Rebilly:
    /// instead of its `X-RateLimit-Retry-After` epoch), two seconds ahead.
    pub retry_after_http_date: bool,
}

/// How the HTTP shell breaks the connection while sending a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Cut {
    /// Half the body, then the connection is dropped mid-body.
    Reset,
    /// `Content-Length` of the whole body, half of it sent, then the connection closes.
    ShortContentLength,
}

/// Of every `every` requests, the first `length` are refused with 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Burst {
    /// Cycle length in requests.
    pub every: u32,
    /// Refused requests at the start of each cycle.
    pub length: u32,
}

/// Stream the body `chunk_bytes` at a time, waiting `chunk_delay_ms` between chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlowBody {
    /// Bytes per chunk (at least 1).
    pub chunk_bytes: usize,
    /// Pause between chunks, in milliseconds.
    pub chunk_delay_ms: u64,
}

impl Faults {
    /// Whether any knob is set.
    pub fn is_none(&self) -> bool {
        *self == Faults::default()
    }
}

/// What to send and how: the response plus the transport-level delays the HTTP shell applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The response (possibly replaced or damaged by a fault).
    pub response: HttpResponse,
    /// Delay before sending anything.
    pub latency: Duration,
    /// Chunked slow sending, if set.
    pub slow_body: Option<SlowBody>,
    /// A connection broken while the body is sent, if set.
    pub cut: Option<Cut>,
    /// Which fault changed the response, if any, for logs and tests.
    pub fault: Option<Fault>,
}

/// A fault that changed a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Fault {
    /// Refused with 429 by a burst.
    RateLimitBurst,
    /// Replaced by a 500.
    InternalServerError,
    /// Replaced by a 503 from a gateway.
    ServiceUnavailable,
    /// JSON body made invalid.
    MalformedJson,
    /// Body cut in half.
    TruncatedBody,
    /// Replaced by an HTML page.
    WrongContentType,
    /// Padded with whitespace past its real size.
    PaddedBody,
    /// The 500 error body sent with status 200.
    ProblemWithOkStatus,
}

fn roll(rng: &mut SplitMix64, rate: f64) -> bool {
    let rate = if rate.is_finite() {
        rate.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let threshold = (rate * 1_000_000.0) as u64;
    rng.below(1_000_000) < threshold
}

/// Applies `faults` to request number `n` (0-based, per provider) of provider `kind`. `answer`
/// produces the real response and is not called when a fault replaces it (so a refused
/// request does not count against the provider's own rate limit).
pub fn apply(
    kind: ProviderKind,
    faults: &Faults,
    seed: u64,
    n: u64,
    now: Timestamp,
    answer: impl FnOnce() -> HttpResponse,
) -> Answer {
    let kind_salt = ProviderKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u64;
    let mut rng = SplitMix64::new(
        seed ^ kind_salt.wrapping_mul(0xA076_1D64_78BD_642F)
            ^ n.wrapping_mul(0xE703_7ED1_A0B4_28DB),
    );
    let cut = if faults.reset_mid_body {
        Some(Cut::Reset)
    } else if faults.short_content_length {
        Some(Cut::ShortContentLength)
    } else {
        None
    };
    let base = |response: HttpResponse, fault: Option<Fault>| Answer {
        response,
        latency: Duration::from_millis(faults.latency_ms),
        slow_body: faults.slow_body,
        cut,
        fault,
    };
    if let Some(burst) = faults.rate_limit_burst
        && burst.every > 0
        && n % u64::from(burst.every) < u64::from(burst.length)
    {
        let mut response = too_many_requests(kind, now);
        if faults.retry_after_http_date {
            dated_retry(&mut response, now);
        }
        return base(response, Some(Fault::RateLimitBurst));
    }
    if faults.problem_with_ok_status {
        let mut response = internal_error(kind);
        response.status = 200;
        return base(response, Some(Fault::ProblemWithOkStatus));
    }
    if roll(&mut rng, faults.server_error_rate) {
        return if rng.chance(50) {
            base(internal_error(kind), Some(Fault::InternalServerError))
        } else {
            base(service_unavailable(), Some(Fault::ServiceUnavailable))
        };
    }
    let mut response = answer();
    let mut fault = None;
    if roll(&mut rng, faults.malformed_json_rate) {
        response.body = malform(&response.body);
        fault = Some(Fault::MalformedJson);
    } else if roll(&mut rng, faults.truncated_body_rate) {
        let half = response.body.len() / 2;
        response.body.truncate(half);
        fault = Some(Fault::TruncatedBody);
    } else if roll(&mut rng, faults.wrong_content_type_rate) {
        response = html(
            200,
            "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in to continue</h1></body></html>",
        );
        fault = Some(Fault::WrongContentType);
    }
    if faults.padded_body_bytes > response.body.len() {
        response.body.resize(faults.padded_body_bytes, b' ');
        fault = fault.or(Some(Fault::PaddedBody));
    }
    base(response, fault)
}

/// Replaces a 429's retry headers with `Retry-After` as an HTTP date two seconds ahead (a whole
/// second later than the seconds form, since the date cannot say fractions).
fn dated_retry(response: &mut HttpResponse, now: Timestamp) {
    response.headers.retain(|(name, _)| {
        !name.eq_ignore_ascii_case("Retry-After")
            && !name.eq_ignore_ascii_case("X-RateLimit-Retry-After")
    });
    let at = now.checked_add_seconds(2).unwrap_or(now);
    response
        .headers
        .push(("Retry-After".to_string(), crate::http_date::imf_fixdate(at)));
}

/// Breaks a JSON body: drops its last byte and appends `,}`, which no JSON reader accepts.
fn malform(body: &[u8]) -> Vec<u8> {
    let mut broken = body.to_vec();
    broken.pop();
    broken.extend_from_slice(b",}");
    broken
}

fn html(status: u16, page: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![(
            "Content-Type".to_string(),
            "text/html; charset=utf-8".to_string(),
        )],
        body: page.as_bytes().to_vec(),
    }
}

fn service_unavailable() -> HttpResponse {
    html(
        503,
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>",
    )
}

/// A 500 in the provider's own error shape.
fn internal_error(kind: ProviderKind) -> HttpResponse {
    let body = match kind {
        ProviderKind::PressOne => {
            json!({ "message": "Internal server error", "success": false, "data": null })
        }
        ProviderKind::Pngme => json!({ "message": "Internal server error" }),
        ProviderKind::Nameshield => {
            json!({ "errors": [{ "code": "internal_error", "message": "An internal error occurred." }] })
        }
        ProviderKind::Rebilly => json!({
            "type": "https://api.rebilly.com/errors/internal-server-error",
            "title": "Internal Server Error",
            "status": 500,
            "detail": "An unexpected error occurred.",
        }),
        ProviderKind::ActivePlatform => json!({ "error": "Internal Server Error" }),
    };
    let content_type = if kind == ProviderKind::Rebilly {
        "application/problem+json"
    } else {
        JSON
    };
    common::json_with(500, content_type, &body)
}

/// A 429 in the provider's own shape, with its retry header: Nameshield and the others give a
/// delay in seconds, Rebilly an absolute epoch.
fn too_many_requests(kind: ProviderKind, now: Timestamp) -> HttpResponse {
    if kind == ProviderKind::Rebilly {
        return rebilly::rate_limited(now.checked_add_seconds(1).unwrap_or(now));
    }
    let body = match kind {
        ProviderKind::PressOne => {
            json!({ "message": "Too many requests", "success": false, "data": null })
        }
        ProviderKind::Nameshield => {
            json!({ "errors": [{ "code": "too_many_requests", "message": "Rate limit exceeded." }] })
        }
        ProviderKind::ActivePlatform => json!({ "error": "Too Many Requests" }),
        _ => json!({ "message": "Too Many Requests" }),
    };
    let mut response = common::json(429, &body);
    response
        .headers
        .push(("Retry-After".to_string(), "1".to_string()));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> HttpResponse {
        common::json(200, &json!({ "users": [1, 2, 3] }))
    }

    fn now() -> Timestamp {
        Timestamp::from_second(1_800_000_000).expect("valid")
    }

    #[test]
    fn no_faults_changes_nothing() {
        let answer = apply(ProviderKind::Pngme, &Faults::default(), 1, 0, now(), ok);
        assert_eq!(answer.response, ok());
        assert_eq!(answer.fault, None);
        assert_eq!(answer.latency, Duration::ZERO);
    }

    #[test]
    fn bursts_refuse_the_start_of_each_cycle() {
        let faults = Faults {
            rate_limit_burst: Some(Burst {
                every: 10,
                length: 3,
            }),
            ..Faults::default()
        };
        let refused: Vec<u64> = (0..20)
            .filter(|&n| {
                apply(ProviderKind::Nameshield, &faults, 1, n, now(), ok)
                    .response
                    .status
                    == 429
            })
            .collect();
        assert_eq!(refused, vec![0, 1, 2, 10, 11, 12]);
    }

    #[test]
    fn shares_are_close_to_the_setting_and_reproducible() {
        let faults = Faults {
            server_error_rate: 0.25,
            ..Faults::default()
        };
        let statuses = |seed| -> Vec<u16> {
            (0..2_000)
                .map(|n| {
                    apply(ProviderKind::Rebilly, &faults, seed, n, now(), ok)
                        .response
                        .status
                })
                .collect()
        };
        let first = statuses(9);
        assert_eq!(first, statuses(9));
        let failed = first.iter().filter(|s| **s >= 500).count();
        assert!((400..600).contains(&failed), "{failed} of 2000");
        assert!(first.contains(&500) && first.contains(&503));
    }

    #[test]
    fn damaged_bodies_are_not_json_and_rates_outside_range_are_clamped() {
        let malformed = Faults {
            malformed_json_rate: 7.0,
            ..Faults::default()
        };
        let answer = apply(ProviderKind::Pngme, &malformed, 1, 0, now(), ok);
        assert!(serde_json::from_slice::<serde_json::Value>(&answer.response.body).is_err());
        let truncated = Faults {
            truncated_body_rate: 1.0,
            ..Faults::default()
        };
        let answer = apply(ProviderKind::Pngme, &truncated, 1, 0, now(), ok);
        assert_eq!(answer.response.body.len(), ok().body.len() / 2);
        let nan = Faults {
            server_error_rate: f64::NAN,
            ..Faults::default()
        };
        assert_eq!(
            apply(ProviderKind::Pngme, &nan, 1, 0, now(), ok).fault,
            None
        );
    }

    #[test]
    fn transport_knobs_reach_the_shell_and_padding_keeps_the_json_valid() {
        let cut = Faults {
            reset_mid_body: true,
            ..Faults::default()
        };
        let answer = apply(ProviderKind::Rebilly, &cut, 1, 0, now(), ok);
        assert_eq!(answer.cut, Some(Cut::Reset));
        assert_eq!(answer.response, ok());
        let short = Faults {
            short_content_length: true,
            ..Faults::default()
        };
        assert_eq!(
            apply(ProviderKind::Rebilly, &short, 1, 0, now(), ok).cut,
            Some(Cut::ShortContentLength)
        );
        let padded = Faults {
            padded_body_bytes: 10_000_000,
            ..Faults::default()
        };
        let answer = apply(ProviderKind::Rebilly, &padded, 1, 0, now(), ok);
        assert_eq!(answer.response.body.len(), 10_000_000);
        assert_eq!(answer.fault, Some(Fault::PaddedBody));
        let value: serde_json::Value =
            serde_json::from_slice(&answer.response.body).expect("still valid JSON");
        assert_eq!(value["users"][2], 3);
    }

    #[test]
    fn a_problem_can_come_with_200_and_a_retry_with_a_date() {
        let problem = Faults {
            problem_with_ok_status: true,
            ..Faults::default()
        };
        let answer = apply(ProviderKind::Rebilly, &problem, 1, 0, now(), ok);
        assert_eq!(answer.response.status, 200);
        assert_eq!(answer.fault, Some(Fault::ProblemWithOkStatus));
        assert!(String::from_utf8_lossy(&answer.response.body).contains("Internal Server Error"));
        let dated = Faults {
            rate_limit_burst: Some(Burst {
                every: 10,
                length: 1,
            }),
            retry_after_http_date: true,
            ..Faults::default()
        };
        for kind in ProviderKind::ALL {
            let answer = apply(kind, &dated, 1, 0, now(), ok);
            assert_eq!(answer.response.status, 429);
            assert_eq!(
                answer.response.header("Retry-After"),
                Some("Fri, 15 Jan 2027 08:00:02 GMT"),
                "{kind:?}"
            );
            assert_eq!(answer.response.header("X-RateLimit-Retry-After"), None);
        }
    }
}
