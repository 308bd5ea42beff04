//! `cargo xtask dist`: the release build of the console, offline, into `dist/`: it installs the
//! build tools it needs first (so it works on a fresh checkout), moves Trunk's inline loader to a
//! file (one fixed CSP everywhere), and writes `.br` and `.gz` beside every asset.

use crate::cmd::{self, Result, command, step};
use crate::composition::{self, Composition};
use crate::sizes::{self, Sizes, kb};
use crate::{loader, precompress, setup, split};

/// Above this first-load transfer the build says where the bytes go, so that the budget
/// ([`sizes::BUDGET`]) is never approached blind.
const EXPLAIN_ABOVE: u64 = 150_000;

/// Builds the release console with trunk and returns its sizes.
pub fn run() -> Result<Sizes> {
    setup::build_tools()?;
    step("trunk build --release (offline)");
    cmd::run(trunk())?;
    let dist = cmd::root().join("dist");
    split::run(&dist)?;
    finish(&dist)
}

/// Trunk's arguments for the release build.
const TRUNK_ARGS: [&str; 3] = ["build", "--release", "--offline"];

fn trunk() -> std::process::Command {
    command("trunk", &TRUNK_ARGS)
}

/// A release build running beside other work: trunk's optimising link and `wasm-opt`, then the
/// split build's link, use one core for minutes, which the native tests can use meanwhile. The
/// output goes to a log that [`Background::finish`] prints, so the stages' lines never
/// interleave.
pub struct Background {
    child: std::process::Child,
    log: std::path::PathBuf,
}

/// Starts `trunk build --release`, then the split build, one after the other (both write the
/// same cargo artifact, which trunk must have read before the split build replaces it), with
/// their output in a log under the target folder. The build tools must already be installed
/// (`cargo xtask setup`).
pub fn start() -> Result<Background> {
    let log = cmd::target_dir().join("release-build.log");
    if let Some(parent) = log.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    let script = format!("trunk {} && exec cargo \"$@\"", TRUNK_ARGS.join(" "));
    let mut args = vec!["-c", &script, "release-build"];
    args.extend(split::BUILD_ARGS);
    let mut builds = command("sh", &args);
    cmd::log_to(&mut builds, &log)?;
    println!(
        "$ trunk {}, then cargo {} (in the background, output in {})",
        TRUNK_ARGS.join(" "),
        split::BUILD_ARGS.join(" "),
        log.display()
    );
    let child = builds
        .spawn()
        .map_err(|err| format!("could not start the release build: {err}"))?;
    Ok(Background { child, log })
}

impl Background {
    /// Waits for the builds, prints their log, and finishes the release as [`run`] does.
    pub fn finish(&mut self) -> Result<Sizes> {
        step("trunk build --release (offline) and the split build, started in the background");
        let status = self
            .child
            .wait()
            .map_err(|err| format!("could not wait for the release build: {err}"))?;
        print!("{}", std::fs::read_to_string(&self.log).unwrap_or_default());
        if !status.success() {
            return Err(format!("the release build failed ({status})"));
        }
        let dist = cmd::root().join("dist");
        split::place(&dist)?;
        finish(&dist)
    }
}

impl Drop for Background {
    /// A failed stage elsewhere ends the suite; the build must not outlive it.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Everything after the builds: the loader moved to a file, the compressed siblings, the sizes.
fn finish(dist: &std::path::Path) -> Result<Sizes> {
    loader::run(dist)?;
    step("precompress: .br (quality 11) and .gz (level 9) beside every wasm, js and css");
    let files = precompress::write_siblings(dist)?;
    for (name, file) in &files {
        println!(
            "  {name}: {} raw, {} gzip, {} brotli",
            kb(file.raw),
            kb(file.gzip),
            kb(file.brotli)
        );
    }
    let sizes = sizes::from_compressed(&files)?;
    println!("{}", sizes::line(&sizes));
    if sizes.total() > EXPLAIN_ABOVE {
        explain(&sizes)?;
    }
    Ok(sizes)
}

/// Prints the WebAssembly's composition, with each crate's share of the gzip size estimated
/// from its share of the unoptimised code.
fn explain(sizes: &Sizes) -> Result {
    let wasm = cmd::target_dir().join("wasm32-unknown-unknown/release/userdeck.wasm");
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|err| format!("cannot read Cargo.lock: {err}"))?;
    let found = composition::analyse(&wasm, &composition::crate_names(&lock))?;
    print!("{}", report(&found, sizes.wasm));
    Ok(())
}

/// The breakdown as text: the largest crates and functions, and the static data.
fn report(found: &Composition, wasm_gzip: u64) -> String {
    let code = found.code.max(1);
    let mut text = format!(
        "where the wasm goes ({} of code and {} of data before wasm-opt):\n",
        kb(found.code),
        kb(found.data)
    );
    for share in found.crates.iter().take(12) {
        text.push_str(&format!(
            "  {:>5.1}%  ~{:>9} gzip  {}\n",
            100.0 * share.bytes as f64 / code as f64,
            kb(share.bytes * wasm_gzip / code),
            share.name
        ));
    }
    text.push_str("largest functions:\n");
    for share in found.functions.iter().take(8) {
        let name: String = share.name.chars().take(110).collect();
        text.push_str(&format!("  {:>9}  {name}\n", kb(share.bytes)));
    }
    text
}
