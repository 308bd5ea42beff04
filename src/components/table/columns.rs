//! Which columns a provider's table has: the common ones it carries, then its own. The data
//! contract (which field, which heading) is kept apart from rendering, as leptos-struct-table
//! does.

use userdeck_providers::{Capabilities, Field};

/// The columns every provider shares, in reading order; each is shown when the provider has
/// the field.
const COMMON: [Field; 8] = [
    Field::Name,
    Field::Email,
    Field::Phone,
    Field::Status,
    Field::Plan,
    Field::Created,
    Field::Updated,
    Field::LastLogin,
];

/// Provider-specific columns, after the common ones.
const OWN: [Field; 9] = [
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

/// The heading of a column: the subscription column is sorted by its plan.
pub fn heading(field: Field) -> &'static str {
    match field {
        Field::Plan => "Subscription",
        other => other.label(),
    }
}

/// The columns of `capabilities`' provider, in display order.
pub fn columns(capabilities: &Capabilities) -> Vec<Field> {
    COMMON
        .into_iter()
        .chain(OWN)
        .filter(|field| capabilities.fields.contains(field))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use userdeck_providers::ProviderKind;

    #[test]
    fn each_provider_shows_what_it_has() {
        let pressone = columns(&Capabilities::of(ProviderKind::PressOne));
        assert_eq!(
            pressone[..4],
            [Field::Name, Field::Email, Field::Phone, Field::Plan]
        );
        assert!(
            !pressone.contains(&Field::Status),
            "PressOne sends no status"
        );
        let pngme = columns(&Capabilities::of(ProviderKind::Pngme));
        assert!(!pngme.contains(&Field::Plan) && pngme.contains(&Field::DeviceId));
        for kind in ProviderKind::ALL {
            assert_eq!(columns(&Capabilities::of(kind)).first(), Some(&Field::Name));
        }
    }
}
