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
use userdeck_providers::{Capabilities, ProviderKind, Scheme};

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
    shared_state: Option<crate::shared_state::config::RawSharedState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    #[serde(default)]
    allowed_origins: Vec<String>,
    frame_ancestors: Option<Vec<String>>,
    upstream_timeout_ms: Option<u64>,
    max_response_bytes: Option<u64>,
    header_read_timeout_ms: Option<u64>,
    base_path: Option<String>,
    static_send_timeout_ms: Option<u64>,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    trusted_proxies: Vec<String>,
    client_address_header: Option<String>,
    audit: Option<RawAudit>,
}

/// `audit = false`, `audit = "stdout"` or `audit = "/path/to/audit.jsonl"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawAudit {
    On(bool),
    To(String),
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
    failed_logins_per_minute: Option<u64>,
    failed_logins_total_per_minute: Option<u64>,
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
    credential: Option<String>,
    max_concurrency: Option<u64>,
    max_page_size: Option<u64>,
    rate_limit: Option<RawRateLimit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRateLimit {
    requests: u64,
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
    /// How long one static file may take to send in total, so a client that reads slowly
    /// cannot hold a connection for as long as it likes.
    pub static_send_timeout: Duration,
    /// The `Host` values answered; empty means any. A DNS-rebinding page sends its own name, so
    /// a list turns it away.
    pub hosts: Vec<HostPattern>,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` is believed when they connect, so
    /// failed sign-ins are counted per real client rather than for everyone behind them.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Which forwarding header those proxies set.
    pub client_address_header: ClientAddressHeader,
    /// Where the audit log goes, if anywhere.
    pub audit: AuditTarget,
    /// Who may use the API.
    pub auth: AuthSettings,
    /// The sub-path the console and the API are served under (`""` for the root, else like
    /// `/admin`), see [`crate::base_path`].
    pub base_path: String,
    /// The store the replicas share their limits through; `None` keeps every limit in process.
    pub shared_state: Option<crate::shared_state::config::SharedStateSettings>,
}

/// One entry of `server.hosts`: a host name or address, and a port when the entry names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPattern {
    /// Lowercase host, IPv6 addresses in brackets (`[::1]`).
    pub host: String,
    /// The port the entry requires; `None` accepts any.
    pub port: Option<u16>,
}

impl HostPattern {
    /// Reads `admin.example.com`, `admin.example.com:8443`, `127.0.0.1` or `[::1]:8080`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port))
                if !host.is_empty() && (!host.contains(':') || host.ends_with(']')) =>
            {
                (host.to_string(), Some(port.parse::<u16>().ok()?))
            }
            _ => (text.clone(), None),
        };
        let host = host.trim_end_matches('.').to_string();
        let valid = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            inner.parse::<std::net::Ipv6Addr>().is_ok()
        } else {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        };
        valid.then_some(Self { host, port })
    }

    /// Whether a request's `Host` (already parsed by [`HostPattern::parse`]) is this entry.
    pub fn admits(&self, given: &HostPattern) -> bool {
        self.host == given.host && self.port.is_none_or(|port| given.port == Some(port))
    }
}

/// The header a trusted reverse proxy puts the client's address in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAddressHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, most load balancers).
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https`.
    Forwarded,
}

/// Where audit lines are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditTarget {
    /// `audit = false`: no audit log.
    Off,
    /// Standard output, one JSON line per API request (the default).
    Stdout,
    /// Appended to this file.
    File(PathBuf),
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
    /// How the secret is sent (Rebilly: its secret key, or a JWT as a bearer token).
    pub scheme: Scheme,
    /// At most this many upstream calls at once for this provider.
    pub max_concurrency: usize,
    /// The provider's published rate limit, enforced here so the proxy answers 429 itself.
    pub rate_limit: Option<RateLimit>,
    /// What the provider can do, with any configured page-size maximum applied; the console
    /// builds its controls from it.
    pub capabilities: Capabilities,
}

