//! The provider list as it travels from the proxy (`GET /api/providers`) to the console. One
//! type on both ends, so a member the proxy adds cannot be silently dropped by the console, and
//! an operator's setting such as `max_page_size` reaches the browser's planner.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::{Capabilities, ProviderKind};

/// One configured provider as the console may know it: never a secret or an upstream URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderInfo {
    /// The deployment's id for it, used in the console's URLs.
    pub id: String,
    /// Which API it speaks.
    pub kind: ProviderKind,
    /// The name people see.
    pub label: String,
    /// The proxy path that forwards to its list-users endpoint.
    pub path: String,
    /// What the planner may ask of it, with the deployment's limits applied.
    pub capabilities: Capabilities,
}

/// The whole `/api/providers` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderCatalog {
    /// The providers in the operator's order.
    pub providers: Vec<ProviderInfo>,
}

/// The console reads the list through the JSON tree it already parses every provider answer
/// with, not through derived visitors of its own: the same checks for less WebAssembly.
impl<'de> Deserialize<'de> for ProviderCatalog {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let providers = value
            .get("providers")
            .and_then(Value::as_array)
            .ok_or_else(|| D::Error::custom("the provider list has no `providers` array"))?;
        let providers = providers
            .iter()
            .map(ProviderInfo::from_value)
            .collect::<Result<_, _>>()
            .map_err(D::Error::custom)?;
        Ok(Self { providers })
    }
}

impl<'de> Deserialize<'de> for ProviderInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_value(&Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl ProviderInfo {
    /// Reads one provider off the wire. Of the served capabilities only the members a
    /// deployment can change are read: every other member is a function of the kind, so it is
    /// rebuilt from the reader's own table instead of trusted. A hostile or stale server can
    /// only narrow the page size of a kind with a documented maximum, never widen it (see
    /// [`Capabilities::with_max_page_size`]).
    fn from_value(value: &Value) -> Result<Self, String> {
        let text = |member: &str| {
            value
                .get(member)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("a provider has no text `{member}`"))
        };
        let kind_in = |holder: &Value| {
            holder
                .get("kind")
                .and_then(Value::as_str)
                .and_then(ProviderKind::from_id)
        };
        let id = text("id")?;
        let kind = kind_in(value).ok_or_else(|| format!("provider {id} has no known `kind`"))?;
        let served = value
            .get("capabilities")
            .ok_or_else(|| format!("provider {id} has no `capabilities`"))?;
        let served_kind = kind_in(served)
            .ok_or_else(|| format!("provider {id}'s capabilities name no known `kind`"))?;
        if served_kind != kind {
            return Err(format!(
                "provider {id} is {} but its capabilities describe {}",
                kind.label(),
                served_kind.label()
            ));
        }
        let max_page_size =
            match served.get("max_page_size") {
                None | Some(Value::Null) => None,
                Some(max) => Some(max.as_u64().ok_or_else(|| {
                    format!("provider {id}'s `max_page_size` is not a whole number")
                })?),
            };
        let documented = Capabilities::of(kind);
        let capabilities = match max_page_size {
            Some(max) => documented.with_max_page_size(max),
            None => documented,
        };
        Ok(Self {
            label: text("label")?,
            path: text("path")?,
            id,
            kind,
            capabilities,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(kind: ProviderKind, capabilities: Capabilities) -> ProviderInfo {
        ProviderInfo {
            id: "p".into(),
            kind,
            label: "P".into(),
            path: "/api/p/p/users".into(),
            capabilities,
        }
    }

    #[test]
    fn a_served_page_size_survives_the_round_trip() {
        let sent = info(
            ProviderKind::PressOne,
            Capabilities::of(ProviderKind::PressOne).with_max_page_size(7),
        );
        let wire = serde_json::to_string(&sent).expect("serialises");
        let read: ProviderInfo = serde_json::from_str(&wire).expect("reads back");
        assert_eq!(read.capabilities.max_page_size, Some(7));
        assert_eq!(read, sent);
    }

    #[test]
    fn a_server_cannot_widen_a_documented_maximum() {
        let documented = Capabilities::of(ProviderKind::Rebilly).max_page_size;
        let wire = r#"{"id":"r","kind":"rebilly","label":"R","path":"/api/p/r/users",
            "capabilities":{"kind":"rebilly","max_page_size":1000000}}"#;
        let read: ProviderInfo = serde_json::from_str(wire).expect("reads");
        assert_eq!(read.capabilities.max_page_size, documented);
    }

    #[test]
    fn capabilities_of_another_kind_are_refused() {
        let wire = r#"{"id":"r","kind":"rebilly","label":"R","path":"/api/p/r/users",
            "capabilities":{"kind":"pressone","max_page_size":5}}"#;
        assert!(serde_json::from_str::<ProviderInfo>(wire).is_err());
    }

    #[test]
    fn missing_capabilities_are_refused_not_guessed() {
        let wire = r#"{"id":"r","kind":"rebilly","label":"R","path":"/api/p/r/users"}"#;
        assert!(serde_json::from_str::<ProviderInfo>(wire).is_err());
    }

    #[test]
    fn a_whole_catalog_survives_the_round_trip_in_order() {
        let sent = ProviderCatalog {
            providers: ProviderKind::ALL
                .into_iter()
                .map(|kind| info(kind, Capabilities::of(kind)))
                .collect(),
        };
        let wire = serde_json::to_string(&sent).expect("serialises");
        let read: ProviderCatalog = serde_json::from_str(&wire).expect("reads back");
        assert_eq!(read, sent);
    }

    #[test]
    fn a_null_page_size_keeps_the_documented_one() {
        let wire = r#"{"id":"p","kind":"pressone","label":"P","path":"/api/p/p/users",
            "capabilities":{"kind":"pressone","max_page_size":null}}"#;
        let read: ProviderInfo = serde_json::from_str(wire).expect("reads");
        assert_eq!(read.capabilities, Capabilities::of(ProviderKind::PressOne));
    }

    #[test]
    fn malformed_members_are_refused_with_a_sentence() {
        for (wire, says) in [
            (
                r#"{"id":"p","kind":"pressone","label":"P","path":"/x",
                    "capabilities":{"kind":"pressone","max_page_size":-3}}"#,
                "`max_page_size` is not a whole number",
            ),
            (
                r#"{"id":"p","kind":"PressOne","label":"P","path":"/x",
                    "capabilities":{"kind":"pressone"}}"#,
                "has no known `kind`",
            ),
            (
                r#"{"id":7,"kind":"pressone","label":"P","path":"/x",
                    "capabilities":{"kind":"pressone"}}"#,
                "no text `id`",
            ),
            (
                r#"{"id":"p","kind":"pressone","label":"P",
                    "capabilities":{"kind":"pressone"}}"#,
                "no text `path`",
            ),
        ] {
            let error = serde_json::from_str::<ProviderInfo>(wire).expect_err(wire);
            assert!(
                error.to_string().contains(says),
                "{error} should say {says}"
            );
        }
        for wire in [r#"{"providers":{}}"#, r#"[]"#, r#"{"providers":[1]}"#] {
            assert!(
                serde_json::from_str::<ProviderCatalog>(wire).is_err(),
                "{wire}"
            );
        }
    }
}
