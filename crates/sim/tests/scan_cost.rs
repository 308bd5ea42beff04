//! Scan cost: a full scan must read every user in exactly ceil(N / largest page) requests,
//! whatever the provider's paging style, and never have more requests in flight than the plan's
//! bound. Each provider is driven the way the console drives it (batches from
//! [`Execution::next_fetches`], answered out of order) against its simulator.
//!
//! Exactness needs a total: a provider that reports none (ActivePlatform) cannot say that a
//! full last page was the last, so its scan asks past the end. For it the test holds the scan
//! to at most one batch more than the exact count, and the bench prints the excess.
//!
//! Each case prints one `scan-cost:` line, which `cargo xtask bench` collects into its report.

use userdeck_providers::capabilities::{PagingStyle, TotalKind};
use userdeck_providers::query::Value;
use userdeck_providers::{
    Capabilities, Credentials, Direction, Execution, Field, Filter, FilterOp, PageRequest,
    PlanConfig, ProviderKind, Query, SortKey, Strategy, Timestamp, plan,
};
use userdeck_sim::credentials::demo_secret;
use userdeck_sim::{Limits, Simulators};

/// A fixed instant (2026-11-24T08:00:00Z), so that every answer is reproducible.
fn now() -> Timestamp {
    Timestamp::from_second(1_795_420_800).expect("valid instant")
}

/// A query that keeps every user but that no provider can answer by itself: the sort by the
/// display name and a filter that excludes nobody both stay in memory, so the plan is a scan.
fn scan_everything() -> Query {
    Query {
        search: None,
        filters: vec![Filter {
            field: Field::Name,
            op: FilterOp::Not(Value::Text("\u{1}no such user\u{1}".into())),
        }],
        sort: vec![SortKey {
            field: Field::Name,
            direction: Direction::Ascending,
        }],
        page: PageRequest { index: 0, size: 25 },
    }
}

/// The largest page a scan can ask for: the documented maximum, or the size the server fixes.
fn largest_page(capabilities: &Capabilities, limits: &Limits) -> u64 {
    match capabilities.paging {
        PagingStyle::FixedPageSize => u64::from(limits.pngme_page_size),
        PagingStyle::PageNumber | PagingStyle::Offset => capabilities
            .max_page_size
            .expect("every provider that takes a page size has a maximum"),
    }
}

/// What one full scan cost.
struct Cost {
    requests: u64,
    most_in_flight: usize,
    bound: usize,
    rows: u64,
}

fn scan(kind: ProviderKind, users: usize, config: &PlanConfig) -> Cost {
    let sims = Simulators::generate(11, users, &Limits::unlimited());
    let capabilities = Capabilities::of(kind);
    let planned = plan(&scan_everything(), &capabilities, config);
    assert_eq!(
        planned.strategy,
        Strategy::FullScan,
        "{kind:?}: the query must need a scan"
    );
    let bound = planned.concurrency;
    let credentials = Credentials::for_kind(kind, demo_secret(kind));
    let mut execution = Execution::new(planned);
    let (mut requests, mut most_in_flight) = (0u64, 0usize);
    loop {
        let batch = execution.next_fetches().expect("the scan proceeds");
        if batch.is_empty() {
            break;
        }
        // The whole batch is in flight at once; answering it in reverse order is the worst
        // case for an execution that expects pages in order.
        most_in_flight = most_in_flight.max(batch.len());
        requests += batch.len() as u64;
        for fetch in batch.into_iter().rev() {
            let mut request = fetch.request;
            credentials
                .apply(kind, &mut request)
                .expect("the demo credential type is accepted");
            let response = sims.handle(kind, &request, now());
            execution
                .accept(fetch.id, &response, now())
                .expect("the simulator's answer is accepted");
        }
    }
    let page = execution.finish().expect("the scan completes");
    Cost {
        requests,
        most_in_flight,
        bound,
        rows: page.total.exact().expect("a scan's total is exact"),
    }
}

/// Population sizes that end on a partial page, on a full page, and on a single row, all
/// within Rebilly's reach by paging (offset 1000 plus a page of 1000).
const SIZES: [usize; 4] = [1, 100, 1_000, 1_950];

#[test]
fn a_full_scan_takes_ceil_n_over_the_largest_page_requests() {
    let config = PlanConfig::default();
    for kind in ProviderKind::ALL {
        let largest = largest_page(&Capabilities::of(kind), &Limits::unlimited());
        for users in SIZES {
            let cost = scan(kind, users, &config);
            let expected = (users as u64).div_ceil(largest);
            println!(
                "scan-cost: {} paging={:?} users={users} page={largest} requests={} expected={expected} in_flight={} bound={}",
                kind.id(),
                Capabilities::of(kind).paging,
                cost.requests,
                cost.most_in_flight,
                cost.bound
            );
            assert_eq!(cost.rows, users as u64, "{kind:?} with {users} users");
            assert_cost(
                kind,
                &cost,
                expected,
                &format!("{users} users, pages of {largest}"),
            );
            assert!(
                cost.most_in_flight <= cost.bound && cost.bound <= config.concurrency,
                "{kind:?}: {} in flight, bound {}",
                cost.most_in_flight,
                cost.bound
            );
        }
    }
}

#[test]
fn a_lower_bound_is_kept_and_costs_no_extra_request() {
    let config = PlanConfig {
        concurrency: 2,
        ..PlanConfig::default()
    };
    for kind in ProviderKind::ALL {
        let largest = largest_page(&Capabilities::of(kind), &Limits::unlimited());
        let cost = scan(kind, 1_950, &config);
        assert!(
            cost.most_in_flight <= 2,
            "{kind:?}: {} in flight",
            cost.most_in_flight
        );
        assert_cost(
            kind,
            &cost,
            1_950u64.div_ceil(largest),
            "1950 users, bound 2",
        );
    }
}

/// Exactly `expected` requests where the provider reports a total; without one, the scan may
/// overshoot the end by at most one batch (the bound), never more.
fn assert_cost(kind: ProviderKind, cost: &Cost, expected: u64, case: &str) {
    if Capabilities::of(kind).total == TotalKind::None {
        assert!(
            (expected..=expected + cost.bound as u64).contains(&cost.requests),
            "{kind:?} ({case}): {} requests, expected {expected} to {}",
            cost.requests,
            expected + cost.bound as u64
        );
    } else {
        assert_eq!(cost.requests, expected, "{kind:?} ({case})");
    }
}
