//! The deployment's configuration: a TOML file that names the providers, the allowed origins, the
//! admin authentication and the limits. Secrets are never read from it; each provider names an
//! environment variable or a file instead, so the TOML can be committed and reviewed.
//!
//! [`load`] turns the file into a [`Settings`] or into one sentence naming the field at fault, so
//! that a bad deployment stops at startup rather than at the first request.

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;
use serde::Deserialize;
use userdeck_providers::{Capabilities, ProviderKind};

use crate::rate_limit::RateLimit;

/// The file as written. Unknown fields are refused so that a typo (or a secret pasted where it
/// does not belong) is reported instead of silently ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    server: RawServer,
    auth: Option<RawAuth>,
    #[serde(default)]
    providers: Vec<RawProvider>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    #[serde(default)]
    allowed_origins: Vec<String>,
    frame_ancestors: Option<Vec<String>>,
    upstream_timeout_ms: Option<u64>,
    max_response_bytes: Option<usize>,
    header_read_timeout_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    mode: String,
    #[serde(default)]
    token_hashes: Vec<String>,
    #[serde(default)]
    users: Vec<RawUser>,
    header: Option<String>,
    #[serde(default)]
    trusted_addresses: Vec<String>,
    failed_logins_per_minute: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    name: String,
    password_hash: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    id: String,
    kind: String,
    label: Option<String>,
    base_url: String,
    organization_id: Option<String>,
    customer_id: Option<u64>,
    secret_env: Option<String>,
    secret_file: Option<PathBuf>,
    max_concurrency: Option<usize>,
    max_page_size: Option<u64>,
    rate_limit: Option<RawRateLimit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRateLimit {
    requests: u32,
    per_seconds: u64,
}

/// Everything the proxy needs, validated. Built once at startup and shared read-only.
#[derive(Debug)]
pub struct Settings {
    /// The configured providers, in file order (the console lists them in this order).
    pub providers: Vec<Provider>,
    /// Origins (scheme://host[:port]) allowed to call the API from a browser; exact matches only.
    pub allowed_origins: Vec<String>,
    /// CSP `frame-ancestors` sources; `'none'` by default so the console cannot be framed.
    pub frame_ancestors: Vec<String>,
    /// How long one upstream call may take in total before the client gets a 504.
    pub upstream_timeout: Duration,
    /// The largest upstream body passed on; a larger one is a 502, so memory stays bounded.
    pub max_response_bytes: usize,
    /// How long a client may take to send its request headers before the connection is closed.
    pub header_read_timeout: Duration,
    /// Who may use the API.
    pub auth: AuthSettings,
}

/// One configured provider. The secret lives here and nowhere else; `Debug` redacts it.
#[derive(Debug)]
pub struct Provider {
    /// The id in URLs (`/api/p/{id}/...`) and in the console's routes.
    pub id: String,
    /// Which API it speaks.
    pub kind: ProviderKind,
    /// The name people see.
    pub label: String,
    /// Scheme, host, optional port and path prefix, without a trailing slash.
    pub base_url: Url,
    /// Rebilly's organization, which becomes part of the upstream path (unless the base URL
    /// already ends with `/organizations/{id}`).
    pub organization_id: Option<String>,
    /// Nameshield's customer; when set, it replaces whatever customer a client asks for.
    pub customer_id: Option<u64>,
    /// The credential injected into every upstream request for this provider.
    pub secret: SecretString,
    /// At most this many upstream calls at once for this provider.
    pub max_concurrency: usize,
    /// The provider's published rate limit, enforced here so the proxy answers 429 itself.
    pub rate_limit: Option<RateLimit>,
    /// What the provider can do, with any configured page-size maximum applied; the console
    /// builds its controls from it.
    pub capabilities: Capabilities,
}

