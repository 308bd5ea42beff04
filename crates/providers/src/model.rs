//! The provider-neutral user and page. Every adapter maps its provider's record into [`User`],
//! so the console, the planner and the in-memory engine deal with one shape, while the raw JSON
//! stays available for the detail view.

use crate::field::Field;
use crate::time::date::Instant;
use serde::{Deserialize, Serialize};

/// One user as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// A key that is unique within one result, for list rendering and selection. It is the
    /// provider id where there is one; PressOne has none, so its adapter uses `email:…`, else
    /// `mobile:…`, else `row:<absolute position>`.
    pub key: String,
    /// The provider's own id, when it has one.
    pub id: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Middle name (ActivePlatform).
    pub middle_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// The non-empty name parts joined by spaces, else the e-mail, else the key: a row always
    /// has something to click on.
    pub display_name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone numbers with what kind they are (`mobile`, `business`, …).
    pub phones: Vec<Phone>,
    /// Account status; `None` when the provider has no such notion (Pngme).
    pub status: Option<Status>,
    /// The subscription, where the provider has one (PressOne).
    pub subscription: Option<Subscription>,
    /// When the user was created.
    pub created: Option<Instant>,
    /// When the user was last updated.
    pub updated: Option<Instant>,
    /// When the user last logged in.
    pub last_login: Option<Instant>,
    /// When the account expires (Nameshield).
    pub expires: Option<Instant>,
    /// Provider-specific attributes, in the order the detail view lists them.
    pub attributes: Vec<Attribute>,
    /// The record exactly as the provider sent it.
    pub raw: serde_json::Value,
}

/// A phone number and its kind, because Rebilly distinguishes business and mobile numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// What kind of number this is, as a short lowercase word.
    pub label: String,
    /// The number as the provider wrote it.
    pub number: String,
}

/// An account status. Unknown words are kept rather than guessed, so nothing is mislabelled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// The account can be used.
    Active,
    /// The account is disabled.
    Inactive,
    /// The account awaits confirmation (Rebilly `pending-confirmation`).
    Pending,
    /// A word the console does not know, kept verbatim.
    Unknown(String),
}

impl Status {
    /// Reads a provider's status word; case and surrounding space are ignored.
    pub fn from_wire(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "active" => Status::Active,
            "inactive" => Status::Inactive,
            "pending" | "pending-confirmation" => Status::Pending,
            _ => Status::Unknown(raw.to_string()),
        }
    }

    /// The neutral word used in filters and display (`active`, `inactive`, `pending`, or the raw
    /// word).
    pub fn as_str(&self) -> &str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Pending => "pending",
            Status::Unknown(raw) => raw,
        }
    }
}

/// A subscription (PressOne). Every member is optional because the example responses leave any
/// of them out or null.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Subscription {
    /// Plan name.
    pub plan: Option<String>,
    /// Billing term, as the provider words it.
    pub term: Option<String>,
    /// Standard cost, in the provider's currency units.
    pub cost: Option<f64>,
    /// Whether the subscription is active.
    pub active: Option<bool>,
    /// Whether it is a free trial.
    pub free_trial: Option<bool>,
    /// The billing day as the provider wrote it (a day number or a date-time).
    pub billing_day: Option<String>,
    /// When the subscription was created.
    pub created: Option<Instant>,
}

/// A provider-specific attribute for the detail view. Those the console can filter or sort on
/// carry the [`Field`] they stand for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// The label people read.
    pub name: String,
    /// The value as text.
    pub value: String,
    /// The field this attribute is, when it is one the console knows.
    pub field: Option<Field>,
}

/// A field's value on one user, borrowed, for the engine to compare without copying.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    /// The user has no value for this field.
    Missing,
    /// Text.
    Text(&'a str),
    /// An instant.
    Instant(Instant),
    /// A flag.
    Bool(bool),
}

