//! Saved views: a named view of one provider (search, filters, sort, page size, columns), kept
//! in the browser and shared between people as a JSON file. A view holds the same query string
//! a link holds, so applying it goes through the console's one URL decoder and behaves like
//! following a link. Stored and imported files are input from anyone: decoding is total, and
//! every entry that is not a well-formed view is skipped and counted.
//!
//! File format: `{"userdeck_views": 1, "views": [{"name", "provider", "query", "columns"}]}`.

use serde_json::{Map, Value};

/// The format's version, checked on import.
pub const VERSION: u64 = 1;
/// The most views kept; more in a file are ignored.
pub const MAX_VIEWS: usize = 200;
/// The longest name kept.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest query string kept: more than any view the console writes.
const MAX_QUERY_CHARS: usize = 4_000;
/// Longest column choice kept.
const MAX_COLUMNS_CHARS: usize = 2_000;
/// Longest provider id kept.
const MAX_PROVIDER_CHARS: usize = 64;
/// Largest file read at all.
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// One saved view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    /// What the person called it; unique per provider.
    pub name: String,
    /// The provider's id, as in `/p/<id>`.
    pub provider: String,
    /// The view's query string without the page (`q=ann&sort=-created&size=50`).
    pub query: String,
    /// The column choice, in `column_choice` format; empty for the provider's defaults.
    pub columns: String,
}

/// What a decoded file held: the views, and how many entries were skipped as malformed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    /// The well-formed views, in file order, without repeated names.
    pub views: Vec<SavedView>,
    /// Entries that were not views (or the whole file, when it was not one).
    pub ignored: usize,
}

impl Decoded {
    /// The sentence the console shows after an import, or `None` when all went well.
    pub fn note(&self) -> Option<String> {
        match (self.views.len(), self.ignored) {
            (_, 0) => None,
            (0, _) => Some(
                "That file holds no saved views Userdeck can read, so nothing was imported. Choose a file exported from the views menu.".to_string(),
            ),
            (_, n) => Some(format!(
                "{n} entr{} in that file {} not a saved view and {} ignored.",
                if n == 1 { "y" } else { "ies" },
                if n == 1 { "was" } else { "were" },
                if n == 1 { "was" } else { "were" },
            )),
        }
    }
}

/// A view's name as kept: trimmed, control characters removed, at most [`MAX_NAME_CHARS`].
pub fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(MAX_NAME_CHARS)
        .collect()
}

/// Reads a file or stored value. Never fails: what it cannot read is counted in
/// [`Decoded::ignored`].
pub fn decode(text: &str) -> Decoded {
    if text.len() > MAX_FILE_BYTES {
        return Decoded {
            views: Vec::new(),
            ignored: 1,
        };
    }
    let Ok(root) = serde_json::from_str::<Value>(text) else {
        return Decoded {
            views: Vec::new(),
            ignored: 1,
        };
    };
    let entries = match (root.get("userdeck_views"), root.get("views")) {
        (Some(Value::Number(v)), Some(Value::Array(entries))) if v.as_u64() == Some(VERSION) => {
            entries
        }
        _ => {
            return Decoded {
                views: Vec::new(),
                ignored: 1,
            };
        }
    };
    let mut decoded = Decoded::default();
    for entry in entries {
        match entry.as_object().and_then(view) {
            Some(view) if decoded.views.len() < MAX_VIEWS => {
                decoded.views = upsert(&decoded.views, view)
            }
            _ => decoded.ignored += 1,
        }
    }
    decoded
}

fn view(entry: &Map<String, Value>) -> Option<SavedView> {
    let text = |key: &str, max: usize| -> Option<String> {
        let value = entry.get(key)?.as_str()?;
        (value.chars().count() <= max).then(|| value.to_string())
    };
    let name = clean_name(&text("name", MAX_NAME_CHARS * 4)?);
    let provider = text("provider", MAX_PROVIDER_CHARS)?;
    let provider_ok = !provider.is_empty()
        && provider
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let query = text("query", MAX_QUERY_CHARS)?;
    let columns = match entry.get("columns") {
        None | Some(Value::Null) => String::new(),
        Some(_) => text("columns", MAX_COLUMNS_CHARS)?,
    };
    (!name.is_empty() && provider_ok && !query.contains(['#', '\r', '\n'])).then_some(SavedView {
        name,
        provider,
        query: query.trim_start_matches('?').to_string(),
        columns,
    })
}

/// The decoded `(key, value)` pairs of a view's query string (`+` is a space, `%XX` a byte,
/// invalid UTF-8 replaced), for the console's URL decoder, which is total in turn.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (unescape(key), unescape(value))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes views as a file that [`decode`] reads back.
pub fn encode(views: &[SavedView]) -> String {
    let entries: Vec<Value> = views
        .iter()
        .map(|v| {
            let mut entry = Map::new();
            entry.insert("name".into(), Value::String(v.name.clone()));
            entry.insert("provider".into(), Value::String(v.provider.clone()));
            entry.insert("query".into(), Value::String(v.query.clone()));
            entry.insert("columns".into(), Value::String(v.columns.clone()));
            Value::Object(entry)
        })
        .collect();
    let mut root = Map::new();
    root.insert("userdeck_views".into(), Value::from(VERSION));
    root.insert("views".into(), Value::Array(entries));
    serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default()
}

