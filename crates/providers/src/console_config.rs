//! The console's run-time configuration, `config.json`, decided here without I/O so every rule is
//! tested natively: the console only fetches the file and shows [`ConfigError`]'s sentence.
//!
//! One release build serves every deployment; this file is what differs between them: which
//! proxy (if any) lists providers, which providers the browser calls directly, and which portals
//! may embed the console. Decoding is total: any text, however hostile, gives a config or one
//! error that names the member at fault and says what to do.

use serde_json::{Map, Value};

use crate::capabilities::Capabilities;
use crate::credentials::{Credentials, Secret};
use crate::kind::ProviderKind;

/// Anything larger is refused before parsing: a real config is a few hundred bytes, and a
/// browser tab should not spend its memory on a mistake.
pub const MAX_CONFIG_BYTES: usize = 64 * 1024;

/// The decoded `config.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConsoleConfig {
    /// Where the Userdeck proxy lives, when one lists providers: an absolute `http(s)` base URL
    /// or a path on the console's own origin, without a trailing slash (`""` is the origin's root).
    pub proxy: Option<String>,
    /// Providers the browser calls itself, with a credential the administrator types.
    pub providers: Vec<DirectProvider>,
    /// Origins (exact, as browsers send them) allowed to frame the console and talk to it.
    pub allowed_parents: Vec<String>,
    /// The name in the header and the tab title, when the deployment wants its own.
    pub title: Option<String>,
    /// The theme a first visit starts with, before the person picks one.
    pub theme: Option<ThemeDefault>,
    /// Where people go for help: an absolute `https://` or `mailto:` URL.
    pub support_url: Option<String>,
}

/// A theme default a deployment may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeDefault {
    /// Light surfaces.
    Light,
    /// Dark surfaces.
    Dark,
}

/// One provider called from the browser (direct mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectProvider {
    /// The deployment's id for it, used in the console's URLs.
    pub id: String,
    /// Which API it speaks; only kinds with a browser-safe credential are accepted.
    pub kind: ProviderKind,
    /// The name people see.
    pub label: String,
    /// The provider's API base URL, without a trailing slash; the adapter's path is appended.
    pub base_url: String,
    /// What the planner may ask of it.
    pub capabilities: Capabilities,
}

impl DirectProvider {
    /// The URL of a request whose adapter path and query are `path_and_query`.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url)
    }

    /// The origin (`scheme://host[:port]`) of the base URL: the only place its credential goes.
    pub fn origin(&self) -> &str {
        origin_of(&self.base_url)
    }
}

/// What is wrong with a config, as the sentence the console shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The member at fault, like `providers[1].base_url`, or `""` for the whole file.
    pub member: String,
    /// What is wrong with it and what to do.
    pub problem: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.member.is_empty() {
            write!(f, "config.json: {}", self.problem)
        } else {
            write!(f, "config.json, member `{}`: {}", self.member, self.problem)
        }
    }
}

fn fail<T>(member: impl Into<String>, problem: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError {
        member: member.into(),
        problem: problem.into(),
    })
}

