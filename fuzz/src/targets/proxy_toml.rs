//! Text through the proxy's config parser, with secrets coming from a fixed environment and
//! secret files never touching the disk, so the target is pure and repeatable.

use std::io;
use std::path::Path;

use userdeck_proxy::config::{self, Environment};

/// Answers every variable with one valid credential and every secret file with another, so the
/// parser gets past secrets to the checks behind them.
struct FixedSecrets;

impl Environment for FixedSecrets {
    fn var(&self, _name: &str) -> Option<String> {
        Some("fuzz-env-secret".into())
    }

    fn read_secret_file(&self, _path: &Path) -> io::Result<String> {
        Ok("fuzz-file-secret\n".into())
    }
}

/// Parses the input as config text; a panic is a defect, an error is an answer. A valid
/// config must also describe itself for the startup log.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(settings) = config::parse(text, Path::new("/fuzz-config-dir"), &FixedSecrets) {
        assert_eq!(config::describe(&settings).len(), settings.providers.len());
    }
}
