//! The in-memory engine: the filters, search and sort a provider cannot do, applied to the rows a
//! full scan fetched. Text compares case-insensitively (so names collate the way people expect);
//! the sort is stable and puts missing values last in either direction.

use crate::date::parse_instant;
use crate::field::Field;
use crate::model::{FieldValue, Page, Paging, Total, User};
use crate::query::{Direction, Filter, FilterOp, Query, SortKey, Value};
use jiff::Timestamp;
use std::cmp::Ordering;

/// Filters, sorts and pages `users` by `query`; the total is exact because every row is here.
pub fn apply(query: &Query, users: Vec<User>) -> Page<User> {
    let mut rows = filter(query, users);
    sort(&mut rows, &query.sort);
    let total = rows.len() as u64;
    let size = query.page.size();
    let start = usize::try_from(query.page.start())
        .unwrap_or(usize::MAX)
        .min(rows.len());
    let end = usize::try_from(query.page.end())
        .unwrap_or(usize::MAX)
        .min(rows.len());
    let items: Vec<User> = rows.drain(start..end).collect();
    Page {
        items,
        total: Total::Exact(total),
        paging: Paging {
            total: Some(total),
            num_pages: Some(total.div_ceil(size)),
            page_number: Some(query.page.index.saturating_add(1)),
            limit: Some(size),
            offset: Some(query.page.start()),
            applied_sort: None,
        },
    }
}

/// Keeps the users that match the search text and every filter, in their order.
pub fn filter(query: &Query, users: Vec<User>) -> Vec<User> {
    let compiled: Vec<Compiled> = query.filters.iter().map(Compiled::new).collect();
    let needle = query.search_text().map(str::to_lowercase);
    users
        .into_iter()
        .filter(|u| {
            needle.as_deref().is_none_or(|n| search_matches(u, n))
                && compiled.iter().all(|c| c.matches(u))
        })
        .collect()
}

/// Whether `user` matches `filter`; what the full scan checks and what tests compare
/// providers' answers with.
pub fn matches(user: &User, filter: &Filter) -> bool {
    Compiled::new(filter).matches(user)
}

/// Free text: a case-insensitive substring of any name, the e-mail, a phone, the id or an
/// attribute value. `needle` must already be lowercase.
fn search_matches(user: &User, needle: &str) -> bool {
    let hit = |text: &str| contains_folded(text, needle);
    hit(&user.display_name)
        || [
            &user.first_name,
            &user.middle_name,
            &user.last_name,
            &user.email,
            &user.id,
        ]
        .into_iter()
        .flatten()
        .any(|t| hit(t))
        || user.phones.iter().any(|p| hit(&p.number))
        || user.attributes.iter().any(|a| hit(&a.value))
}

fn contains_folded(haystack: &str, needle_lower: &str) -> bool {
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle_lower)
    }
}

fn eq_folded(text: &str, other_lower: &str) -> bool {
    if text.is_ascii() && other_lower.is_ascii() {
        text.eq_ignore_ascii_case(other_lower)
    } else {
        text.to_lowercase() == other_lower
    }
}

/// A filter operand ready to compare: text lowered once, text for date fields read as instants.
#[derive(Debug)]
enum Operand {
    Text(String),
    Instant(Timestamp),
    Bool(bool),
    /// An operand that can never match (text that is not a date, for a date field).
    Never,
}

impl Operand {
    fn new(field: Field, value: &Value) -> Self {
        use crate::field::ValueType;
        match (field.value_type(), value) {
            (ValueType::Instant, Value::Instant(t)) => Operand::Instant(*t),
            (ValueType::Instant, Value::Text(t)) => {
                parse_instant(t).map_or(Operand::Never, |i| Operand::Instant(i.timestamp))
            }
            (ValueType::Bool, Value::Bool(b)) => Operand::Bool(*b),
            (ValueType::Bool, Value::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => Operand::Bool(true),
                "false" | "no" => Operand::Bool(false),
                _ => Operand::Never,
            },
            (ValueType::Text, Value::Text(t)) => Operand::Text(t.to_lowercase()),
            _ => Operand::Never,
        }
    }

