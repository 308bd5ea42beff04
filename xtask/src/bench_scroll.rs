//! The virtualised table's scroll budget: in headless Chromium, scrolling 100,000 rows from top
//! to bottom must keep the 95th-percentile frame within 16 ms and at most 80 `<tr>` in the DOM.
//! Builds the console with its `bench-harness` page into the target folder (never into
//! `dist/`) and runs `bench/scroll.mjs` against it.

use std::process::Stdio;

use crate::cmd::{self, Result, command, step};

/// The slowest 95th-percentile frame allowed, in milliseconds.
const MAX_P95_MS: f64 = 16.0;
/// The most `<tr>` elements allowed in the DOM at any frame.
const MAX_DOM_ROWS: u64 = 80;
/// Rows in the table.
const ROWS: &str = "100000";

/// Builds the harness, scrolls, and checks both budgets.
pub fn run() -> Result {
    let dist = cmd::target_dir().join("bench-dist");
    let dist_text = dist.to_string_lossy().to_string();
    step("trunk build --release --features bench-harness (scroll benchmark page)");
    cmd::run(command(
        "trunk",
        &[
            "build",
            "--release",
            "--offline",
            "--features",
            "bench-harness",
            "--dist",
            &dist_text,
        ],
    ))?;
    step("bench scroll_100k (virtualised table scrolling 100,000 rows in headless Chromium)");
    let mut node = command("node", &["bench/scroll.mjs", &dist_text, ROWS]);
    let out = node
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("could not start node for the scroll benchmark: {err}"))?;
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() {
        return Err(format!(
            "the scroll benchmark failed ({}): {line}",
            out.status
        ));
    }
    println!("scroll_100k: {line} (budget p95 {MAX_P95_MS:.0} ms, {MAX_DOM_ROWS} rows)");
    check(&line)
}

/// Checks the benchmark's line against the budgets.
fn check(line: &str) -> Result {
    let field = |name: &str| -> Option<&str> {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    };
    let p95: f64 = field("p95_ms")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no p95_ms in the scroll benchmark's output: {line}"))?;
    let rows: u64 = field("dom_rows")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no dom_rows in the scroll benchmark's output: {line}"))?;
    let mut over = Vec::new();
    if p95 > MAX_P95_MS {
        over.push(format!(
            "its p95 frame took {p95:.1} ms, over {MAX_P95_MS:.0} ms"
        ));
    }
    if rows > MAX_DOM_ROWS {
        over.push(format!(
            "it put {rows} rows in the DOM, over {MAX_DOM_ROWS}"
        ));
    }
    if field("last_row") != Some("true") {
        over.push("the last row never appeared".to_string());
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("scroll_100k: {}", over.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_line_and_applies_both_budgets() {
        assert!(check("frames=400 p95_ms=9.50 max_ms=30.1 dom_rows=67 last_row=true").is_ok());
        let slow = check("frames=400 p95_ms=17.20 max_ms=30.1 dom_rows=67 last_row=true");
        assert!(slow.is_err_and(|e| e.contains("p95 frame took 17.2 ms")));
        let heavy = check("frames=400 p95_ms=5.00 max_ms=9 dom_rows=81 last_row=true");
        assert!(heavy.is_err_and(|e| e.contains("81 rows")));
        assert!(check("frames=400 p95_ms=5.00 dom_rows=60 last_row=false").is_err());
        assert!(check("garbage").is_err());
    }
}