/// How admins prove who they are.
#[derive(Debug, Clone)]
pub enum AuthSettings {
    /// Only the demo turns authentication off; a config file cannot.
    Off,
    /// `Authorization: Bearer TOKEN`, checked against Argon2id hashes.
    Bearer {
        /// PHC strings (`$argon2id$...`).
        token_hashes: Vec<String>,
        /// Failed attempts allowed per client per minute.
        failures_per_minute: u32,
    },
    /// HTTP Basic, checked against Argon2id hashes per user.
    Basic {
        /// User name and PHC string pairs.
        users: Vec<(String, String)>,
        /// Failed attempts allowed per client per minute.
        failures_per_minute: u32,
    },
    /// A header set by an authenticating reverse proxy, believed only from these peers.
    TrustedHeader {
        /// The header name, e.g. `X-Forwarded-User`.
        header: String,
        /// The peers allowed to set it.
        trusted: Vec<IpAddr>,
    },
}

impl Settings {
    /// A deployment with nothing configured: no providers, and an API that nobody can use
    /// (bearer mode with no tokens). It keeps `userdeck --dist dist` serving the console.
    pub fn unconfigured() -> Self {
        Self {
            providers: Vec::new(),
            allowed_origins: Vec::new(),
            frame_ancestors: vec!["'none'".into()],
            upstream_timeout: DEFAULT_UPSTREAM_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            auth: AuthSettings::Bearer {
                token_hashes: Vec::new(),
                failures_per_minute: DEFAULT_FAILURES_PER_MINUTE,
            },
        }
    }

    /// The provider with this id, if configured.
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }
}

const DEFAULT_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(15);
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_FAILURES_PER_MINUTE: u32 = 10;
const DEFAULT_MAX_CONCURRENCY: usize = 16;

/// Where secrets come from. Tests pass a map; the binary passes the process environment.
pub trait Environment {
    /// The value of variable `name`, if set and valid Unicode.
    fn var(&self, name: &str) -> Option<String>;

