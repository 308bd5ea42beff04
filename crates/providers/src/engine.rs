//! The in-memory engine: the filters, search and sort a provider cannot do, applied to the rows a
//! full scan fetched. Text compares case-insensitively (so names collate the way people expect);
//! the sort is stable and puts missing values last in either direction.

use crate::date::parse_instant;
use crate::field::Field;
use crate::field::ValueType;
use crate::model::{FieldValue, Page, Paging, Status, Total, User};
use crate::query::{Direction, Filter, FilterOp, Query, SortKey, Value};
use jiff::Timestamp;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Filters, sorts and pages `users` by `query`; the total is exact because every row is here.
pub fn apply(query: &Query, users: Vec<User>) -> Page<User> {
    apply_ref(query, &users)
}

/// Like [`apply`] over borrowed rows, cloning only the page: the console keeps a scan's rows
/// and re-pages or re-sorts them without fetching again.
pub fn apply_ref(query: &Query, users: &[User]) -> Page<User> {
    let order = select(query, users);
    let total = order.len() as u64;
    let size = query.page.size();
    let clamp = |row: u64| usize::try_from(row).unwrap_or(usize::MAX).min(order.len());
    let (start, end) = (clamp(query.page.start()), clamp(query.page.end()));
    let items: Vec<User> = order[start..end]
        .iter()
        .map(|&i| users[i].clone())
        .collect();
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

/// The positions of the users that match `query`'s search and filters, in `query`'s sort order.
pub fn select(query: &Query, users: &[User]) -> Vec<usize> {
    let compiled: Vec<Compiled> = query.filters.iter().map(Compiled::new).collect();
    let needle = query.search_text().map(str::to_lowercase);
    let mut order: Vec<usize> = users
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            needle.as_deref().is_none_or(|n| search_matches(u, n))
                && compiled.iter().all(|c| c.matches(u))
        })
        .map(|(i, _)| i)
        .collect();
    sort_positions(users, &mut order, &query.sort);
    order
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
    if !needle_lower.is_ascii() {
        return haystack.to_lowercase().contains(needle_lower);
    }
    // An ASCII needle: compare bytes with ASCII folding. ASCII bytes never occur inside a
    // multi-byte UTF-8 sequence, so this needs no scan or copy of the haystack.
    let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    h.len() >= n.len()
        && (0..=h.len() - n.len()).any(|i| {
            h[i].to_ascii_lowercase() == first && h[i + 1..i + n.len()].eq_ignore_ascii_case(rest)
        })
}

