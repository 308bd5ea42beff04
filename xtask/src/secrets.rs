//! Proof that no provider secret ships to browsers: the built console must not contain any of
//! the simulators' demo credentials, which stand in for real secrets in every test.

use std::path::Path;

use crate::cmd::{self, Result, step};

/// The string constants of the simulators' credentials module. Read from source so that this
/// tool needs none of the simulators' dependencies.
fn demo_secrets(source: &str) -> Vec<String> {
    source
        .split(';')
        .filter_map(|statement| {
            let declaration = &statement[statement.find("pub const")?..];
            let (name_and_type, value) = declaration.split_once('=')?;
            if !name_and_type.contains(": &str") {
                return None;
            }
            let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
            (value.len() >= 8).then(|| value.to_string())
        })
        .collect()
}

fn files(dir: &Path, found: &mut Vec<std::path::PathBuf>) -> Result {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, found)?;
        } else {
            found.push(path);
        }
    }
    Ok(())
}

/// Fails if any file in `dist/` contains a demo secret.
pub fn check_dist() -> Result {
    step("no secret in the built console");
    let source_path = cmd::root().join("crates/sim/src/credentials.rs");
    let source = std::fs::read_to_string(&source_path)
        .map_err(|err| format!("cannot read {}: {err}", source_path.display()))?;
    let secrets = demo_secrets(&source);
    if secrets.len() < 5 {
        return Err(format!(
            "found only {} demo secrets in {}; the check would prove nothing",
            secrets.len(),
            source_path.display()
        ));
    }
    let mut all = Vec::new();
    files(&cmd::root().join("dist"), &mut all)?;
    for path in &all {
        let bytes =
            std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        if let Some(secret) = secrets.iter().find(|s| text.contains(s.as_str())) {
            return Err(format!(
                "{} contains the demo secret starting {}…: secrets must stay on the server",
                path.display(),
                secret.chars().take(6).collect::<String>()
            ));
        }
    }
    println!(
        "{} files checked against {} secrets: none found",
        all.len(),
        secrets.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_string_constants_only() {
        let source = "/// doc\npub const KEY: &str = \"sk_demo_12345678\";\npub const N: u64 = 5;\n\
                      pub const LONG: &str =\n    \"eyJhbGciOiJIUzI1NiJ9.e30\";\n\
                      pub const SHORT: &str = \"abc\";\nlet x = \"not_a_const_value\";";
        assert_eq!(
            demo_secrets(source),
            vec![
                "sk_demo_12345678".to_string(),
                "eyJhbGciOiJIUzI1NiJ9.e30".to_string()
            ]
        );
    }

    #[test]
    fn the_simulators_have_secrets_to_look_for() {
        let path = cmd::root().join("crates/sim/src/credentials.rs");
        let source = std::fs::read_to_string(path).expect("the simulators' credentials exist");
        assert!(demo_secrets(&source).len() >= 8);
    }
}
