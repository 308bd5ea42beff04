//! One error type for everything that can go wrong between the console and a provider. Its
//! `Display` is the sentence the console shows: what happened, at which provider, what to do.

use crate::kind::ProviderKind;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A failure, attributed to a provider, with a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderError {
    /// What kind of failure, so shells can react (retry later, ask for a new key, …).
    pub kind: ErrorKind,
    /// The provider that failed, so the message can name it and the console can show it beside
    /// that provider.
    pub provider: ProviderKind,
    /// The provider's own words or the planner's explanation, without the provider's name.
    pub message: String,
}

/// The kinds of failure, told apart so that shells can react to each (wait, sign in again, fix a
/// field, narrow the query) without reading the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    /// The credentials were refused (401).
    Unauthorized,
    /// The credentials are valid but lack permission (403).
    Forbidden,
    /// Too many requests (429); retry at the instant, when the provider said.
    RateLimited {
        /// When a retry may succeed.
        retry_at: Option<Timestamp>,
    },
    /// The provider rejected the query (400, 422), with per-field messages where given.
    BadRequest {
        /// Field and message pairs.
        fields: Vec<FieldMessage>,
    },
    /// The endpoint was not found (404): usually a wrong base URL.
    NotFound,
    /// The provider failed (5xx or another unexpected status).
    Upstream {
        /// The HTTP status.
        status: u16,
    },
    /// The response could not be understood.
    Malformed,
    /// The provider could not be reached.
    Network,
    /// A full scan would read more rows than the configured cap.
    TooManyRows {
        /// The cap in force.
        cap: u64,
    },
    /// The rows asked for lie where the provider's paging cannot reach (Rebilly past its offset
    /// cap), so any answer would be partial.
    Unreachable,
    /// The query holds something this provider cannot be asked (a value its grammar cannot
    /// carry); the planner keeps such filters in memory, so this only reaches direct callers.
    Unsupported,
    /// The provider sent no rows for a page that its own total says has some: a contradiction
    /// to show as such, never as "no users".
    EmptyPage {
        /// The total the provider reported.
        total: u64,
    },
    /// The Userdeck server itself could not pass the provider's answer on (too large, cut
    /// off, too slow, held back); its sentence already says what happened and what to do.
    Gateway {
        /// The status the Userdeck server answered with.
        status: u16,
    },
}

/// A provider's complaint about one field of the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    /// The provider's name for the field.
    pub field: String,
    /// What it said.
    pub message: String,
}

