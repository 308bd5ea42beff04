//! The `[shared_state]` section: which Redis-protocol server the replicas share their limits
//! through, and how many replicas there are (each one's share when that server is unreachable).

use std::path::{Path, PathBuf};
use std::time::Duration;

use redis::IntoConnectionInfo;
use secrecy::SecretString;
use serde::Deserialize;

use crate::config::{Environment, in_range, in_range_ms, ranges, read_secret};

/// The section as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSharedState {
    url: Option<String>,
    replicas: Option<u64>,
    timeout_ms: Option<u64>,
    key_prefix: Option<String>,
    username: Option<String>,
    secret_env: Option<String>,
    secret_file: Option<PathBuf>,
}

/// Where the replicas keep the limits they share, validated.
#[derive(Debug)]
pub struct SharedStateSettings {
    /// `redis://host:port/db`, without credentials (they come from `secret_env` or
    /// `secret_file`), so it can be logged.
    pub url: String,
    /// How many replicas share the store. When it is unreachable each replica keeps `1/replicas`
    /// of every provider limit, so together they still stay within it.
    pub replicas: u32,
    /// The most one store call may take; past it the call counts as the store being unreachable,
    /// so a hung store cannot hang requests.
    pub timeout: Duration,
    /// Prepended to every key, so several deployments can share one server.
    pub key_prefix: String,
    /// The ACL user, if the server has them.
    pub username: Option<String>,
    /// The server's password (`AUTH`), if it needs one.
    pub password: Option<SecretString>,
}

const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);
const DEFAULT_KEY_PREFIX: &str = "userdeck";

/// Validates the section; every error starts with the field's full name.
pub(crate) fn validate(
    raw: RawSharedState,
    base_dir: &Path,
    env: &dyn Environment,
) -> Result<SharedStateSettings, String> {
    let url = raw.url.ok_or(
        "shared_state.url: missing; name the store, e.g. url = \"redis://10.0.0.5:6379/0\"",
    )?;
    let url = validate_url(&url).map_err(|e| format!("shared_state.url: {e}"))?;
    let replicas = raw.replicas.ok_or(
        "shared_state.replicas: missing; give the number of proxy replicas that share the store (each keeps that share of every provider limit while the store is unreachable)",
    )?;
    let replicas = in_range(
        Some(replicas),
        ranges::SHARED_STATE_REPLICAS,
        replicas,
        "shared_state.replicas",
    )?;
    let timeout = in_range_ms(
        raw.timeout_ms,
        ranges::SHARED_STATE_TIMEOUT_MS,
        DEFAULT_TIMEOUT,
        "shared_state.timeout_ms",
    )?;
    let key_prefix = raw
        .key_prefix
        .unwrap_or_else(|| DEFAULT_KEY_PREFIX.to_string());
    if key_prefix.is_empty()
        || key_prefix.len() > 64
        || !key_prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
    {
        return Err(
            "shared_state.key_prefix: must be 1 to 64 characters of letters, digits, - _ : and ."
                .into(),
        );
    }
    if let Some(user) = &raw.username
        && (user.is_empty() || user.len() > 128 || !user.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err("shared_state.username: must be 1 to 128 visible ASCII characters".into());
    }
    let password = match (raw.secret_env, raw.secret_file) {
        (None, None) => None,
        (var, file) => {
            Some(read_secret(var, file, base_dir, env).map_err(|e| format!("shared_state.{e}"))?)
        }
    };
    Ok(SharedStateSettings {
        url,
        replicas: u32::try_from(replicas).unwrap_or(1),
        timeout,
        key_prefix,
        username: raw.username,
        password,
    })
}

