//! `cargo xtask bench [NAME…]`: the benchmark suite. Each benchmark runs Userdeck and a peer
//! interleaved in one run on this machine, takes medians of at least [`MIN_RUNS`] runs per
//! side, and prints both absolute figures and their ratio; the suite ends with one table of
//! every budget and fails if any is exceeded. NAME picks benchmarks (`native`, `engine`,
//! `first-rows`, `proxy`, `size`, `scan`, `scroll`); none runs them all.
//!
//! Peers live in `bench/peers/` and are built here from their committed lock files; nothing
//! here is shipped or built by `cargo xtask test`.

mod build;
mod engine;
mod first_rows;
mod native;
mod nginx;
mod process;
mod proxy;
mod report;
mod scan;
mod scroll;
mod size;

use crate::cmd::{Result, step};
use crate::dist;
use report::Row;

/// Runs per side: the issue asks for medians of at least five.
pub const MIN_RUNS: usize = 5;

const NAMES: [&str; 7] = [
    "native",
    "engine",
    "first-rows",
    "proxy",
    "size",
    "scan",
    "scroll",
];

/// Runs the chosen benchmarks (all by default), prints the table, fails on any budget.
pub fn run(args: &[String]) -> Result {
    if let Some(unknown) = args.iter().find(|a| !NAMES.contains(&a.as_str())) {
        return Err(format!(
            "unknown benchmark `{unknown}`; choose from {}",
            NAMES.join(", ")
        ));
    }
    let wants = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let runs = MIN_RUNS;
    let mut rows: Vec<Row> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut record = |name: &str, result: Result<Vec<Row>>| match result {
        Ok(found) => rows.extend(found),
        Err(message) => failures.push(format!("{name}: {message}")),
    };
    // Builds first, shared between benchmarks.
    let needs_proxy = wants("first-rows") || wants("proxy");
    let proxy = if needs_proxy {
        Some(build::proxy()?)
    } else {
        None
    };
    let fixtures = if wants("engine") || wants("proxy") {
        Some(build::fixtures()?)
    } else {
        None
    };
    let console = crate::cmd::root().join("dist");
    if wants("first-rows") || wants("size") || !console.join("index.html").is_file() {
        // The release console: measured by `size` and `first-rows`; the proxy only needs one.
        dist::run()?;
    }
    let tanstack = if wants("engine") || wants("first-rows") {
        Some(build::peer("react-tanstack")?)
    } else {
        None
    };
    if wants("native") {
        record("native", native::run());
    }
    if let (true, Some(peer), Some(fixtures)) = (wants("engine"), &tanstack, &fixtures) {
        let result = build::engine_wasm().and_then(|wasm| engine::run(peer, &wasm, fixtures, runs));
        record("engine", result);
    }
    if let (true, Some(proxy), Some(peer)) = (wants("first-rows"), &proxy, &tanstack) {
        record("first-rows", first_rows::run(proxy, peer, runs));
    }
    if let (true, Some(proxy), Some(fixtures)) = (wants("proxy"), &proxy, &fixtures) {
        record("proxy", proxy::run(proxy, fixtures, runs));
    }
    if wants("size") {
        let result = build::peer("react-admin").and_then(|peer| size::run(&console, &peer));
        record("size", result);
    }
    if wants("scan") {
        record("scan", scan::run());
    }
    if wants("scroll") {
        record("scroll", scroll::run(runs));
    }
    step("benchmark summary");
    let table = report::table(&rows);
    print!("{table}");
    let path = build::bench_dir().join("report.md");
    if build::create_dir(&build::bench_dir()).is_ok() && std::fs::write(&path, &table).is_ok() {
        println!("(also in {})", path.display());
    }
    let over: Vec<&str> = rows
        .iter()
        .filter(|row| !row.pass)
        .map(|row| row.benchmark.as_str())
        .collect();
    for failure in &failures {
        println!("could not measure: {failure}");
    }
    if over.is_empty() && failures.is_empty() {
        Ok(())
    } else {
        let mut problems = Vec::new();
        if !over.is_empty() {
            problems.push(format!("over budget: {}", over.join("; ")));
        }
        if !failures.is_empty() {
            problems.push(format!("{} benchmark(s) could not run", failures.len()));
        }
        Err(problems.join("; "))
    }
}
