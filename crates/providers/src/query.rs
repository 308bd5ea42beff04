//! The one query the console asks of every provider, and the part of it a provider is asked to
//! do itself ([`ServerQuery`]). The planner splits the first into the second plus a residual
//! that the in-memory engine applies.

use crate::field::Field;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Everything the console asks: free text, filters (all must hold), sort keys and a page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Query {
    /// Free text; empty or blank means none.
    pub search: Option<String>,
    /// Filters, combined with AND.
    pub filters: Vec<Filter>,
    /// Sort keys, most significant first. Empty means the provider's natural order.
    pub sort: Vec<SortKey>,
    /// Which page of the result to return.
    pub page: PageRequest,
}

impl Query {
    /// The search text if there is any that is not blank, so "" and "  " never reach a provider.
    pub fn search_text(&self) -> Option<&str> {
        self.search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// One condition on one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// The field tested.
    pub field: Field,
    /// What the field's value must satisfy.
    pub op: FilterOp,
}

/// A filter operation. Text comparisons ignore case (as Rebilly and Pngme do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterOp {
    /// The field equals the value.
    Equals(Value),
    /// The field contains the text.
    Contains(String),
    /// The field equals one of the values.
    OneOf(Vec<Value>),
    /// The field lies within the bounds, both inclusive; a missing bound is open.
    Range {
        /// Lower bound, inclusive.
        from: Option<Value>,
        /// Upper bound, inclusive.
        to: Option<Value>,
    },
    /// The field is present and differs from the value.
    Not(Value),
}

/// Which operation a [`FilterOp`] is, for capabilities to list without values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpKind {
    /// [`FilterOp::Equals`].
    Equals,
    /// [`FilterOp::Contains`].
    Contains,
    /// [`FilterOp::OneOf`].
    OneOf,
    /// [`FilterOp::Range`].
    Range,
    /// [`FilterOp::Not`].
    Not,
}

impl FilterOp {
    /// The operation's kind, for checking it against capabilities.
    pub fn kind(&self) -> OpKind {
        match self {
            FilterOp::Equals(_) => OpKind::Equals,
            FilterOp::Contains(_) => OpKind::Contains,
            FilterOp::OneOf(_) => OpKind::OneOf,
            FilterOp::Range { .. } => OpKind::Range,
            FilterOp::Not(_) => OpKind::Not,
        }
    }
}

/// A filter operand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    /// Text (also status words: `active`, `inactive`, `pending`).
    Text(String),
    /// An instant, for date fields.
    Instant(Timestamp),
    /// A flag.
    Bool(bool),
}

impl Value {
    /// The text, if this is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// One key of a sort order; a list of them orders rows, later keys breaking the ties of earlier
/// ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SortKey {
    /// The field sorted on.
    pub field: Field,
    /// Whether smaller or larger values come first.
    pub direction: Direction,
}

/// Which end of a sort order comes first. The in-memory sort puts missing values last in both
/// directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// Which page the console wants: 0-based index and rows per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PageRequest {
    /// 0-based page index.
    pub index: u64,
    /// Rows per page; 0 is treated as 1 so that paging always advances.
    pub size: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { index: 0, size: 50 }
    }
}

impl PageRequest {
    /// The rows per page, at least 1.
    pub fn size(&self) -> u64 {
        u64::from(self.size.max(1))
    }

    /// The absolute row where the page starts (saturating, so huge indices cannot overflow).
    pub fn start(&self) -> u64 {
        self.index.saturating_mul(self.size())
    }

    /// One past the absolute row where the page ends.
    pub fn end(&self) -> u64 {
        self.start().saturating_add(self.size())
    }
}

/// The part of a query a provider is asked to do itself. Adapters turn it into a request; it
/// only ever holds what the provider's capabilities allow (the planner guarantees it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServerQuery {
    /// Free text, for providers that search.
    pub search: Option<String>,
    /// Filters the provider applies.
    pub filters: Vec<Filter>,
    /// Sort keys the provider applies.
    pub sort: Vec<SortKey>,
}

/// Which slice of the server's result one request asks for. Page-numbered providers use
/// `number` and `size`; offset providers use `offset` and `size`. The planner fills both
/// consistently (`offset = (number - 1) * size` where a size is known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServerPage {
    /// 1-based page number.
    pub number: u64,
    /// Absolute offset of the first row.
    pub offset: u64,
    /// Rows asked for; `None` for providers whose page size is fixed (Pngme).
    pub size: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_search_is_none() {
        let mut q = Query {
            search: Some("  ".into()),
            ..Query::default()
        };
        assert_eq!(q.search_text(), None);
        q.search = Some(" ali ".into());
        assert_eq!(q.search_text(), Some("ali"));
    }

    #[test]
    fn page_bounds_saturate() {
        let p = PageRequest { index: 2, size: 0 };
        assert_eq!((p.start(), p.end()), (2, 3));
        let huge = PageRequest {
            index: u64::MAX,
            size: 100,
        };
        assert_eq!(huge.start(), u64::MAX);
        assert_eq!(huge.end(), u64::MAX);
    }
}