impl User {
    /// The value of `field`, so filters and sorting read every field the same way. For
    /// [`Field::Phone`] it is the first number; filters look at all of them via [`User::phones`].
    pub fn value(&self, field: Field) -> FieldValue<'_> {
        fn text(value: &Option<String>) -> FieldValue<'_> {
            value
                .as_deref()
                .map_or(FieldValue::Missing, FieldValue::Text)
        }
        fn instant(value: Option<Instant>) -> FieldValue<'static> {
            value.map_or(FieldValue::Missing, FieldValue::Instant)
        }
        let sub = self.subscription.as_ref();
        match field {
            Field::Name => FieldValue::Text(&self.display_name),
            Field::FirstName => text(&self.first_name),
            Field::MiddleName => text(&self.middle_name),
            Field::LastName => text(&self.last_name),
            Field::Email => text(&self.email),
            Field::Phone => self
                .phones
                .first()
                .map_or(FieldValue::Missing, |p| FieldValue::Text(&p.number)),
            Field::Status => self
                .status
                .as_ref()
                .map_or(FieldValue::Missing, |s| FieldValue::Text(s.as_str())),
            Field::Plan => sub.map_or(FieldValue::Missing, |s| text(&s.plan)),
            Field::SubscriptionActive => sub
                .and_then(|s| s.active)
                .map_or(FieldValue::Missing, FieldValue::Bool),
            Field::FreeTrial => sub
                .and_then(|s| s.free_trial)
                .map_or(FieldValue::Missing, FieldValue::Bool),
            Field::Created => instant(self.created),
            Field::Updated => instant(self.updated),
            Field::LastLogin => instant(self.last_login),
            Field::Expires => instant(self.expires),
            Field::Id => text(&self.id),
            other => self
                .attributes
                .iter()
                .find(|a| a.field == Some(other))
                .map_or(FieldValue::Missing, |a| FieldValue::Text(&a.value)),
        }
    }
}

/// Joins the non-empty name parts, falling back to the e-mail and then the key, so that every
/// row has a readable handle.
pub fn display_name(parts: &[Option<&str>], email: Option<&str>, key: &str) -> String {
    let joined: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if !joined.is_empty() {
        return joined.join(" ");
    }
    match email {
        Some(e) if !e.trim().is_empty() => e.trim().to_string(),
        _ => key.to_string(),
    }
}

/// How many rows match in total, as honestly as the provider lets us know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Total {
    /// The exact count.
    Exact(u64),
    /// Known only within bounds (Pngme tells the number of pages, not the rows on the last one).
    Between {
        /// The fewest rows there can be.
        at_least: u64,
        /// The most rows there can be.
        at_most: u64,
    },
    /// At least this many rows; there may be more (ActivePlatform tells nothing).
    AtLeast(u64),
}

impl Total {
    /// The exact count, if known, so the UI shows page numbers only when they are true.
    pub fn exact(self) -> Option<u64> {
        match self {
            Total::Exact(n) => Some(n),
            _ => None,
        }
    }
}

/// What a provider said about paging in one response. Adapters fill what their provider tells;
/// the planner uses it to know the next request and when a scan is complete.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Paging {
    /// The exact total the provider reported (PressOne `total`, Nameshield `data.total`,
    /// Rebilly `Pagination-Total`, Pngme's old `_meta.total_users_count`).
    pub total: Option<u64>,
    /// The number of pages the provider reported (PressOne `nb_pages`, Pngme `num_pages`).
    pub num_pages: Option<u64>,
    /// The 1-based page number the provider says this is.
    pub page_number: Option<u64>,
    /// The page size the provider says it applied.
    pub limit: Option<u64>,
    /// The offset the provider says it applied.
    pub offset: Option<u64>,
    /// The sort the provider says it applied, in its own spelling (Nameshield).
    pub applied_sort: Option<Vec<String>>,
}

/// One page of results: the rows, the honest total and what the provider said about paging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The rows, in order.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: Total,
    /// Paging as the provider (or, for a finished query, the planner) reports it.
    pub paging: Paging,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_map_and_unknown_is_kept() {
        assert_eq!(Status::from_wire("Active"), Status::Active);
        assert_eq!(Status::from_wire("pending-confirmation"), Status::Pending);
        assert_eq!(
            Status::from_wire("banned"),
            Status::Unknown("banned".to_string())
        );
        assert_eq!(Status::from_wire("banned").as_str(), "banned");
    }

    #[test]
    fn display_name_falls_back() {
        assert_eq!(
            display_name(&[Some("Jane"), Some(""), Some("Doe")], None, "k"),
            "Jane Doe"
        );
        assert_eq!(display_name(&[None], Some("a@b.c"), "k"), "a@b.c");
        assert_eq!(display_name(&[Some(" ")], Some(" "), "row:3"), "row:3");
    }

    #[test]
    fn only_exact_totals_give_a_count() {
        assert_eq!(Total::Exact(3).exact(), Some(3));
        assert_eq!(Total::AtLeast(3).exact(), None);
    }
}
