//! The in-memory engine: the filters, search and sort a provider cannot do, applied to the rows a
//! full scan fetched. Text compares case-insensitively (so names collate the way people expect);
//! the sort is stable and puts missing values last in either direction.

use crate::field::Field;
use crate::field::ValueType;
use crate::model::{FieldValue, Page, Paging, Status, Total, User};
use crate::query::{Direction, Filter, FilterOp, Query, SortKey, Value};
use crate::time::Timestamp;
use crate::time::date::parse_instant;
use std::borrow::Cow;
use std::cmp::Ordering;

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
    // One pass: a user that matches has its sort keys read while it is still in cache.
    let mut columns: Vec<Column<'_>> = query.sort.iter().map(|&k| Column::new(k)).collect();
    let mut order = Vec::new();
    for (i, user) in users.iter().enumerate() {
        if needle.as_deref().is_none_or(|n| search_matches(user, n))
            && compiled.iter().all(|c| c.matches(user))
        {
            order.push(i);
            for column in &mut columns {
                column.push(user);
            }
        }
    }
    order_by(&mut order, &columns);
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
    h.windows(n.len())
        .any(|w| w[0].to_ascii_lowercase() == first && w[1..].eq_ignore_ascii_case(rest))
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

/// Text ready to collate: ASCII as is (folded while comparing), anything else lowercased
/// once, so that comparisons neither scan nor copy.
fn prepare(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Case-insensitive order of two [`prepare`]d texts: bytes compared with ASCII folding (the
/// non-ASCII ones are already lowercase).
fn collate(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Sixteen folded bytes of a [`prepare`]d text, from byte `skip` on, as a big-endian number:
/// ordering these orders the texts as [`collate`] does, except among texts that share them.
fn folded_prefix(text: &str, skip: usize) -> u128 {
    let mut bytes = [0u8; 16];
    let tail = text.as_bytes().get(skip..).unwrap_or_default();
    let len = tail.len().min(16);
    bytes[..len].copy_from_slice(&tail[..len]);
    ascii_lowercase16(u128::from_be_bytes(bytes))
}

/// Lowercases the ASCII letters among sixteen packed bytes at once; bytes of 0x80 and above
/// (from non-ASCII text, which [`prepare`] already lowercased) stay as they are.
fn ascii_lowercase16(x: u128) -> u128 {
    const ONES: u128 = u128::MAX / 0xff;
    const HIGH: u128 = ONES * 0x80;
    let low7 = x & !HIGH;
    // Each byte's top bit says whether its low seven bits are at least 'A' / past 'Z'; no
    // addition carries into the next byte because low7 + 0x3f < 0x100.
    let at_least_a = (low7 + ONES * (0x80 - u128::from(b'A'))) & HIGH;
    let past_z = (low7 + ONES * (0x80 - u128::from(b'Z') - 1)) & HIGH;
    let upper = at_least_a & !past_z & !x & HIGH;
    x | (upper >> 2)
}

/// An instant as an order-preserving number: nanoseconds since the epoch (shifted to be
/// non-negative; `Timestamp`'s range needs under 70 bits), then the offset, as `Instant`'s order has.
fn instant_code(instant: crate::time::date::Instant) -> u128 {
    let nanos = (instant.timestamp.as_nanosecond() + (1i128 << 70)).max(0) as u128;
    let offset = (i64::from(instant.offset_seconds) + (1 << 20)).max(0) as u128;
    (nanos << 22) | offset
}

/// One sort key, precomputed for every position: a number whose order is the key's order
/// (direction applied, missing values last), plus the texts to break ties between equal text
/// prefixes.
struct Column<'a> {
    field: Field,
    codes: Vec<u128>,
    texts: Option<Vec<Cow<'a, str>>>,
    descending: bool,
}

/// The code of a missing value: after every present one in either direction (present codes
/// never reach it or the one below it: UTF-8 has no 0xFF byte, and instants use under 94 bits).
const MISSING: u128 = u128::MAX;

impl<'a> Column<'a> {
    fn new(key: SortKey) -> Self {
        Self {
            field: key.field,
            codes: Vec::new(),
            texts: (key.field.value_type() == ValueType::Text).then(Vec::new),
            descending: key.direction == Direction::Descending,
        }
    }

    /// Adds the next row's key.
    fn push(&mut self, user: &'a User) {
        let value = user.value(self.field);
        let present = match (&mut self.texts, value) {
            (Some(texts), FieldValue::Text(t)) => {
                let text = prepare(t);
                let code = folded_prefix(&text, 0);
                texts.push(text);
                Some(code)
            }
            (Some(texts), _) => {
                texts.push(Cow::Borrowed(""));
                None
            }
            (None, FieldValue::Instant(i)) => Some(instant_code(i)),
            (None, FieldValue::Bool(b)) => Some(u128::from(b)),
            (None, _) => None,
        };
        self.codes.push(match present {
            Some(code) if self.descending => MISSING - 1 - code,
            Some(code) => code,
            None => MISSING,
        });
    }

    /// Orders two slots by this key.
    fn compare(&self, a: usize, b: usize) -> Ordering {
        let ordering = self.codes[a].cmp(&self.codes[b]);
        if ordering != Ordering::Equal || self.codes[a] == MISSING {
            return ordering;
        }
        match &self.texts {
            Some(texts) if texts[a] != texts[b] => {
                let natural = collate(&texts[a], &texts[b]);
                if self.descending {
                    natural.reverse()
                } else {
                    natural
                }
            }
            _ => Ordering::Equal,
        }
    }
}

/// Orders `positions` of `users` stably by `keys` (see [`order_by`]).
fn sort_positions(users: &[User], positions: &mut [usize], keys: &[SortKey]) {
    if keys.is_empty() || positions.len() < 2 {
        return;
    }
    let mut columns: Vec<Column<'_>> = keys.iter().map(|&k| Column::new(k)).collect();
    for &p in positions.iter() {
        for column in &mut columns {
            column.push(&users[p]);
        }
    }
    order_by(positions, &columns);
}

/// Orders `positions` stably by `columns` (one code per position, in the same order): text
/// case-insensitively, missing values last whatever the direction, ties in their original
/// order. Every key is a column of numbers; the rows are sorted as plain `(first key's number,
/// slot)` pairs, and only runs that tie on that number are sorted again by the remaining keys
/// (and by full text where a text prefix tied). For distinct values those runs are tiny, for
/// repeated ones they are small and cache-resident.
fn order_by(positions: &mut [usize], columns: &[Column<'_>]) {
    if columns.is_empty() || positions.len() < 2 {
        return;
    }
    // Two u64 halves rather than one u128 keep each element at 24 bytes instead of 32.
    let mut slots: Vec<Slot> = columns[0]
        .codes
        .iter()
        .enumerate()
        .map(|(slot, &code)| slot_of(code, slot as u32))
        .collect();
    slots.sort_unstable();
    let full = |a: u32, b: u32| {
        let (a, b) = (a as usize, b as usize);
        columns
            .iter()
            .map(|c| c.compare(a, b))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
            .then(a.cmp(&b))
    };
    if columns.len() > 1 || columns[0].texts.is_some() {
        for run in runs(&mut slots) {
            match &columns[0].texts {
                Some(texts) if code_of(&run[0]) != MISSING => {
                    // Texts that share sixteen letters: order by the next sixteen as numbers,
                    // and compare in full only what still ties.
                    let descending = columns[0].descending;
                    let mut refined: Vec<Slot> = run
                        .iter()
                        .map(|&(_, _, slot)| {
                            let code = folded_prefix(&texts[slot as usize], 16);
                            slot_of(if descending { !code } else { code }, slot)
                        })
                        .collect();
                    refined.sort_unstable();
                    for tie in runs(&mut refined) {
                        tie.sort_unstable_by(|&(_, _, a), &(_, _, b)| full(a, b));
                    }
                    for (target, (_, _, slot)) in run.iter_mut().zip(refined) {
                        target.2 = slot;
                    }
                }
                _ => run.sort_unstable_by(|&(_, _, a), &(_, _, b)| full(a, b)),
            }
        }
    }
    let original = positions.to_vec();
    for (target, (_, _, slot)) in positions.iter_mut().zip(slots) {
        *target = original[slot as usize];
    }
}

/// A sort element: a code's high and low halves, then the slot.
type Slot = (u64, u64, u32);

fn slot_of(code: u128, slot: u32) -> Slot {
    ((code >> 64) as u64, code as u64, slot)
}

fn code_of(slot: &Slot) -> u128 {
    (u128::from(slot.0) << 64) | u128::from(slot.1)
}

/// The runs of two or more neighbours that share their code, for sorting further.
fn runs(slots: &mut [Slot]) -> impl Iterator<Item = &mut [Slot]> {
    slots
        .chunk_by_mut(|a, b| (a.0, a.1) == (b.0, b.1))
        .filter(|run| run.len() > 1)
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
    use crate::model::{Attribute, Phone};
    use crate::query::PageRequest;
    use crate::time::date::parse_instant;

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
    fn folded_prefixes_match_lowercase() {
        for text in [
            "",
            "AZaz@[`{",
            "Émile ZOË-Müller",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "0123456789 _-.\u{7f}",
        ] {
            let mut want = [0u8; 16];
            for (slot, byte) in want.iter_mut().zip(text.to_lowercase().bytes()) {
                *slot = byte;
            }
            assert_eq!(
                folded_prefix(&prepare(text), 0),
                u128::from_be_bytes(want),
                "{text}"
            );
        }
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
