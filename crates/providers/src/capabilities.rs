//! What each provider can do itself, as data. The planner pushes down exactly this and nothing
//! more, and the console renders filter and sort controls from the same table, so the two
//! cannot drift apart.

use crate::field::Field;
use crate::kind::ProviderKind;
use crate::query::{Filter, OpKind};
use serde::Serialize;

/// What one provider can do itself, so that the planner pushes down only what it applies and the
/// console offers only controls that can work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// Which provider this describes.
    pub kind: ProviderKind,
    /// Every field this provider's users carry. All of them can be filtered and sorted in memory
    /// (at the price of a full scan); the console shows controls for exactly these.
    pub fields: &'static [Field],
    /// The filters the provider applies itself.
    pub filters: &'static [FilterCap],
    /// How server-side filters may be combined.
    pub combination: Combination,
    /// Whether the provider has a free-text search, and over what.
    pub free_text: Option<FreeText>,
    /// Fields the provider sorts by itself.
    pub sortable: &'static [Field],
    /// Whether the provider sorts by several keys at once.
    pub multi_sort: bool,
    /// How pages are addressed, which decides how the executor reads sizes and the data's end.
    pub paging: PagingStyle,
    /// The page size the provider uses when none is asked for, if known.
    pub default_page_size: Option<u64>,
    /// The largest page size the provider accepts (`None` when the provider fixes it).
    pub max_page_size: Option<u64>,
    /// How the provider reports the total.
    pub total: TotalKind,
    /// The largest offset the provider serves (Rebilly 1000): rows beyond
    /// `offset_cap + max_page_size` cannot be reached by paging.
    pub offset_cap: Option<u64>,
}

/// One server-side filter: a field and the operations the provider applies to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FilterCap {
    /// The field the provider filters on.
    pub field: Field,
    /// The operations applied server side.
    pub ops: &'static [OpKind],
    /// False when the server applies a looser condition than asked (Pngme's date bounds, whose
    /// inclusiveness is unpublished): the planner then also keeps the filter residual.
    pub exact: bool,
}

/// How several server-side filters combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Combination {
    /// Any number of filters, combined with AND.
    All,
    /// At most one filter per request (PressOne: e-mail *or* mobile).
    AtMostOne,
}

/// A provider's free-text search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FreeText {
    /// What the provider searches, for the search box's hint.
    pub description: &'static str,
}

/// The ways the five providers address pages: each needs its own reading of page sizes and of
/// where the data ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PagingStyle {
    /// 1-based page number and page size (PressOne, ActivePlatform).
    PageNumber,
    /// 1-based page number; the server fixes the size (Pngme).
    FixedPageSize,
    /// Offset and limit (Nameshield, Rebilly).
    Offset,
}

/// How a provider reports the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TotalKind {
    /// An exact count.
    Exact,
    /// Only the number of pages (Pngme).
    PagesOnly,
    /// Nothing (ActivePlatform).
    None,
}

const EQ: &[OpKind] = &[OpKind::Equals];
const EQ_CONTAINS: &[OpKind] = &[OpKind::Equals, OpKind::Contains];
const REBILLY_TEXT: &[OpKind] = &[OpKind::Equals, OpKind::OneOf, OpKind::Not];
const REBILLY_TIME: &[OpKind] = &[OpKind::Range];

const fn cap(field: Field, ops: &'static [OpKind]) -> FilterCap {
    FilterCap {
        field,
        ops,
        exact: true,
    }
}

const PRESSONE: Capabilities = Capabilities {
    kind: ProviderKind::PressOne,
    fields: &[
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Plan,
        Field::SubscriptionActive,
        Field::FreeTrial,
        Field::Created,
    ],
    filters: &[cap(Field::Email, EQ), cap(Field::Phone, EQ)],
    combination: Combination::AtMostOne,
    free_text: None,
    sortable: &[],
    multi_sort: false,
    paging: PagingStyle::PageNumber,
    default_page_size: None,
    max_page_size: Some(100),
    total: TotalKind::Exact,
    offset_cap: None,
};

const PNGME: Capabilities = Capabilities {
    kind: ProviderKind::Pngme,
    fields: &[
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Created,
        Field::Updated,
        Field::Id,
        Field::DeviceId,
        Field::ExternalId,
    ],
    filters: &[
        cap(Field::Phone, EQ),
        cap(Field::DeviceId, EQ),
        cap(Field::ExternalId, EQ),
        FilterCap {
            field: Field::Created,
            ops: &[OpKind::Range],
            exact: false,
        },
    ],
    combination: Combination::All,
    free_text: Some(FreeText {
        description: "Partial, case-insensitive match on first and last name, e-mail, phone, external id and id",
    }),
    sortable: &[],
    multi_sort: false,
    paging: PagingStyle::FixedPageSize,
    default_page_size: None,
    max_page_size: None,
    total: TotalKind::PagesOnly,
    offset_cap: None,
};

const NAMESHIELD: Capabilities = Capabilities {
    kind: ProviderKind::Nameshield,
    fields: &[
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Created,
        Field::Updated,
        Field::LastLogin,
        Field::Expires,
        Field::Id,
        Field::CustomerId,
        Field::CreatedBy,
        Field::UpdatedBy,
        Field::Language,
    ],
    filters: &[
        cap(Field::Id, EQ_CONTAINS),
        cap(Field::FirstName, EQ_CONTAINS),
        cap(Field::LastName, EQ_CONTAINS),
        cap(Field::Email, EQ_CONTAINS),
        cap(Field::CreatedBy, EQ_CONTAINS),
        cap(Field::UpdatedBy, EQ_CONTAINS),
    ],
    combination: Combination::All,
    free_text: None,
    sortable: &[
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Created,
        Field::Updated,
        Field::LastLogin,
        Field::Expires,
        Field::Id,
        Field::CustomerId,
        Field::Language,
    ],
    multi_sort: true,
    paging: PagingStyle::Offset,
    default_page_size: Some(100),
    max_page_size: Some(500),
    total: TotalKind::Exact,
    offset_cap: None,
};

