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
    let folded: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_MARKS.iter().any(|mark| folded.contains(mark))
}

/// A record with its secret members masked, and how many there were.
#[derive(Debug, Clone, PartialEq)]
pub struct Masked {
    /// The record, each secret string or number replaced by [`MASK`].
    pub value: Value,
    /// How many members were masked.
    pub count: usize,
}

/// Masks every secret-named member of `value`, at any depth. Flags and empty values are left as
/// they are (`totpRequired: true` says nothing secret, and `null` hides nothing), so the record
/// keeps its shape.
pub fn mask_secrets(value: &Value) -> Masked {
    let mut count = 0;
    let value = mask(value, false, &mut count);
    Masked { value, count }
}

fn mask(value: &Value, secret: bool, count: &mut usize) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, member)| {
                    (
                        name.clone(),
                        mask(member, secret || is_secret_name(name), count),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| mask(v, secret, count)).collect()),
        Value::String(text) if secret && !text.is_empty() => {
            *count += 1;
            Value::String(MASK.into())
        }
        Value::Number(_) if secret => {
            *count += 1;
            Value::String(MASK.into())
        }
        other => other.clone(),
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
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "email",
            "firstName",
            "createdTime",
            "customer_id",
            "passport",
        ] {
            assert!(!is_secret_name(name), "{name}");
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
        let masked = mask_secrets(&record);
        assert_eq!(masked.count, 6);
        assert_eq!(masked.value["email"], "a@b.c");
        assert_eq!(masked.value["password"], MASK);
        assert_eq!(masked.value["totpRequired"], true);
        assert_eq!(masked.value["totpSecret"], MASK);
        assert_eq!(masked.value["emptyToken"], "");
        assert_eq!(masked.value["credentials"]["pin"], MASK);
        assert_eq!(masked.value["credentials"]["list"], json!([MASK, MASK]));
        assert_eq!(masked.value["nested"][0]["apiKey"], MASK);
        assert!(!masked.value.to_string().contains("hunter2"));
    }
}
