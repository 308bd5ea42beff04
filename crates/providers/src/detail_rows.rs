//! Which rows the console's user detail lists, and what a row says when the user lacks the
//! value. Only the fields the provider kind can have are listed (no "Middle name" or "Expires"
//! for Rebilly), and a missing value says the provider sent none for this user, never that the
//! provider has no such field when it does (a Rebilly user whose id is empty).

use crate::capabilities::Capabilities;
use crate::field::Field;

/// The detail's rows in the order they are shown.
pub const ROWS: [Field; 11] = [
    Field::Email,
    Field::Phone,
    Field::Id,
    Field::FirstName,
    Field::MiddleName,
    Field::LastName,
    Field::Status,
    Field::Created,
    Field::Updated,
    Field::LastLogin,
    Field::Expires,
];

/// The rows of [`ROWS`] that `capabilities` says this provider's users can have.
pub fn rows(capabilities: &Capabilities) -> Vec<Field> {
    ROWS.into_iter()
        .filter(|field| capabilities.fields.contains(field))
        .collect()
}

/// What a row says when this user has no value for it: an honest dash, with a word for the
/// id, whose absence people otherwise read as a display bug.
pub fn missing(capabilities: &Capabilities, field: Field) -> String {
    if field == Field::Id {
        format!("— ({} sent no id for this user)", capabilities.kind.label())
    } else {
        "—".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::ProviderKind;

    #[test]
    fn only_the_fields_the_kind_can_have() {
        let rebilly = rows(&Capabilities::of(ProviderKind::Rebilly));
        assert!(!rebilly.contains(&Field::MiddleName));
        assert!(!rebilly.contains(&Field::Expires));
        assert!(rebilly.contains(&Field::Id) && rebilly.contains(&Field::LastLogin));
        let active = rows(&Capabilities::of(ProviderKind::ActivePlatform));
        assert!(active.contains(&Field::MiddleName));
        let nameshield = rows(&Capabilities::of(ProviderKind::Nameshield));
        assert!(nameshield.contains(&Field::Expires));
        let pressone = rows(&Capabilities::of(ProviderKind::PressOne));
        assert!(!pressone.contains(&Field::Id));
        assert_eq!(pressone.first(), Some(&Field::Email));
    }

    #[test]
    fn a_missing_id_is_the_users_not_the_providers() {
        let caps = Capabilities::of(ProviderKind::Rebilly);
        assert_eq!(
            missing(&caps, Field::Id),
            "— (Rebilly sent no id for this user)"
        );
        assert_eq!(missing(&caps, Field::Email), "—");
    }
}
