//! How an export reads every row of a view: the same [`Query`] planned as usual, then run as a
//! full scan without a page limit, under an explicit cap the console states before it starts.
//! Also when a rate-limited request is worth waiting for, so the shell only waits and resends.

use crate::adapters;
use crate::capabilities::Capabilities;
use crate::error::{ErrorKind, ProviderError};
use crate::http::HttpResponse;
use crate::kind::ProviderKind;
use crate::plan::{Plan, PlanConfig, Strategy, plan};
use crate::query::{PageRequest, Query};
use crate::time::Timestamp;

/// The most users an export reads from a provider; a view with more is refused once the
/// provider has said its total, before most of the reading is done.
pub const EXPORT_CAP: u64 = 50_000;

/// How many times one request is resent after a 429 before the export stops with the
/// provider's sentence.
pub const MAX_RETRIES: u32 = 3;

/// The longest single wait for a rate limit, in seconds: a provider asking for longer makes
/// the export stop and say when to try again, rather than hang.
pub const MAX_WAIT_SECONDS: i64 = 30;

/// The plan for exporting `query`: what the provider does itself is pushed down exactly as for
/// the table, and every matching row is read (a full scan) and then filtered and sorted in
/// memory where the provider cannot, with no page limit and at most `cap` rows read.
pub fn export_plan(query: &Query, capabilities: &Capabilities, cap: u64) -> Plan {
    let config = PlanConfig {
        scan_cap: cap,
        ..PlanConfig::default()
    };
    let mut planned = plan(query, capabilities, &config);
    planned.residual.page = PageRequest {
        index: 0,
        size: u32::MAX,
    };
    if planned.strategy == Strategy::Direct {
        planned.strategy = Strategy::FullScan;
        planned.page_size = capabilities.max_page_size;
    }
    if planned.in_memory.is_empty() {
        planned.in_memory.push("export".to_string());
    }
    planned
}

/// The provider's 429 answer in `response`, if that is what it is, with the instant it asked
/// to be retried at.
pub fn rate_limited(
    kind: ProviderKind,
    response: &HttpResponse,
    now: Timestamp,
) -> Option<ProviderError> {
    if response.status != 429 {
        return None;
    }
    adapters::parse(kind, response, now)
        .err()
        .filter(|error| matches!(error.kind, ErrorKind::RateLimited { .. }))
}

/// How many seconds to wait before resending after `error`, on the `attempt`-th retry (from
/// 1), or `None` when the export should stop and show the error's sentence instead: too many
/// retries, or a wait longer than [`MAX_WAIT_SECONDS`].
pub fn retry_wait(error: &ProviderError, now: Timestamp, attempt: u32) -> Option<i64> {
    let ErrorKind::RateLimited { retry_at } = &error.kind else {
        return None;
    };
    if attempt > MAX_RETRIES {
        return None;
    }
    let wait = match retry_at {
        Some(at) => (at.as_second() - now.as_second()).max(1),
        None => 5 * i64::from(attempt),
    };
    (wait <= MAX_WAIT_SECONDS).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capabilities::Capabilities;
    use crate::field::Field;
    use crate::query::{Direction, Filter, FilterOp, SortKey, Value};

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("in range")
    }

    #[test]
    fn a_direct_view_becomes_a_capped_scan_of_every_row() {
        let caps = Capabilities::of(ProviderKind::Rebilly);
        let query = Query {
            filters: vec![Filter {
                field: Field::Status,
                op: FilterOp::Equals(Value::Text("active".into())),
            }],
            page: PageRequest { index: 6, size: 25 },
            ..Query::default()
        };
        let table = plan(&query, &caps, &PlanConfig::default());
        assert_eq!(table.strategy, Strategy::Direct);
        let export = export_plan(&query, &caps, 1_000);
        assert_eq!(export.strategy, Strategy::FullScan);
        assert_eq!(export.pushed, table.pushed, "same push-down as the table");
        assert_eq!(export.cap, 1_000);
        assert_eq!(export.residual.page.index, 0);
        assert_eq!(export.residual.page.size, u32::MAX);
        assert_eq!(export.page_size, caps.max_page_size);
    }

    #[test]
    fn in_memory_work_is_kept() {
        let caps = Capabilities::of(ProviderKind::Pngme);
        let query = Query {
            sort: vec![SortKey {
                field: Field::Name,
                direction: Direction::Descending,
            }],
            ..Query::default()
        };
        let export = export_plan(&query, &caps, EXPORT_CAP);
        assert_eq!(export.residual.sort, query.sort);
        assert_eq!(export.in_memory, vec!["sort by Name".to_string()]);
    }

    #[test]
    fn waits_are_bounded_and_counted() {
        let limited = |retry_at| {
            ProviderError::new(
                ProviderKind::Rebilly,
                ErrorKind::RateLimited { retry_at },
                "slow down",
            )
        };
        let now = at(1_000);
        assert_eq!(retry_wait(&limited(Some(at(1_004))), now, 1), Some(4));
        assert_eq!(retry_wait(&limited(Some(at(900))), now, 1), Some(1));
        assert_eq!(retry_wait(&limited(None), now, 2), Some(10));
        assert_eq!(retry_wait(&limited(Some(at(1_031))), now, 1), None);
        assert_eq!(retry_wait(&limited(None), now, MAX_RETRIES + 1), None);
        let other = ProviderError::new(ProviderKind::Rebilly, ErrorKind::Network, "down");
        assert_eq!(retry_wait(&other, now, 1), None);
    }

    #[test]
    fn only_a_429_is_a_rate_limit() {
        let response = |status| HttpResponse {
            status,
            headers: vec![("Retry-After".into(), "7".into())],
            body: b"{}".to_vec(),
        };
        let now = at(50);
        let error = rate_limited(ProviderKind::Nameshield, &response(429), now).expect("429");
        assert_eq!(retry_wait(&error, now, 1), Some(7));
        assert!(rate_limited(ProviderKind::Nameshield, &response(500), now).is_none());
        assert!(rate_limited(ProviderKind::Nameshield, &response(200), now).is_none());
    }
}
