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
mod secrets;
mod setup;
mod sizes;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup | demo | test | dist | bench | fuzz>
  setup  install the build and test tools (idempotent)
  demo   build the console and serve it at http://127.0.0.1:8080
  test   run every check: format, lints, unit, browser and end-to-end tests
  dist   build the release console into dist/ and report its sizes
  bench  run the benchmarks and fail if one is over its budget
  fuzz   [target] [--seconds N]: run the AFL++ fuzz targets, 600 s each by default";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("demo") => demo::run(),
        Some("test") => test::run(),
        Some("dist") => dist::run().map(|_| ()),
        Some("bench") => bench::run(),
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