/// Decodes `config.json`'s bytes. Every member is optional; an unknown one is refused so that a
/// typo is reported rather than silently ignored.
pub fn decode(bytes: &[u8]) -> Result<ConsoleConfig, ConfigError> {
    if bytes.len() > MAX_CONFIG_BYTES {
        return fail(
            "",
            format!(
                "the file is {} bytes, more than the {MAX_CONFIG_BYTES} a console config may have; serve the small JSON file described in config/console.example.json",
                bytes.len()
            ),
        );
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|err| ConfigError {
        member: String::new(),
        problem: format!(
            "not valid JSON (line {}, column {}); fix the file or remove it to use the proxy at the console's address",
            err.line(),
            err.column()
        ),
    })?;
    let Value::Object(root) = value else {
        return fail(
            "",
            "must be a JSON object like {\"proxy\": \"/\"}; see config/console.example.json",
        );
    };
    known_members(
        &root,
        "",
        &[
            "$comment",
            "proxy",
            "providers",
            "embed",
            "title",
            "theme",
            "support_url",
        ],
    )?;
    let proxy = match root.get("proxy") {
        None | Some(Value::Null) => None,
        Some(value) => Some(proxy_base(value)?),
    };
    let providers = match root.get("providers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => direct_providers(items)?,
        Some(_) => return fail("providers", "must be a list of provider objects"),
    };
    let allowed_parents = match root.get("embed") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(embed)) => {
            known_members(embed, "embed.", &["allowed_parents"])?;
            match embed.get("allowed_parents") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let member = format!("embed.allowed_parents[{i}]");
                        let text = string(item, &member)?;
                        validate_origin(text).map_err(|problem| ConfigError { member, problem })
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => {
                    return fail(
                        "embed.allowed_parents",
                        "must be a list of origins like [\"https://portal.example.com\"]",
                    );
                }
            }
        }
        Some(_) => {
            return fail(
                "embed",
                "must be an object like {\"allowed_parents\": [\"https://portal.example.com\"]}",
            );
        }
    };
    let title = optional_string(&root, "title")?
        .map(|title| label_text(title, "title"))
        .transpose()?;
    let theme = match optional_string(&root, "theme")? {
        None => None,
        Some("light") => Some(ThemeDefault::Light),
        Some("dark") => Some(ThemeDefault::Dark),
        Some(other) => {
            return fail(
                "theme",
                format!("`{}` is not \"light\" or \"dark\"", shown(other)),
            );
        }
    };
    let support_url = optional_string(&root, "support_url")?
        .map(|url| {
            let safe = url.starts_with("mailto:") || absolute_http_url(url).is_ok();
            if safe && !url.chars().any(|c| c.is_whitespace() || c.is_control()) {
                Ok(url.to_string())
            } else {
                fail(
                    "support_url",
                    format!("`{}` is not an https:// or mailto: address", shown(url)),
                )
            }
        })
        .transpose()?;
    if proxy.is_none() && providers.is_empty() && root.contains_key("proxy") {
        return fail(
            "proxy",
            "is null and no direct providers are listed, so the console would have nothing to show; give the proxy's URL or list providers",
        );
    }
    Ok(ConsoleConfig {
        proxy,
        providers,
        allowed_parents,
        title,
        theme,
        support_url,
    })
}

fn known_members(
    object: &Map<String, Value>,
    prefix: &str,
    known: &[&str],
) -> Result<(), ConfigError> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => fail(
            format!("{prefix}{}", shown(key)),
            format!(
                "is not a member this console knows; the members are {}",
                known.join(", ")
            ),
        ),
        None => Ok(()),
    }
}

fn string<'a>(value: &'a Value, member: &str) -> Result<&'a str, ConfigError> {
    match value {
        Value::String(text) => Ok(text),
        other => fail(
            member,
            format!("must be a string, not {}", type_name(other)),
        ),
    }
}

fn optional_string<'a>(
    object: &'a Map<String, Value>,
    member: &str,
) -> Result<Option<&'a str>, ConfigError> {
    match object.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => string(value, member).map(Some),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// At most 60 characters of text the file holds, for quoting it back without flooding the page.
fn shown(text: &str) -> String {
    let mut short: String = text.chars().filter(|c| !c.is_control()).take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
}

fn label_text(text: &str, member: &str) -> Result<String, ConfigError> {
    if text.trim().is_empty() || text.chars().count() > 80 || text.chars().any(char::is_control) {
        return fail(member, "must be 1 to 80 printable characters");
    }
    Ok(text.to_string())
}

fn proxy_base(value: &Value) -> Result<String, ConfigError> {
    let text = string(value, "proxy")?;
    if text.starts_with('/') && !text.starts_with("//") {
        if text.contains(['?', '#', '\\'])
            || text.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return fail(
                "proxy",
                format!("`{}` is not a plain path like /admin/", shown(text)),
            );
        }
        return Ok(text.trim_end_matches('/').to_string());
    }
    absolute_http_url(text)
        .map(|url| url.trim_end_matches('/').to_string())
        .map_err(|problem| ConfigError {
            member: "proxy".into(),
            problem,
        })
}

