//! The provider list as it travels from the proxy (`GET /api/providers`) to the console. One
//! type on both ends, so a member the proxy adds cannot be silently dropped by the console, and
//! an operator's setting such as `max_page_size` reaches the browser's planner.

use serde::{Deserialize, Serialize};

use crate::{Capabilities, ProviderKind};

/// One configured provider as the console may know it: never a secret or an upstream URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WireProviderInfo")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCatalog {
    /// The providers in the operator's order.
    pub providers: Vec<ProviderInfo>,
}

/// A provider as read off the wire, before its capabilities are rebuilt.
#[derive(Deserialize)]
struct WireProviderInfo {
    id: String,
    kind: ProviderKind,
    label: String,
    path: String,
    capabilities: ServedLimits,
}

/// The members of served capabilities that a deployment can change. Every other member is a
/// function of the kind, so the reader rebuilds it from its own table instead of trusting the
/// wire; a hostile or stale server can only narrow the page size of a kind with a documented
/// maximum, never widen it (see [`Capabilities::with_max_page_size`]).
#[derive(Deserialize)]
struct ServedLimits {
    kind: ProviderKind,
    max_page_size: Option<u64>,
}

impl TryFrom<WireProviderInfo> for ProviderInfo {
    type Error = String;

    fn try_from(wire: WireProviderInfo) -> Result<Self, String> {
        if wire.capabilities.kind != wire.kind {
            return Err(format!(
                "provider {} is {} but its capabilities describe {}",
                wire.id,
                wire.kind.label(),
                wire.capabilities.kind.label()
            ));
        }
        let documented = Capabilities::of(wire.kind);
        let capabilities = match wire.capabilities.max_page_size {
            Some(max) => documented.with_max_page_size(max),
            None => documented,
        };
        Ok(Self {
            id: wire.id,
            kind: wire.kind,
            label: wire.label,
            path: wire.path,
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
}
