//! Plans executed against tiny in-test stand-ins of the five providers (paging only: the
//! queries here push nothing down, so every filter and sort runs in memory). Checks that scans
//! gather every row exactly once, that totals are honest, and that the refusals happen.

use serde_json::{Value, json};
use userdeck_providers::adapters::parse;
use userdeck_providers::query::Value as QValue;
use userdeck_providers::{
    Capabilities, Direction, ErrorKind, Field, Filter, FilterOp, HttpRequest, HttpResponse,
    PageRequest, PlanConfig, ProviderKind, Query, SortKey, Timestamp, Total, User, engine,
    execute_blocking,
};

const FIRST: [&str; 7] = ["ann", "Bob", "carl", "Dora", "émile", "Zoë", "bob"];
const LAST: [&str; 5] = ["Smith", "doe", "Adams", "", "O'Neil"];

fn record(kind: ProviderKind, i: usize) -> Value {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / 3) % LAST.len()];
    let email = format!("user{i}@example.com");
    let day = 1 + (i * 7) % 28;
    let created = format!("2023-03-{day:02}T10:00:00+02:00");
    match kind {
        ProviderKind::PressOne => json!({
            "first_name": first, "last_name": last, "email": email,
            "mobile": format!("+234{i:08}"), "date_created": created,
            "subscription": {"plan": if i.is_multiple_of(2) {"gold"} else {"basic"}, "is_active": i.is_multiple_of(3)}
        }),
        ProviderKind::Pngme => json!({
            "uuid": format!("uuid-{i}"), "first_name": first, "last_name": last, "email": email,
            "phone_number": format!("254{i:06}"), "created_at": created, "external_id": null
        }),
        ProviderKind::Nameshield => json!({
            "id": format!("ns-{i}"), "firstname": first, "lastname": last, "email": email,
            "language": if i.is_multiple_of(4) {"fr"} else {"en"}, "created_at": created
        }),
        ProviderKind::Rebilly => json!({
            "id": format!("usr_{i}"), "firstName": first, "lastName": last, "email": email,
            "status": if i.is_multiple_of(5) {"inactive"} else {"active"}, "createdTime": created,
            "country": if i.is_multiple_of(2) {"FR"} else {"DE"}
        }),
        ProviderKind::ActivePlatform => json!({
            "id": i, "first_name": first, "middle_name": "", "last_name": last, "email": email,
            "status": if i.is_multiple_of(5) {"inactive"} else {"active"}, "created_at": created,
            "custom_attributes": [{"name": "tier", "value": i % 3}]
        }),
    }
}

/// Knobs for the stand-ins' quirks.
#[derive(Clone, Copy)]
struct Knobs {
    /// Pngme's fixed page size.
    pngme_page: usize,
    /// The page size a server silently applies at most.
    clamp: Option<usize>,
    /// Nameshield echoes this sort instead of the requested one.
    wrong_sort: bool,
}

impl Default for Knobs {
    fn default() -> Self {
        Self {
            pngme_page: 7,
            clamp: None,
            wrong_sort: false,
        }
    }
}