fn direct_providers(items: &[Value]) -> Result<Vec<DirectProvider>, ConfigError> {
    let mut providers: Vec<DirectProvider> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = |member: &str| format!("providers[{i}].{member}");
        let Value::Object(object) = item else {
            return fail(
                format!("providers[{i}]"),
                format!("must be an object, not {}", type_name(item)),
            );
        };
        known_members(
            object,
            &format!("providers[{i}]."),
            &[
                "id",
                "kind",
                "label",
                "mode",
                "base_url",
                "organization_id",
                "max_page_size",
            ],
        )?;
        let required = |member: &str| match object.get(member) {
            None | Some(Value::Null) => fail(at(member), "is missing"),
            Some(value) => string(value, &at(member)),
        };
        let id = required("id")?;
        if id.is_empty()
            || id.len() > 40
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return fail(
                at("id"),
                format!(
                    "`{}` must be 1 to 40 characters of a-z, 0-9 and -",
                    shown(id)
                ),
            );
        }
        if providers.iter().any(|p| p.id == id) {
            return fail(
                at("id"),
                format!("`{id}` is used twice; each provider needs its own id"),
            );
        }
        let kind_text = required("kind")?;
        let kind = ProviderKind::from_id(kind_text).ok_or_else(|| {
            let known: Vec<&str> = ProviderKind::ALL.iter().map(|k| k.id()).collect();
            ConfigError {
                member: at("kind"),
                problem: format!("`{}` is not one of {}", shown(kind_text), known.join(", ")),
            }
        })?;
        let mode = required("mode")?;
        if mode != "direct" {
            return fail(
                at("mode"),
                format!(
                    "`{}` is not \"direct\"; providers behind a proxy are listed by the proxy itself (set `proxy` instead)",
                    shown(mode)
                ),
            );
        }
        browser_safe(kind).map_err(|problem| ConfigError {
            member: at("kind"),
            problem,
        })?;
        let label = match object.get("label") {
            None | Some(Value::Null) => kind.label().to_string(),
            Some(value) => label_text(string(value, &at("label"))?, &at("label"))?,
        };
        let mut base_url = absolute_http_url(required("base_url")?)
            .map_err(|problem| ConfigError {
                member: at("base_url"),
                problem,
            })?
            .trim_end_matches('/')
            .to_string();
        match (kind, object.get("organization_id")) {
            (_, None | Some(Value::Null)) => {}
            (ProviderKind::Rebilly, Some(value)) => {
                let org = string(value, &at("organization_id"))?;
                if org.is_empty()
                    || org.len() > 64
                    || !org
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return fail(
                        at("organization_id"),
                        "must be 1 to 64 characters of letters, digits, - and _",
                    );
                }
                base_url.push_str("/organizations/");
                base_url.push_str(org);
            }
            (_, Some(_)) => {
                return fail(
                    at("organization_id"),
                    format!("only Rebilly has one, not {}", kind.label()),
                );
            }
        }
        let capabilities = match object.get("max_page_size") {
            None | Some(Value::Null) => Capabilities::of(kind),
            Some(value) => match value.as_u64() {
                Some(max) if max > 0 => Capabilities::of(kind).with_max_page_size(max),
                _ => return fail(at("max_page_size"), "must be a whole number above 0"),
            },
        };
        providers.push(DirectProvider {
            id: id.to_string(),
            kind,
            label,
            base_url,
            capabilities,
        });
    }
    Ok(providers)
}

/// Refuses a kind whose credential cannot be trusted to a browser, with why and what to do.
/// The credential the administrator types in direct mode is always a bearer token, so the
/// question is [`Credentials::browser_safe`] of one.
pub fn browser_safe(kind: ProviderKind) -> Result<(), String> {
    if Credentials::Bearer(Secret::new("")).browser_safe(kind) {
        return Ok(());
    }
    let credential = match kind {
        ProviderKind::PressOne => "its partner secret key is long-lived and grants full API access",
        ProviderKind::Nameshield => "its API token is long-lived and grants full API access",
        ProviderKind::ActivePlatform => {
            "its api_token travels in the query string, where browsers, logs and proxies keep it"
        }
        ProviderKind::Pngme | ProviderKind::Rebilly => "its credential is not a short-lived token",
    };
    Err(format!(
        "{} cannot be called directly from the browser: {credential}. Configure it in the Userdeck proxy (proxy mode) and set `proxy` instead.",
        kind.label()
    ))
}