fn eq_folded(text: &str, other_lower: &str) -> bool {
    if other_lower.is_ascii() {
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
            // Status words mean what the adapters read them as (`pending-confirmation` is
            // pending), so a status filter means the same pushed down or in memory.
            (ValueType::Text, Value::Text(t)) if field == Field::Status => {
                Operand::Text(Status::from_wire(t).as_str().to_lowercase())
            }
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

/// The rank of a missing value: after every present one, whatever the direction.
const MISSING: u32 = u32::MAX;

/// Folds text for collation: lowercase, borrowing when it already is.
fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Dense ranks (0 = smallest) of `values`, equal values sharing a rank; `None` is [`MISSING`].
fn dense_ranks<T: Ord>(values: Vec<Option<T>>) -> Vec<u32> {
    let mut present: Vec<(&T, u32)> = values
        .iter()
        .enumerate()
        .filter_map(|(slot, v)| v.as_ref().map(|v| (v, slot as u32)))
        .collect();
    present.sort_unstable();
    let mut ranks = vec![MISSING; values.len()];
    let mut rank = 0u32;
    for (i, (value, slot)) in present.iter().enumerate() {
        if i > 0 && present[i - 1].0 != *value {
            rank += 1;
        }
        ranks[*slot as usize] = rank;
    }
    ranks
}

/// A small, fast hasher for interning short texts (the FxHash mix); no untrusted party picks
/// the keys' collisions here beyond slowing one local sort.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Each position's rank for one sort key, direction applied, missing last.
fn key_ranks(users: &[User], positions: &[usize], key: SortKey) -> Vec<u32> {
    let mut ranks = match key.field.value_type() {
        ValueType::Text => {
            // Intern the raw texts (no copy per row), then fold and sort only distinct ones.
            let mut ids: HashMap<&str, u32, BuildHasherDefault<FxHasher>> = HashMap::default();
            let slots: Vec<u32> = positions
                .iter()
                .map(|&p| match users[p].value(key.field) {
                    FieldValue::Text(t) => {
                        let next = ids.len() as u32;
                        *ids.entry(t).or_insert(next)
                    }
                    _ => MISSING,
                })
                .collect();
            let mut folded: Vec<Option<Cow<'_, str>>> = vec![None; ids.len()];
            for (text, id) in ids {
                folded[id as usize] = Some(fold(text));
            }
            let rank_of = dense_ranks(folded);
            slots
                .into_iter()
                .map(|id| rank_of.get(id as usize).copied().unwrap_or(MISSING))
                .collect()
        }
        ValueType::Instant => dense_ranks(
            positions
                .iter()
                .map(|&p| match users[p].value(key.field) {
                    FieldValue::Instant(i) => Some((i.timestamp, i.offset_seconds)),
                    _ => None,
                })
                .collect(),
        ),
        ValueType::Bool => positions
            .iter()
            .map(|&p| match users[p].value(key.field) {
                FieldValue::Bool(b) => u32::from(b),
                _ => MISSING,
            })
            .collect(),
    };
    if key.direction == Direction::Descending {
        let top = ranks.iter().filter(|&&r| r != MISSING).max().copied();
        if let Some(top) = top {
            for r in ranks.iter_mut().filter(|r| **r != MISSING) {
                *r = top - *r;
            }
        }
    }
    ranks
}

/// Orders `positions` of `users` stably by `keys`: text case-insensitively, missing values last
/// whatever the direction, ties in their original order. Each key is first turned into integer
/// ranks, so the sort itself compares numbers, never strings.
fn sort_positions(users: &[User], positions: &mut [usize], keys: &[SortKey]) {
    if keys.is_empty() || positions.len() < 2 {
        return;
    }
    let columns: Vec<Vec<u32>> = keys
        .iter()
        .map(|&k| key_ranks(users, positions, k))
        .collect();
    let original = positions.to_vec();
    if keys.len() <= 3 {
        let mut packed: Vec<(u128, usize)> = (0..positions.len())
            .map(|slot| {
                let key = columns
                    .iter()
                    .fold(0u128, |acc, c| (acc << 32) | u128::from(c[slot]));
                (key, slot)
            })
            .collect();
        packed.sort_unstable();
        for (target, (_, slot)) in positions.iter_mut().zip(packed) {
            *target = original[slot];
        }
    } else {
        let mut slots: Vec<usize> = (0..positions.len()).collect();
        slots.sort_unstable_by(|&a, &b| {
            columns
                .iter()
                .map(|c| c[a].cmp(&c[b]))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
                .then(a.cmp(&b))
        });
        for (target, slot) in positions.iter_mut().zip(slots) {
            *target = original[slot];
        }
    }
}

/// Sorts `users` stably by `keys`, with the collation described in the module documentation.
pub fn sort(users: &mut Vec<User>, keys: &[SortKey]) {
    let mut order: Vec<usize> = (0..users.len()).collect();
    sort_positions(users, &mut order, keys);
    let mut slots: Vec<Option<User>> = users.drain(..).map(Some).collect();
    users.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_instant;
    use crate::model::{Attribute, Phone};
    use crate::query::PageRequest;

    fn user(key: &str, first: Option<&str>, created: Option<&str>) -> User {
        User {
            key: key.into(),
            id: Some(key.into()),
            first_name: first.map(String::from),
            middle_name: None,
            last_name: None,
            display_name: first.unwrap_or(key).into(),
            email: Some(format!("{key}@Example.com")),
            phones: vec![
                Phone {
                    label: "business".into(),
                    number: "111".into(),
                },
                Phone {
                    label: "mobile".into(),
                    number: format!("22{key}"),
                },
            ],
            status: Some(if key.len().is_multiple_of(2) {
                Status::Active
            } else {
                Status::Inactive
            }),
            subscription: None,
            created: created.and_then(parse_instant),
            updated: None,
            last_login: None,
            expires: None,
            attributes: vec![Attribute {
                name: "Country".into(),
                value: "FR".into(),
                field: Some(Field::Country),
            }],
            raw: serde_json::Value::Null,
        }
    }

    fn keys(page: &Page<User>) -> Vec<&str> {
        page.items.iter().map(|u| u.key.as_str()).collect()
    }

    fn people() -> Vec<User> {
        vec![
            user("a", Some("bob"), Some("2024-01-02T00:00:00Z")),
            user("bb", Some("Émile"), None),
            user("c", Some("Alice"), Some("2024-01-01T00:00:00+01:00")),
            user("dd", None, Some("2023-12-31")),
            user("e", Some("alice"), Some("2024-01-02T00:00:00Z")),
            user("ff", Some("Bob"), Some("2024-01-03T00:00:00Z")),
        ]
    }

    fn query(filters: Vec<Filter>, sort: Vec<SortKey>) -> Query {
        Query {
            search: None,
            filters,
            sort,
            page: PageRequest {
                index: 0,
                size: 100,
            },
        }
    }

    fn key(field: Field, direction: Direction) -> SortKey {
        SortKey { field, direction }
    }

    #[test]
    fn names_collate_case_insensitively_stably_with_missing_last() {
        let asc = apply(
            &query(vec![], vec![key(Field::FirstName, Direction::Ascending)]),
            people(),
        );
        assert_eq!(keys(&asc), ["c", "e", "a", "ff", "bb", "dd"]);
        let desc = apply(
            &query(vec![], vec![key(Field::FirstName, Direction::Descending)]),
            people(),
        );
        assert_eq!(keys(&desc), ["bb", "a", "ff", "c", "e", "dd"]);
    }

    #[test]
    fn several_keys_and_instants_by_absolute_time() {
        let q = query(
            vec![],
            vec![
                key(Field::Created, Direction::Descending),
                key(Field::FirstName, Direction::Ascending),
            ],
        );
        // c is 2023-12-31T23:00Z, dd is 2023-12-31T00:00Z; a and e tie on time.
        assert_eq!(
            keys(&apply(&q, people())),
            ["ff", "e", "a", "c", "dd", "bb"]
        );
    }

    #[test]
    fn filters_cover_every_operation() {
        let text = |t: &str| Value::Text(t.into());
        let cases: Vec<(Filter, Vec<&str>)> = vec![
            (
                Filter {
                    field: Field::FirstName,
                    op: FilterOp::Equals(text("ALICE")),
                },
                vec!["c", "e"],
            ),
            (
                Filter {
                    field: Field::Email,
                    op: FilterOp::Contains("B@EXAMPLE".into()),
                },
                vec!["bb"],
            ),
            (
                Filter {
                    field: Field::FirstName,
                    op: FilterOp::Contains("ÉMI".into()),
                },
                vec!["bb"],
            ),
            (
                Filter {
                    field: Field::FirstName,
                    op: FilterOp::OneOf(vec![text("bob"), text("émile")]),
                },
                vec!["a", "bb", "ff"],
            ),
            (
                Filter {
                    field: Field::FirstName,
                    op: FilterOp::Not(text("bob")),
                },
                vec!["bb", "c", "e"],
            ),
            (
                Filter {
                    field: Field::Created,
                    op: FilterOp::Range {
                        from: Some(text("2024-01-01")),
                        to: Some(Value::Instant(
                            "2024-01-02T00:00:00Z".parse().expect("valid"),
                        )),
                    },
                },
                vec!["a", "e"],
            ),
            (
                Filter {
                    field: Field::Status,
                    op: FilterOp::Equals(text("Active")),
                },
                vec!["bb", "dd", "ff"],
            ),
            (
                Filter {
                    field: Field::Status,
                    op: FilterOp::Not(text(" ACTIVE ")),
                },
                vec!["a", "c", "e"],
            ),
            (
                Filter {
                    field: Field::Status,
                    op: FilterOp::OneOf(vec![text("pending-confirmation"), text("inactive")]),
                },
                vec!["a", "c", "e"],
            ),
            (
                Filter {
                    field: Field::Phone,
                    op: FilterOp::Equals(text("22c")),
                },
                vec!["c"],
            ),
            (
                Filter {
                    field: Field::Country,
                    op: FilterOp::Equals(text("fr")),
                },
                vec!["a", "bb", "c", "dd", "e", "ff"],
            ),
            (
                Filter {
                    field: Field::Created,
                    op: FilterOp::Equals(text("not a date")),
                },
                vec![],
            ),
            (
                Filter {
                    field: Field::FreeTrial,
                    op: FilterOp::Equals(Value::Bool(true)),
                },
                vec![],
            ),
        ];
        for (filter, want) in cases {
            let page = apply(&query(vec![filter.clone()], vec![]), people());
            assert_eq!(keys(&page), want, "{filter:?}");
            assert_eq!(page.total, Total::Exact(want.len() as u64));
        }
    }

    #[test]
    fn search_and_paging() {
        let mut q = query(vec![], vec![key(Field::Id, Direction::Ascending)]);
        q.search = Some("  ALI ".into());
        assert_eq!(keys(&apply(&q, people())), ["c", "e"]);
        q.search = None;
        q.page = PageRequest { index: 1, size: 4 };
        let page = apply(&q, people());
        assert_eq!(keys(&page), ["e", "ff"]);
        assert_eq!(page.paging.num_pages, Some(2));
        assert_eq!(page.paging.offset, Some(4));
        q.page = PageRequest {
            index: u64::MAX,
            size: u32::MAX,
        };
        assert!(apply(&q, people()).items.is_empty());
    }

    #[test]
    fn sort_in_place_matches_select() {
        let keys_in = [key(Field::FirstName, Direction::Ascending)];
        let mut users = people();
        sort(&mut users, &keys_in);
        let sorted: Vec<&str> = users.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(sorted, ["c", "e", "a", "ff", "bb", "dd"]);
    }
}
