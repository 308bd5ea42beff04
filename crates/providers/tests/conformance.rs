//! The executor against answers a spec-driven mock gives (Prism in dynamic mode): offsets
//! echoed from the spec's example rather than the request, pages shorter than asked, empty pages
//! under a non-zero total. Each must give the page's rows or an honest state, never a failure of
//! a page that is right, and never more than the view's request cap.

use serde_json::{Value, json};
use userdeck_providers::shortfall::{VIEW_REQUEST_BUDGET, plan_scan};
use userdeck_providers::{
    Capabilities, ErrorKind, Execution, HttpRequest, HttpResponse, PageRequest, PlanConfig,
    ProviderKind, Query, Timestamp, Total, plan,
};

const KIND: ProviderKind = ProviderKind::Rebilly;

fn now() -> Timestamp {
    Timestamp::from_second(1_800_000_000).expect("valid")
}

fn user(i: u64) -> Value {
    json!({"id": format!("usr_{i}"), "firstName": "A", "lastName": "B", "email": format!("u{i}@x.io")})
}

/// A Rebilly answer: `rows` users starting at row `first`, with the pagination headers given.
fn answer(first: u64, rows: u64, offset_echo: Option<u64>, total: u64) -> HttpResponse {
    let mut headers = vec![
        ("Pagination-Total".to_string(), total.to_string()),
        ("Pagination-Limit".to_string(), "100".to_string()),
    ];
    if let Some(offset) = offset_echo {
        headers.push(("Pagination-Offset".to_string(), offset.to_string()));
    }
    HttpResponse {
        status: 200,
        headers,
        body: serde_json::to_vec(&Value::Array((first..first + rows).map(user).collect()))
            .expect("serialises"),
    }
}

