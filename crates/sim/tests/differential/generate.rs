//! Random queries that have something to find: search text and filter values are mostly taken
//! from the population (with their case changed now and then), the rest is noise that should
//! match nothing. Pages include the first, the last and ones beyond the end.

use userdeck_providers::field::ValueType;
use userdeck_providers::{
    Capabilities, Direction, Field, Filter, FilterOp, PageRequest, Query, SortKey, Value,
};
use userdeck_sim::rng::SplitMix64;

use crate::reference::{Cell, Row};

const NOISE: [&str; 6] = ["zq", "ÉLO", "xx*", "a,b", "o'b", "∂"];

fn flip_case(rng: &mut SplitMix64, text: &str) -> String {
    match rng.below(4) {
        0 => text.to_uppercase(),
        1 => text.to_lowercase(),
        _ => text.to_string(),
    }
}

fn substring(rng: &mut SplitMix64, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let len = 1 + rng.below(4.min(chars.len() as u64)) as usize;
    let start = rng.below((chars.len() - len + 1) as u64) as usize;
    chars[start..start + len].iter().collect()
}

fn some_cell(rng: &mut SplitMix64, rows: &[Row], field: Field) -> Option<Cell> {
    for _ in 0..8 {
        let row = &rows[rng.below(rows.len() as u64) as usize];
        if let Some(cell) = row.values(field).first() {
            return Some((*cell).clone());
        }
    }
    None
}

fn text_value(rng: &mut SplitMix64, rows: &[Row], field: Field) -> String {
    if field == Field::Status {
        // Not "pending-confirmation": see `status_words_mean_the_same_pushed_down_or_in_memory`.
        let words = ["active", "inactive", "pending", "Active", "PENDING"];
        return words[rng.below(words.len() as u64) as usize].to_string();
    }
    match some_cell(rng, rows, field) {
        Some(Cell::Text(t)) if !rng.chance(10) => flip_case(rng, &t),
        _ => NOISE[rng.below(NOISE.len() as u64) as usize].to_string(),
    }
}

fn instant_value(rng: &mut SplitMix64, rows: &[Row], field: Field) -> Value {
    match some_cell(rng, rows, field) {
        Some(Cell::Instant(t)) => Value::Instant(t),
        _ => Value::Instant(userdeck_providers::Timestamp::UNIX_EPOCH),
    }
}

/// A filter on any field of the provider or, when `pushable`, one the provider applies
/// itself, with an operation it supports.
fn filter(rng: &mut SplitMix64, rows: &[Row], caps: &Capabilities, pushable: bool) -> Filter {
    if pushable && !caps.filters.is_empty() {
        let cap = caps.filters[rng.below(caps.filters.len() as u64) as usize];
        let mut candidate = filter_on(rng, rows, cap.field);
        for _ in 0..16 {
            if cap.ops.contains(&candidate.op.kind()) {
                break;
            }
            candidate = filter_on(rng, rows, cap.field);
        }
        return candidate;
    }
    let field = if rng.chance(60) && !caps.filters.is_empty() {
        caps.filters[rng.below(caps.filters.len() as u64) as usize].field
    } else {
        caps.fields[rng.below(caps.fields.len() as u64) as usize]
    };
    filter_on(rng, rows, field)
}