    fn equals(&self, value: FieldValue<'_>) -> bool {
        match (self, value) {
            (Operand::Text(o), FieldValue::Text(t)) => eq_folded(t, o),
            (Operand::Instant(o), FieldValue::Instant(i)) => i.timestamp == *o,
            (Operand::Bool(o), FieldValue::Bool(b)) => b == *o,
            _ => false,
        }
    }

    /// How the field value compares with the operand, if they are comparable.
    fn compare(&self, value: FieldValue<'_>) -> Option<Ordering> {
        match (self, value) {
            (Operand::Text(o), FieldValue::Text(t)) => Some(t.to_lowercase().as_str().cmp(o)),
            (Operand::Instant(o), FieldValue::Instant(i)) => Some(i.timestamp.cmp(o)),
            (Operand::Bool(o), FieldValue::Bool(b)) => Some(b.cmp(o)),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum Test {
    Equals(Operand),
    Contains(String),
    OneOf(Vec<Operand>),
    Range(Option<Operand>, Option<Operand>),
    Not(Operand),
}

#[derive(Debug)]
struct Compiled {
    field: Field,
    test: Test,
}

impl Compiled {
    fn new(filter: &Filter) -> Self {
        let field = filter.field;
        let operand = |v: &Value| Operand::new(field, v);
        let test = match &filter.op {
            FilterOp::Equals(v) => Test::Equals(operand(v)),
            FilterOp::Contains(t) => Test::Contains(t.to_lowercase()),
            FilterOp::OneOf(vs) => Test::OneOf(vs.iter().map(operand).collect()),
            FilterOp::Range { from, to } => {
                Test::Range(from.as_ref().map(operand), to.as_ref().map(operand))
            }
            FilterOp::Not(v) => Test::Not(operand(v)),
        };
        Self { field, test }
    }

    fn matches(&self, user: &User) -> bool {
        if self.field == Field::Phone {
            return user
                .phones
                .iter()
                .any(|p| self.matches_value(FieldValue::Text(&p.number)));
        }
        self.matches_value(user.value(self.field))
    }

    fn matches_value(&self, value: FieldValue<'_>) -> bool {
        if value == FieldValue::Missing {
            return false;
        }
        match &self.test {
            Test::Equals(o) => o.equals(value),
            Test::Contains(needle) => match value {
                FieldValue::Text(t) => contains_folded(t, needle),
                _ => false,
            },
            Test::OneOf(os) => os.iter().any(|o| o.equals(value)),
            Test::Range(from, to) => {
                let above = from
                    .as_ref()
                    .is_none_or(|o| o.compare(value).is_some_and(|c| c != Ordering::Less));
                let below = to
                    .as_ref()
                    .is_none_or(|o| o.compare(value).is_some_and(|c| c != Ordering::Greater));
                above && below
            }
            Test::Not(o) => !o.equals(value),
        }
    }
}

/// A precomputed sort cell: text folded once so the comparison loop does not allocate.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Cell {
    Bool(bool),
    Instant(Timestamp, i32),
    Text(String),
}

fn cell(user: &User, field: Field) -> Option<Cell> {
    match user.value(field) {
        FieldValue::Missing => None,
        FieldValue::Text(t) => Some(Cell::Text(t.to_lowercase())),
        FieldValue::Instant(i) => Some(Cell::Instant(i.timestamp, i.offset_seconds)),
        FieldValue::Bool(b) => Some(Cell::Bool(b)),
    }
}

/// Sorts stably by `keys`: text case-insensitively, missing values last whatever the direction.
pub fn sort(users: &mut Vec<User>, keys: &[SortKey]) {
    if keys.is_empty() || users.len() < 2 {
        return;
    }
    let width = keys.len();
    let cells: Vec<Option<Cell>> = users
        .iter()
        .flat_map(|u| keys.iter().map(move |k| cell(u, k.field)))
        .collect();
    let mut order: Vec<usize> = (0..users.len()).collect();
    order.sort_by(|&a, &b| {
        for (i, key) in keys.iter().enumerate() {
            let ordering = match (&cells[a * width + i], &cells[b * width + i]) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => match key.direction {
                    Direction::Ascending => x.cmp(y),
                    Direction::Descending => y.cmp(x),
                },
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    });
    let mut slots: Vec<Option<User>> = users.drain(..).map(Some).collect();
    users.extend(order.into_iter().filter_map(|i| slots[i].take()));
}