fn asked(req: &HttpRequest, key: &str) -> u64 {
    req.query_value(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Runs page `index` of `size` as the console does, with `serve` answering; returns the
/// execution's outcome, its shortfall and the number of requests sent.
fn view(
    query: &Query,
    scan: bool,
    mut serve: impl FnMut(&HttpRequest) -> HttpResponse,
) -> (
    Result<userdeck_providers::Page<userdeck_providers::User>, userdeck_providers::ProviderError>,
    Option<userdeck_providers::shortfall::Shortfall>,
    u64,
) {
    let caps = Capabilities::of(KIND);
    let config = PlanConfig::default();
    let plan = if scan {
        plan_scan(query, &caps, &config)
    } else {
        plan(query, &caps, &config)
    };
    let mut execution = Execution::new(plan);
    let mut requests = 0;
    loop {
        let batch = match execution.next_fetches() {
            Ok(batch) => batch,
            Err(error) => return (Err(error), None, requests),
        };
        if batch.is_empty() {
            break;
        }
        for fetch in batch {
            requests += 1;
            if let Err(error) = execution.accept(fetch.id, &serve(&fetch.request), now()) {
                return (Err(error), None, requests);
            }
        }
    }
    let shortfall = execution.shortfall();
    (execution.finish(), shortfall, requests)
}

fn page(index: u64, size: u32) -> Query {
    Query {
        page: PageRequest { index, size },
        ..Query::default()
    }
}

fn ids(page: &userdeck_providers::Page<userdeck_providers::User>) -> Vec<String> {
    page.items.iter().map(|u| u.key.clone()).collect()
}

#[test]
fn prisms_constant_offset_echo_shows_rows_with_a_note_instead_of_failing() {
    // Prism: always `Pagination-Offset: 2`, `Pagination-Total: 332`, three random users.
    let (result, shortfall, requests) = view(&page(0, 25), false, |_| answer(2, 3, Some(2), 332));
    let page = result.expect("the rows that came are shown");
    assert_eq!(ids(&page), ["usr_2", "usr_3", "usr_4"]);
    assert_eq!(page.total, Total::Exact(332));
    let note = shortfall.expect("the page is short, and says so");
    assert_eq!((note.shown, note.wanted), (3, 25));
    assert_eq!(note.moved, Some((0, 2)));
    assert!(requests <= VIEW_REQUEST_BUDGET, "{requests} requests");
}

#[test]
fn a_differing_echo_on_a_page_that_is_right_never_fails() {
    // Asked offset 10; the server says its answer starts at 5 and sends rows 5..25.
    let (result, shortfall, requests) = view(&page(1, 10), false, |req| {
        assert_eq!(asked(req, "offset"), 10);
        answer(5, 20, Some(5), 332)
    });
    let page = result.expect("rows 10..20 all arrived");
    let want: Vec<String> = (10..20).map(|i| format!("usr_{i}")).collect();
    assert_eq!(ids(&page), want);
    assert_eq!(shortfall, None);
    assert_eq!(requests, 1);
}

#[test]
fn a_server_that_ignores_the_offset_cannot_pass_page_one_off_as_page_two() {
    let (result, _, requests) = view(&page(1, 25), false, |req| {
        answer(0, asked(req, "limit"), Some(0), 332)
    });
    let error = result.expect_err("no row of page 2 ever arrived");
    assert_eq!(error.kind, ErrorKind::Malformed);
    assert!(
        error.to_string().contains(
            "it answered offset 0 when asked for offset 25, and no row of this page ever arrived"
        ),
        "{error}"
    );
    assert!(requests <= VIEW_REQUEST_BUDGET, "{requests} requests");
}

#[test]
fn an_empty_page_under_a_total_is_the_contradiction_not_no_users() {
    let (result, _, requests) = view(&page(0, 25), false, |_| answer(0, 0, Some(0), 332));
    let error = result.expect_err("a contradiction, not an empty page");
    assert_eq!(error.kind, ErrorKind::EmptyPage { total: 332 });
    assert!(
        error
            .to_string()
            .starts_with("Rebilly reported 332 users but sent none for this page."),
        "{error}"
    );
    assert_eq!(requests, 1);
    // Past the end of the data, an empty page is the truth: no contradiction.
    let (result, _, _) = view(&page(0, 25), false, |_| answer(0, 0, Some(0), 0));
    let page = result.expect("an empty list");
    assert!(page.items.is_empty());
    assert_eq!(page.total, Total::Exact(0));
}

#[test]
fn one_user_per_answer_costs_at_most_the_cap_and_says_so() {
    let (result, shortfall, requests) = view(&page(0, 25), false, |req| {
        let offset = asked(req, "offset");
        answer(offset, 1, Some(offset), 332)
    });
    let page = result.expect("the users that came are shown");
    assert_eq!(requests, VIEW_REQUEST_BUDGET);
    assert_eq!(ids(&page), ["usr_0", "usr_1", "usr_2", "usr_3"]);
    let note = shortfall.expect("short");
    assert_eq!((note.shown, note.wanted, note.requests), (4, 25, 4));
    assert_eq!(note.moved, None);
    assert!(
        note.sentence()
            .starts_with("Rebilly sends shorter pages than asked")
    );
}

#[test]
fn an_empty_answer_after_short_ones_stops_the_view_with_what_came() {
    let (result, shortfall, _) = view(&page(0, 25), false, |req| {
        let offset = asked(req, "offset");
        let rows = if offset == 0 { 5 } else { 0 };
        answer(offset, rows, Some(offset), 332)
    });
    let page = result.expect("the first five are shown");
    assert_eq!(page.items.len(), 5);
    assert_eq!(shortfall.map(|s| s.shown), Some(5));
}

#[test]
fn the_offered_full_scan_reads_short_pages_to_the_end() {
    let total = 40;
    let (result, shortfall, requests) = view(&page(1, 10), true, |req| {
        let offset = asked(req, "offset");
        let rows = 3.min(total - offset.min(total));
        answer(offset, rows, Some(offset), total)
    });
    let page = result.expect("a scan reads every row");
    let want: Vec<String> = (10..20).map(|i| format!("usr_{i}")).collect();
    assert_eq!(ids(&page), want);
    assert_eq!(page.total, Total::Exact(total));
    assert_eq!(shortfall, None);
    assert!(requests >= 14, "{requests}");
}

#[test]
fn whole_pages_need_no_more_than_planned() {
    let (result, shortfall, requests) = view(&page(3, 25), false, |req| {
        let offset = asked(req, "offset");
        answer(offset, asked(req, "limit"), Some(offset), 332)
    });
    let page = result.expect("whole");
    assert_eq!(page.items.len(), 25);
    assert_eq!(shortfall, None);
    assert_eq!(requests, 1);
}
