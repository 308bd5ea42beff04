//! `cargo xtask demo`: one command from a fresh clone to a running console on localhost.

use crate::cmd::{self, Result, command, step};
use crate::{dist, setup};

/// The demo's fixed address, printed for the user to open.
const DEMO_ADDRESS: &str = "127.0.0.1:8080";

/// Installs what is missing, builds the console and the proxy, then serves the console with the
/// five simulated providers (the proxy's demo mode) until Ctrl-C.
pub fn run() -> Result {
    setup::run()?;
    dist::run()?;
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
    let binary = cmd::target_dir().join("server").join("userdeck");
    step(&format!(
        "serving the console at http://{DEMO_ADDRESS}/ (Ctrl-C stops it)"
    ));
    // Ctrl-C reaches the whole foreground process group, so the proxy gets it too and shuts
    // down gracefully; this process only waits for it.
    cmd::run(command(
        &binary.to_string_lossy(),
        &["--demo", "--listen", DEMO_ADDRESS, "--dist", "dist"],
    ))
}
