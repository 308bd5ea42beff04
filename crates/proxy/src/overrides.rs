//! Command-line flags that override the deployment settings: `--base-path`, `--allow-origin`
//! and `--frame-ancestor`. They let the demo (which has no config file) run under a sub-path,
//! answer a console on another origin, and be framed by a portal, and let an operator try a
//! setting without editing the file. Each value is validated like its config field.

use crate::args::Args;
use crate::config::{Settings, validate_origin};

/// Applies the flags in `args` to `settings`; the error names the flag at fault.
pub fn apply(settings: &mut Settings, args: &Args) -> Result<(), String> {
    if let Some(base) = &args.base_path {
        settings.base_path =
            crate::base_path::normalise(base).map_err(|e| format!("--base-path: {e}"))?;
    }
    for origin in &args.allow_origins {
        let origin = validate_origin(origin).map_err(|e| format!("--allow-origin: {e}"))?;
        if !settings.allowed_origins.contains(&origin) {
            settings.allowed_origins.push(origin);
        }
    }
    if !args.frame_ancestors.is_empty() {
        for source in &args.frame_ancestors {
            let plain = !source.is_empty()
                && source
                    .chars()
                    .all(|c| c.is_ascii_graphic() && c != ';' && c != ',');
            if !plain {
                return Err(format!(
                    "--frame-ancestor: `{source}` is not a CSP source such as https://portal.example.com"
                ));
            }
        }
        settings.frame_ancestors = args.frame_ancestors.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_and_are_validated() {
        let mut settings = Settings::unconfigured();
        let args = Args {
            base_path: Some("/admin/".into()),
            allow_origins: vec!["http://127.0.0.1:18301".into()],
            frame_ancestors: vec!["http://127.0.0.1:18302".into()],
            ..Args::default()
        };
        apply(&mut settings, &args).expect("valid");
        assert_eq!(settings.base_path, "/admin");
        assert_eq!(settings.allowed_origins, ["http://127.0.0.1:18301"]);
        assert_eq!(settings.frame_ancestors, ["http://127.0.0.1:18302"]);
        for bad in [
            Args {
                base_path: Some("admin".into()),
                ..Args::default()
            },
            Args {
                allow_origins: vec!["http://a.example/".into()],
                ..Args::default()
            },
            Args {
                frame_ancestors: vec!["a; script-src *".into()],
                ..Args::default()
            },
        ] {
            assert!(apply(&mut Settings::unconfigured(), &bad).is_err());
        }
    }
}
