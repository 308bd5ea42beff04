//! The five provider kinds. A deployment configures any number of providers, each of one kind;
//! the kind decides which adapter, simulator and credential scheme apply.

use serde::{Deserialize, Serialize};

/// Which API a configured provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// PressOne voice-only eSIM partner API.
    PressOne,
    /// Pngme `GET /users`.
    Pngme,
    /// Nameshield `GET /user/v1/users`.
    Nameshield,
    /// Rebilly `GET /users` under an organization.
    Rebilly,
    /// ActivePlatform vendor API v1.
    ActivePlatform,
}

impl ProviderKind {
    /// Every kind, in the order the console lists them.
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::PressOne,
        ProviderKind::Pngme,
        ProviderKind::Nameshield,
        ProviderKind::Rebilly,
        ProviderKind::ActivePlatform,
    ];

    /// The stable lowercase identifier used in config files and URLs.
    pub fn id(self) -> &'static str {
        match self {
            ProviderKind::PressOne => "pressone",
            ProviderKind::Pngme => "pngme",
            ProviderKind::Nameshield => "nameshield",
            ProviderKind::Rebilly => "rebilly",
            ProviderKind::ActivePlatform => "activeplatform",
        }
    }

    /// The provider's own spelling, for people.
    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::PressOne => "PressOne",
            ProviderKind::Pngme => "Pngme",
            ProviderKind::Nameshield => "Nameshield",
            ProviderKind::Rebilly => "Rebilly",
            ProviderKind::ActivePlatform => "ActivePlatform",
        }
    }

    /// Parses an identifier from config or a URL; unknown text is `None`, never a panic.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_serde_agrees() {
        for kind in ProviderKind::ALL {
            assert_eq!(ProviderKind::from_id(kind.id()), Some(kind));
            let json = serde_json::to_string(&kind).expect("a unit enum serializes");
            assert_eq!(json, format!("\"{}\"", kind.id()));
        }
        assert_eq!(ProviderKind::from_id("PressOne"), None);
        assert_eq!(ProviderKind::from_id(""), None);
    }
}