/// Failed sign-ins allowed per minute: per client, and across all clients together so that a
/// flood from many addresses is bounded too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureLimits {
    /// Per client address (IPv6: per /64).
    pub per_client: u32,
    /// Across all clients.
    pub total: u32,
}

impl Default for FailureLimits {
    fn default() -> Self {
        Self {
            per_client: DEFAULT_FAILURES_PER_MINUTE,
            total: DEFAULT_FAILURES_TOTAL_PER_MINUTE,
        }
    }
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
        /// How many failed sign-ins are allowed.
        failures: FailureLimits,
    },
    /// HTTP Basic, checked against Argon2id hashes per user.
    Basic {
        /// User name and PHC string pairs.
        users: Vec<(String, String)>,
        /// How many failed sign-ins are allowed.
        failures: FailureLimits,
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
            static_send_timeout: DEFAULT_STATIC_SEND_TIMEOUT,
            hosts: Vec::new(),
            trusted_proxies: Vec::new(),
            client_address_header: ClientAddressHeader::XForwardedFor,
            audit: AuditTarget::Stdout,
            auth: AuthSettings::Bearer {
                token_hashes: Vec::new(),
                failures: FailureLimits::default(),
            },
            shared_state: None,
            base_path: String::new(),
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
const DEFAULT_STATIC_SEND_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_FAILURES_PER_MINUTE: u32 = 10;
const DEFAULT_FAILURES_TOTAL_PER_MINUTE: u32 = 100;
const DEFAULT_MAX_CONCURRENCY: usize = 16;

/// The ranges every numeric setting must fall in. Outside them a value is a mistake (or an
/// attempt to make the proxy panic or exhaust memory), so it stops start-up with its field name.
pub mod ranges {
    /// `server.upstream_timeout_ms`: 1 ms to 10 minutes.
    pub const UPSTREAM_TIMEOUT_MS: (u64, u64) = (1, 600_000);
    /// `server.header_read_timeout_ms`: 1 ms to 10 minutes.
    pub const HEADER_READ_TIMEOUT_MS: (u64, u64) = (1, 600_000);
    /// `server.static_send_timeout_ms`: 1 ms to 1 hour.
    pub const STATIC_SEND_TIMEOUT_MS: (u64, u64) = (1, 3_600_000);
    /// `server.max_response_bytes`: 1 byte to 256 MiB.
    pub const MAX_RESPONSE_BYTES: (u64, u64) = (1, 256 * 1024 * 1024);
    /// `auth.failed_logins_per_minute`: 1 to 1000 per client.
    pub const FAILED_LOGINS_PER_MINUTE: (u64, u64) = (1, 1000);
    /// `auth.failed_logins_total_per_minute`: 1 to 100,000 across all clients.
    pub const FAILED_LOGINS_TOTAL_PER_MINUTE: (u64, u64) = (1, 100_000);
    /// `providers[].max_concurrency`: 1 to 1024 calls in flight.
    pub const MAX_CONCURRENCY: (u64, u64) = (1, 1024);
    /// `providers[].max_page_size`: 1 to 10,000 rows.
    pub const MAX_PAGE_SIZE: (u64, u64) = (1, 10_000);
    /// `providers[].rate_limit.requests`: 1 to 1,000,000.
    pub const RATE_LIMIT_REQUESTS: (u64, u64) = (1, 1_000_000);
    /// `providers[].rate_limit.per_seconds`: 1 s to 1 day.
    pub const RATE_LIMIT_PER_SECONDS: (u64, u64) = (1, 86_400);
    /// `providers[].customer_id`: a positive id that fits every JSON reader.
    pub const CUSTOMER_ID: (u64, u64) = (1, 9_007_199_254_740_991);
    /// Argon2 memory (`m`, KiB) of a configured hash: 8 KiB to 256 MiB.
    pub const ARGON2_M_KIB: (u32, u32) = (8, 262_144);
    /// Argon2 passes (`t`): 1 to 16.
    pub const ARGON2_T: (u32, u32) = (1, 16);
    /// Argon2 lanes (`p`): 1 to 16.
    pub const ARGON2_P: (u32, u32) = (1, 16);
    /// `shared_state.replicas`: 1 to 64 proxies sharing one store.
    pub const SHARED_STATE_REPLICAS: (u64, u64) = (1, 64);
    /// `shared_state.timeout_ms`: 1 ms to 10 s per store call.
    pub const SHARED_STATE_TIMEOUT_MS: (u64, u64) = (1, 10_000);
}

/// `value` when it is inside `range`, `default` when absent; otherwise one sentence naming
/// `field` and the range.
pub(crate) fn in_range(
    value: Option<u64>,
    range: (u64, u64),
    default: u64,
    field: &str,
) -> Result<u64, String> {
    match value {
        None => Ok(default),
        Some(v) if (range.0..=range.1).contains(&v) => Ok(v),
        Some(v) => Err(format!(
            "{field}: {v} is outside the allowed range {} to {}",
            range.0, range.1
        )),
    }
}

pub(crate) fn in_range_ms(
    value: Option<u64>,
    range: (u64, u64),
    default: Duration,
    field: &str,
) -> Result<Duration, String> {
    let default_ms = u64::try_from(default.as_millis()).unwrap_or(range.1);
    in_range(value, range, default_ms, field).map(Duration::from_millis)
}

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
    let upstream_timeout = in_range_ms(
        server.upstream_timeout_ms,
        ranges::UPSTREAM_TIMEOUT_MS,
        DEFAULT_UPSTREAM_TIMEOUT,
        "server.upstream_timeout_ms",
    )?;
    let header_read_timeout = in_range_ms(
        server.header_read_timeout_ms,
        ranges::HEADER_READ_TIMEOUT_MS,
        DEFAULT_HEADER_READ_TIMEOUT,
        "server.header_read_timeout_ms",
    )?;
    let static_send_timeout = in_range_ms(
        server.static_send_timeout_ms,
        ranges::STATIC_SEND_TIMEOUT_MS,
        DEFAULT_STATIC_SEND_TIMEOUT,
        "server.static_send_timeout_ms",
    )?;
    let max_response_bytes = in_range(
        server.max_response_bytes,
        ranges::MAX_RESPONSE_BYTES,
        DEFAULT_MAX_RESPONSE_BYTES as u64,
        "server.max_response_bytes",
    )
    .map(|n| usize::try_from(n).unwrap_or(DEFAULT_MAX_RESPONSE_BYTES))?;
    let hosts = server
        .hosts
        .iter()
        .enumerate()
        .map(|(i, host)| {
            HostPattern::parse(host).ok_or_else(|| {
                format!("server.hosts[{i}]: `{host}` is not a host such as admin.example.com or admin.example.com:8443")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let trusted_proxies = server
        .trusted_proxies
        .iter()
        .enumerate()
        .map(|(i, text)| parse_network(text).ok_or_else(|| {
            format!("server.trusted_proxies[{i}]: `{text}` is not an IP address or network such as 10.0.0.0/8")
        }))
        .collect::<Result<Vec<_>, _>>()?;
    let client_address_header = match server.client_address_header.as_deref() {
        None | Some("x-forwarded-for") => ClientAddressHeader::XForwardedFor,
        Some("forwarded") => ClientAddressHeader::Forwarded,
        Some(other) => {
            return Err(format!(
                "server.client_address_header: `{other}` is not \"x-forwarded-for\" or \"forwarded\""
            ));
        }
    };
    let audit = match server.audit {
        None | Some(RawAudit::On(true)) => AuditTarget::Stdout,
        Some(RawAudit::On(false)) => AuditTarget::Off,
        Some(RawAudit::To(to)) if to == "stdout" => AuditTarget::Stdout,
        Some(RawAudit::To(to)) if !to.trim().is_empty() => {
            let path = PathBuf::from(to);
            AuditTarget::File(if path.is_absolute() {
                path
            } else {
                base_dir.join(path)
            })
        }
        Some(RawAudit::To(_)) => {
            return Err("server.audit: give false, \"stdout\" or a file path".into());
        }
    };
    let base_path = crate::base_path::normalise(server.base_path.as_deref().unwrap_or(""))
        .map_err(|e| format!("server.base_path: {e}"))?;
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
    let shared_state = raw
        .shared_state
        .map(|section| crate::shared_state::config::validate(section, base_dir, env))
        .transpose()?;
    Ok(Settings {
        providers,
        allowed_origins,
        frame_ancestors,
        upstream_timeout,
        max_response_bytes,
        header_read_timeout,
        static_send_timeout,
        hosts,
        trusted_proxies,
        client_address_header,
        audit,
        auth,
        shared_state,
        base_path,
    })
    .and_then(check_deployment)
}

/// Refuses combinations that leave the API open to more than the operator meant.
fn check_deployment(settings: Settings) -> Result<Settings, String> {
    if matches!(settings.auth, AuthSettings::TrustedHeader { .. }) && settings.hosts.is_empty() {
        return Err("server.hosts: trusted-header mode needs the host names the authenticating proxy serves, so that a page on another name (DNS rebinding) cannot use the API".into());
    }
    Ok(settings)
}

/// An address (`10.0.0.5`, one host) or a network (`10.0.0.0/8`).
fn parse_network(text: &str) -> Option<ipnet::IpNet> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(ipnet::IpNet::from))
        .map(|net| net.trunc())
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

/// An origin is compared byte for byte with the browser's `Origin` header, so it must be in the
/// browser's serialization: lowercase scheme and host, no path, no trailing slash or dot.
pub(crate) fn validate_origin(origin: &str) -> Result<String, String> {
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
    let per_client = in_range(
        raw.failed_logins_per_minute,
        ranges::FAILED_LOGINS_PER_MINUTE,
        u64::from(DEFAULT_FAILURES_PER_MINUTE),
        "auth.failed_logins_per_minute",
    )?;
    let total = in_range(
        raw.failed_logins_total_per_minute,
        ranges::FAILED_LOGINS_TOTAL_PER_MINUTE,
        u64::from(DEFAULT_FAILURES_TOTAL_PER_MINUTE),
        "auth.failed_logins_total_per_minute",
    )?;
    let failures = FailureLimits {
        per_client: u32::try_from(per_client).unwrap_or(DEFAULT_FAILURES_PER_MINUTE),
        total: u32::try_from(total).unwrap_or(DEFAULT_FAILURES_TOTAL_PER_MINUTE),
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
                failures,
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
            Ok(AuthSettings::Basic { users, failures })
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

/// A hash is checked completely here, parameters included, so that verifying it later cannot
/// fail, allocate gigabytes or run for minutes because of the file.
fn check_hash(hash: &str) -> Result<(), String> {
    let parsed = match argon2::PasswordHash::new(hash) {
        Ok(parsed)
            if parsed.algorithm.as_str() == "argon2id"
                && parsed.salt.is_some()
                && parsed.hash.is_some() =>
        {
            parsed
        }
        _ => {
            return Err(
                "not an Argon2id hash (`$argon2id$...`); make one with `userdeck hash`".into(),
            );
        }
    };
    let params = argon2::Params::try_from(&parsed).map_err(|_| {
        "has Argon2 parameters that cannot be read; make a new hash with `userdeck hash`"
            .to_string()
    })?;
    let checks = [
        ("m", params.m_cost(), ranges::ARGON2_M_KIB),
        ("t", params.t_cost(), ranges::ARGON2_T),
        ("p", params.p_cost(), ranges::ARGON2_P),
    ];
    for (name, value, (low, high)) in checks {
        if !(low..=high).contains(&value) {
            return Err(format!(
                "Argon2 parameter {name}={value} is outside {low} to {high}; make a new hash with `userdeck hash`"
            ));
        }
    }
    Ok(())
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
    let scheme = match raw.credential {
        Some(value) => Scheme::from_config(kind, &value).map_err(|e| format!("credential: {e}"))?,
        None => Scheme::Usual,
    };
    let secret = read_secret(raw.secret_env, raw.secret_file, base_dir, env)?;
    if let Some(customer) = raw.customer_id {
        in_range(Some(customer), ranges::CUSTOMER_ID, customer, "customer_id")?;
    }
    let max_concurrency = in_range(
        raw.max_concurrency,
        ranges::MAX_CONCURRENCY,
        DEFAULT_MAX_CONCURRENCY as u64,
        "max_concurrency",
    )
    .map(|n| usize::try_from(n).unwrap_or(DEFAULT_MAX_CONCURRENCY))?;
    let rate_limit = match raw.rate_limit {
        Some(r) => {
            let requests = in_range(
                Some(r.requests),
                ranges::RATE_LIMIT_REQUESTS,
                r.requests,
                "rate_limit.requests",
            )?;
            let per_seconds = in_range(
                Some(r.per_seconds),
                ranges::RATE_LIMIT_PER_SECONDS,
                r.per_seconds,
                "rate_limit.per_seconds",
            )?;
            Some(RateLimit::new(
                u32::try_from(requests).unwrap_or(u32::MAX),
                Duration::from_secs(per_seconds),
            ))
        }
        None => published_rate_limit(kind),
    };
    let capabilities = match raw.max_page_size {
        Some(max) => {
            let max = in_range(Some(max), ranges::MAX_PAGE_SIZE, max, "max_page_size")?;
            Capabilities::of(kind).with_max_page_size(max)
        }
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
        scheme,
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

pub(crate) fn read_secret(
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
    fn absurd_numbers_are_refused_at_load_with_the_field_named() {
        let provider = "id = \"a\"\nkind = \"activeplatform\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"";
        let huge_m = "$argon2id$v=19$m=4294967295,t=2,p=1$MokTOm8RA28xwmFesUwnKg$RrS8JvKBr52h8UKDDumsVrcA3eVpN9El5dtLEdyGj+o";
        let cases = [
            (
                with_provider(&format!(
                    "{provider}\nmax_concurrency = 9223372036854775807"
                )),
                "providers[0].max_concurrency:",
            ),
            (
                with_provider(&format!("{provider}\nmax_concurrency = 0")),
                "providers[0].max_concurrency:",
            ),
            (
                with_provider(&format!(
                    "{provider}\nrate_limit = {{ requests = 1, per_seconds = 9223372036854775807 }}"
                )),
                "providers[0].rate_limit.per_seconds:",
            ),
            (
                with_provider(&format!(
                    "{provider}\nrate_limit = {{ requests = 9223372036854775807, per_seconds = 1 }}"
                )),
                "providers[0].rate_limit.requests:",
            ),
            (
                with_provider(&format!("{provider}\nmax_page_size = 999999999999")),
                "providers[0].max_page_size:",
            ),
            (
                format!(
                    "[server]\nupstream_timeout_ms = 9223372036854775807\n{}",
                    with_provider(provider)
                ),
                "server.upstream_timeout_ms:",
            ),
            (
                format!(
                    "[server]\nheader_read_timeout_ms = 0\n{}",
                    with_provider(provider)
                ),
                "server.header_read_timeout_ms:",
            ),
            (
                format!(
                    "[server]\nstatic_send_timeout_ms = 9223372036854775807\n{}",
                    with_provider(provider)
                ),
                "server.static_send_timeout_ms:",
            ),
            (
                format!(
                    "[server]\nmax_response_bytes = 9223372036854775807\n{}",
                    with_provider(provider)
                ),
                "server.max_response_bytes:",
            ),
            (
                format!(
                    "[server]\nhosts = [\"bad host/\"]\n{}",
                    with_provider(provider)
                ),
                "server.hosts[0]:",
            ),
            (
                format!(
                    "[server]\ntrusted_proxies = [\"10.0.0.0/99\"]\n{}",
                    with_provider(provider)
                ),
                "server.trusted_proxies[0]:",
            ),
            (
                with_provider(provider).replace(
                    "[auth]\n",
                    "[auth]\nfailed_logins_per_minute = 9223372036854775807\n",
                ),
                "auth.failed_logins_per_minute:",
            ),
            (
                with_provider(provider)
                    .replace("[auth]\n", "[auth]\nfailed_logins_total_per_minute = 0\n"),
                "auth.failed_logins_total_per_minute:",
            ),
            (
                with_provider(provider).replace(HASH, huge_m),
                "auth.token_hashes[0]: Argon2 parameter m=4294967295",
            ),
            (
                with_provider(provider).replace("m=19456,t=2,p=1", "m=19456,t=17,p=1"),
                "auth.token_hashes[0]: Argon2 parameter t=17",
            ),
            (
                with_provider(provider).replace("m=19456,t=2,p=1", "m=19456,t=2,p=17"),
                "auth.token_hashes[0]: Argon2 parameter p=17",
            ),
        ];
        for (text, field) in cases {
            let message = error(&text);
            assert!(
                message.starts_with(field),
                "{field} not named first in: {message}"
            );
            assert!(!message.contains('\n'), "one line: {message}");
        }
    }

    #[test]
    fn the_examples_shared_state_section_is_valid_once_uncommented() {
        let text = include_str!("../../../config/userdeck.example.toml");
        assert!(
            parse(text, Path::new("."), &vars())
                .expect("valid")
                .shared_state
                .is_none(),
            "the store is optional and off in the example"
        );
        let start = text
            .find("# [shared_state]")
            .expect("the example documents it");
        let section: String = text[start..]
            .lines()
            .take_while(|line| line.starts_with("# "))
            .map(|line| format!("{}\n", &line[2..]))
            .collect();
        let uncommented = format!("{text}\n{section}").replace(
            "secret_env = \"USERDECK_STORE_PASSWORD\"",
            "secret_env = \"USERDECK_PNGME_TOKEN\"",
        );
        let settings = parse(&uncommented, Path::new("."), &vars()).expect("valid");
        let shared = settings.shared_state.expect("the section is read");
        assert_eq!(shared.url, "redis://10.0.0.5:6379/0");
        assert_eq!(shared.replicas, 2);
        assert_eq!(shared.timeout, Duration::from_millis(500));
        assert_eq!(shared.username.as_deref(), Some("userdeck"));
    }

    #[test]
    fn the_example_sets_hosts_and_the_security_defaults() {
        let text = include_str!("../../../config/userdeck.example.toml");
        let settings = parse(text, Path::new("."), &vars()).expect("the example is valid");
        assert!(!settings.hosts.is_empty(), "the example sets server.hosts");
        assert_eq!(settings.audit, AuditTarget::Stdout);
        assert!(matches!(
            settings.auth,
            AuthSettings::Bearer {
                failures: FailureLimits {
                    per_client: 10,
                    total: 100
                },
                ..
            }
        ));
        assert_eq!(settings.providers[0].capabilities.max_page_size, Some(100));
    }

    #[test]
    fn rebilly_takes_a_key_or_a_jwt_and_no_one_else_chooses() {
        let rebilly = "id = \"r\"\nkind = \"rebilly\"\nbase_url = \"https://x.example\"\norganization_id = \"o\"\nsecret_env = \"USERDECK_REBILLY_API_KEY\"";
        let settings = parse(&with_provider(rebilly), Path::new("."), &vars()).expect("valid");
        assert_eq!(settings.providers[0].scheme, Scheme::Usual);
        let jwt = with_provider(&format!("{rebilly}\ncredential = \"jwt\""));
        let settings = parse(&jwt, Path::new("."), &vars()).expect("valid");
        assert_eq!(settings.providers[0].scheme, Scheme::Bearer);
        let typo = error(&with_provider(&format!(
            "{rebilly}\ncredential = \"bearer\""
        )));
        assert!(
            typo.contains("providers[0].credential") && typo.contains("\"jwt\""),
            "{typo}"
        );
        let pngme = error(&with_provider(
            "id = \"a\"\nkind = \"pngme\"\nbase_url = \"https://x.example\"\nsecret_env = \"USERDECK_PNGME_TOKEN\"\ncredential = \"jwt\"",
        ));
        assert!(
            pngme.contains("providers[0].credential: only Rebilly"),
            "{pngme}"
        );
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