/// A filter on `field` with an operation that suits its type.
fn filter_on(rng: &mut SplitMix64, rows: &[Row], field: Field) -> Filter {
    let op = match field.value_type() {
        ValueType::Bool => FilterOp::Equals(Value::Bool(rng.chance(50))),
        ValueType::Instant => match rng.below(4) {
            0 => FilterOp::Equals(instant_value(rng, rows, field)),
            _ => {
                let (a, b) = (
                    instant_value(rng, rows, field),
                    instant_value(rng, rows, field),
                );
                let (from, to) = match (&a, &b) {
                    (Value::Instant(x), Value::Instant(y)) if x > y => (b, a),
                    _ => (a, b),
                };
                match rng.below(3) {
                    0 => FilterOp::Range {
                        from: Some(from),
                        to: None,
                    },
                    1 => FilterOp::Range {
                        from: None,
                        to: Some(to),
                    },
                    _ => FilterOp::Range {
                        from: Some(from),
                        to: Some(to),
                    },
                }
            }
        },
        ValueType::Text => match rng.below(5) {
            0 => FilterOp::Equals(Value::Text(text_value(rng, rows, field))),
            1 => {
                let whole = text_value(rng, rows, field);
                FilterOp::Contains(substring(rng, &whole))
            }
            2 => FilterOp::OneOf(
                (0..2 + rng.below(2))
                    .map(|_| Value::Text(text_value(rng, rows, field)))
                    .collect(),
            ),
            3 => FilterOp::Not(Value::Text(text_value(rng, rows, field))),
            _ => {
                let a = text_value(rng, rows, field).to_lowercase();
                let b = text_value(rng, rows, field).to_lowercase();
                let (from, to) = if a <= b { (a, b) } else { (b, a) };
                FilterOp::Range {
                    from: Some(Value::Text(from)),
                    to: Some(Value::Text(to)),
                }
            }
        },
    };
    Filter { field, op }
}

/// A random query for a provider with `caps` over `rows`; `count` tells how many rows a query
/// selects, so the page index can aim at the last page and beyond.
pub fn query(
    seed: u64,
    rows: &[Row],
    caps: &Capabilities,
    count: impl Fn(&Query) -> usize,
) -> Query {
    let mut rng = SplitMix64::new(seed);
    let mut q = Query::default();
    // Two cases in five stay within what the provider does itself, so push-down plans get as
    // much exercise as full scans.
    let pushable = rng.chance(40);
    if rng.chance(35) && (!pushable || caps.free_text.is_some()) {
        let fields = [
            Field::FirstName,
            Field::LastName,
            Field::Email,
            Field::Phone,
        ];
        let field = fields[rng.below(fields.len() as u64) as usize];
        let text = match some_cell(&mut rng, rows, field) {
            Some(Cell::Text(t)) if !rng.chance(15) => substring(&mut rng, &t),
            _ => NOISE[rng.below(NOISE.len() as u64) as usize].to_string(),
        };
        q.search = Some(flip_case(&mut rng, &text));
    }
    let filters = match rng.below(10) {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    q.filters = (0..filters)
        .map(|_| filter(&mut rng, rows, caps, pushable))
        .collect();
    let keys = match rng.below(20) {
        _ if pushable && caps.sortable.is_empty() => 0,
        _ if pushable && !caps.multi_sort => rng.below(2),
        0..=6 => 0,
        7..=13 => 1,
        14..=17 => 2,
        _ => 3,
    };
    for _ in 0..keys {
        let field = if (pushable || rng.chance(60)) && !caps.sortable.is_empty() {
            caps.sortable[rng.below(caps.sortable.len() as u64) as usize]
        } else {
            caps.fields[rng.below(caps.fields.len() as u64) as usize]
        };
        let direction = if rng.chance(50) {
            Direction::Ascending
        } else {
            Direction::Descending
        };
        q.sort.push(SortKey { field, direction });
    }
    let sizes = [1, 2, 5, 10, 20, 25, 50, 100, 7, 33, 101, 250];
    let size = if rng.chance(80) {
        sizes[rng.below(sizes.len() as u64) as usize]
    } else {
        1 + rng.below(300) as u32
    };
    q.page.size = size;
    let matching = count(&q) as u64;
    let last = matching.div_ceil(u64::from(size)).max(1) - 1;
    q.page = PageRequest {
        size,
        index: match rng.below(10) {
            0..=3 => 0,
            4..=6 => rng.below(last + 1),
            7 => last,
            8 => last + 1 + rng.below(3),
            _ => 1_000_000,
        },
    };
    q
}
