//! Lenient readers over `serde_json::Value`. Providers leave members out, send null, or send a
//! number as a string; a record with one odd member must still show, so every reader returns
//! `None` instead of failing.

use crate::error::ProviderError;
use crate::model::User;
use crate::time::date::{Instant, parse_instant};
use serde_json::Value;

/// Every record of a page as a user, in order, `user` given each record with its index on the
/// page. Each record moves into its user as the raw JSON instead of being copied (a scan holds
/// thousands), and one copy of this loop serves every adapter.
pub fn users(
    records: Vec<Value>,
    user: &dyn Fn(Value, usize) -> Result<User, ProviderError>,
) -> Result<Vec<User>, ProviderError> {
    records
        .into_iter()
        .enumerate()
        .map(|(i, record)| user(record, i))
        .collect()
}

/// A member as non-empty text (strings as-is, numbers and flags written out).
pub fn text(record: &Value, key: &str) -> Option<String> {
    record.get(key).and_then(scalar_text)
}

/// A scalar as text; null and empty strings are `None`, arrays and objects are compact JSON.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// A member as an instant, if it is text in a form [`parse_instant`] reads.
pub fn instant(record: &Value, key: &str) -> Option<Instant> {
    record
        .get(key)
        .and_then(Value::as_str)
        .and_then(parse_instant)
}

/// A member as a flag; `"true"`/`"false"` strings count too.
pub fn flag(record: &Value, key: &str) -> Option<bool> {
    match record.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A member as a non-negative whole number; numeric strings count too.
pub fn count(record: &Value, key: &str) -> Option<u64> {
    match record.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A member as a number, for money.
pub fn number(record: &Value, key: &str) -> Option<f64> {
    match record.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok().filter(|v: &f64| v.is_finite()),
        _ => None,
    }
}

/// Parses a body as JSON, or says what is wrong with it in a short phrase.
pub fn parse_body(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON ({e})"))
}

/// The first characters of a body, for error messages that show what the provider said.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let mut out: String = trimmed.chars().take(200).collect();
    if trimmed.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readers_are_lenient() {
        let v = json!({"a": "", "b": 7, "c": "12", "d": "TRUE", "e": null, "f": "2024-01-15"});
        assert_eq!(text(&v, "a"), None);
        assert_eq!(text(&v, "b").as_deref(), Some("7"));
        assert_eq!(count(&v, "c"), Some(12));
        assert_eq!(flag(&v, "d"), Some(true));
        assert_eq!(text(&v, "e"), None);
        assert_eq!(number(&v, "b"), Some(7.0));
        assert!(instant(&v, "f").is_some_and(|i| i.date_only));
        assert_eq!(count(&v, "missing"), None);
    }

    #[test]
    fn snippets_are_short_and_char_safe() {
        let long = "é".repeat(300);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), 201);
        assert!(parse_body(b"{").is_err());
    }
}
