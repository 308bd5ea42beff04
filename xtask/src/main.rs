//! `cargo xtask`: the project's automation in Rust, so the two README commands work on any
//! machine with cargo and Node, without shell-script portability traps.

mod bench;
mod cmd;
mod composition;
mod containment;
mod demo;
mod dist;
mod fuzz;
mod fuzz_seeds;
mod loader;
mod precompress;
mod prism;
mod readme;
mod secrets;
mod setup;
mod sites;
mod sizes;
mod split;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup | demo | test | dist | bench | e2e | fuzz>
  setup  install the build and test tools (idempotent)
  demo   build the console and serve it at http://127.0.0.1:8080
  test   run every check: format, lints, unit, browser and end-to-end tests
  dist   build the release console into dist/ (.br and .gz beside each asset) and report its sizes
  bench  run the benchmarks against their peers (or only NAME…: native engine
         first-rows proxy size scan scroll) and fail if one is over its budget
  e2e    only the end-to-end tests, against the dist/ already built (extra args go to Playwright)
  fuzz   [target] [--seconds N] [--report]: run the AFL++ fuzz targets, 600 s each by default,
         and write their figures to artifacts/fuzz-summary.md (--report: only write them)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("demo") => demo::run(),
        Some("test") => test::run(),
        Some("dist") => dist::run().map(|_| ()),
        Some("bench") => bench::run(&args[1..]),
        Some("e2e") => test::end_to_end_only(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}
