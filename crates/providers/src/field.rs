//! The one vocabulary of user fields shared by filters, sorting, capabilities and the console's
//! columns, so that "which controls to render" and "what the planner may push down" can never
//! disagree about a field's name.

use serde::{Deserialize, Serialize};

/// A user field the console can show, filter or sort on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The display name (first, middle and last joined), which is what people sort by.
    Name,
    /// Given name.
    FirstName,
    /// Middle name (ActivePlatform only).
    MiddleName,
    /// Family name.
    LastName,
    /// E-mail address.
    Email,
    /// Any of the user's phone numbers.
    Phone,
    /// Account status (active, inactive, pending or the provider's raw word).
    Status,
    /// Subscription plan name (PressOne).
    Plan,
    /// Whether the subscription is active (PressOne).
    SubscriptionActive,
    /// Whether the subscription is a free trial (PressOne).
    FreeTrial,
    /// When the user was created.
    Created,
    /// When the user was last updated.
    Updated,
    /// When the user last logged in.
    LastLogin,
    /// When the account expires (Nameshield).
    Expires,
    /// The provider's own user id.
    Id,
    /// The phone's device id (Pngme).
    DeviceId,
    /// The integrator's external id (Pngme).
    ExternalId,
    /// The owning customer's id (Nameshield).
    CustomerId,
    /// Id of the user who created this one (Nameshield).
    CreatedBy,
    /// Id of the user who last updated this one (Nameshield).
    UpdatedBy,
    /// Preferred language (Nameshield).
    Language,
    /// Country of residence (Rebilly).
    Country,
}

/// What kind of value a field holds, which decides the filter operations that make sense and
/// how the in-memory engine compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueType {
    /// Free text, compared case-insensitively.
    Text,
    /// A point in time, compared as an absolute instant.
    Instant,
    /// True or false.
    Bool,
}

impl Field {
    /// Every field, in the order the console offers them.
    pub const ALL: [Field; 22] = [
        Field::Name,
        Field::FirstName,
        Field::MiddleName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Status,
        Field::Plan,
        Field::SubscriptionActive,
        Field::FreeTrial,
        Field::Created,
        Field::Updated,
        Field::LastLogin,
        Field::Expires,
        Field::Id,
        Field::DeviceId,
        Field::ExternalId,
        Field::CustomerId,
        Field::CreatedBy,
        Field::UpdatedBy,
        Field::Language,
        Field::Country,
    ];

    /// The stable identifier used in URLs and saved views.
    pub fn id(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::MiddleName => "middle_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Status => "status",
            Field::Plan => "plan",
            Field::SubscriptionActive => "subscription_active",
            Field::FreeTrial => "free_trial",
            Field::Created => "created",
            Field::Updated => "updated",
            Field::LastLogin => "last_login",
            Field::Expires => "expires",
            Field::Id => "id",
            Field::DeviceId => "device_id",
            Field::ExternalId => "external_id",
            Field::CustomerId => "customer_id",
            Field::CreatedBy => "created_by",
            Field::UpdatedBy => "updated_by",
            Field::Language => "language",
            Field::Country => "country",
        }
    }

    /// The column heading people read.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::FirstName => "First name",
            Field::MiddleName => "Middle name",
            Field::LastName => "Last name",
            Field::Email => "E-mail",
            Field::Phone => "Phone",
            Field::Status => "Status",
            Field::Plan => "Plan",
            Field::SubscriptionActive => "Subscription active",
            Field::FreeTrial => "Free trial",
            Field::Created => "Created",
            Field::Updated => "Updated",
            Field::LastLogin => "Last login",
            Field::Expires => "Expires",
            Field::Id => "Id",
            Field::DeviceId => "Device id",
            Field::ExternalId => "External id",
            Field::CustomerId => "Customer id",
            Field::CreatedBy => "Created by",
            Field::UpdatedBy => "Updated by",
            Field::Language => "Language",
            Field::Country => "Country",
        }
    }

    /// Parses an identifier from a URL or saved view; unknown text is `None`, never a panic.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The kind of value, so the console can offer a date picker or a checkbox where it fits.
    pub fn value_type(self) -> ValueType {
        match self {
            Field::Created | Field::Updated | Field::LastLogin | Field::Expires => {
                ValueType::Instant
            }
            Field::SubscriptionActive | Field::FreeTrial => ValueType::Bool,
            _ => ValueType::Text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for field in Field::ALL {
            assert_eq!(Field::from_id(field.id()), Some(field));
            let json = serde_json::to_string(&field).expect("unit enum serializes");
            assert_eq!(json, format!("\"{}\"", field.id()));
        }
        assert_eq!(Field::from_id("Name"), None);
    }

    #[test]
    fn instants_and_flags_are_typed() {
        assert_eq!(Field::Created.value_type(), ValueType::Instant);
        assert_eq!(Field::FreeTrial.value_type(), ValueType::Bool);
        assert_eq!(Field::Email.value_type(), ValueType::Text);
    }
}
