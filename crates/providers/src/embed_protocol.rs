//! The `postMessage` protocol between a partner portal (the host) and the console in its frame,
//! decided here so that what a hostile page can make the console do is tested natively. The
//! console checks the sender's origin against `embed.allowed_parents` before calling
//! [`decode_host_message`]; this file decides what an accepted message may change.
//!
//! Host → console: `{"type":"theme","theme":"dark","properties":{"--accent":"#c026d3"}}` and
//! `{"type":"token","token":"…"}`. Console → host: `{"type":"ready"}`,
//! `{"type":"resize","height":640}`, `{"type":"user-opened","provider":"rebilly","key":"…"}`.

use serde_json::{Value, json};

/// The CSS custom properties a host may set: colours, radius and font of the console's own
/// stylesheet, nothing that could load a resource or move content.
pub const THEME_PROPERTIES: [&str; 12] = [
    "--bg",
    "--surface",
    "--surface-2",
    "--border",
    "--text",
    "--text-muted",
    "--accent",
    "--accent-text",
    "--focus",
    "--danger",
    "--radius",
    "--font",
];

/// A message from the host that the console acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// Light or dark (or unchanged), and custom property values from [`THEME_PROPERTIES`].
    Theme {
        /// `Some(true)` for dark, `Some(false)` for light.
        dark: Option<bool>,
        /// Property and value pairs, already checked.
        properties: Vec<(String, String)>,
    },
    /// The admin token for a proxy with sign-in on, so the host's session signs the frame in.
    Token(String),
}

/// Reads a host message, or says why it is ignored.
pub fn decode_host_message(value: &Value) -> Result<HostMessage, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match kind {
        "theme" => {
            let dark = match value.get("theme") {
                None | Some(Value::Null) => None,
                Some(Value::String(t)) if t == "dark" => Some(true),
                Some(Value::String(t)) if t == "light" => Some(false),
                Some(_) => return Err("theme must be \"light\" or \"dark\"".into()),
            };
            let mut properties = Vec::new();
            if let Some(map) = value.get("properties") {
                let map = map.as_object().ok_or("properties must be an object")?;
                for (name, value) in map {
                    if !THEME_PROPERTIES.contains(&name.as_str()) {
                        return Err(format!("{name} is not a property a host may set"));
                    }
                    let text = value.as_str().ok_or("property values must be strings")?;
                    if !safe_css_value(text) {
                        return Err(format!("the value of {name} is not a plain CSS value"));
                    }
                    properties.push((name.clone(), text.to_string()));
                }
            }
            Ok(HostMessage::Theme { dark, properties })
        }
        "token" => {
            let token = value
                .get("token")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if token.is_empty()
                || token.len() > 4096
                || !token.bytes().all(|b| b.is_ascii_graphic())
            {
                return Err("token must be printable ASCII without spaces".into());
            }
            Ok(HostMessage::Token(token.to_string()))
        }
        _ => Err("unknown message type".into()),
    }
}

/// A colour, length or font list: no way to end the declaration, open a block, call `url()` or
/// `image-set()`, or import anything.
fn safe_css_value(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    !text.is_empty()
        && text.len() <= 120
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #%.,-_()/'\"".contains(c))
        && !["url(", "image", "expression", "var(", "attr("]
            .iter()
            .any(|word| lower.contains(word))
}

/// `ready`: the console has started and listens.
pub fn ready() -> String {
    json!({ "type": "ready" }).to_string()
}

/// `resize`: the content's height in CSS pixels, so the host sizes the frame without scrolling.
pub fn resize(height: u32) -> String {
    json!({ "type": "resize", "height": height }).to_string()
}

/// `user-opened`: the person opened a user's detail.
pub fn user_opened(provider: &str, key: &str) -> String {
    json!({ "type": "user-opened", "provider": provider, "key": key }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<HostMessage, String> {
        decode_host_message(&serde_json::from_str(text).expect("JSON"))
    }

    #[test]
    fn a_theme_sets_only_allowlisted_plain_values() {
        assert_eq!(
            decode(
                r##"{"type":"theme","theme":"dark","properties":{"--accent":"#c026d3","--font":"'Inter', sans-serif"}}"##
            ),
            Ok(HostMessage::Theme {
                dark: Some(true),
                properties: vec![
                    ("--accent".into(), "#c026d3".into()),
                    ("--font".into(), "'Inter', sans-serif".into())
                ],
            })
        );
        for hostile in [
            r#"{"type":"theme","properties":{"--bg":"url(https://evil.example/x)"}}"#,
            r#"{"type":"theme","properties":{"--bg":"red; background: url(x)"}}"#,
            r#"{"type":"theme","properties":{"--bg":"red}body{display:none"}}"#,
            r#"{"type":"theme","properties":{"display":"none"}}"#,
            r#"{"type":"theme","properties":{"--bg":5}}"#,
            r#"{"type":"theme","theme":"neon"}"#,
            r#"{"type":"theme","properties":{"--bg":"image-set(x)"}}"#,
        ] {
            assert!(decode(hostile).is_err(), "{hostile}");
        }
    }

    #[test]
    fn tokens_and_unknown_messages() {
        assert_eq!(
            decode(r#"{"type":"token","token":"abc"}"#),
            Ok(HostMessage::Token("abc".into()))
        );
        assert!(decode(r#"{"type":"token","token":"a\r\nX: 1"}"#).is_err());
        assert!(decode(r#"{"type":"token"}"#).is_err());
        assert!(decode(r#"{"type":"navigate","to":"/"}"#).is_err());
        assert!(decode(r#""theme""#).is_err());
    }

    #[test]
    fn outgoing_messages_are_json() {
        let opened: Value = serde_json::from_str(&user_opened("rebilly", "a\"b")).expect("JSON");
        assert_eq!(opened["key"], "a\"b");
        assert_eq!(
            serde_json::from_str::<Value>(&resize(640)).expect("JSON")["height"],
            640
        );
        assert_eq!(
            serde_json::from_str::<Value>(&ready()).expect("JSON")["type"],
            "ready"
        );
    }
}
