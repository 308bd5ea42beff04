//! Proof that the project stands on its own: no tracked file refers to the reference folder
//! beside our checkout, nor to a relative path that climbs above the repository root. A user's
//! clone has nothing up there, so any such reference is a test or build that only works here.

use crate::cmd::{self, Result, step};

/// Spellings of the reference folder that sits beside our own checkout only, each written in
/// two halves so that this file does not fail its own check.
const OUTSIDE_FOLDERS: [&str; 2] = [concat!("..", "/shared"), concat!("/work", "/shared")];

/// Characters a path token is made of. Quotes, spaces, brackets and commas end one, so a Rust
/// range such as `items[..]` or `..Default::default()` never reads as a path.
fn in_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-./~{}$@+%".contains(c)
}

/// A component whose value is only known when the code runs (`{}`, `{name}`, `$HOME`): the
/// path it starts is judged from the file's own directory, the most cautious reading.
fn is_placeholder(component: &str) -> bool {
    component.contains(['{', '$', '%', '~'])
}

/// True if `token`, read from the directory `depth` levels below the root, climbs above it.
/// Only tokens with a `/` next to a `..` count, so `0..n` and `..` alone are not paths. A
/// leading `/` is dropped: in this tree such a string is either joined to a base directory
/// (`concat!(env!("CARGO_MANIFEST_DIR"), "/../x")`) or a URL path, which starts below its base.
fn escapes(token: &str, depth: usize) -> bool {
    if !token.contains("../") && !token.ends_with("/..") {
        return false;
    }
    let mut level = depth as i64;
    for component in token.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                level -= 1;
                if level < 0 {
                    return true;
                }
            }
            c if is_placeholder(c) => level = depth as i64,
            _ => level += 1,
        }
    }
    false
}

/// The first reason `line` of the file at `path` (relative to the root) points outside the
/// repository, if any.
fn offence(path: &str, line: &str) -> Option<String> {
    if let Some(folder) = OUTSIDE_FOLDERS.iter().find(|f| line.contains(*f)) {
        return Some(format!("refers to {folder}"));
    }
    let depth = path.matches('/').count();
    line.split(|c: char| !in_path(c))
        .find(|token| escapes(token, depth))
        .map(|token| format!("`{token}` climbs above the repository root"))
}

/// Every offending line of one file, as `path:line: reason`.
fn offences(path: &str, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            offence(path, line).map(|reason| format!("{path}:{}: {reason}", index + 1))
        })
        .collect()
}

/// Fails with every offending `file:line` if a tracked file refers outside the repository.
pub fn check() -> Result {
    step("no tracked file refers outside the repository");
    let listed = command_output(cmd::command("git", &["ls-files", "-z"]))?;
    let paths: Vec<&str> = listed.split('\0').filter(|p| !p.is_empty()).collect();
    let mut found = Vec::new();
    for path in &paths {
        let full = cmd::root().join(path);
        // A file deleted in the work tree but not yet in the index has nothing to judge.
        let Ok(bytes) = std::fs::read(&full) else {
            continue;
        };
        found.extend(offences(path, &String::from_utf8_lossy(&bytes)));
    }
    if found.is_empty() {
        println!("{} tracked files checked: none refers outside", paths.len());
        Ok(())
    } else {
        Err(format!(
            "{} line(s) refer outside the repository, which a user's clone does not have; copy \
             what is needed into the tree (e.g. docs/providers/) and point at it:\n  {}",
            found.len(),
            found.join("\n  ")
        ))
    }
}

fn command_output(mut command: std::process::Command) -> Result<String> {
    let out = command
        .output()
        .map_err(|err| format!("could not run git ls-files: {err}"))?;
    if !out.status.success() {
        return Err(format!(
            "git ls-files failed ({}); run cargo xtask test from a git checkout",
            out.status
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bad lines are assembled at run time so that this file does not fail its own check.
    fn up(times: usize) -> String {
        "../".repeat(times)
    }

    #[test]
    fn the_reference_folder_fails_anywhere() {
        let line = format!(
            "let path = format!(\"{{}}/{}shared/fixtures\", dir);",
            up(3)
        );
        let found = offences("crates/sim/tests/x.rs", &format!("// fine\n{line}\n"));
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("crates/sim/tests/x.rs:2: refers to "));
        let absolute = format!("see /work/{}", "shared/providers");
        assert!(offence("docs/providers/README.md", &absolute).is_some());
    }

    #[test]
    fn climbing_above_the_root_fails_with_file_and_line() {
        let line = format!("include_str!(\"{}config/x.toml\")", up(4));
        assert_eq!(
            offences("crates/proxy/src/config.rs", &format!("a\nb\n{line}")),
            vec![format!(
                "crates/proxy/src/config.rs:3: `{}config/x.toml` climbs above the repository root",
                up(4)
            )]
        );
        let link = format!("[notes]({}other/README.md)", up(1));
        assert!(offence("README.md", &link).is_some());
        let placeholder = format!(
            "format!(\"{{}}/{}etc\", env!(\"CARGO_MANIFEST_DIR\"))",
            up(4)
        );
        assert!(offence("crates/providers/tests/f.rs", &placeholder).is_some());
        let joined = format!("concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{}x\")", up(3));
        assert!(offence("xtask/src/a.rs", &joined).is_some());
    }

    #[test]
    fn paths_inside_the_root_pass() {
        let config = format!("include_str!(\"{}config/a.toml\")", up(3));
        let good = [
            ("crates/proxy/src/config.rs", config.as_str()),
            (
                "crates/proxy/Cargo.toml",
                "userdeck-sim = { path = \"../sim\" }",
            ),
            (
                "crates/sim/tests/differential/main.rs",
                "#[path = \"../support/mod.rs\"]",
            ),
            (
                "crates/sim/tests/f.rs",
                "format!(\"{}/../../docs/providers/a.json\", dir)",
            ),
            (
                "docs/providers/README.md",
                "the documentation are in `../fixtures/`.",
            ),
            (
                "docs/providers/a.md",
                "The project shared these notes with the partners.",
            ),
            (".ci/run", "cd \"$(dirname \"$0\")/..\""),
            (
                "crates/proxy/tests/proxy.rs",
                "\"/api/p/rebilly/../pngme/users\",",
            ),
            (
                "src/a.rs",
                "let rest = &items[..]; for i in 0..n { a(..Default::default()) }",
            ),
        ];
        for (path, line) in good {
            assert_eq!(offence(path, line), None, "{path}: {line}");
        }
    }

    #[test]
    fn this_file_passes_its_own_check() {
        let here = std::fs::read_to_string(cmd::root().join("xtask/src/containment.rs"))
            .expect("this file exists");
        assert_eq!(
            offences("xtask/src/containment.rs", &here),
            Vec::<String>::new()
        );
    }
}
