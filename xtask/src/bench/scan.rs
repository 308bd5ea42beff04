//! Item 5: scan cost. `crates/sim/tests/scan_cost.rs` asserts it; this runs that test and turns
//! the counts it prints into rows: for each provider, the requests a full scan of 1,950 users
//! took against ceil(N / largest page), and the most requests in flight against the bound.

use super::report::Row;
use crate::cmd::{Result, command, step};

/// The population size whose counts the table shows (the test also checks smaller ones).
const USERS: &str = "1950";

/// Runs the test and reports its counts; a failing test fails every row.
pub fn run() -> Result<Vec<Row>> {
    step("scan cost: requests per full scan (crates/sim/tests/scan_cost.rs)");
    let out = command(
        "cargo",
        &[
            "test",
            "--package",
            "userdeck-sim",
            "--test",
            "scan_cost",
            "--",
            "--nocapture",
            "--test-threads",
            "1",
        ],
    )
    .stderr(std::process::Stdio::inherit())
    .output()
    .map_err(|err| format!("could not run cargo test: {err}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let passed = out.status.success();
    if !passed {
        println!("{text}");
    }
    let rows: Vec<Row> = text
        .lines()
        .filter_map(|line| line.strip_prefix("scan-cost: "))
        .filter_map(|line| {
            println!("  {line}");
            Line::parse(line)
        })
        .filter(|line| line.users == USERS)
        .map(|line| line.row(passed))
        .collect();
    if rows.is_empty() {
        return Err(format!(
            "the scan-cost test printed no counts for {USERS} users ({})",
            out.status
        ));
    }
    Ok(rows)
}

/// One `scan-cost:` line: `pngme paging=FixedPageSize users=1950 page=50 requests=39
/// expected=39 in_flight=4 bound=4`.
struct Line<'a> {
    provider: &'a str,
    paging: &'a str,
    users: &'a str,
    page: &'a str,
    requests: u64,
    expected: u64,
    in_flight: u64,
    bound: u64,
}

impl<'a> Line<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        let mut words = line.split_whitespace();
        let provider = words.next()?;
        let mut value = |key: &str| {
            words
                .next()
                .and_then(|w| w.strip_prefix(key))
                .and_then(|w| w.strip_prefix('='))
        };
        let paging = value("paging")?;
        let users = value("users")?;
        let page = value("page")?;
        let mut number = |key: &str| value(key).and_then(|v| v.parse::<u64>().ok());
        Some(Self {
            provider,
            paging,
            users,
            page,
            requests: number("requests")?,
            expected: number("expected")?,
            in_flight: number("in_flight")?,
            bound: number("bound")?,
        })
    }

    fn row(&self, test_passed: bool) -> Row {
        let exact = self.requests == self.expected;
        let excess = if exact {
            String::new()
        } else {
            format!(
                " ({} more: no total, the scan cannot tell the last page)",
                self.requests.saturating_sub(self.expected)
            )
        };
        Row {
            benchmark: format!(
                "scan cost, {} ({}), {} users",
                self.provider, self.paging, self.users
            ),
            userdeck: format!(
                "{} requests{excess}, {} in flight",
                self.requests, self.in_flight
            ),
            peer: "-".into(),
            ratio: format!("ceil({} / {}) = {}", self.users, self.page, self.expected),
            budget: format!("= ceil(N / page), in flight <= {}", self.bound),
            pass: test_passed && exact && self.in_flight <= self.bound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_count_line() {
        let line = Line::parse(
            "pngme paging=FixedPageSize users=1950 page=50 requests=39 expected=39 in_flight=4 bound=4",
        )
        .unwrap();
        assert_eq!((line.provider, line.requests, line.bound), ("pngme", 39, 4));
        assert!(line.row(true).pass);
        assert!(!line.row(false).pass);
        let over = Line::parse(
            "activeplatform paging=PageNumber users=1950 page=100 requests=21 expected=20 in_flight=4 bound=4",
        )
        .unwrap();
        assert!(!over.row(true).pass);
        assert!(Line::parse("pngme paging=x").is_none());
    }
}
