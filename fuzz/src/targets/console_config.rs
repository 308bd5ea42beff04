//! Bytes through the console's `config.json` decoder. Beyond not panicking: a config it accepts
//! holds only what its rules allow (browser-safe direct providers with unique ids, http(s) base
//! URLs without a trailing slash, exact origins), and writing that config back as JSON decodes
//! to the same config, so a deployment that re-serves what the console read gets the same
//! console. A refusal is one short sentence that quotes the file only in part.

use serde_json::{Map, Value, json};
use userdeck_providers::ProviderKind;
use userdeck_providers::console_config::{self, ConsoleConfig, ThemeDefault};

/// A refusal quotes at most 60 characters of the file; anything near this long floods the page.
const MAX_ERROR_CHARS: usize = 1024;

/// Decodes the input and checks what the decoder promises about either outcome.
pub fn run(data: &[u8]) {
    match console_config::decode(data) {
        Ok(config) => {
            check(&config);
            let written = encode(&config);
            let again = console_config::decode(written.to_string().as_bytes());
            assert_eq!(
                again.as_ref(),
                Ok(&config),
                "{written} does not decode to the config it was written from"
            );
        }
        Err(err) => {
            let sentence = err.to_string();
            assert!(
                sentence.chars().count() <= MAX_ERROR_CHARS,
                "a {}-character error",
                sentence.chars().count()
            );
            assert!(
                !sentence.chars().any(char::is_control),
                "control characters in {sentence:?}"
            );
        }
    }
}

/// The rules an accepted config keeps.
fn check(config: &ConsoleConfig) {
    if let Some(proxy) = &config.proxy {
        assert!(!proxy.ends_with('/'), "proxy {proxy:?}");
    }
    for (i, provider) in config.providers.iter().enumerate() {
        assert!(
            console_config::browser_safe(provider.kind).is_ok(),
            "{:?} accepted in direct mode",
            provider.kind
        );
        assert!(
            config.providers[..i].iter().all(|p| p.id != provider.id),
            "id {:?} twice",
            provider.id
        );
        let url = &provider.base_url;
        assert!(
            url.starts_with("https://") || url.starts_with("http://"),
            "base URL {url:?}"
        );
        assert!(!url.ends_with('/') && !url.contains(['?', '#']), "{url:?}");
        assert!(!provider.origin().contains('@'), "{url:?}");
    }
    for origin in &config.allowed_parents {
        assert!(
            origin.starts_with("https://") || origin.starts_with("http://"),
            "origin {origin:?}"
        );
        assert!(!origin.ends_with('/'), "origin {origin:?}");
    }
    if let Some(title) = &config.title {
        assert!((1..=80).contains(&title.chars().count()), "title {title:?}");
    }
}

/// The config as a `config.json` that says the same: the organisation is already in the base
/// URL, and the label and page size the decoder settled on are written out.
fn encode(config: &ConsoleConfig) -> Value {
    let mut root = Map::new();
    if let Some(proxy) = &config.proxy {
        let written = if proxy.is_empty() { "/" } else { proxy };
        root.insert("proxy".into(), json!(written));
    }
    if !config.providers.is_empty() {
        let providers: Vec<Value> = config
            .providers
            .iter()
            .map(|p| {
                let mut object = json!({
                    "id": p.id,
                    "kind": p.kind.id(),
                    "label": p.label,
                    "mode": "direct",
                    "base_url": p.base_url,
                });
                if let Some(max) = p.capabilities.max_page_size
                    && max_page_size_is_set(p.kind, max)
                {
                    object["max_page_size"] = json!(max);
                }
                object
            })
            .collect();
        root.insert("providers".into(), Value::Array(providers));
    }
    if !config.allowed_parents.is_empty() {
        root.insert(
            "embed".into(),
            json!({ "allowed_parents": config.allowed_parents }),
        );
    }
    if let Some(title) = &config.title {
        root.insert("title".into(), json!(title));
    }
    if let Some(theme) = config.theme {
        let name = match theme {
            ThemeDefault::Light => "light",
            ThemeDefault::Dark => "dark",
        };
        root.insert("theme".into(), json!(name));
    }
    if let Some(url) = &config.support_url {
        root.insert("support_url".into(), json!(url));
    }
    Value::Object(root)
}

/// Whether a page size differs from the kind's own, and so must be written to be kept.
fn max_page_size_is_set(kind: ProviderKind, max: u64) -> bool {
    userdeck_providers::Capabilities::of(kind).max_page_size != Some(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_round_trips_through_the_encoder() {
        let text = include_str!("../../../config/console.example.json");
        let config = console_config::decode(text.as_bytes()).expect("the example is valid");
        let written = encode(&config);
        assert_eq!(written["providers"][0]["label"], "Rebilly (direct)");
        assert!(written["providers"][0].get("organization_id").is_none());
        run(text.as_bytes());
    }

    #[test]
    fn a_root_path_proxy_is_written_as_a_slash() {
        let config = console_config::decode(br#"{"proxy": "///"}"#);
        assert!(config.is_err(), "{config:?}");
        let config = console_config::decode(br#"{"proxy": "/"}"#).expect("valid");
        assert_eq!(encode(&config), json!({ "proxy": "/" }));
    }
}
