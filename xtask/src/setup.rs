//! `cargo xtask setup`: installs every tool the build and the tests need. Each step checks the
//! installed version first and skips when it is already right, so running it again is cheap.

use std::path::Path;

use crate::cmd::{self, Result, command, output, step};

/// The trunk release that still builds with the project's fixed Rust toolchain.
const TRUNK_VERSION: &str = "0.21.14";
/// The binaryen release whose `wasm-opt` Trunk.toml pins (`version_132`).
const BINARYEN_VERSION: &str = "132.0.0";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Runs every setup step in order.
pub fn run() -> Result {
    build_tools()?;
    chromium()?;
    debian_servers()?;
    npm_packages()?;
    println!("\nsetup: every tool is in place");
    Ok(())
}

/// The steps a release build needs, which `cargo xtask dist` runs on its own.
pub fn build_tools() -> Result {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    wasm_opt()
}

fn wasm_target() -> Result {
    step("Rust target wasm32-unknown-unknown");
    let installed =
        output(command("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("already installed");
        return Ok(());
    }
    cmd::run(command("rustup", &["target", "add", WASM_TARGET]))
}

/// `cargo install` for a build tool. A tool needs no link-time optimisation, and skipping it
/// cuts trunk's install on two cores from about half an hour to a few minutes.
fn cargo_install(krate: &str, version: &str, locked: bool) -> Result {
    let mut args = vec!["install", krate, "--version", version];
    if locked {
        args.push("--locked");
    }
    let mut install = command("cargo", &args);
    install
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    cmd::run(install)
}

fn trunk() -> Result {
    step(&format!("trunk {TRUNK_VERSION}"));
    let found = output(command("trunk", &["--version"]));
    if found.as_deref() == Some(format!("trunk {TRUNK_VERSION}").as_str()) {
        println!("already installed");
        return Ok(());
    }
    println!("found {found:?}; installing (a few minutes)");
    cargo_install("trunk", TRUNK_VERSION, true)
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match the library exactly, and the
/// lock file is the one place that version is written.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock_path = cmd::root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|err| format!("cannot read {}: {err}", lock_path.display()))?;
    wasm_bindgen_version_in(&lock)
}

fn wasm_bindgen_version_in(lock: &str) -> Result<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            let version = lines
                .next()
                .and_then(|next| next.trim().strip_prefix("version = \""))
                .and_then(|rest| rest.strip_suffix('"'));
            if let Some(version) = version {
                return Ok(version.to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package; run `cargo generate-lockfile`".into())
}

fn wasm_bindgen() -> Result {
    let version = locked_wasm_bindgen_version()?;
    step(&format!("wasm-bindgen-cli {version} (from Cargo.lock)"));
    let found = output(command("wasm-bindgen", &["--version"]));
    if found.as_deref() == Some(format!("wasm-bindgen {version}").as_str()) {
        println!("already installed");
        return Ok(());
    }
    println!("found {found:?}; installing");
    // Not --locked: one of the CLI's locked dependencies is no longer in the registry.
    cargo_install("wasm-bindgen-cli", &version, false)
}

fn wasm_opt() -> Result {
    step(&format!("wasm-opt from npm binaryen@{BINARYEN_VERSION}"));
    let wasm_opt = cmd::binaryen_bin_dir().join("wasm-opt");
    let major = BINARYEN_VERSION
        .split('.')
        .next()
        .unwrap_or(BINARYEN_VERSION);
    let found = output(command(&wasm_opt.to_string_lossy(), &["--version"]));
    if found
        .as_deref()
        .is_some_and(|text| text.starts_with(&format!("wasm-opt version {major}")))
    {
        println!("already installed");
        return Ok(());
    }
    let prefix = cmd::tools_dir().join("binaryen");
    std::fs::create_dir_all(&prefix)
        .map_err(|err| format!("cannot create {}: {err}", prefix.display()))?;
    let package = format!("binaryen@{BINARYEN_VERSION}");
    let prefix_text = prefix.to_string_lossy().into_owned();
    cmd::run(command(
        "npm",
        &[
            "install",
            "--prefix",
            &prefix_text,
            "--no-audit",
            "--no-fund",
            "--save-exact",
            &package,
        ],
    ))
}

fn is_root() -> bool {
    output(command("id", &["-u"])).as_deref() == Some("0")
}

fn chromium() -> Result {
    step("Chromium and chromedriver");
    let browser = output(command("chromium", &["--version"]));
    let driver = output(command("chromedriver", &["--version"]));
    if let (Some(browser), Some(driver)) = (&browser, &driver) {
        println!("already installed: {browser}; {driver}");
        return Ok(());
    }
    if !is_root() {
        return Err(
            "Chromium and chromedriver are missing. Install them as root with \
            `apt-get update && apt-get install -y chromium chromium-driver`, then run this again."
                .into(),
        );
    }
    let mut update = command("apt-get", &["update"]);
    update.env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(update)?;
    let mut install = command("apt-get", &["install", "-y", "chromium", "chromium-driver"]);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(install)
}

/// The Debian packages the tests and benchmarks run, by the program each provides: nginx (the
/// static-hosting and replica examples, the proxy benchmark's peer and fake upstream),
/// `redis-server` (the store the replica tests share limits through), wrk (load) and brotli
/// (first-load bytes as a CDN would serve them).
const DEBIAN_PACKAGES: [(&str, &str); 4] = [
    ("nginx", "nginx"),
    ("redis-server", "redis-server"),
    ("wrk", "wrk"),
    ("brotli", "brotli"),
];

/// Whether `program` is an executable on PATH or in `/usr/sbin` (where Debian puts nginx, and
/// which is not on every user's PATH).
pub fn find_program(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([std::path::PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn debian_servers() -> Result {
    step("nginx (with its brotli modules), redis-server, wrk and brotli (tests and benchmarks)");
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(program, _)| find_program(program).is_none())
        .map(|&(_, package)| package)
        .chain(
            NGINX_BROTLI_MODULES
                .iter()
                .copied()
                .filter(|_| !Path::new(NGINX_BROTLI_STATIC).is_file()),
        )
        .collect();
    if missing.is_empty() {
        println!("already installed");
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "The test and benchmark tools {} are missing. Install them as root with `apt-get update && apt-get install -y {}`, then run this again.",
            missing.join(", "),
            missing.join(" ")
        ));
    }
    let mut update = command("apt-get", &["update"]);
    update.env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(update)?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(&missing);
    let mut install = command("apt-get", &args);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(install)
}

/// Debian's brotli modules for nginx: `deploy/nginx.conf`'s `brotli_static` needs them.
const NGINX_BROTLI_MODULES: [&str; 2] = [
    "libnginx-mod-http-brotli-static",
    "libnginx-mod-http-brotli-filter",
];

/// Where Debian's package puts the `brotli_static` module.
pub const NGINX_BROTLI_STATIC: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// The stamp `npm ci` leaves behind: a copy of the lock file it installed from.
fn npm_stamp() -> std::path::PathBuf {
    cmd::root()
        .join("node_modules")
        .join(".userdeck-installed-lock.json")
}

fn same_file_contents(a: &Path, b: &Path) -> bool {
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

fn npm_packages() -> Result {
    step("npm dev dependencies of the browser tests (npm ci)");
    let lock = cmd::root().join("package-lock.json");
    if same_file_contents(&lock, &npm_stamp()) {
        println!("already installed from this package-lock.json");
        return Ok(());
    }
    let mut ci = command("npm", &["ci", "--no-audit", "--no-fund"]);
    ci.env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    cmd::run(ci)?;
    std::fs::copy(&lock, npm_stamp())
        .map(|_| ())
        .map_err(|err| format!("cannot record the npm install: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_library_version_not_a_similar_package() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(wasm_bindgen_version_in(lock), Ok("0.2.130".to_string()));
        assert!(wasm_bindgen_version_in("[[package]]\nname = \"leptos\"\n").is_err());
    }

    #[test]
    fn the_workspace_lock_pins_wasm_bindgen() {
        let version = locked_wasm_bindgen_version().expect("Cargo.lock is committed");
        assert!(version.starts_with("0.2."), "{version}");
    }
}
