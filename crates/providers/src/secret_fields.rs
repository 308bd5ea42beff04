//! Members of a provider's raw record whose name marks them as secret (a password hash, a TOTP
//! seed, an API token). A support console shows records to many people; a provider that sends
//! such a member should not put it on every screen, in every screenshot and in every export.
//! The detail view shows them masked with a reveal control, and exports leave them out.

use serde_json::Value;

/// What a masked value reads as.
pub const MASK: &str = "••••••••";

/// The name fragments that mark a member as secret, compared without case, `_` or `-`.
const SECRET_MARKS: [&str; 8] = [
    "password",
    "passwd",
    "secret",
    "token",
    "totp",
    "apikey",
    "privatekey",
    "credential",
];

/// Whether a member called `name` holds a secret by its name (`totpSecret`, `api_key`,
/// `Password`).
pub fn is_secret_name(name: &str) -> bool {
    // ASCII folding only: every mark is ASCII, and Unicode case tables would cost the console
    // kilobytes of WebAssembly. Compared in place, without building the folded name: an export
    // asks this for every attribute of every row.
    let name = name.as_bytes();
    SECRET_MARKS
        .iter()
        .any(|mark| (0..name.len()).any(|start| starts_folded(&name[start..], mark.as_bytes())))
}

/// Whether `name`, with `_`, `-`, spaces and dots left out and ASCII letters lowercased, starts
/// with `mark`. Byte-wise is exact: a mark is ASCII, and no byte of a multi-byte UTF-8 character
/// is an ASCII byte.
fn starts_folded(name: &[u8], mark: &[u8]) -> bool {
    let mut folded = name
        .iter()
        .filter(|b| !matches!(b, b'_' | b'-' | b' ' | b'.'))
        .map(u8::to_ascii_lowercase);
    mark.iter().all(|&m| folded.next() == Some(m))
}

/// Masks every secret-named member of `value` in place, at any depth, and says how many it
/// masked. Flags and empty values are left as they are (`totpRequired: true` says nothing
/// secret, and `null` hides nothing), so the record keeps its shape. It works in place on the
/// caller's copy because the console ships as WebAssembly, where building a second tree would
/// cost bytes on every visitor's download.
pub fn mask_secrets(value: &mut Value) -> usize {
    mask(value, false)
}

fn mask(value: &mut Value, secret: bool) -> usize {
    match value {
        Value::Object(members) => members
            .iter_mut()
            .map(|(name, member)| mask(member, secret || is_secret_name(name)))
            .sum(),
        Value::Array(items) => items.iter_mut().map(|item| mask(item, secret)).sum(),
        Value::String(text) if secret && !text.is_empty() => {
            *value = Value::String(MASK.into());
            1
        }
        Value::Number(_) if secret => {
            *value = Value::String(MASK.into());
            1
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_that_mark_secrets() {
        for name in [
            "password",
            "totpSecret",
            "totp_url",
            "API-Key",
            "apiKey",
            "accessToken",
            "private_key",
            "my.pass-word",
            "X_TOKEN",
            "Über Secret",
            "api key",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "email",
            "firstName",
            "createdTime",
            "customer_id",
            "passport",
            "pass_port",
            "tok",
            "",
            "Émile_tökén",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    proptest::proptest! {
        /// The in-place comparison decides as folding the whole name and searching it would.
        #[test]
        fn agrees_with_folding_the_name_first(name in "[a-zA-Z_. -]{0,12}(pass|word|tok|en|key|api|é)?[a-zA-Z_. é-]{0,12}") {
            let folded: String = name
                .chars()
                .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let expected = SECRET_MARKS.iter().any(|mark| folded.contains(mark));
            proptest::prop_assert_eq!(is_secret_name(&name), expected);
        }
    }

    #[test]
    fn masks_secret_values_at_any_depth_and_keeps_flags() {
        let record = json!({
            "email": "a@b.c",
            "password": "hunter2",
            "totpRequired": true,
            "totpSecret": "JBSWY3DPEHPK3PXP",
            "emptyToken": "",
            "credentials": {"pin": 1234, "list": ["x", "y"]},
            "nested": [{"apiKey": "k-1"}],
        });
        let mut masked = record.clone();
        assert_eq!(mask_secrets(&mut masked), 6);
        assert_eq!(masked["email"], "a@b.c");
        assert_eq!(masked["password"], MASK);
        assert_eq!(masked["totpRequired"], true);
        assert_eq!(masked["totpSecret"], MASK);
        assert_eq!(masked["emptyToken"], "");
        assert_eq!(masked["credentials"]["pin"], MASK);
        assert_eq!(masked["credentials"]["list"], json!([MASK, MASK]));
        assert_eq!(masked["nested"][0]["apiKey"], MASK);
        assert!(!masked.to_string().contains("hunter2"));
    }
}
