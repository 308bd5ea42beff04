//! The virtualised table's scroll budget: in headless Chromium, scrolling 100,000 rows from top
//! to bottom must keep the 95th-percentile frame within 16 ms and at most 80 `<tr>` in the DOM.
//! Builds the console with its `bench-harness` page into the target folder (never into
//! `dist/`) and runs `bench/harness/scroll.mjs` against it, alternating with the peer
//! `bench/peers/dom-table`: the same table, rows and stylesheet written by hand with no
//! framework, whose frames are what the browser's layout, paint and raster alone cost. The
//! budget is the absolute one; the peer's figure and the ratio say how much of a frame
//! is Userdeck's own.

use super::report::{Row, Samples, ms};
use crate::cmd::{self, Result, command, step};

/// The slowest 95th-percentile frame allowed, in milliseconds.
const MAX_P95_MS: f64 = 16.0;
/// The most `<tr>` elements allowed in the DOM at any frame.
const MAX_DOM_ROWS: u64 = 80;
/// Rows in the table.
const ROWS: &str = "100000";
/// Scroll steps per run, one per frame.
const STEPS: &str = "400";

/// Builds the harness page, scrolls both sides `runs` times each, and checks the budgets.
pub fn run(runs: usize) -> Result<Vec<Row>> {
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
    step("scroll: 100,000 rows in headless Chromium, Userdeck vs a hand-written DOM table");
    let runs_text = runs.to_string();
    let output = super::build::harness("scroll.mjs", &[&dist_text, ROWS, STEPS, &runs_text])?;
    rows_from(&output, runs)
}

/// The suite's rows from the harness output: Userdeck's median p95 against the budget, the
/// peer's beside it.
fn rows_from(output: &str, runs: usize) -> Result<Vec<Row>> {
    let samples = Samples::parse(output);
    samples.agreed("scroll")?;
    let ours = samples.median("scroll-p95", "userdeck", runs)?;
    let theirs = samples.median("scroll-p95", "dom", runs)?;
    let ours_max = samples.median("scroll-max", "userdeck", runs)?;
    let note = samples
        .notes
        .iter()
        .find(|note| note.starts_with("dom_rows="))
        .ok_or("the scroll benchmark printed no DOM row count")?;
    let field = |name: &str| {
        note.split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    };
    let dom_rows: u64 = field("dom_rows")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no dom_rows in the scroll benchmark's note: {note}"))?;
    if field("last_row") != Some("true") {
        return Err("the scroll benchmark never showed the last row".into());
    }
    let ratio = ours / theirs.max(f64::MIN_POSITIVE);
    println!(
        "scroll: Userdeck p95 {} (slowest {}), hand-written DOM table p95 {}, {ratio:.2}x; at most {dom_rows} <tr> (budget p95 <= {MAX_P95_MS:.0} ms, <= {MAX_DOM_ROWS} rows)",
        ms(ours),
        ms(ours_max),
        ms(theirs)
    );
    Ok(vec![
        Row::ratio(
            "scroll 100,000 rows: p95 frame",
            (ms(ours), format!("hand-written DOM table: {}", ms(theirs))),
            format!("{ratio:.2}x the DOM table's frame"),
            &format!("<= {MAX_P95_MS:.0} ms"),
            ours <= MAX_P95_MS,
        ),
        Row::ratio(
            "scroll 100,000 rows: most <tr> in the DOM",
            (dom_rows.to_string(), "-".into()),
            "-".into(),
            &format!("<= {MAX_DOM_ROWS}"),
            dom_rows <= MAX_DOM_ROWS,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(ours: f64, dom_rows: u64, last_row: bool) -> String {
        let mut text = String::new();
        for _ in 0..5 {
            text.push_str(&format!("sample scroll-p95 userdeck {ours}\n"));
            text.push_str(&format!("sample scroll-max userdeck {}\n", ours * 2.0));
            text.push_str("sample scroll-p95 dom 8\n");
        }
        text.push_str(&format!("note dom_rows={dom_rows} last_row={last_row}\n"));
        text
    }

    #[test]
    fn applies_both_budgets_and_compares_with_the_peer() {
        let rows = rows_from(&output(12.0, 24, true), 5).expect("valid output");
        assert!(rows.iter().all(|row| row.pass));
        assert_eq!(rows[0].ratio, "1.50x the DOM table's frame");
        let slow = rows_from(&output(17.2, 24, true), 5).expect("valid output");
        assert!(!slow[0].pass && slow[1].pass);
        let heavy = rows_from(&output(5.0, 81, true), 5).expect("valid output");
        assert!(heavy[0].pass && !heavy[1].pass);
    }

    #[test]
    fn refuses_output_that_cannot_be_judged() {
        assert!(rows_from(&output(5.0, 24, false), 5).is_err());
        assert!(rows_from(&output(5.0, 24, true), 6).is_err());
        assert!(rows_from("garbage", 5).is_err());
        let mismatch = format!(
            "{}mismatch dom run 1 never showed row 100000\n",
            output(5.0, 24, true)
        );
        assert!(rows_from(&mismatch, 5).is_err());
    }
}
