//! One adapter per provider: each turns a [`ServerQuery`] and a [`ServerPage`] into a request
//! (without credentials) and a response into a page of [`User`]s or a [`ProviderError`]. The
//! functions here dispatch on [`ProviderKind`] so that shells need not know the modules.

pub mod activeplatform;
pub mod gateway;
pub mod http_date;
pub mod json;
pub mod nameshield;
pub mod pngme;
pub mod pressone;
pub mod rebilly;
pub mod status;

use crate::error::ProviderError;
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Page, Paging, User};
use crate::query::{Filter, ServerPage, ServerQuery};
use crate::time::Timestamp;

/// How faithfully a provider can carry one filter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// The provider applies exactly this filter.
    Exact,
    /// The provider applies a looser filter (a superset): push it down to fetch less, and also
    /// check the filter in memory. Nameshield text holding a literal `*` (which it would read
    /// as a wildcard; it documents no escape) and Pngme's date bounds are carried this way.
    Narrowing,
    /// The provider cannot be asked this (a Rebilly value holding its grammar's punctuation);
    /// apply the filter in memory only.
    No,
}

/// Builds the request for one page of `query`, without credentials.
pub fn request(
    kind: ProviderKind,
    query: &ServerQuery,
    page: ServerPage,
) -> Result<HttpRequest, ProviderError> {
    match kind {
        ProviderKind::PressOne => pressone::request(query, page),
        ProviderKind::Pngme => pngme::request(query, page),
        ProviderKind::Nameshield => nameshield::request(query, page),
        ProviderKind::Rebilly => rebilly::request(query, page),
        ProviderKind::ActivePlatform => activeplatform::request(query, page),
    }
}

/// Reads one response. `now` turns relative retry delays into instants. The Userdeck server's
/// own problems and success answers carrying a problem body are read first ([`gateway`]).
pub fn parse(
    kind: ProviderKind,
    response: &HttpResponse,
    now: Timestamp,
) -> Result<Page<User>, ProviderError> {
    if let Some(error) = gateway::error(kind, response, now) {
        return Err(error);
    }
    match kind {
        ProviderKind::PressOne => pressone::parse(response, now),
        ProviderKind::Pngme => pngme::parse(response, now),
        ProviderKind::Nameshield => nameshield::parse(response, now),
        ProviderKind::Rebilly => rebilly::parse(response, now),
        ProviderKind::ActivePlatform => activeplatform::parse(response, now),
    }
}

/// Refuses a page whose echo shows that the provider answered another question than the one
/// asked, before the executor merges it with the other pages. Only Nameshield echoes a setting
/// it may have changed (the sort); the offset echo is alike for every provider and checked by
/// the executor itself.
pub fn check_echo(
    kind: ProviderKind,
    query: &ServerQuery,
    paging: &Paging,
) -> Result<(), ProviderError> {
    match kind {
        ProviderKind::Nameshield => nameshield::check_echo(query, paging),
        ProviderKind::PressOne
        | ProviderKind::Pngme
        | ProviderKind::Rebilly
        | ProviderKind::ActivePlatform => Ok(()),
    }
}

/// How faithfully `kind` can carry `filter`, given that its capabilities list the field and
/// operation. The planner pushes down only `Exact` and `Narrowing` filters.
pub fn can_carry(kind: ProviderKind, filter: &Filter) -> Carry {
    match kind {
        ProviderKind::PressOne => pressone::carry(filter),
        ProviderKind::Pngme => pngme::carry(filter),
        ProviderKind::Nameshield => nameshield::carry(filter),
        ProviderKind::Rebilly => rebilly::carry(filter),
        ProviderKind::ActivePlatform => activeplatform::carry(filter),
    }
}

/// The text of an `Equals` filter with a non-blank text value: what the exact-match providers
/// (PressOne, Pngme, ActivePlatform) can carry.
fn plain_equals(filter: &Filter) -> Option<&str> {
    match &filter.op {
        crate::query::FilterOp::Equals(crate::query::Value::Text(t)) if !t.trim().is_empty() => {
            Some(t)
        }
        _ => None,
    }
}

/// The error for a server query that holds something the adapter cannot send; the planner never
/// builds one, so this only reaches callers that bypass it.
fn unsupported(kind: ProviderKind, what: &str) -> ProviderError {
    ProviderError::new(
        kind,
        crate::error::ErrorKind::Unsupported,
        format!("{what}; let the planner keep it in memory instead"),
    )
}
