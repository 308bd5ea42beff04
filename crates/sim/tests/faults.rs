//! What the providers core makes of every fault knob and of every error the simulators answer
//! with: always the right `ProviderError`, never a panic, and a normal page where the fault is
//! only in the timing (latency, slow body).

mod support;

use std::time::Duration;

use userdeck_providers::adapters::parse;
use userdeck_providers::{
    ErrorKind, HttpRequest, Page, ProviderError, ProviderKind, Timestamp, User,
};
use userdeck_sim::faults::Fault;
use userdeck_sim::rate_limit::RateLimit;
use userdeck_sim::{Burst, Faults, Limits, SimConfig, SimState, SlowBody};

fn state(limits: Limits) -> SimState {
    SimState::new(&SimConfig {
        seed: 11,
        users: 120,
        limits,
        ..SimConfig::default()
    })
}

fn page_request(kind: ProviderKind) -> HttpRequest {
    support::list(kind, &[])
}

fn outcome(
    state: &SimState,
    kind: ProviderKind,
    req: &HttpRequest,
) -> Result<Page<User>, ProviderError> {
    let answer = state.answer(kind, req, support::now());
    parse(kind, &answer.response, support::now())
}

fn with_faults(kind: ProviderKind, faults: Faults) -> SimState {
    let state = state(Limits::unlimited());
    state.set_faults(kind, faults);
    state
}

#[test]
fn server_errors_become_upstream_errors() {
    for kind in ProviderKind::ALL {
        let state = with_faults(
            kind,
            Faults {
                server_error_rate: 1.0,
                ..Faults::default()
            },
        );
        let mut statuses = Vec::new();
        for _ in 0..20 {
            match outcome(&state, kind, &page_request(kind)).map_err(|e| e.kind) {
                Err(ErrorKind::Upstream { status }) => statuses.push(status),
                other => panic!("{kind:?}: {other:?}"),
            }
        }
        assert!(
            statuses.contains(&500) && statuses.contains(&503),
            "{kind:?}: {statuses:?}"
        );
    }
}

#[test]
fn bursts_become_rate_limited_with_the_retry_instant() {
    let retry = support::now().checked_add_seconds(1).expect("in range");
    for kind in ProviderKind::ALL {
        let state = with_faults(
            kind,
            Faults {
                rate_limit_burst: Some(Burst {
                    every: 3,
                    length: 2,
                }),
                ..Faults::default()
            },
        );
        let req = page_request(kind);
        for _ in 0..2 {
            let error = outcome(&state, kind, &req).expect_err("refused");
            assert_eq!(
                error.kind,
                ErrorKind::RateLimited {
                    retry_at: Some(retry)
                },
                "{kind:?}"
            );
        }
        assert!(
            outcome(&state, kind, &req).is_ok(),
            "{kind:?}: third request served"
        );
    }
}

#[test]
fn damaged_bodies_become_malformed_errors() {
    let knobs = [
        (
            Fault::MalformedJson,
            Faults {
                malformed_json_rate: 1.0,
                ..Faults::default()
            },
        ),
        (
            Fault::TruncatedBody,
            Faults {
                truncated_body_rate: 1.0,
                ..Faults::default()
            },
        ),
        (
            Fault::WrongContentType,
            Faults {
                wrong_content_type_rate: 1.0,
                ..Faults::default()
            },
        ),
    ];
    for kind in ProviderKind::ALL {
        for (fault, faults) in &knobs {
            let state = with_faults(kind, faults.clone());
            let answer = state.answer(kind, &page_request(kind), support::now());
            assert_eq!(answer.fault, Some(*fault));
            let error = parse(kind, &answer.response, support::now()).expect_err("damaged");
            assert_eq!(
                error.kind,
                ErrorKind::Malformed,
                "{kind:?} {fault:?}: {error}"
            );
            assert_eq!(error.provider, kind);
        }
    }
}

#[test]
fn timing_faults_leave_the_page_intact() {
    for kind in ProviderKind::ALL {
        let slow = SlowBody {
            chunk_bytes: 100,
            chunk_delay_ms: 5,
        };
        let state = with_faults(
            kind,
            Faults {
                latency_ms: 250,
                slow_body: Some(slow),
                ..Faults::default()
            },
        );
        let answer = state.answer(kind, &page_request(kind), support::now());
        assert_eq!(answer.latency, Duration::from_millis(250));
        assert_eq!(answer.slow_body, Some(slow));
        assert_eq!(answer.fault, None);
        let page = parse(kind, &answer.response, support::now()).expect("a normal page");
        assert!(!page.items.is_empty(), "{kind:?}");
    }
}

#[test]
fn missing_credentials_and_wrong_paths_are_named() {
    let state = state(Limits::default());
    for kind in ProviderKind::ALL {
        let bare = HttpRequest::get(support::list_path(kind));
        let error = outcome(&state, kind, &bare).expect_err("no credentials");
        assert_eq!(error.kind, ErrorKind::Unauthorized, "{kind:?}: {error}");
        let wrong = support::authed(kind, HttpRequest::get("/v2/people"));
        let error = outcome(&state, kind, &wrong).expect_err("no such path");
        assert_eq!(error.kind, ErrorKind::NotFound, "{kind:?}: {error}");
    }
}

