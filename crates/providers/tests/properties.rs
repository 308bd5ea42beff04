//! Property tests: no input makes a parser or the planner panic, and the planner never asks a
//! provider for something its capabilities (or its adapter) cannot do.

use proptest::prelude::*;
use serde_json::{Value as Json, json};
use userdeck_providers::adapters::{Carry, can_carry, parse, request};
use userdeck_providers::capabilities::Combination;
use userdeck_providers::query::{ServerPage, Value};
use userdeck_providers::{
    Capabilities, Direction, Execution, Field, Filter, FilterOp, HttpResponse, PageRequest,
    PlanConfig, ProviderKind, Query, SortKey, Timestamp, plan,
};

fn kind() -> impl Strategy<Value = ProviderKind> {
    (0..ProviderKind::ALL.len()).prop_map(|i| ProviderKind::ALL[i])
}

fn field() -> impl Strategy<Value = Field> {
    (0..Field::ALL.len()).prop_map(|i| Field::ALL[i])
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 *,;:!@.+_-]{0,10}",
        Just("active".to_string()),
        Just("pending".to_string()),
        Just("a..b".to_string()),
        Just("2024-01-15T10:30:00Z".to_string()),
        any::<String>(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::Text),
        (-10_000_000_000i64..10_000_000_000i64).prop_map(|s| Value::Instant(
            Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH)
        )),
        any::<bool>().prop_map(Value::Bool),
    ]
}

fn op() -> impl Strategy<Value = FilterOp> {
    prop_oneof![
        value().prop_map(FilterOp::Equals),
        text().prop_map(FilterOp::Contains),
        prop::collection::vec(value(), 0..4).prop_map(FilterOp::OneOf),
        (prop::option::of(value()), prop::option::of(value()))
            .prop_map(|(from, to)| FilterOp::Range { from, to }),
        value().prop_map(FilterOp::Not),
    ]
}

fn query() -> impl Strategy<Value = Query> {
    (
        prop::option::of(text()),
        prop::collection::vec(
            (field(), op()).prop_map(|(field, op)| Filter { field, op }),
            0..5,
        ),
        prop::collection::vec(
            (field(), any::<bool>()).prop_map(|(field, desc)| SortKey {
                field,
                direction: if desc {
                    Direction::Descending
                } else {
                    Direction::Ascending
                },
            }),
            0..4,
        ),
        any::<u64>(),
        any::<u32>(),
    )
        .prop_map(|(search, filters, sort, index, size)| Query {
            search,
            filters,
            sort,
            page: PageRequest {
                index: index % 1_000_000,
                size,
            },
        })
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Json::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("data".to_string()),
                    Just("users".to_string()),
                    Just("results".to_string()),
                    Just("success".to_string()),
                    Just("total".to_string()),
                    Just("errors".to_string()),
                    Just("_meta".to_string()),
                    Just("email".to_string()),
                    Just("created_at".to_string()),
                    Just("subscription".to_string()),
                    Just("custom_attributes".to_string()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies shaped like each provider's envelope, with arbitrary content where the users go.
fn shaped(kind: ProviderKind, inner: Json) -> Json {
    match kind {
        ProviderKind::PressOne => {
            json!({"success": true, "total": 3, "page_index": 1, "page_size": 2, "data": [inner]})
        }
        ProviderKind::Pngme => json!({"page": 1, "num_pages": 2, "users": [inner]}),
        ProviderKind::Nameshield => {
            json!({"message": "OK", "data": {"total": 1, "sort": inner.clone(), "results": [inner]}})
        }
        _ => json!([inner]),
    }
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(401),
        Just(403),
        Just(404),
        Just(422),
        Just(429),
        Just(500),
        any::<u16>()
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                Just("Retry-After".to_string()),
                Just("X-RateLimit-Retry-After".to_string()),
                Just("Pagination-Total".to_string()),
                Just("Pagination-Offset".to_string()),
                "[A-Za-z-]{1,12}",
            ],
            prop_oneof![
                Just("9223372036854775807".to_string()),
                Just("-5".to_string()),
                "[0-9]{1,12}",
                any::<String>(),
            ],
        ),
        0..4,
    )
}

