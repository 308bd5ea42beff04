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
    /// The configuration file (`--config`, else `USERDECK_CONFIG`).
    pub config: Option<PathBuf>,
    /// Demo mode: in-process simulators, demo credentials, no admin auth.
    pub demo: bool,
    /// `--base-path PATH`: serve under a sub-path, over `server.base_path`.
    pub base_path: Option<String>,
    /// `--allow-origin ORIGIN` (repeatable): added to `server.allowed_origins`.
    pub allow_origins: Vec<String>,
    /// `--frame-ancestor SOURCE` (repeatable): replaces `server.frame_ancestors`.
    pub frame_ancestors: Vec<String>,
}

/// What the binary was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve the console and the API.
    Serve(Args),
    /// `userdeck hash`: read a token or password on stdin and print its Argon2id hash.
    Hash,
    /// `userdeck hash --generate`: make a random token and print it with its hash, for admins
    /// who would otherwise pick a guessable one.
    HashGenerate,
}

/// Reads the command line: `hash`, or the serving flags. `env_config` is `USERDECK_CONFIG`,
/// which `--config` overrides.
pub fn command(
    args: impl IntoIterator<Item = String>,
    env_config: Option<PathBuf>,
) -> Result<Command, String> {
    let mut args = args.into_iter().peekable();
    if args.peek().map(String::as_str) == Some("hash") {
        args.next();
        return match (args.next().as_deref(), args.next()) {
            (None, _) => Ok(Command::Hash),
            (Some("--generate"), None) => Ok(Command::HashGenerate),
            (Some(extra), _) => Err(format!(
                "hash takes only --generate (got `{extra}`); type the secret on standard input"
            )),
        };
    }
    let mut parsed = parse(args)?;
    if parsed.config.is_none() {
        parsed.config = env_config;
    }
    if parsed.demo && parsed.config.is_some() {
        return Err(
            "--demo configures its own providers; leave out --config and USERDECK_CONFIG".into(),
        );
    }
    Ok(Command::Serve(parsed))
}

impl Default for Args {
    fn default() -> Self {
        Self {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            dist: PathBuf::from("dist"),
            config: None,
            demo: false,
            base_path: None,
            allow_origins: Vec::new(),
            frame_ancestors: Vec::new(),
        }
    }
}

/// Reads `--listen ADDR`, `--port N`, `--dist DIR`, `--config FILE` and `--demo`; an unknown flag or a bad value is an
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
            "--config" => parsed.config = Some(PathBuf::from(value()?)),
            "--demo" => parsed.demo = true,
            "--base-path" => parsed.base_path = Some(value()?),
            "--allow-origin" => parsed.allow_origins.push(value()?),
            "--frame-ancestor" => parsed.frame_ancestors.push(value()?),
            other => {
                return Err(format!(
                    "unknown argument `{other}`; try --listen, --port, --dist, --config, --demo, --base-path, --allow-origin, --frame-ancestor, hash or hash --generate"
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
        let deploy = parse(strings(&[
            "--base-path",
            "/admin/",
            "--allow-origin",
            "http://127.0.0.1:18301",
            "--frame-ancestor",
            "http://127.0.0.1:18302",
        ]))
        .expect("valid flags");
        assert_eq!(deploy.base_path.as_deref(), Some("/admin/"));
        assert_eq!(deploy.allow_origins, ["http://127.0.0.1:18301"]);
        assert_eq!(deploy.frame_ancestors, ["http://127.0.0.1:18302"]);
    }

    #[test]
    fn config_from_flag_or_environment_and_hash_subcommand() {
        let from_env = command(strings(&[]), Some(PathBuf::from("/etc/u.toml"))).expect("valid");
        assert!(
            matches!(from_env, Command::Serve(a) if a.config == Some(PathBuf::from("/etc/u.toml")))
        );
        let flag = command(
            strings(&["--config", "a.toml"]),
            Some(PathBuf::from("b.toml")),
        )
        .expect("valid");
        assert!(matches!(flag, Command::Serve(a) if a.config == Some(PathBuf::from("a.toml"))));
        let demo = command(strings(&["--demo", "--listen", "127.0.0.1:0"]), None).expect("valid");
        assert!(matches!(demo, Command::Serve(a) if a.demo));
        assert!(command(strings(&["--demo", "--config", "a.toml"]), None).is_err());
        assert_eq!(command(strings(&["hash"]), None), Ok(Command::Hash));
        assert!(command(strings(&["hash", "secret"]), None).is_err());
        assert_eq!(
            command(strings(&["hash", "--generate"]), None),
            Ok(Command::HashGenerate)
        );
        assert!(command(strings(&["hash", "--generate", "x"]), None).is_err());
    }
}