#[test]
fn an_expired_pngme_token_is_unauthorized() {
    let state = state(Limits::default());
    let mut req = HttpRequest::get(userdeck_sim::pngme::PATH);
    req.headers.push((
        "Authorization".into(),
        format!("Bearer {}", userdeck_sim::credentials::PNGME_EXPIRED_JWT),
    ));
    let error = outcome(&state, ProviderKind::Pngme, &req).expect_err("expired");
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert!(error.message.contains("expired"), "{error}");
}

/// A provider, an invalid query, and the field the error must name (if the provider names one).
type Invalid = (
    ProviderKind,
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
);

#[test]
fn invalid_parameters_are_bad_requests_with_the_field_named() {
    let state = state(Limits::default());
    let cases: [Invalid; 6] = [
        (
            ProviderKind::PressOne,
            &[("email", "a@b.c"), ("mobile", "+1")],
            None,
        ),
        (ProviderKind::PressOne, &[("page_index", "0")], None),
        (ProviderKind::Pngme, &[("created_after", "yesterday")], None),
        (ProviderKind::Nameshield, &[("limit", "-1")], Some("limit")),
        (ProviderKind::Rebilly, &[("offset", "1001")], Some("offset")),
        (
            ProviderKind::ActivePlatform,
            &[("sorting[field]", "password")],
            None,
        ),
    ];
    for (kind, query, field) in cases {
        let error = outcome(&state, kind, &support::list(kind, query)).expect_err("invalid");
        let ErrorKind::BadRequest { fields } = &error.kind else {
            panic!("{kind:?} {query:?}: {error:?}");
        };
        if let Some(field) = field {
            assert!(
                fields.iter().any(|f| f.field == field),
                "{kind:?}: {fields:?}"
            );
        }
    }
}

#[test]
fn nameshield_rate_limit_gives_the_wait_in_seconds() {
    let state = state(Limits {
        nameshield_rate_limit: Some(RateLimit {
            requests: 2,
            window_seconds: 300,
        }),
        ..Limits::unlimited()
    });
    let kind = ProviderKind::Nameshield;
    let req = page_request(kind);
    let t0 = support::now();
    let later = t0.checked_add_seconds(100).expect("in range");
    for _ in 0..2 {
        assert!(parse(kind, &state.answer(kind, &req, t0).response, t0).is_ok());
    }
    let answer = state.answer(kind, &req, later);
    assert_eq!(answer.response.header("Retry-After"), Some("200"));
    let error = parse(kind, &answer.response, later).expect_err("limited");
    let window_end = t0.checked_add_seconds(300).expect("in range");
    assert_eq!(
        error.kind,
        ErrorKind::RateLimited {
            retry_at: Some(window_end)
        }
    );
    assert!(
        parse(
            kind,
            &state.answer(kind, &req, window_end).response,
            window_end
        )
        .is_ok()
    );
}

#[test]
fn rebilly_rate_limit_gives_an_absolute_epoch() {
    let state = state(Limits {
        rebilly_rate_limit: Some(RateLimit {
            requests: 1,
            window_seconds: 60,
        }),
        ..Limits::unlimited()
    });
    let kind = ProviderKind::Rebilly;
    let req = page_request(kind);
    let t0: Timestamp = support::now();
    assert!(outcome(&state, kind, &req).is_ok());
    let answer = state.answer(kind, &req, t0);
    let epoch = t0.as_second() + 60;
    assert_eq!(
        answer.response.header("X-RateLimit-Retry-After"),
        Some(epoch.to_string().as_str())
    );
    let error = parse(kind, &answer.response, t0).expect_err("limited");
    assert_eq!(
        error.kind,
        ErrorKind::RateLimited {
            retry_at: Some(Timestamp::from_second(epoch).expect("in range"))
        }
    );
}

#[test]
fn the_new_knobs_map_to_the_right_sentences() {
    let kind = ProviderKind::Rebilly;
    let state = with_faults(
        kind,
        Faults {
            problem_with_ok_status: true,
            ..Faults::default()
        },
    );
    let err = outcome(&state, kind, &page_request(kind)).expect_err("an error body");
    assert_eq!(err.kind, ErrorKind::Upstream { status: 500 });
    assert!(
        err.to_string()
            .contains("(sent as the body of a 200 answer)"),
        "{err}"
    );

    for kind in ProviderKind::ALL {
        let state = with_faults(
            kind,
            Faults {
                rate_limit_burst: Some(Burst {
                    every: 100,
                    length: 1,
                }),
                retry_after_http_date: true,
                ..Faults::default()
            },
        );
        let err = outcome(&state, kind, &page_request(kind)).expect_err("429");
        let want = support::now().as_second() + 2;
        match err.kind {
            ErrorKind::RateLimited { retry_at: Some(at) } => {
                assert_eq!(at.as_second(), want, "{kind:?}")
            }
            other => panic!("{kind:?}: {other:?}"),
        }
    }

    let state = with_faults(
        kind,
        Faults {
            padded_body_bytes: 2_000_000,
            ..Faults::default()
        },
    );
    let page = outcome(&state, kind, &page_request(kind)).expect("padding is valid JSON");
    assert!(!page.items.is_empty());
}