fn now() -> Timestamp {
    Timestamp::from_second(1_700_000_000).expect("valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(kind in kind(), status in status(), headers in headers(), body in prop::collection::vec(any::<u8>(), 0..256)) {
        let response = HttpResponse { status, headers, body };
        let result = parse(kind, &response, now());
        if let Err(e) = result {
            prop_assert!(e.to_string().ends_with('.'), "{e}");
            prop_assert_eq!(e.provider, kind);
        }
    }

    #[test]
    fn arbitrary_tokens_never_panic(token in prop_oneof![any::<String>(), "[A-Za-z0-9_=.-]{0,40}"]) {
        let creds = userdeck_providers::Credentials::Bearer(userdeck_providers::Secret::new(token.clone()));
        let checked = creds.check_fresh(ProviderKind::Pngme, now());
        if let Err(e) = checked {
            prop_assert!(userdeck_providers::credentials::jwt_expiry(&token).is_some_and(|t| t <= now()), "{e}");
        }
    }

    #[test]
    fn arbitrary_json_never_panics(kind in kind(), status in status(), headers in headers(), value in json_value(), wrap in any::<bool>()) {
        let body = if wrap { shaped(kind, value) } else { value };
        let response = HttpResponse { status, headers, body: serde_json::to_vec(&body).expect("serializes") };
        match parse(kind, &response, now()) {
            Ok(page) => prop_assert!(page.items.iter().all(|u| !u.key.is_empty() && !u.display_name.is_empty())),
            Err(e) => prop_assert!(e.to_string().ends_with('.'), "{e}"),
        }
    }

    #[test]
    fn plans_push_down_only_what_is_supported(kind in kind(), query in query(), cap in 0u64..100_000, concurrency in 0usize..10) {
        let caps = Capabilities::of(kind);
        let config = PlanConfig { scan_cap: cap, concurrency };
        let p = plan(&query, &caps, &config);
        for filter in &p.pushed.filters {
            prop_assert!(caps.supports_filter(filter), "{kind:?} pushed {filter:?}");
            prop_assert!(can_carry(kind, filter) != Carry::No, "{kind:?} pushed {filter:?}");
        }
        let mut fields: Vec<Field> = p.pushed.filters.iter().map(|f| f.field).collect();
        fields.dedup();
        prop_assert_eq!(fields.len(), p.pushed.filters.len());
        if caps.combination == Combination::AtMostOne {
            prop_assert!(p.pushed.filters.len() <= 1);
        }
        prop_assert!(p.pushed.search.is_none() || caps.free_text.is_some());
        prop_assert!(p.pushed.sort.iter().all(|k| caps.sorts_by(k.field)));
        prop_assert!(caps.multi_sort || p.pushed.sort.len() <= 1);
        // Nothing is lost: every filter is pushed, residual, or both.
        for filter in &query.filters {
            prop_assert!(p.pushed.filters.contains(filter) || p.residual.filters.contains(filter));
        }
        let residual = p.residual.search.is_some() || !p.residual.filters.is_empty() || !p.residual.sort.is_empty();
        prop_assert_eq!(p.strategy == userdeck_providers::Strategy::FullScan, residual);
        // The adapter accepts every pushed-down query.
        let page = ServerPage { number: 1, offset: 0, size: p.page_size };
        prop_assert!(request(kind, &p.pushed, page).is_ok(), "{kind:?} {:?}", p.pushed);
        // And the first requests can be built.
        let mut execution = Execution::new(p);
        if let Ok(batch) = execution.next_fetches() {
            prop_assert!(!batch.is_empty() && batch.len() <= concurrency.max(1));
        }
    }

    #[test]
    fn executions_survive_arbitrary_responses(kind in kind(), query in query(), bodies in prop::collection::vec((status(), headers(), json_value(), any::<bool>()), 1..6)) {
        let caps = Capabilities::of(kind);
        let mut execution = Execution::new(plan(&query, &caps, &PlanConfig::default()));
        let mut bodies = bodies.into_iter();
        let mut rounds = 0;
        loop {
            rounds += 1;
            prop_assert!(rounds < 100);
            let Ok(batch) = execution.next_fetches() else { break };
            if batch.is_empty() {
                if let Ok(page) = execution.finish() {
                    prop_assert!(page.items.len() as u64 <= query.page.size());
                }
                break;
            }
            let mut failed = false;
            for fetch in batch {
                let Some((status, headers, value, wrap)) = bodies.next() else {
                    execution.fail_network(fetch.id, "connection reset");
                    failed = true;
                    break;
                };
                let body = if wrap { shaped(kind, value) } else { value };
                let response = HttpResponse { status, headers, body: serde_json::to_vec(&body).expect("serializes") };
                if execution.accept(fetch.id, &response, now()).is_err() {
                    failed = true;
                    break;
                }
            }
            if failed {
                prop_assert!(execution.next_fetches().is_err());
                break;
            }
        }
    }
}