fn validate_url(text: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(text)
        .map_err(|_| "is not a URL like redis://10.0.0.5:6379/0".to_string())?;
    if url.scheme() != "redis" {
        return Err(format!(
            "`{}` is not supported; use redis:// (this build has no TLS to the store: keep it on a private network or behind a TLS tunnel)",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "must not hold credentials; give username and secret_env or secret_file instead".into(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("needs a host".into());
    }
    text.into_connection_info().map_err(|_| {
        "is not a store address like redis://10.0.0.5:6379/0 (the path, if any, is a database number)"
            .to_string()
    })?;
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use secrecy::ExposeSecret;

    use super::*;

    struct Vars(HashMap<&'static str, &'static str>);

    impl Environment for Vars {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| v.to_string())
        }
    }

    fn parse(text: &str) -> Result<SharedStateSettings, String> {
        let raw: RawSharedState = toml::from_str(text).map_err(|e| e.to_string())?;
        validate(
            raw,
            Path::new("."),
            &Vars(HashMap::from([("STORE_PASSWORD", "s3cret")])),
        )
    }

    #[test]
    fn reads_a_full_section() {
        let settings = parse(
            "url = \"redis://127.0.0.1:6379/2\"\nreplicas = 3\ntimeout_ms = 100\nkey_prefix = \"ud:prod\"\nusername = \"proxy\"\nsecret_env = \"STORE_PASSWORD\"",
        )
        .expect("valid");
        assert_eq!(settings.url, "redis://127.0.0.1:6379/2");
        assert_eq!(settings.replicas, 3);
        assert_eq!(settings.timeout, Duration::from_millis(100));
        assert_eq!(settings.key_prefix, "ud:prod");
        assert_eq!(settings.username.as_deref(), Some("proxy"));
        assert_eq!(
            settings.password.as_ref().map(|p| p.expose_secret()),
            Some("s3cret")
        );
        assert!(!format!("{settings:?}").contains("s3cret"));
    }

    #[test]
    fn defaults_the_timeout_and_prefix() {
        let settings = parse("url = \"redis://store:6379\"\nreplicas = 2").expect("valid");
        assert_eq!(settings.timeout, DEFAULT_TIMEOUT);
        assert_eq!(settings.key_prefix, "userdeck");
        assert!(settings.password.is_none());
    }

    #[test]
    fn errors_name_the_field_in_one_line() {
        let cases = [
            ("replicas = 2", "shared_state.url:"),
            ("url = \"redis://h:6379\"", "shared_state.replicas:"),
            (
                "url = \"redis://h:6379\"\nreplicas = 0",
                "shared_state.replicas:",
            ),
            (
                "url = \"redis://h:6379\"\nreplicas = 65",
                "shared_state.replicas:",
            ),
            (
                "url = \"redis://h:6379\"\nreplicas = 2\ntimeout_ms = 0",
                "shared_state.timeout_ms:",
            ),
            (
                "url = \"redis://h:6379\"\nreplicas = 2\ntimeout_ms = 9223372036854775807",
                "shared_state.timeout_ms:",
            ),
            (
                "url = \"rediss://h:6379\"\nreplicas = 2",
                "shared_state.url:",
            ),
            (
                "url = \"redis://:hunter2@h:6379\"\nreplicas = 2",
                "shared_state.url:",
            ),
            (
                "url = \"redis://h:6379/x\"\nreplicas = 2",
                "shared_state.url:",
            ),
            ("url = \"not a url\"\nreplicas = 2", "shared_state.url:"),
            (
                "url = \"redis://h:6379\"\nreplicas = 2\nkey_prefix = \"a b\"",
                "shared_state.key_prefix:",
            ),
            (
                "url = \"redis://h:6379\"\nreplicas = 2\nsecret_env = \"UNSET\"",
                "shared_state.secret_env:",
            ),
            (
                "url = \"redis://h:6379\"\nreplicas = 2\nusername = \"\"",
                "shared_state.username:",
            ),
        ];
        for (text, field) in cases {
            let message = parse(text).expect_err(text);
            assert!(
                message.starts_with(field),
                "{field} not first in: {message}"
            );
            assert!(!message.contains('\n'), "one line: {message}");
            assert!(!message.contains("hunter2"), "secret echoed: {message}");
        }
    }
}