/// Checks an absolute `http://` or `https://` URL: a host, no credentials, no query or fragment,
/// nothing a browser would read as script (`javascript:`, `data:`).
fn absolute_http_url(text: &str) -> Result<&str, String> {
    let problem = || {
        format!(
            "`{}` is not an http:// or https:// URL like https://api.example.com",
            shown(text)
        )
    };
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(problem)?;
    if text.len() > 2048
        || text.chars().any(|c| c.is_whitespace() || c.is_control())
        || text.contains('\\')
    {
        return Err(problem());
    }
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(problem());
    }
    if host.contains('@') {
        return Err(
            "must not hold a user name or password; the credential is typed in the console".into(),
        );
    }
    if rest.contains(['?', '#']) {
        return Err("must not have a query or fragment".into());
    }
    Ok(text)
}

/// The `scheme://host[:port]` part of an absolute URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

/// An origin exactly as a browser serialises it (`MessageEvent.origin`, `Origin`), since it is
/// compared byte for byte: lowercase, no path, no trailing slash or dot, no default port.
fn validate_origin(text: &str) -> Result<String, String> {
    let problem = || {
        format!(
            "`{}` is not an origin exactly as a browser sends it, like https://portal.example.com (no path, no trailing slash)",
            shown(text)
        )
    };
    absolute_http_url(text).map_err(|_| problem())?;
    let host = origin_of(text);
    let default_port = (text.starts_with("https://") && host.ends_with(":443"))
        || (text.starts_with("http://") && host.ends_with(":80"));
    if host != text
        || text.ends_with('.')
        || default_port
        || text.chars().any(|c| c.is_ascii_uppercase())
    {
        return Err(problem());
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> ConfigError {
        decode(text.as_bytes()).expect_err("invalid config")
    }

    #[test]
    fn the_committed_example_is_valid_and_complete() {
        let text = include_str!("../../../config/console.example.json");
        let config = decode(text.as_bytes()).expect("the example is valid");
        assert_eq!(
            config.proxy.as_deref(),
            Some("https://userdeck.example.com")
        );
        assert_eq!(config.providers.len(), 2);
        assert_eq!(config.providers[0].kind, ProviderKind::Rebilly);
        assert_eq!(
            config.providers[0].url("/users?limit=5"),
            "https://api-sandbox.rebilly.com/organizations/my-org-id/users?limit=5"
        );
        assert_eq!(
            config.providers[0].origin(),
            "https://api-sandbox.rebilly.com"
        );
        assert_eq!(
            config.providers[1].capabilities,
            Capabilities::of(ProviderKind::Pngme)
        );
        assert_eq!(config.allowed_parents, ["https://portal.example.com"]);
        assert_eq!(config.theme, Some(ThemeDefault::Light));
        assert!(config.title.is_some() && config.support_url.is_some());
    }

    #[test]
    fn empty_object_means_todays_behaviour() {
        assert_eq!(decode(b"{}"), Ok(ConsoleConfig::default()));
        assert_eq!(
            decode(br#"{"proxy": "/admin/"}"#).map(|c| c.proxy),
            Ok(Some("/admin".into()))
        );
        assert_eq!(
            decode(br#"{"proxy": "/"}"#).map(|c| c.proxy),
            Ok(Some(String::new()))
        );
    }

    #[test]
    fn wrong_types_name_the_member() {
        let cases = [
            (r#"{"proxy": 5}"#, "proxy", "must be a string, not a number"),
            (r#"{"providers": {"id": "r"}}"#, "providers", "list"),
            (r#"{"providers": [7]}"#, "providers[0]", "must be an object"),
            (r#"{"embed": []}"#, "embed", "must be an object"),
            (
                r#"{"embed": {"allowed_parents": "https://a.example"}}"#,
                "embed.allowed_parents",
                "list",
            ),
            (
                r#"{"embed": {"allowed_parents": [true]}}"#,
                "embed.allowed_parents[0]",
                "true or false",
            ),
            (r#"{"title": ["x"]}"#, "title", "a list"),
            (r#"{"theme": "neon"}"#, "theme", "neon"),
            (r#"{"porxy": "/"}"#, "porxy", "not a member"),
            (
                r#"{"providers": [{"id": "r", "kind": "rebilly", "mode": "direct", "base_url": "https://x.example", "max_page_size": "10"}]}"#,
                "providers[0].max_page_size",
                "whole number",
            ),
            (
                r#"{"providers": [{"id": "r", "kind": "rebilly", "mode": "direct"}]}"#,
                "providers[0].base_url",
                "missing",
            ),
        ];
        for (text, member, words) in cases {
            let err = error(text);
            assert_eq!(err.member, member, "{text}");
            assert!(err.problem.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn unknown_kinds_and_modes_are_refused() {
        let err = error(
            r#"{"providers": [{"id": "s", "kind": "stripe", "mode": "direct", "base_url": "https://x.example"}]}"#,
        );
        assert_eq!(err.member, "providers[0].kind");
        assert!(
            err.problem.contains("`stripe` is not one of pressone"),
            "{err}"
        );
        let err = error(
            r#"{"providers": [{"id": "r", "kind": "rebilly", "mode": "proxy", "base_url": "https://x.example"}]}"#,
        );
        assert_eq!(err.member, "providers[0].mode");
    }

    #[test]
    fn script_and_credential_urls_are_refused() {
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>",
            "//evil.example",
            "https://user:pw@x.example",
            "https://x.example/?q=1",
            "https://",
            "https:// x.example",
            "ftp://x.example",
        ] {
            let text = format!(
                r#"{{"providers": [{{"id": "r", "kind": "rebilly", "mode": "direct", "base_url": {url:?}}}]}}"#
            );
            assert_eq!(error(&text).member, "providers[0].base_url", "{url}");
            assert_eq!(
                error(&format!(r#"{{"proxy": {url:?}}}"#)).member,
                "proxy",
                "{url}"
            );
        }
        assert_eq!(
            error(r#"{"support_url": "javascript:alert(1)"}"#).member,
            "support_url"
        );
    }

    #[test]
    fn kinds_without_a_browser_safe_credential_point_to_proxy_mode() {
        for kind in [
            ProviderKind::ActivePlatform,
            ProviderKind::PressOne,
            ProviderKind::Nameshield,
        ] {
            let text = format!(
                r#"{{"providers": [{{"id": "a", "kind": "{}", "mode": "direct", "base_url": "https://x.example"}}]}}"#,
                kind.id()
            );
            let err = error(&text);
            assert_eq!(err.member, "providers[0].kind");
            assert!(
                err.problem
                    .contains("cannot be called directly from the browser"),
                "{err}"
            );
            assert!(err.problem.contains("proxy mode"), "{err}");
        }
        assert!(
            browser_safe(ProviderKind::Pngme).is_ok()
                && browser_safe(ProviderKind::Rebilly).is_ok()
        );
    }

    #[test]
    fn junk_and_oversized_files_are_one_sentence() {
        let junk = vec![b'{'; 1024 * 1024];
        let err = decode(&junk).expect_err("too big");
        assert_eq!(err.member, "");
        assert!(err.to_string().contains("1048576 bytes"), "{err}");
        let nested = "[".repeat(10_000);
        assert!(decode(nested.as_bytes()).is_err());
        assert!(error("\u{feff}{}").problem.contains("not valid JSON"));
        assert!(error("[1, 2]").problem.contains("JSON object"));
        assert!(error("").problem.contains("not valid JSON"));
        assert!(decode(&[0xff, 0xfe, 0x00]).is_err());
    }

    #[test]
    fn origins_must_be_exact() {
        for bad in [
            "https://Portal.example.com",
            "https://portal.example.com/",
            "https://portal.example.com/x",
            "https://portal.example.com:443",
            "https://portal.example.com.",
            "null",
            "*",
        ] {
            let text = format!(r#"{{"embed": {{"allowed_parents": [{bad:?}]}}}}"#);
            assert_eq!(error(&text).member, "embed.allowed_parents[0]", "{bad}");
        }
        let ok = decode(br#"{"embed": {"allowed_parents": ["http://127.0.0.1:18310"]}}"#)
            .expect("valid");
        assert_eq!(ok.allowed_parents, ["http://127.0.0.1:18310"]);
    }

    #[test]
    fn duplicate_ids_and_foreign_organisations_are_refused() {
        let one =
            r#"{"id": "r", "kind": "rebilly", "mode": "direct", "base_url": "https://x.example"}"#;
        assert_eq!(
            error(&format!(r#"{{"providers": [{one}, {one}]}}"#)).member,
            "providers[1].id"
        );
        let pngme_org = r#"{"providers": [{"id": "p", "kind": "pngme", "mode": "direct", "base_url": "https://x.example", "organization_id": "o"}]}"#;
        assert_eq!(error(pngme_org).member, "providers[0].organization_id");
    }
}
