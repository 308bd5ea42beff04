//! The same seed gives byte-identical answers, faults included; another seed gives other data.

mod support;

use userdeck_providers::{HttpResponse, ProviderKind};
use userdeck_sim::{Faults, Limits, SimConfig, SimState};

fn answers(seed: u64) -> Vec<HttpResponse> {
    let state = SimState::new(&SimConfig {
        seed,
        users: 400,
        limits: Limits::unlimited(),
        ..SimConfig::default()
    });
    let queries: [(ProviderKind, &[(&str, &str)]); 6] = [
        (
            ProviderKind::PressOne,
            &[("page_size", "100"), ("page_index", "2")],
        ),
        (ProviderKind::Pngme, &[("search", "ali"), ("page", "1")]),
        (
            ProviderKind::Nameshield,
            &[("sort[]", "lastname:desc"), ("limit", "500")],
        ),
        (
            ProviderKind::Rebilly,
            &[("sort", "-createdTime,email"), ("limit", "1000")],
        ),
        (
            ProviderKind::ActivePlatform,
            &[("sorting[field]", "email"), ("per_page", "100")],
        ),
        (
            ProviderKind::Rebilly,
            &[("filter", "status:active,inactive;country:!NG")],
        ),
    ];
    let mut out = Vec::new();
    for (kind, query) in queries {
        out.push(
            state
                .answer(kind, &support::list(kind, query), support::now())
                .response,
        );
    }
    state.set_faults(
        ProviderKind::Nameshield,
        Faults {
            server_error_rate: 0.3,
            malformed_json_rate: 0.3,
            truncated_body_rate: 0.3,
            ..Faults::default()
        },
    );
    for _ in 0..30 {
        let req = support::list(ProviderKind::Nameshield, &[("limit", "5")]);
        out.push(
            state
                .answer(ProviderKind::Nameshield, &req, support::now())
                .response,
        );
    }
    out
}

#[test]
fn same_seed_same_bytes() {
    let first = answers(42);
    assert_eq!(first, answers(42));
    let faulted: Vec<u16> = first[6..].iter().map(|r| r.status).collect();
    assert!(
        faulted.contains(&200) && faulted.iter().any(|s| *s >= 500),
        "{faulted:?}"
    );
}

#[test]
fn another_seed_other_data() {
    let (a, b) = (answers(42), answers(43));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b).take(6) {
        assert_ne!(x.body, y.body);
    }
}