fn num(req: &HttpRequest, key: &str, default: usize) -> usize {
    req.query_value(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn json_response(status: u16, headers: Vec<(String, String)>, body: Value) -> HttpResponse {
    HttpResponse {
        status,
        headers,
        body: serde_json::to_vec(&body).expect("serializes"),
    }
}

fn serve(kind: ProviderKind, n: usize, knobs: Knobs, req: &HttpRequest) -> HttpResponse {
    let all: Vec<Value> = (0..n).map(|i| record(kind, i)).collect();
    let clamp = |size: usize| knobs.clamp.map_or(size, |c| size.min(c));
    let window = |offset: usize, size: usize| -> Vec<Value> {
        all.iter().skip(offset).take(size).cloned().collect()
    };
    match kind {
        ProviderKind::PressOne => {
            let size = clamp(num(req, "page_size", 10).max(1));
            let index = num(req, "page_index", 1).max(1);
            json_response(
                200,
                vec![],
                json!({
                    "message": null, "success": true, "total": n, "page_size": size,
                    "page_index": index, "nb_pages": n.div_ceil(size),
                    "data": window((index - 1) * size, size)
                }),
            )
        }
        ProviderKind::Pngme => {
            let size = knobs.pngme_page;
            let page = num(req, "page", 1).max(1);
            json_response(
                200,
                vec![],
                json!({
                    "page": page, "num_pages": n.div_ceil(size), "users": window((page - 1) * size, size)
                }),
            )
        }
        ProviderKind::Nameshield => {
            let limit = clamp(num(req, "limit", 100).min(500));
            let offset = num(req, "offset", 0);
            let sort: Vec<&str> = if knobs.wrong_sort {
                vec!["id:asc"]
            } else {
                req.query
                    .iter()
                    .filter(|(k, _)| k == "sort[]")
                    .map(|(_, v)| v.as_str())
                    .collect()
            };
            json_response(
                200,
                vec![],
                json!({"message": "OK", "data": {
                    "total": n, "include_subsidiaries": true, "limit": limit, "offset": offset,
                    "sort": sort, "results": window(offset, limit)
                }}),
            )
        }
        ProviderKind::Rebilly => {
            let limit = num(req, "limit", 100).min(1000);
            let offset = num(req, "offset", 0);
            if offset > 1000 {
                return json_response(400, vec![], json!({"title": "offset too large"}));
            }
            let headers = vec![
                ("Pagination-Total".to_string(), n.to_string()),
                ("Pagination-Limit".to_string(), limit.to_string()),
                ("Pagination-Offset".to_string(), offset.to_string()),
            ];
            json_response(200, headers, Value::Array(window(offset, limit)))
        }
        ProviderKind::ActivePlatform => {
            let size = clamp(num(req, "per_page", 100).max(1));
            let page = num(req, "page", 1).max(1);
            json_response(200, vec![], Value::Array(window((page - 1) * size, size)))
        }
    }
}

fn now() -> Timestamp {
    Timestamp::from_second(1_700_000_000).expect("valid")
}

/// Every user of the stand-in, parsed by the adapter in one go: what the engine is checked
/// against.
fn everyone(kind: ProviderKind, n: usize) -> Vec<User> {
    let all: Vec<Value> = (0..n).map(|i| record(kind, i)).collect();
    let body = match kind {
        ProviderKind::PressOne => json!({"success": true, "total": n, "data": all}),
        ProviderKind::Pngme => json!({"page": 1, "num_pages": 1, "users": all}),
        ProviderKind::Nameshield => json!({"data": {"total": n, "results": all}}),
        _ => Value::Array(all),
    };
    parse(kind, &json_response(200, vec![], body), now())
        .expect("parses")
        .items
}

fn run_with_progress(kind: ProviderKind, n: usize, query: &Query) -> Vec<(u64, Option<u64>)> {
    let mut execution = userdeck_providers::Execution::new(userdeck_providers::plan(
        query,
        &Capabilities::of(kind),
        &PlanConfig::default(),
    ));
    let mut seen = vec![execution.progress()];
    loop {
        let batch = execution.next_fetches().expect("plans");
        if batch.is_empty() {
            break;
        }
        for fetch in batch {
            let response = serve(kind, n, Knobs::default(), &fetch.request);
            execution
                .accept(fetch.id, &response, now())
                .expect("accepts");
        }
        seen.push(execution.progress());
    }
    seen
}

#[test]
fn progress_counts_rows_and_knows_the_total_when_told() {
    let nameshield = run_with_progress(ProviderKind::Nameshield, 1200, &by_name(0, 10));
    assert_eq!(nameshield.first(), Some(&(0, None)));
    assert_eq!(nameshield.get(1), Some(&(500, Some(1200))));
    assert_eq!(nameshield.last(), Some(&(1200, Some(1200))));
    let pngme = run_with_progress(ProviderKind::Pngme, 30, &by_name(0, 10));
    assert_eq!(pngme.get(1), Some(&(7, Some(35))));
    assert_eq!(pngme.last(), Some(&(30, Some(30))));
    let activeplatform = run_with_progress(ProviderKind::ActivePlatform, 450, &by_name(0, 10));
    assert_eq!(activeplatform.get(1), Some(&(400, None)));
    assert_eq!(activeplatform.last(), Some(&(450, Some(450))));
}

fn run(
    kind: ProviderKind,
    n: usize,
    knobs: Knobs,
    config: &PlanConfig,
    query: &Query,
) -> (
    Result<userdeck_providers::Page<User>, userdeck_providers::ProviderError>,
    usize,
) {
    let mut requests = 0;
    let result = execute_blocking(&Capabilities::of(kind), config, query, now(), |req| {
        requests += 1;
        serve(kind, n, knobs, req)
    });
    (result, requests)
}

fn keys(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.key.clone()).collect()
}

fn by_name(index: u64, size: u32) -> Query {
    Query {
        sort: vec![SortKey {
            field: Field::Name,
            direction: Direction::Descending,
        }],
        page: PageRequest { index, size },
        ..Query::default()
    }
}

#[test]
fn full_scans_match_the_engine_over_everything() {
    for kind in ProviderKind::ALL {
        let n = 1234;
        let mut query = by_name(3, 25);
        query.filters.push(Filter {
            field: Field::Name,
            op: FilterOp::Contains("O".into()),
        });
        query.filters.push(Filter {
            field: Field::Created,
            op: FilterOp::Not(QValue::Text("2023-03-08T08:00:00Z".into())),
        });
        let (result, requests) = run(kind, n, Knobs::default(), &PlanConfig::default(), &query);
        let page = result.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let expected = engine::apply(&query, everyone(kind, n));
        assert_eq!(keys(&page.items), keys(&expected.items), "{kind:?}");
        assert_eq!(page.total, expected.total, "{kind:?}");
        assert_eq!(page.items.len(), 25, "{kind:?}");
        assert!(
            matches!(page.total, Total::Exact(t) if t > 300),
            "{kind:?} {:?}",
            page.total
        );
        assert!(requests > 1, "{kind:?}");
    }
}

#[test]
fn direct_pages_and_honest_totals() {
    let n = 95;
    let query = Query {
        page: PageRequest { index: 2, size: 20 },
        ..Query::default()
    };
    let expect_rows: Vec<usize> = (40..60).collect();
    for kind in ProviderKind::ALL {
        let (result, _) = run(kind, n, Knobs::default(), &PlanConfig::default(), &query);
        let page = result.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let all = everyone(kind, n);
        let want: Vec<String> = expect_rows.iter().map(|&i| all[i].key.clone()).collect();
        assert_eq!(keys(&page.items), want, "{kind:?}");
        let total = match kind {
            ProviderKind::Pngme => Total::Between {
                at_least: 92,
                at_most: 98,
            },
            ProviderKind::ActivePlatform => Total::AtLeast(60),
            _ => Total::Exact(95),
        };
        assert_eq!(page.total, total, "{kind:?}");
        assert_eq!(page.paging.num_pages, total.exact().map(|_| 5), "{kind:?}");
    }
}

#[test]
fn last_pages_make_totals_exact() {
    let n = 95;
    let query = Query {
        page: PageRequest { index: 4, size: 20 },
        ..Query::default()
    };
    for kind in [ProviderKind::Pngme, ProviderKind::ActivePlatform] {
        let (result, _) = run(kind, n, Knobs::default(), &PlanConfig::default(), &query);
        let page = result.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(page.items.len(), 15, "{kind:?}");
        assert_eq!(page.total, Total::Exact(95), "{kind:?}");
    }
    let past = Query {
        page: PageRequest { index: 9, size: 20 },
        ..Query::default()
    };
    let (result, _) = run(
        ProviderKind::ActivePlatform,
        n,
        Knobs::default(),
        &PlanConfig::default(),
        &past,
    );
    let page = result.expect("empty page past the end");
    assert!(page.items.is_empty());
    assert_eq!(
        page.total,
        Total::Between {
            at_least: 0,
            at_most: 180
        }
    );
}

#[test]
fn scans_beyond_the_cap_are_refused_with_advice() {
    let config = PlanConfig {
        scan_cap: 500,
        concurrency: 3,
    };
    for kind in ProviderKind::ALL {
        let (result, requests) = run(
            kind,
            1300,
            Knobs {
                clamp: Some(100),
                ..Knobs::default()
            },
            &config,
            &by_name(0, 10),
        );
        let err = result.expect_err("over the cap");
        let text = err.to_string();
        assert_eq!(
            err.kind,
            ErrorKind::TooManyRows { cap: 500 },
            "{kind:?}: {text}"
        );
        assert!(text.contains("more than the scan limit of 500"), "{text}");
        assert!(text.contains("sort by Name"), "{text}");
        assert!(text.contains("Narrow the query with"), "{text}");
        assert!(
            requests <= 9,
            "{kind:?} read {requests} pages before refusing"
        );
    }
}

#[test]
fn rebilly_past_its_offset_cap() {
    let config = PlanConfig::default();
    let (result, _) = run(
        ProviderKind::Rebilly,
        2500,
        Knobs::default(),
        &config,
        &by_name(0, 10),
    );
    let err = result.expect_err("scan cannot reach rows past 2000");
    assert_eq!(err.kind, ErrorKind::Unreachable);
    assert!(err.to_string().contains("at most 2000 rows"), "{err}");

    let (result, _) = run(
        ProviderKind::Rebilly,
        1800,
        Knobs::default(),
        &config,
        &by_name(1, 10),
    );
    let page = result.expect("1800 rows are reachable");
    assert_eq!(page.total, Total::Exact(1800));

    let direct = |index| Query {
        page: PageRequest { index, size: 50 },
        ..Query::default()
    };
    let (result, _) = run(
        ProviderKind::Rebilly,
        2500,
        Knobs::default(),
        &config,
        &direct(30),
    );
    let page = result.expect("rows 1500..1550 are reachable with offset 1000");
    assert_eq!(page.items.first().map(|u| u.key.as_str()), Some("usr_1500"));
    assert_eq!(page.items.len(), 50);
    assert_eq!(page.total, Total::Exact(2500));
    let (result, _) = run(
        ProviderKind::Rebilly,
        2500,
        Knobs::default(),
        &config,
        &direct(40),
    );
    let err = result.expect_err("row 2001 is out of reach");
    assert_eq!(err.kind, ErrorKind::Unreachable);
    assert!(err.to_string().contains("Reverse the sort order"), "{err}");
}

#[test]
fn offset_servers_that_clamp_their_limit_still_give_every_row() {
    let knobs = Knobs {
        clamp: Some(60),
        ..Knobs::default()
    };
    let query = by_name(0, 1000);
    let kind = ProviderKind::Nameshield;
    let (result, _) = run(kind, 700, knobs, &PlanConfig::default(), &query);
    let page = result.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    let expected = engine::apply(&query, everyone(kind, 700));
    assert_eq!(page.total, Total::Exact(700));
    assert_eq!(keys(&page.items), keys(&expected.items));
}

#[test]
fn activeplatform_clamping_is_told_apart_from_the_end() {
    let knobs = Knobs {
        clamp: Some(60),
        ..Knobs::default()
    };
    let kind = ProviderKind::ActivePlatform;
    for query in [
        by_name(0, 10),
        Query {
            page: PageRequest {
                index: 0,
                size: 100,
            },
            ..Query::default()
        },
    ] {
        let (result, _) = run(kind, 700, knobs, &PlanConfig::default(), &query);
        let Err(err) = result else {
            panic!("a short page followed by rows is a clamped page size");
        };
        assert!(
            err.to_string()
                .contains("set this provider's maximum page size to 60"),
            "{err}"
        );
    }
    let caps = Capabilities::of(kind).with_max_page_size(60);
    let page = execute_blocking(&caps, &PlanConfig::default(), &by_name(0, 10), now(), |r| {
        serve(kind, 700, knobs, r)
    })
    .expect("works once configured");
    assert_eq!(page.total, Total::Exact(700));
    let exact_end = execute_blocking(
        &caps,
        &PlanConfig::default(),
        &Query {
            page: PageRequest {
                index: 13,
                size: 50,
            },
            ..Query::default()
        },
        now(),
        |r| serve(kind, 700, knobs, r),
    )
    .expect("last page");
    assert_eq!(exact_end.items.len(), 50);
    assert_eq!(exact_end.total, Total::AtLeast(700));
}

#[test]
fn pressone_clamping_its_page_size_is_reported() {
    let knobs = Knobs {
        clamp: Some(40),
        ..Knobs::default()
    };
    let (result, _) = run(
        ProviderKind::PressOne,
        500,
        knobs,
        &PlanConfig::default(),
        &by_name(0, 10),
    );
    let err = result.expect_err("a clamped page size breaks page numbering");
    assert!(
        err.to_string()
            .contains("set this provider's maximum page size to 40"),
        "{err}"
    );
    let caps = Capabilities::of(ProviderKind::PressOne).with_max_page_size(40);
    let page = execute_blocking(&caps, &PlanConfig::default(), &by_name(0, 10), now(), |r| {
        serve(ProviderKind::PressOne, 500, knobs, r)
    })
    .expect("works once configured");
    assert_eq!(page.total, Total::Exact(500));
}

#[test]
fn nameshield_ignoring_the_sort_is_not_passed_off_as_sorted() {
    let query = Query {
        sort: vec![SortKey {
            field: Field::LastName,
            direction: Direction::Ascending,
        }],
        ..Query::default()
    };
    let knobs = Knobs {
        wrong_sort: true,
        ..Knobs::default()
    };
    let (result, _) = run(
        ProviderKind::Nameshield,
        50,
        knobs,
        &PlanConfig::default(),
        &query,
    );
    let err = result.expect_err("unsorted pages");
    assert_eq!(err.kind, ErrorKind::Malformed);
    assert!(err.to_string().contains("id:asc"), "{err}");
}

#[test]
fn duplicate_keys_are_made_unique() {
    let users = |_: &HttpRequest| {
        json_response(
            200,
            vec![],
            json!({"success": true, "total": 3, "page_index": 1, "page_size": 50, "data": [
                {"email": "same@x.io"}, {"email": "same@x.io"}, {"first_name": "No contact"}
            ]}),
        )
    };
    let page = execute_blocking(
        &Capabilities::of(ProviderKind::PressOne),
        &PlanConfig::default(),
        &Query::default(),
        now(),
        users,
    )
    .expect("parses");
    assert_eq!(
        keys(&page.items),
        ["email:same@x.io", "email:same@x.io#2", "row:2"]
    );
}
