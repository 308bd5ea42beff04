//! The native engine budget: criterion's median of the in-memory engine over 100,000 users
//! must stay under an absolute figure, so a full scan's own work stays invisible next to its
//! network time. Absolute, unlike the rest of the suite, because it has no peer natively.

use super::report::{Row, ms};
use crate::cmd::{self, Result};

/// A benchmark and the most its median may take.
struct Budget {
    /// The package holding the benchmark.
    package: &'static str,
    /// The bench target (`benches/<name>.rs`).
    bench: &'static str,
    /// Criterion's id, `group/function`, which is also its report folder.
    id: &'static str,
    /// What is measured, for the report.
    what: &'static str,
    /// The budget for the median, in milliseconds.
    max_ms: f64,
}

const BUDGETS: &[Budget] = &[
    Budget {
        package: "userdeck-providers",
        bench: "engine",
        id: "engine/filter_sort_100k",
        what: "in-memory filter and sort of 100,000 users",
        max_ms: 50.0,
    },
    Budget {
        package: "userdeck-providers",
        bench: "csv",
        id: "csv/build_100k",
        what: "building the CSV export of 100,000 users",
        max_ms: 200.0,
    },
];

/// Runs every budgeted criterion benchmark and reports its median against its budget.
pub fn run() -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for budget in BUDGETS {
        cmd::step(&format!("bench {} ({})", budget.id, budget.what));
        let estimates = cmd::target_dir()
            .join("criterion")
            .join(budget.id)
            .join("new")
            .join("estimates.json");
        // A stale report must not pass for a fresh measurement.
        let _ = std::fs::remove_file(&estimates);
        cmd::run(cmd::command(
            "cargo",
            &["bench", "-p", budget.package, "--bench", budget.bench],
        ))?;
        let text = std::fs::read_to_string(&estimates).map_err(|err| {
            format!(
                "the benchmark ran but left no report at {}: {err}",
                estimates.display()
            )
        })?;
        let median_ms = median_nanoseconds(&text)
            .ok_or_else(|| format!("no median in {}", estimates.display()))?
            / 1e6;
        println!(
            "{}: median {median_ms:.1} ms (budget {:.0} ms)",
            budget.id, budget.max_ms
        );
        rows.push(Row {
            benchmark: format!("{} (native, criterion)", budget.what),
            userdeck: ms(median_ms),
            peer: "-".into(),
            ratio: "-".into(),
            budget: format!("<= {}", ms(budget.max_ms)),
            pass: median_ms <= budget.max_ms,
        });
    }
    Ok(rows)
}

/// The median's point estimate from criterion's `estimates.json`, in nanoseconds. Read by hand
/// because xtask keeps its dependencies to a minimum.
fn median_nanoseconds(json: &str) -> Option<f64> {
    let median = &json[json.find("\"median\"")?..];
    let estimate = &median[median.find("\"point_estimate\"")?..];
    let value = estimate[estimate.find(':')? + 1..].trim_start();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+')))
        .unwrap_or(value.len());
    value[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_median_not_the_mean() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":7.5e7,"standard_error":1.0},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":4.4e7,"upper_bound":5.5e7},"point_estimate":51252937.66,"standard_error":2880005.68}}"#;
        assert_eq!(median_nanoseconds(json), Some(51_252_937.66));
        assert_eq!(median_nanoseconds(r#"{"mean":{"point_estimate":1}}"#), None);
        assert_eq!(median_nanoseconds(""), None);
    }
}