impl ProviderError {
    /// Builds an error; `message` is the provider's words or the planner's explanation.
    pub fn new(provider: ProviderKind, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            provider,
            message: message.into(),
        }
    }

    /// A response that could not be understood, with what was wrong with it.
    pub fn malformed(provider: ProviderKind, what: impl Into<String>) -> Self {
        Self::new(provider, ErrorKind::Malformed, what)
    }

    /// Whether trying again later may help, so shells know when to offer "Retry".
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::RateLimited { .. }
                | ErrorKind::Upstream { .. }
                | ErrorKind::Network
                | ErrorKind::EmptyPage { .. }
                | ErrorKind::Gateway { .. }
        )
    }

    fn advice(&self) -> String {
        match &self.kind {
            ErrorKind::Unauthorized => {
                "Check the credentials configured for this provider (a token may have expired)."
                    .to_string()
            }
            ErrorKind::Forbidden => {
                "Ask the provider to grant this key permission to list users.".to_string()
            }
            ErrorKind::RateLimited {
                retry_at: Some(at),
            } => format!("Try again after {}.", crate::time::date::utc_readable(*at)),
            ErrorKind::RateLimited { retry_at: None } => {
                "Wait a minute and try again.".to_string()
            }
            ErrorKind::BadRequest { .. } => "Change the search or filters and try again.".to_string(),
            ErrorKind::NotFound => "Check the base URL configured for this provider.".to_string(),
            ErrorKind::Upstream { .. } | ErrorKind::Network => {
                "Try again later; if it persists, check the provider's status.".to_string()
            }
            ErrorKind::Malformed => {
                "Check that the base URL points at this provider's API; if it does, the API may have changed.".to_string()
            }
            ErrorKind::EmptyPage { .. } => {
                "Try again in a moment; if the page stays empty, the provider's paging is inconsistent, so tell its support.".to_string()
            }
            ErrorKind::TooManyRows { .. }
            | ErrorKind::Unreachable
            | ErrorKind::Unsupported
            | ErrorKind::Gateway { .. } => String::new(),
        }
    }

    fn headline(&self) -> String {
        match &self.kind {
            ErrorKind::Unauthorized => "refused the credentials".to_string(),
            ErrorKind::Forbidden => "denied access".to_string(),
            ErrorKind::RateLimited { .. } => "is rate limiting requests".to_string(),
            ErrorKind::BadRequest { .. } => "rejected the query".to_string(),
            ErrorKind::NotFound => "has no users list at the configured address".to_string(),
            ErrorKind::Upstream { status } => format!("failed with HTTP status {status}"),
            ErrorKind::Network => "could not be reached".to_string(),
            ErrorKind::Malformed => "sent a response that could not be read".to_string(),
            ErrorKind::TooManyRows { cap } => {
                format!("cannot answer this query without reading more than {cap} users")
            }
            ErrorKind::Unreachable => "cannot reach these rows by paging".to_string(),
            ErrorKind::Unsupported => "cannot be asked this query".to_string(),
            ErrorKind::EmptyPage { total } => format!(
                "reported {total} {} but sent none for this page",
                if *total == 1 { "user" } else { "users" }
            ),
            ErrorKind::Gateway { .. } => {
                "could not be read through the Userdeck server".to_string()
            }
        }
    }
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.provider.label(), self.headline())?;
        let message = self.message.trim().trim_end_matches('.');
        if !message.is_empty() {
            write!(f, ": {message}")?;
        }
        write!(f, ".")?;
        if let ErrorKind::BadRequest { fields } = &self.kind {
            for field in fields {
                write!(
                    f,
                    " {}: {}.",
                    field.field,
                    field.message.trim_end_matches('.')
                )?;
            }
        }
        let advice = self.advice();
        if !advice.is_empty() {
            write!(f, " {advice}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_an_actionable_sentence() {
        let e = ProviderError::new(
            ProviderKind::Rebilly,
            ErrorKind::Unauthorized,
            "Invalid key.",
        );
        assert_eq!(
            e.to_string(),
            "Rebilly refused the credentials: Invalid key. Check the credentials configured for this provider (a token may have expired)."
        );
        let at = Timestamp::from_second(1_700_000_000).expect("valid epoch");
        let e = ProviderError::new(
            ProviderKind::Nameshield,
            ErrorKind::RateLimited { retry_at: Some(at) },
            "",
        );
        assert_eq!(
            e.to_string(),
            "Nameshield is rate limiting requests. Try again after 2023-11-14 22:13:20 UTC."
        );
        assert!(e.is_transient());
    }

    #[test]
    fn bad_request_lists_fields() {
        let e = ProviderError::new(
            ProviderKind::Rebilly,
            ErrorKind::BadRequest {
                fields: vec![FieldMessage {
                    field: "filter".into(),
                    message: "Unknown field".into(),
                }],
            },
            "Invalid data",
        );
        assert_eq!(
            e.to_string(),
            "Rebilly rejected the query: Invalid data. filter: Unknown field. Change the search or filters and try again."
        );
        assert!(!e.is_transient());
    }

    #[test]
    fn an_empty_page_under_a_total_reads_as_the_contradiction() {
        let e = ProviderError::new(
            ProviderKind::Rebilly,
            ErrorKind::EmptyPage { total: 332 },
            "",
        );
        assert!(
            e.to_string()
                .starts_with("Rebilly reported 332 users but sent none for this page. Try again"),
            "{e}"
        );
        assert!(e.is_transient());
        let one = ProviderError::new(
            ProviderKind::Nameshield,
            ErrorKind::EmptyPage { total: 1 },
            "",
        );
        assert!(one.to_string().contains("reported 1 user but"), "{one}");
    }

    #[test]
    fn a_gateway_problem_keeps_the_servers_sentence() {
        let e = ProviderError::new(
            ProviderKind::Rebilly,
            ErrorKind::Gateway { status: 502 },
            "Rebilly sent more than 8388608 bytes for one page, more than Userdeck accepts. Ask for a smaller page.",
        );
        assert_eq!(
            e.to_string(),
            "Rebilly could not be read through the Userdeck server: Rebilly sent more than 8388608 bytes for one page, more than Userdeck accepts. Ask for a smaller page."
        );
    }
}