    /// The text of the secret file at `path`. Reading it from disk is the default; the fuzz
    /// target answers without I/O, so that [`parse`] can be fed any text.
    fn read_secret_file(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// The real process environment.
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// Reads and validates the file at `path`. The error names the file and the field at fault.
pub fn load(path: &Path, env: &dyn Environment) -> Result<Settings, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read the config file {}: {err}", path.display()))?;
    parse(&text, path.parent().unwrap_or(Path::new(".")), env)
        .map_err(|err| format!("{}: {err}", path.display()))
}

/// Validates config text; relative `secret_file` paths are resolved against `base_dir`.
pub fn parse(text: &str, base_dir: &Path, env: &dyn Environment) -> Result<Settings, String> {
    let raw: RawConfig = toml::from_str(text).map_err(|err| toml_error(text, &err))?;
    let server = raw.server;
    let allowed_origins = server
        .allowed_origins
        .iter()
        .enumerate()
        .map(|(i, origin)| {
            validate_origin(origin).map_err(|e| format!("server.allowed_origins[{i}]: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let frame_ancestors = server
        .frame_ancestors
        .unwrap_or_else(|| vec!["'none'".into()]);
    for (i, source) in frame_ancestors.iter().enumerate() {
        if source.is_empty()
            || !source
                .chars()
                .all(|c| c.is_ascii_graphic() && c != ';' && c != ',')
        {
            return Err(format!(
                "server.frame_ancestors[{i}]: `{source}` is not a CSP source such as 'self' or https://portal.example.com"
            ));
        }
    }
    let upstream_timeout = positive_ms(server.upstream_timeout_ms, "server.upstream_timeout_ms")?
        .unwrap_or(DEFAULT_UPSTREAM_TIMEOUT);
    let header_read_timeout = positive_ms(
        server.header_read_timeout_ms,
        "server.header_read_timeout_ms",
    )?
    .unwrap_or(DEFAULT_HEADER_READ_TIMEOUT);
    let max_response_bytes = match server.max_response_bytes {
        Some(0) => return Err("server.max_response_bytes: must be more than 0".into()),
        Some(n) => n,
        None => DEFAULT_MAX_RESPONSE_BYTES,
    };
    let auth = match raw.auth {
        Some(auth) => validate_auth(auth)?,
        None => {
            return Err(
                "auth: missing. Admin authentication is required: set [auth] mode to \"bearer\", \"basic\" or \"trusted-header\""
                    .into(),
            );
        }
    };
    let mut ids = HashSet::new();
    let mut providers = Vec::with_capacity(raw.providers.len());
    for (i, provider) in raw.providers.into_iter().enumerate() {
        let validated = validate_provider(provider, base_dir, env)
            .map_err(|e| format!("providers[{i}].{e}"))?;
        if !ids.insert(validated.id.clone()) {
            return Err(format!(
                "providers[{i}].id: `{}` is used twice; each provider needs its own id",
                validated.id
            ));
        }
        providers.push(validated);
    }
    Ok(Settings {
        providers,
        allowed_origins,
        frame_ancestors,
        upstream_timeout,
        max_response_bytes,
        header_read_timeout,
        auth,
    })
}

/// The parser's message and position, without the quoted source line: that line could be a
/// secret pasted where it does not belong.
fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let line = err
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
    format!(
        "{at}{} (secrets never go in this file: name them with secret_env or secret_file)",
        err.message().trim_end()
    )
}

fn positive_ms(value: Option<u64>, field: &str) -> Result<Option<Duration>, String> {
    match value {
        Some(0) => Err(format!("{field}: must be more than 0")),
        Some(ms) => Ok(Some(Duration::from_millis(ms))),
        None => Ok(None),
    }
}

/// An origin is compared byte for byte with the browser's `Origin` header, so it must be in the
/// browser's serialization: lowercase scheme and host, no path, no trailing slash or dot.
fn validate_origin(origin: &str) -> Result<String, String> {
    let url = Url::parse(origin)
        .map_err(|_| format!("`{origin}` is not an origin like https://admin.example.com"))?;
    let serialized = url.origin().ascii_serialization();
    if !matches!(url.scheme(), "http" | "https") || serialized != origin {
        return Err(format!(
            "`{origin}` is not an origin exactly as a browser sends it (e.g. https://admin.example.com, no path or trailing slash)"
        ));
    }
    if url.host_str().is_some_and(|h| h.ends_with('.')) {
        return Err(format!(
            "`{origin}` ends with a dot; write the host without it"
        ));
    }
    Ok(serialized)
}

fn validate_auth(raw: RawAuth) -> Result<AuthSettings, String> {
    let failures_per_minute = match raw.failed_logins_per_minute {
        Some(0) => return Err("auth.failed_logins_per_minute: must be more than 0".into()),
        Some(n) => n,
        None => DEFAULT_FAILURES_PER_MINUTE,
    };
    match raw.mode.as_str() {
        "bearer" => {
            if raw.token_hashes.is_empty() {
                return Err("auth.token_hashes: bearer mode needs at least one Argon2id hash (make one with `userdeck hash`)".into());
            }
            for (i, hash) in raw.token_hashes.iter().enumerate() {
                check_hash(hash).map_err(|e| format!("auth.token_hashes[{i}]: {e}"))?;
            }
            Ok(AuthSettings::Bearer {
                token_hashes: raw.token_hashes,
                failures_per_minute,
            })
        }
        "basic" => {
            if raw.users.is_empty() {
                return Err("auth.users: basic mode needs at least one user".into());
            }
            let mut users = Vec::new();
            for (i, user) in raw.users.into_iter().enumerate() {
                if user.name.is_empty()
                    || user.name.contains(':')
                    || user.name.chars().any(char::is_control)
                {
                    return Err(format!(
                        "auth.users[{i}].name: must be non-empty, without ':' or control characters"
                    ));
                }
                check_hash(&user.password_hash)
                    .map_err(|e| format!("auth.users[{i}].password_hash: {e}"))?;
                users.push((user.name, user.password_hash));
            }
            Ok(AuthSettings::Basic {
                users,
                failures_per_minute,
            })
        }
        "trusted-header" => {
            let header = raw.header.ok_or(
                "auth.header: trusted-header mode needs the header name, e.g. X-Forwarded-User",
            )?;
            if axum::http::HeaderName::from_bytes(header.as_bytes()).is_err() {
                return Err(format!(
                    "auth.header: `{header}` is not a valid header name"
                ));
            }
            if raw.trusted_addresses.is_empty() {
                return Err("auth.trusted_addresses: trusted-header mode needs the addresses of the authenticating proxy".into());
            }
            let trusted = raw
                .trusted_addresses
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    a.parse::<IpAddr>().map_err(|_| {
                        format!("auth.trusted_addresses[{i}]: `{a}` is not an IP address")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(AuthSettings::TrustedHeader { header, trusted })
        }
        other => Err(format!(
            "auth.mode: `{other}` is not one of \"bearer\", \"basic\", \"trusted-header\" (authentication cannot be turned off outside the demo)"
        )),
    }
}

fn check_hash(hash: &str) -> Result<(), String> {
    match argon2::PasswordHash::new(hash) {
        Ok(parsed) if parsed.algorithm.as_str() == "argon2id" => Ok(()),
        _ => Err("not an Argon2id hash (`$argon2id$...`); make one with `userdeck hash`".into()),
    }
}

fn validate_provider(
    raw: RawProvider,
    base_dir: &Path,
    env: &dyn Environment,
) -> Result<Provider, String> {
    let id = raw.id;
    if id.is_empty()
        || id.len() > 40
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!(
            "id: `{id}` must be 1 to 40 characters of a-z, 0-9 and -"
        ));
    }
    let kind = ProviderKind::from_id(&raw.kind).ok_or_else(|| {
        let known: Vec<&str> = ProviderKind::ALL.iter().map(|k| k.id()).collect();
        format!("kind: `{}` is not one of {}", raw.kind, known.join(", "))
    })?;
    let label = raw.label.unwrap_or_else(|| kind.label().to_string());
    if label.trim().is_empty() || label.chars().count() > 80 || label.chars().any(char::is_control)
    {
        return Err("label: must be 1 to 80 printable characters".into());
    }
    let base_url = validate_base_url(&raw.base_url).map_err(|e| format!("base_url: {e}"))?;
    let organization_id = match (kind, raw.organization_id) {
        (ProviderKind::Rebilly, Some(org)) => {
            if org.is_empty()
                || org.len() > 64
                || !org
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(
                    "organization_id: must be 1 to 64 characters of letters, digits, - and _"
                        .into(),
                );
            }
            Some(org)
        }
        (ProviderKind::Rebilly, None) if !base_url.path().contains("/organizations/") => {
            return Err("organization_id: Rebilly needs the organization id (its users live under /organizations/{id}), or a base_url ending with /organizations/{id}".into());
        }
        (_, Some(_)) => {
            return Err(format!(
                "organization_id: only Rebilly has one, not {}",
                kind.label()
            ));
        }
        (_, None) => None,
    };
    if raw.customer_id.is_some() && kind != ProviderKind::Nameshield {
        return Err(format!(
            "customer_id: only Nameshield has one, not {}",
            kind.label()
        ));
    }
    let secret = read_secret(raw.secret_env, raw.secret_file, base_dir, env)?;
    let max_concurrency = match raw.max_concurrency {
        Some(0) => return Err("max_concurrency: must be more than 0".into()),
        Some(n) => n,
        None => DEFAULT_MAX_CONCURRENCY,
    };
    let rate_limit = match raw.rate_limit {
        Some(RawRateLimit { requests: 0, .. }) | Some(RawRateLimit { per_seconds: 0, .. }) => {
            return Err("rate_limit: requests and per_seconds must both be more than 0".into());
        }
        Some(r) => Some(RateLimit::new(
            r.requests,
            Duration::from_secs(r.per_seconds),
        )),
        None => published_rate_limit(kind),
    };
    let capabilities = match raw.max_page_size {
        Some(0) => return Err("max_page_size: must be more than 0".into()),
        Some(max) => Capabilities::of(kind).with_max_page_size(max),
        None => Capabilities::of(kind),
    };
    Ok(Provider {
        capabilities,
        id,
        kind,
        label,
        base_url,
        organization_id,
        customer_id: raw.customer_id,
        secret,
        max_concurrency,
        rate_limit,
    })
}

/// The limits the providers publish. Only Nameshield does: 600 requests per 5 minutes per token.
pub fn published_rate_limit(kind: ProviderKind) -> Option<RateLimit> {
    match kind {
        ProviderKind::Nameshield => Some(RateLimit::new(600, Duration::from_secs(300))),
        _ => None,
    }
}

fn validate_base_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text)
        .map_err(|_| format!("`{text}` is not a URL like https://api.example.com"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must start with https:// (or http:// for a local simulator)".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "must not hold credentials; name the secret with secret_env or secret_file".into(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("needs a host".into());
    }
    let mut url = url;
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
    Ok(url)
}

fn read_secret(
    var: Option<String>,
    file: Option<PathBuf>,
    base_dir: &Path,
    env: &dyn Environment,
) -> Result<SecretString, String> {
    let (value, source) = match (var, file) {
        (Some(var), None) => {
            let value = env
                .var(&var)
                .ok_or_else(|| format!("secret_env: the environment variable {var} is not set"))?;
            (value, format!("secret_env: the variable {var}"))
        }
        (None, Some(file)) => {
            let path = if file.is_absolute() { file } else { base_dir.join(file) };
            let mut value = env
                .read_secret_file(&path)
                .map_err(|err| format!("secret_file: cannot read {}: {}", path.display(), err.kind()))?;
            // Editors and `echo` end files with a newline; one trailing line break is not part
            // of the secret.
            if value.ends_with('\n') {
                value.pop();
                if value.ends_with('\r') {
                    value.pop();
                }
            }
            (value, format!("secret_file: the file {}", path.display()))
        }
        (Some(_), Some(_)) => return Err("secret_env: give secret_env or secret_file, not both".into()),
        (None, None) => return Err("secret_env: missing; name the variable (or a secret_file) that holds this provider's credential".into()),
    };
    check_secret(&value).map_err(|problem| format!("{source} {problem}"))?;
    Ok(SecretString::from(value))
}

/// A secret goes into a header or a query string; a line break there would let it split the
/// request, so one is refused at startup.
pub fn check_secret(value: &str) -> Result<(), &'static str> {
    if value.is_empty() {
        return Err("is empty");
    }
    if value.contains(['\r', '\n']) {
        return Err("contains a line break (CR or LF), which is not allowed in a credential");
    }
    if value.chars().any(|c| c.is_control()) || !value.is_ascii() {
        return Err("contains control or non-ASCII characters, which cannot go in an HTTP header");
    }
    Ok(())
}

/// For the startup log: the providers without anything secret.
pub fn describe(settings: &Settings) -> Vec<String> {
    settings
        .providers
        .iter()
        .map(|p| format!("{} ({}) at {}", p.id, p.kind.id(), p.base_url))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct Vars(HashMap<&'static str, &'static str>);

    impl Environment for Vars {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| v.to_string())
        }
    }

    fn vars() -> Vars {
        Vars(HashMap::from([
            ("USERDECK_PRESSONE_KEY", "k1"),
            ("USERDECK_PNGME_TOKEN", "k2"),
            ("USERDECK_NAMESHIELD_TOKEN", "k3"),
            ("USERDECK_REBILLY_API_KEY", "k4"),
            ("USERDECK_ACTIVEPLATFORM_TOKEN", "k5"),
            ("BROKEN", "abc\r\nX-Evil: 1"),
        ]))
    }

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$MokTOm8RA28xwmFesUwnKg$RrS8JvKBr52h8UKDDumsVrcA3eVpN9El5dtLEdyGj+o";

    fn with_provider(provider: &str) -> String {
        format!(
            "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{HASH}\"]\n\n[[providers]]\n{provider}\n"
        )
    }

    fn error(text: &str) -> String {
        parse(text, Path::new("."), &vars()).expect_err("invalid config")
    }

    #[test]
    fn the_committed_example_is_valid() {
        let text = include_str!("../../../config/userdeck.example.toml");
        let settings = parse(text, Path::new("."), &vars()).expect("the example is valid");
        let ids: Vec<&str> = settings.providers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "pressone",
                "pngme",
                "nameshield",
                "rebilly",
                "activeplatform"
            ]
        );
        assert_eq!(settings.providers[2].customer_id, Some(1234));
        assert_eq!(
            settings.providers[2].rate_limit,
            Some(RateLimit::new(600, Duration::from_secs(300)))
        );
        assert_eq!(
            settings.providers[3].organization_id.as_deref(),
            Some("my-org-id")
        );
        assert_eq!(settings.allowed_origins, ["https://admin.example.com"]);
        let debug = format!("{settings:?}");
        for secret in ["k1", "k2", "k3", "k4", "k5"] {
            assert!(
                !debug.contains(&format!("\"{secret}\"")),
                "{secret} printed by Debug"
            );
        }
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        let cases = [
            (
                with_provider(
                    "id = \"a\"\nkind = \"rebilly\"\nbase_url = \"https://x.example\"\nsecret_env = \"BROKEN\"\norganization_id = \"o\"",
                ),
                "providers[0].secret_env",
            ),
            (
                with_provider(
                    "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://u:p@x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"",
                ),
                "providers[0].base_url",
            ),
            (
                with_provider(
                    "id = \"a\"\nkind = \"rebilly\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"",
                ),
                "providers[0].organization_id",
            ),
            (
                with_provider(
                    "id = \"A B\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"",
                ),
                "providers[0].id",
            ),
            (
                with_provider(
                    "id = \"a\"\nkind = \"stripe\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"",
                ),
                "providers[0].kind",
            ),
            (
                with_provider(
                    "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret_env = \"NOT_SET\"",
                ),
                "NOT_SET",
            ),
            (
                with_provider("id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\""),
                "providers[0].secret_env",
            ),
            (
                with_provider(
                    "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret = \"hunter2\"",
                ),
                "secret",
            ),
            ("[server]\n".to_string(), "auth"),
            ("[auth]\nmode = \"none\"".to_string(), "auth.mode"),
            (
                "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"plain\"]".to_string(),
                "auth.token_hashes[0]",
            ),
            (
                format!(
                    "[server]\nallowed_origins = [\"https://a.example/\"]\n{}",
                    with_provider(
                        "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\""
                    )
                ),
                "server.allowed_origins[0]",
            ),
        ];
        for (text, field) in cases {
            let message = error(&text);
            assert!(message.contains(field), "{field} not named in: {message}");
            assert!(
                !message.contains("hunter2") && !message.contains("X-Evil"),
                "secret echoed: {message}"
            );
        }
        let twice = format!(
            "{}\n[[providers]]\nid = \"a\"\nkind = \"pngme\"\nbase_url = \"https://y.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"\n",
            with_provider(
                "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\""
            )
        );
        assert!(error(&twice).contains("providers[1].id"));
    }

    #[test]
    fn secret_files_lose_one_trailing_newline_and_refuse_inner_line_breaks() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("good"), "tok-123\n").expect("write");
        std::fs::write(dir.path().join("bad"), "tok\n123\n").expect("write");
        let good = with_provider(
            "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret_file = \"good\"",
        );
        let settings = parse(&good, dir.path(), &vars()).expect("valid");
        assert_eq!(
            secrecy::ExposeSecret::expose_secret(&settings.providers[0].secret),
            "tok-123"
        );
        let bad = good.replace("\"good\"", "\"bad\"");
        let message = parse(&bad, dir.path(), &vars()).expect_err("line break");
        assert!(
            message.contains("providers[0].secret_file") && message.contains("line break"),
            "{message}"
        );
        assert!(!message.contains("tok"), "{message}");
    }
}
