//! What the suite builds before it measures: the proxy, the fixtures, Userdeck's engine as
//! wasm, and the npm peers (each with `npm ci` from its committed lock file). None of it is
//! built by `cargo xtask test` or shipped.

use std::path::{Path, PathBuf};

use crate::cmd::{self, Result, command, step};
use crate::setup::locked_wasm_bindgen_version;

/// Where the suite keeps its builds, configs and logs.
pub fn bench_dir() -> PathBuf {
    cmd::target_dir().join("userdeck-bench")
}

/// Creates `dir` (and its parents).
pub fn create_dir(dir: &Path) -> Result {
    std::fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))
}

/// The proxy binary in the optimised `server` profile, as it is deployed.
pub fn proxy() -> Result<PathBuf> {
    step("build the proxy (server profile)");
    cmd::run(command(
        "cargo",
        &[
            "build",
            "--package",
            "userdeck-proxy",
            "--profile",
            "server",
        ],
    ))?;
    Ok(cmd::target_dir().join("server").join("userdeck"))
}

/// The JSON files rendered by the simulators (see `bench/fixtures`); returns their folder.
pub fn fixtures() -> Result<PathBuf> {
    step("fixtures from the simulators' population (bench/fixtures)");
    cmd::run(command(
        "cargo",
        &[
            "build",
            "--package",
            "userdeck-bench-fixtures",
            "--profile",
            "server",
        ],
    ))?;
    let dir = bench_dir().join("fixtures");
    let binary = cmd::target_dir()
        .join("server")
        .join("userdeck-bench-fixtures");
    cmd::run(command(
        &binary.to_string_lossy(),
        &[&dir.to_string_lossy()],
    ))?;
    Ok(dir)
}

/// Userdeck's engine compiled to wasm with the console's release profile and bound by the
/// wasm-bindgen CLI that setup installed (the version Cargo.lock pins); returns the folder
/// holding `userdeck_bench_engine.js` and its `_bg.wasm`.
pub fn engine_wasm() -> Result<PathBuf> {
    step("Userdeck's engine as wasm (bench/engine-wasm, release profile)");
    let version = locked_wasm_bindgen_version()?;
    let found = cmd::output(command("wasm-bindgen", &["--version"]));
    if found.as_deref() != Some(format!("wasm-bindgen {version}").as_str()) {
        return Err(format!(
            "wasm-bindgen {version} is needed (found {found:?}); run `cargo xtask setup`"
        ));
    }
    cmd::run(command(
        "cargo",
        &[
            "build",
            "--package",
            "userdeck-bench-engine",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
        ],
    ))?;
    let wasm = cmd::target_dir()
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("userdeck_bench_engine.wasm");
    let out = bench_dir().join("engine-wasm");
    cmd::run(command(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &out.to_string_lossy(),
            &wasm.to_string_lossy(),
        ],
    ))?;
    Ok(out)
}

/// The stamp left in a peer's `node_modules`: the lock file it was installed from.
fn stamp(peer: &Path) -> PathBuf {
    peer.join("node_modules")
        .join(".userdeck-installed-lock.json")
}

/// Installs the npm peer `name` (under `bench/peers/`) with `npm ci`, unless it is already
/// installed from the same lock file, and builds it with vite; returns its `dist` folder.
pub fn peer(name: &str) -> Result<PathBuf> {
    let dir = cmd::root().join("bench").join("peers").join(name);
    step(&format!("peer {name}: npm ci and vite build"));
    let lock = dir.join("package-lock.json");
    let installed = matches!(
        (std::fs::read(&lock), std::fs::read(stamp(&dir))),
        (Ok(a), Ok(b)) if a == b
    );
    if installed {
        println!("already installed from this package-lock.json");
    } else {
        let mut ci = command("npm", &["ci", "--no-audit", "--no-fund"]);
        ci.current_dir(&dir);
        cmd::run(ci)?;
        std::fs::copy(&lock, stamp(&dir))
            .map_err(|err| format!("cannot record the npm install of {name}: {err}"))?;
    }
    let mut build = command("npx", &["--no-install", "vite", "build"]);
    build.current_dir(&dir);
    cmd::run(build)?;
    Ok(dir.join("dist"))
}

/// Runs a browser harness script (`bench/harness/<script>`) with `args` and returns what it
/// printed on standard output (its errors go to the terminal).
pub fn harness(script: &str, args: &[&str]) -> Result<String> {
    let path = cmd::root().join("bench").join("harness").join(script);
    let mut all = vec![path.to_string_lossy().into_owned()];
    all.extend(args.iter().map(|a| a.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    println!("$ node {}", all.join(" "));
    let out = command("node", &all)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|err| format!("could not start node: {err}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "the harness {script} failed ({}); its output:\n{text}",
            out.status
        ));
    }
    Ok(text)
}
