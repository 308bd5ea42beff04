//! `cargo xtask dist`: the release build of the console, offline, into `dist/`.

use crate::cmd::{self, Result, command, step};
use crate::sizes::{self, Sizes, kb};

/// Builds the release console with trunk and returns its gzip sizes.
pub fn run() -> Result<Sizes> {
    step("trunk build --release (offline)");
    cmd::run(command("trunk", &["build", "--release", "--offline"]))?;
    let sizes = sizes::measure(&cmd::root().join("dist"))?;
    println!(
        "console transfer (gzip): wasm {} + js {} + css {} = {}",
        kb(sizes.wasm),
        kb(sizes.js),
        kb(sizes.css),
        kb(sizes.total())
    );
    Ok(sizes)
}