/// `views` with `view` added, replacing one of the same name for the same provider in place.
pub fn upsert(views: &[SavedView], view: SavedView) -> Vec<SavedView> {
    let mut out = views.to_vec();
    match out
        .iter()
        .position(|v| v.provider == view.provider && v.name == view.name)
    {
        Some(at) => out[at] = view,
        None => out.push(view),
    }
    out
}

/// `views` after an import of `imported`: each imported view added or replacing its namesake.
pub fn merge(views: &[SavedView], imported: Vec<SavedView>) -> Vec<SavedView> {
    let mut out = views.to_vec();
    for view in imported {
        out = upsert(&out, view);
    }
    out.truncate(MAX_VIEWS);
    out
}

/// `views` with `provider`'s view `from` renamed to `to`; `None` when the new name is empty or
/// taken, so the console can say why.
pub fn rename(views: &[SavedView], provider: &str, from: &str, to: &str) -> Option<Vec<SavedView>> {
    let to = clean_name(to);
    let taken = views
        .iter()
        .any(|v| v.provider == provider && v.name == to && to != from);
    if to.is_empty() || taken {
        return None;
    }
    Some(
        views
            .iter()
            .map(|v| {
                if v.provider == provider && v.name == from {
                    SavedView {
                        name: to.clone(),
                        ..v.clone()
                    }
                } else {
                    v.clone()
                }
            })
            .collect(),
    )
}

/// `views` without `provider`'s view `name`.
pub fn remove(views: &[SavedView], provider: &str, name: &str) -> Vec<SavedView> {
    views
        .iter()
        .filter(|v| !(v.provider == provider && v.name == name))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str, query: &str) -> SavedView {
        SavedView {
            name: name.into(),
            provider: "rebilly".into(),
            query: query.into(),
            columns: "name,-email".into(),
        }
    }

    #[test]
    fn round_trips_a_file() {
        let views = vec![
            view("Active", "f.status=eq:active"),
            view("Ann ✨", "q=ann&size=50"),
        ];
        let decoded = decode(&encode(&views));
        assert_eq!(decoded.views, views);
        assert_eq!(decoded.ignored, 0);
        assert_eq!(decoded.note(), None);
    }

    #[test]
    fn hostile_files_are_ignored_with_a_sentence() {
        for hostile in [
            "",
            "null",
            "[]",
            "{\"views\": []}",
            "{\"userdeck_views\": 2, \"views\": []}",
            "<html>",
            "{\"userdeck_views\":1,\"views\":{}}",
        ] {
            let decoded = decode(hostile);
            assert!(decoded.views.is_empty(), "{hostile}");
            assert_eq!(decoded.ignored, 1, "{hostile}");
            assert!(
                decoded
                    .note()
                    .is_some_and(|n| n.contains("nothing was imported"))
            );
        }
        let mixed = r#"{"userdeck_views":1,"views":[
            {"name":"ok","provider":"pngme","query":"?q=a"},
            {"name":"","provider":"pngme","query":""},
            {"name":"x","provider":"../etc","query":""},
            {"name":"y","provider":"pngme","query":"a#b"},
            {"name":7,"provider":"pngme","query":""},
            "text", null,
            {"name":"ok","provider":"pngme","query":"q=b","columns":"name"}
        ]}"#;
        let decoded = decode(mixed);
        assert_eq!(decoded.ignored, 6);
        assert_eq!(decoded.views.len(), 1, "the namesake replaced the first");
        assert_eq!(decoded.views[0].query, "q=b");
        assert_eq!(
            decoded.note().as_deref(),
            Some("6 entries in that file were not a saved view and were ignored.")
        );
        let long_name = format!(
            r#"{{"userdeck_views":1,"views":[{{"name":"{}\u0007","provider":"p","query":""}}]}}"#,
            "n".repeat(100)
        );
        assert_eq!(
            decode(&long_name).views[0].name.chars().count(),
            MAX_NAME_CHARS
        );
        assert_eq!(decode(&" ".repeat(MAX_FILE_BYTES + 1)).ignored, 1);
    }

    #[test]
    fn query_strings_decode_totally() {
        assert_eq!(
            query_pairs("?q=a%26b+c&sort=-name&f.email=has%3A%40x"),
            vec![
                ("q".to_string(), "a&b c".to_string()),
                ("sort".to_string(), "-name".to_string()),
                ("f.email".to_string(), "has:@x".to_string()),
            ]
        );
        assert_eq!(
            query_pairs("a=%&b=%4&c=%zz&d&&e=%ff"),
            vec![
                ("a".to_string(), "%".to_string()),
                ("b".to_string(), "%4".to_string()),
                ("c".to_string(), "%zz".to_string()),
                ("d".to_string(), String::new()),
                ("e".to_string(), "\u{fffd}".to_string()),
            ]
        );
        assert!(query_pairs("").is_empty());
    }

    #[test]
    fn rename_delete_and_merge() {
        let views = vec![view("A", "q=a"), view("B", "q=b")];
        assert_eq!(rename(&views, "rebilly", "A", "B"), None, "taken");
        assert_eq!(rename(&views, "rebilly", "A", "  "), None, "empty");
        let renamed = rename(&views, "rebilly", "A", " C ").expect("free name");
        assert_eq!(renamed[0].name, "C");
        assert_eq!(remove(&renamed, "rebilly", "C"), vec![view("B", "q=b")]);
        let other = SavedView {
            provider: "pngme".into(),
            ..view("A", "q=z")
        };
        let merged = merge(&views, vec![view("B", "q=new"), other.clone()]);
        assert_eq!(merged, vec![view("A", "q=a"), view("B", "q=new"), other]);
    }
}
