//! Item 1: Userdeck's in-memory engine (wasm) against TanStack Table 8's client row model, on
//! the same 100,000 simulated users in the same headless Chromium page. See
//! `bench/peers/react-tanstack/src/engine.js` for what each side does and what is timed.

use std::path::Path;

use super::report::{Row, Samples, median, ms};
use super::{build, nginx, process};
use crate::cmd::{Result, step};

/// Userdeck must be at least this many times faster on the first query…
const FIRST_SPEEDUP: f64 = 10.0;
/// …and on a re-query.
const REQUERY_SPEEDUP: f64 = 2.0;

/// Runs the page `runs` times (each run: both first queries and five re-queries per side).
pub fn run(peer_dist: &Path, engine_wasm: &Path, fixtures: &Path, runs: usize) -> Result<Vec<Row>> {
    step("engine: Userdeck (wasm) vs TanStack Table 8, 100,000 users, in one Chromium page");
    let dir = build::bench_dir().join("engine-site");
    let addr = process::free_addr()?;
    let server = format!(
        "  server {{\n    listen {addr};\n    root {peer};\n    \
         location /engine-wasm/ {{ alias {wasm}/; }}\n    \
         location = /users.json {{ alias {fixtures}/users.json; }}\n  }}\n",
        peer = peer_dist.display(),
        wasm = engine_wasm.display(),
        fixtures = fixtures.display(),
    );
    let _site = nginx::start(&dir, addr, &server, "/engine.html")?;
    let url = format!("http://{addr}/engine.html");
    let runs_text = runs.to_string();
    let output = build::harness("engine.mjs", &["--url", &url, "--runs", &runs_text])?;
    let samples = Samples::parse(&output);
    for note in &samples.notes {
        println!("  {note}");
    }
    samples.agreed("engine")?;
    print_parts(&samples);
    let first = compare(
        &samples,
        "engine-first",
        runs,
        "engine: first query (JSON text to sorted result)",
        FIRST_SPEEDUP,
    )?;
    // Five re-queries per run and side.
    let requery = compare(
        &samples,
        "engine-requery",
        runs * 5,
        "engine: re-query (rows loaded)",
        REQUERY_SPEEDUP,
    )?;
    Ok(vec![first, requery])
}

fn compare(samples: &Samples, bench: &str, count: usize, title: &str, speedup: f64) -> Result<Row> {
    let userdeck = samples.median(bench, "userdeck", count)?;
    let tanstack = samples.median(bench, "tanstack", count)?;
    let ratio = tanstack / userdeck.max(f64::MIN_POSITIVE);
    println!(
        "{title}: Userdeck {} vs TanStack {}, {ratio:.1}x faster (budget {speedup:.0}x)",
        ms(userdeck),
        ms(tanstack)
    );
    Ok(Row::ratio(
        title,
        (ms(userdeck), format!("TanStack Table 8: {}", ms(tanstack))),
        format!("{ratio:.1}x faster"),
        &format!(">= {speedup:.0}x faster"),
        ratio >= speedup,
    ))
}

/// Where each side's first query goes, by median of each part (no budget).
fn print_parts(samples: &Samples) {
    for ((bench, side), values) in &samples.values {
        if let (Some(part), Some(value)) = (bench.strip_prefix("engine-first."), median(values)) {
            println!("  first query, {side}, {part}: median {}", ms(value));
        }
    }
}
