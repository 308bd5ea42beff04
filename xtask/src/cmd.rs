//! Running tools: every command is echoed before it runs, gets the project's tool folders on its
//! PATH, and fails with a sentence that names it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The result type of every task: an error is a sentence for the person at the terminal.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The project-local, git-ignored tools folder; `USERDECK_TOOLS` moves it (e.g. to test a
/// cold install).
pub fn tools_dir() -> PathBuf {
    std::env::var_os("USERDECK_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".tools"))
}

/// Where cargo writes its builds: `CARGO_TARGET_DIR` when set (CI keeps one across clean
/// checkouts), else `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        })
        .unwrap_or_else(|| root().join("target"))
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, or `~/.cargo/bin`.
pub fn cargo_bin_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home).join("bin");
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    PathBuf::from(home).join(".cargo").join("bin")
}

/// The folder the npm package `binaryen` puts `wasm-opt` in.
pub fn binaryen_bin_dir() -> PathBuf {
    tools_dir()
        .join("binaryen")
        .join("node_modules")
        .join(".bin")
}

/// PATH with the tool folders first, so the pinned tools win over anything on the system.
pub fn tool_path() -> OsString {
    let mut dirs = vec![binaryen_bin_dir(), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command in the workspace root with the tool PATH set.
///
/// `cargo run` gives this process the variables that describe the xtask package, and every
/// child would inherit them. Build scripts that watch one (ring's watches `CARGO_MANIFEST_DIR`)
/// would then see the checkout's path change on every fresh clone and rebuild, with everything
/// above them, so the children start without them.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .env("PATH", tool_path());
    for (name, _) in std::env::vars_os() {
        if describes_this_package(&name.to_string_lossy()) {
            command.env_remove(&name);
        }
    }
    command
}

/// Whether `name` is one of the variables cargo sets for the package it runs.
fn describes_this_package(name: &str) -> bool {
    name.starts_with("CARGO_MANIFEST_")
        || name.starts_with("CARGO_PKG_")
        || matches!(
            name,
            "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
        )
}

/// The command line as echoed before it runs, for logs and error sentences.
pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `command` with inherited output and fails unless it exits 0.
pub fn run(mut command: Command) -> Result {
    let text = describe(&command);
    println!("$ {text}");
    let status = command
        .status()
        .map_err(|err| format!("could not start `{text}`: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{text}` failed ({status})"))
    }
}

/// Runs `command` quietly and returns its trimmed stdout, or `None` if it is missing or fails.
/// Used to ask tools for their version.
pub fn output(mut command: Command) -> Option<String> {
    let out = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Prints a step heading so long logs stay navigable.
pub fn step(title: &str) {
    println!("\n==> {title}");
}

/// Sends `command`'s standard output and error to a new file at `log`, for a process that runs
/// beside others and whose lines would otherwise interleave with theirs.
pub fn log_to(command: &mut Command, log: &Path) -> Result {
    let out = std::fs::File::create(log)
        .map_err(|err| format!("cannot write {}: {err}", log.display()))?;
    let err = out
        .try_clone()
        .map_err(|err| format!("cannot write {}: {err}", log.display()))?;
    command.stdout(out).stderr(err);
    Ok(())
}

/// The Argon2id hash the proxy binary at `proxy` makes of `token` (`userdeck hash`), for the
/// test and bench configs that turn sign-in on.
pub fn admin_hash(proxy: &Path, token: &str) -> Result<String> {
    use std::io::Write;
    let mut hash = command(&proxy.to_string_lossy(), &["hash"]);
    hash.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = hash
        .spawn()
        .map_err(|err| format!("could not run userdeck hash: {err}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(token.as_bytes())
            .map_err(|err| format!("could not run userdeck hash: {err}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|err| format!("could not run userdeck hash: {err}"))?;
    let hash = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || !hash.starts_with("$argon2id$") {
        return Err("userdeck hash did not print an Argon2id hash".into());
    }
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::describes_this_package;

    #[test]
    fn the_variables_cargo_run_sets_for_xtask_are_not_passed_on() {
        for name in [
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION",
            "CARGO_CRATE_NAME",
            "CARGO_BIN_NAME",
            "CARGO_PRIMARY_PACKAGE",
        ] {
            assert!(describes_this_package(name), "{name}");
        }
        for name in [
            "CARGO_TARGET_DIR",
            "CARGO_HOME",
            "CARGO",
            "PATH",
            "RUSTFLAGS",
        ] {
            assert!(!describes_this_package(name), "{name}");
        }
    }
}
