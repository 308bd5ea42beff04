//! Command-line arguments. Hand-parsed: the proxy has few flags and every dependency is paid in
//! build time on small machines.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

/// What the binary was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// Where to listen. Loopback by default: exposing the proxy is a deliberate choice.
    pub listen: SocketAddr,
    /// The built console to serve.
    pub dist: PathBuf,
}

impl Default for Args {
    fn default() -> Self {
        Self {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            dist: PathBuf::from("dist"),
        }
    }
}

/// Reads `--listen ADDR`, `--port N` and `--dist DIR`; an unknown flag or a bad value is an
/// error sentence for the user, never a panic.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => {
                let text = value()?;
                parsed.listen = text.parse().map_err(|_| {
                    format!("--listen: `{text}` is not an address like 127.0.0.1:8080")
                })?;
            }
            "--port" => {
                let text = value()?;
                let port = text
                    .parse()
                    .map_err(|_| format!("--port: `{text}` is not a port number"))?;
                parsed.listen.set_port(port);
            }
            "--dist" => parsed.dist = PathBuf::from(value()?),
            other => {
                return Err(format!(
                    "unknown argument `{other}`; try --listen, --port or --dist"
                ));
            }
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_to_loopback_8080() {
        let args = parse(Vec::new()).expect("no flags is valid");
        assert_eq!(args.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(args.dist, PathBuf::from("dist"));
    }

    #[test]
    fn reads_flags_and_rejects_bad_ones() {
        let args = parse(strings(&["--port", "9090", "--dist", "/srv/ui"])).expect("valid flags");
        assert_eq!(args.listen.to_string(), "127.0.0.1:9090");
        assert_eq!(args.dist, PathBuf::from("/srv/ui"));
        assert!(parse(strings(&["--port", "http"])).is_err());
        assert!(parse(strings(&["--port"])).is_err());
        assert!(parse(strings(&["--bogus"])).is_err());
    }
}
