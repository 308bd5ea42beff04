//! The differential test, the one that proves the core: for random queries and every provider,
//! planner + adapter + simulator run in-process exactly as the console runs them (push-down or
//! full scan, credentials applied, each request through its wire encoding), and the page must
//! equal, row for row and in order, a plain reference evaluation over the whole population.
//! The total must match, or honestly say it is unknown (a range or a lower bound that holds).
//! Where the core refuses honestly (too many rows, rows out of paging reach) that counts as
//! agreement. A failure prints the query, the plan and the first differing row.

#[path = "../support/mod.rs"]
mod support;

mod generate;
mod reference;

use std::sync::LazyLock;

use proptest::test_runner::{Config, TestCaseError, TestRunner};
use userdeck_providers::{
    Capabilities, ErrorKind, HttpRequest, Page, PlanConfig, ProviderKind, Query, Total, User,
    execute_blocking, plan,
};
use userdeck_sim::{Limits, Simulators};

use reference::Row;

/// Big enough for multi-page scans at every provider's maximum page size, small enough that
/// 2,500 cases stay quick in a debug build.
const USERS: usize = 700;
const SEED: u64 = 20_261_124;
const CASES: u32 = 500;

static SIMS: LazyLock<Simulators> =
    LazyLock::new(|| Simulators::generate(SEED, USERS, &Limits::unlimited()));

/// What the server receives: the adapter's request after percent-encoding and decoding.
fn over_the_wire(kind: ProviderKind, request: &HttpRequest) -> HttpRequest {
    let wire = support::authed(kind, request.clone()).path_and_query();
    let (path, query) = wire.split_once('?').unwrap_or((wire.as_str(), ""));
    HttpRequest {
        method: request.method,
        path: path.to_string(),
        query: form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
        headers: support::authed(kind, request.clone()).headers,
    }
}

fn run(kind: ProviderKind, query: &Query) -> Result<Page<User>, userdeck_providers::ProviderError> {
    let caps = Capabilities::of(kind);
    execute_blocking(
        &caps,
        &PlanConfig::default(),
        query,
        support::now(),
        |req| SIMS.handle(kind, &over_the_wire(kind, req), support::now()),
    )
}

fn total_agrees(total: Total, expected: u64) -> bool {
    match total {
        Total::Exact(n) => n == expected,
        Total::Between { at_least, at_most } => at_least <= expected && expected <= at_most,
        Total::AtLeast(n) => n <= expected,
    }
}

/// Compares one case; the error text is what a person needs to reproduce and understand it.
fn check(kind: ProviderKind, rows: &[Row], query: &Query) -> Result<(), String> {
    let selected = reference::select(rows, query);
    let start = usize::try_from(query.page.start())
        .unwrap_or(usize::MAX)
        .min(selected.len());
    let end = usize::try_from(query.page.end())
        .unwrap_or(usize::MAX)
        .min(selected.len());
    let expected = &selected[start..end];
    let decided = plan(query, &Capabilities::of(kind), &PlanConfig::default());
    let context = || {
        format!(
            "{kind:?}\nquery: {query:?}\nstrategy: {:?}, pushed: {:?}, in memory: {:?}\nreference: {} rows match, page has {}",
            decided.strategy,
            decided.pushed,
            decided.in_memory,
            selected.len(),
            expected.len()
        )
    };
    let page = match run(kind, query) {
        Ok(page) => page,
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::TooManyRows { .. } | ErrorKind::Unreachable
            ) =>
        {
            return Ok(());
        }
        Err(e) => return Err(format!("{}\nthe core failed: {e:?}", context())),
    };
    for (i, (want, got)) in expected.iter().zip(&page.items).enumerate() {
        if want.raw != got.raw {
            return Err(format!(
                "{}\nfirst differing row: {i} (absolute {})\nexpected: {}\n     got: {}",
                context(),
                start + i,
                want.raw,
                got.raw
            ));
        }
    }
    if expected.len() != page.items.len() {
        let extra = page
            .items
            .get(expected.len())
            .map(|u| u.raw.to_string())
            .or_else(|| expected.get(page.items.len()).map(|r| r.raw.to_string()));
        return Err(format!(
            "{}\nexpected {} rows, got {}; first row present on one side only: {}",
            context(),
            expected.len(),
            page.items.len(),
            extra.unwrap_or_default()
        ));
    }
    if !total_agrees(page.total, selected.len() as u64) {
        return Err(format!(
            "{}\ntotal {:?} does not agree with {} matching rows",
            context(),
            page.total,
            selected.len()
        ));
    }
    Ok(())
}

fn differential(kind: ProviderKind) {
    let rows = reference::rows(&SIMS, kind);
    assert_eq!(rows.len(), USERS);
    let caps = Capabilities::of(kind);
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        max_shrink_iters: 0,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&proptest::num::u64::ANY, |seed| {
        let query = generate::query(seed, &rows, &caps, |q| reference::matching(&rows, q).len());
        check(kind, &rows, &query).map_err(TestCaseError::fail)
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn pressone_agrees_with_the_reference() {
    differential(ProviderKind::PressOne);
}

#[test]
fn pngme_agrees_with_the_reference() {
    differential(ProviderKind::Pngme);
}

#[test]
fn nameshield_agrees_with_the_reference() {
    differential(ProviderKind::Nameshield);
}

#[test]
fn rebilly_agrees_with_the_reference() {
    differential(ProviderKind::Rebilly);
}

#[test]
fn activeplatform_agrees_with_the_reference() {
    differential(ProviderKind::ActivePlatform);
}