const REBILLY: Capabilities = Capabilities {
    kind: ProviderKind::Rebilly,
    fields: &[
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::Status,
        Field::Created,
        Field::Updated,
        Field::LastLogin,
        Field::Id,
        Field::Country,
    ],
    filters: &[
        cap(Field::Id, REBILLY_TEXT),
        cap(Field::FirstName, REBILLY_TEXT),
        cap(Field::LastName, REBILLY_TEXT),
        cap(Field::Email, REBILLY_TEXT),
        cap(Field::Status, REBILLY_TEXT),
        cap(Field::Country, REBILLY_TEXT),
        cap(Field::Created, REBILLY_TIME),
        cap(Field::Updated, REBILLY_TIME),
    ],
    combination: Combination::All,
    free_text: Some(FreeText {
        description: "Partial match on the users' text fields",
    }),
    sortable: &[
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Status,
        Field::Created,
        Field::Updated,
        Field::LastLogin,
        Field::Id,
    ],
    multi_sort: true,
    paging: PagingStyle::Offset,
    default_page_size: Some(100),
    max_page_size: Some(1000),
    total: TotalKind::Exact,
    offset_cap: Some(1000),
};

const ACTIVEPLATFORM: Capabilities = Capabilities {
    kind: ProviderKind::ActivePlatform,
    fields: &[
        Field::Name,
        Field::FirstName,
        Field::MiddleName,
        Field::LastName,
        Field::Email,
        Field::Status,
        Field::Created,
        Field::Updated,
        Field::Id,
    ],
    filters: &[cap(Field::Status, EQ), cap(Field::Email, EQ)],
    combination: Combination::All,
    free_text: None,
    sortable: &[
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Status,
        Field::Created,
        Field::Updated,
        Field::Id,
    ],
    multi_sort: false,
    paging: PagingStyle::PageNumber,
    default_page_size: Some(100),
    max_page_size: Some(100),
    total: TotalKind::None,
    offset_cap: None,
};

impl Capabilities {
    /// The documented (or safely assumed) abilities of `kind`.
    pub fn of(kind: ProviderKind) -> Self {
        match kind {
            ProviderKind::PressOne => PRESSONE,
            ProviderKind::Pngme => PNGME,
            ProviderKind::Nameshield => NAMESHIELD,
            ProviderKind::Rebilly => REBILLY,
            ProviderKind::ActivePlatform => ACTIVEPLATFORM,
        }
    }

    /// The same abilities with another maximum page size, for the assumed limits the provider
    /// notes ask to make configurable (PressOne and ActivePlatform). Ignored where the server
    /// fixes the size; never raised above a documented maximum.
    pub fn with_max_page_size(mut self, max: u64) -> Self {
        let max = max.max(1);
        self.max_page_size = match (self.kind, self.max_page_size) {
            (ProviderKind::PressOne | ProviderKind::ActivePlatform, Some(_)) => Some(max),
            (_, Some(documented)) => Some(documented.min(max)),
            (_, None) => None,
        };
        self
    }

    /// The server-side description of filters on `field`, if any.
    pub fn filter_cap(&self, field: Field) -> Option<&FilterCap> {
        self.filters.iter().find(|c| c.field == field)
    }

    /// Whether the provider applies this filter's field and operation itself. The value may
    /// still be one the provider cannot carry; the adapters decide that (see
    /// [`crate::adapters::can_carry`]).
    pub fn supports_filter(&self, filter: &Filter) -> bool {
        self.filter_cap(filter.field)
            .is_some_and(|c| c.ops.contains(&filter.op.kind()))
    }

    /// Whether the provider sorts by `field` itself.
    pub fn sorts_by(&self, field: Field) -> bool {
        self.sortable.contains(&field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{FilterOp, Value};

    #[test]
    fn server_abilities_are_a_subset_of_fields() {
        for kind in ProviderKind::ALL {
            let caps = Capabilities::of(kind);
            assert_eq!(caps.kind, kind);
            for f in caps.filters {
                assert!(caps.fields.contains(&f.field), "{kind:?} {:?}", f.field);
            }
            for f in caps.sortable {
                assert!(caps.fields.contains(f), "{kind:?} {f:?}");
            }
        }
    }

    #[test]
    fn pressone_filters_one_of_two_fields_exactly() {
        let caps = Capabilities::of(ProviderKind::PressOne);
        assert_eq!(caps.combination, Combination::AtMostOne);
        let eq = Filter {
            field: Field::Email,
            op: FilterOp::Equals(Value::Text("a@b.c".into())),
        };
        let contains = Filter {
            field: Field::Email,
            op: FilterOp::Contains("a".into()),
        };
        assert!(caps.supports_filter(&eq));
        assert!(!caps.supports_filter(&contains));
    }

    #[test]
    fn page_size_overrides_respect_documented_limits() {
        let p = Capabilities::of(ProviderKind::PressOne).with_max_page_size(250);
        assert_eq!(p.max_page_size, Some(250));
        let n = Capabilities::of(ProviderKind::Nameshield).with_max_page_size(900);
        assert_eq!(n.max_page_size, Some(500));
        let g = Capabilities::of(ProviderKind::Pngme).with_max_page_size(10);
        assert_eq!(g.max_page_size, None);
    }
}
