//! The list view's state lives in the query string, so back, forward, reload and a pasted link
//! all restore the same view. Decoding is total: a hostile or stale value falls back to its
//! default instead of failing, because a URL is input from anyone.
//!
//! Format: `q=text`, `sort=-created,name` (a `-` means descending), `page=3` (1-based),
//! `size=25` (10, 25, 50 or 100), and one `f.<field>=<op>:<operand>` per filter, with ops
//! `eq`, `has` (contains), `not`, `in` (values joined by `,`, a literal `,` or `\` escaped
//! with `\`) and `range` (`from..to`, either side may be empty; the first `..` not escaped with
//! `\` splits them, so a `.` the lower bound ends with or doubles, and any `\`, is escaped).

use crate::field::{Field, ValueType};
use crate::query::{Direction, Filter, FilterOp, PageRequest, Query, SortKey, Value};
use crate::time::date::parse_instant;

/// The page sizes the console offers; anything else in a URL falls back to the default.
pub const PAGE_SIZES: [u32; 4] = [10, 25, 50, 100];
/// The page size of a fresh view.
pub const DEFAULT_PAGE_SIZE: u32 = 25;
/// A URL may not ask for more sort keys than this; more would only slow the browser.
const MAX_SORT_KEYS: usize = 4;
/// Longest search text kept from a URL.
const MAX_SEARCH_CHARS: usize = 200;

/// Reads a view from decoded query pairs. Unknown keys, bad values and duplicates are ignored.
pub fn decode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Query {
    let mut query = Query {
        page: PageRequest {
            index: 0,
            size: DEFAULT_PAGE_SIZE,
        },
        ..Query::default()
    };
    for (key, value) in pairs {
        match key {
            "q" => {
                let text: String = value.trim().chars().take(MAX_SEARCH_CHARS).collect();
                // Trimmed again after the cut, which can end on a space: the link this view
                // writes drops it, and must decode to the same view.
                let text = text.trim_end();
                query.search = (!text.is_empty()).then(|| text.to_string());
            }
            "sort" => query.sort = decode_sort(value),
            "page" => {
                if let Some(page) = value
                    .parse::<u64>()
                    .ok()
                    .filter(|p| *p >= 1 && *p <= 1_000_000)
                {
                    query.page.index = page - 1;
                }
            }
            "size" => {
                if let Some(size) = value.parse::<u32>().ok().filter(|s| PAGE_SIZES.contains(s)) {
                    query.page.size = size;
                }
            }
            _ => {
                let filter = key
                    .strip_prefix("f.")
                    .and_then(Field::from_id)
                    .and_then(|field| decode_filter(field, value));
                if let Some(filter) = filter
                    && !query.filters.iter().any(|f| f.field == filter.field)
                {
                    query.filters.push(filter);
                }
            }
        }
    }
    query
}

/// The view after a person changes `old` into `new`. A change of which rows there are or how
/// many a page holds (search, filters, sort or page size) starts again from the first page,
/// because the old page number points into a different list; a change of page alone keeps it.
pub fn change_view(old: &Query, new: Query) -> Query {
    let reshaped = old.search_text() != new.search_text()
        || old.filters != new.filters
        || old.sort != new.sort
        || old.page.size != new.page.size;
    if reshaped {
        Query {
            page: PageRequest {
                index: 0,
                ..new.page
            },
            ..new
        }
    } else {
        new
    }
}

/// Writes a view as query pairs, omitting defaults so that links stay short.
pub fn encode(query: &Query) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let Some(text) = query.search_text() {
        pairs.push(("q".to_string(), text.to_string()));
    }
    for filter in &query.filters {
        pairs.push((format!("f.{}", filter.field.id()), encode_op(&filter.op)));
    }
    if !query.sort.is_empty() {
        let keys: Vec<String> = query
            .sort
            .iter()
            .map(|key| match key.direction {
                Direction::Ascending => key.field.id().to_string(),
                Direction::Descending => format!("-{}", key.field.id()),
            })
            .collect();
        pairs.push(("sort".to_string(), keys.join(",")));
    }
    if query.page.index > 0 {
        pairs.push(("page".to_string(), (query.page.index + 1).to_string()));
    }
    if query.page.size != DEFAULT_PAGE_SIZE {
        pairs.push(("size".to_string(), query.page.size.to_string()));
    }
    pairs
}

fn decode_sort(text: &str) -> Vec<SortKey> {
    let mut keys: Vec<SortKey> = Vec::new();
    for part in text.split(',') {
        let (direction, id) = match part.strip_prefix('-') {
            Some(id) => (Direction::Descending, id),
            None => (Direction::Ascending, part),
        };
        if let Some(field) = Field::from_id(id)
            && !keys.iter().any(|key| key.field == field)
            && keys.len() < MAX_SORT_KEYS
        {
            keys.push(SortKey { field, direction });
        }
    }
    keys
}

fn decode_value(field: Field, text: &str) -> Option<Value> {
    match field.value_type() {
        ValueType::Text => {
            let text = text.trim();
            (!text.is_empty()).then(|| Value::Text(text.to_string()))
        }
        ValueType::Bool => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        ValueType::Instant => parse_instant(text).map(|instant| Value::Instant(instant.timestamp)),
    }
}

fn encode_value(value: &Value) -> String {
    match value {
        Value::Text(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Instant(timestamp) => timestamp.to_string(),
    }
}

fn decode_filter(field: Field, text: &str) -> Option<Filter> {
    let (op, operand) = text.split_once(':')?;
    let op = match op {
        "eq" => FilterOp::Equals(decode_value(field, operand)?),
        "not" => FilterOp::Not(decode_value(field, operand)?),
        "has" if field.value_type() == ValueType::Text => {
            let needle = operand.trim();
            if needle.is_empty() {
                return None;
            }
            FilterOp::Contains(needle.to_string())
        }
        "in" => {
            let values: Option<Vec<Value>> = split_list(operand)
                .iter()
                .map(|item| decode_value(field, item))
                .collect();
            let values = values.filter(|v| !v.is_empty())?;
            FilterOp::OneOf(values)
        }
        "range" => {
            let (from, to) = split_range(operand)?;
            let bound = |side: &str| -> Option<Option<Value>> {
                if side.is_empty() {
                    Some(None)
                } else {
                    decode_value(field, side).map(Some)
                }
            };
            let (from, to) = (bound(&from)?, bound(&to)?);
            if from.is_none() && to.is_none() {
                return None;
            }
            FilterOp::Range { from, to }
        }
        _ => return None,
    };
    Some(Filter { field, op })
}

fn encode_op(op: &FilterOp) -> String {
    match op {
        FilterOp::Equals(value) => format!("eq:{}", encode_value(value)),
        FilterOp::Not(value) => format!("not:{}", encode_value(value)),
        FilterOp::Contains(text) => format!("has:{text}"),
        FilterOp::OneOf(values) => {
            let items: Vec<String> = values
                .iter()
                .map(|v| escape_item(&encode_value(v)))
                .collect();
            format!("in:{}", items.join(","))
        }
        FilterOp::Range { from, to } => format!(
            "range:{}..{}",
            escape_lower_bound(&from.as_ref().map(encode_value).unwrap_or_default()),
            to.as_ref()
                .map(|v| encode_value(v).replace('\\', "\\\\"))
                .unwrap_or_default()
        ),
    }
}

/// A range's lower bound with every `\` escaped, and each `.` that would otherwise make or
/// join the `..` separator: one the bound ends with or one followed by another. An instant's
/// fraction (`00:00:00.5Z`) stays as it is.
fn escape_lower_bound(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '.' if matches!(chars.peek(), None | Some('.')) => escaped.push_str("\\."),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Splits a range operand at its first `..` not escaped with `\`, unescaping both sides. With
/// no `\` in it, this is the first `..`, as links written before the escape was added have it.
fn split_range(operand: &str) -> Option<(String, String)> {
    let mut from = String::new();
    let mut chars = operand.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => from.extend(chars.next()),
            '.' if chars.peek() == Some(&'.') => {
                chars.next();
                let mut to = String::new();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        to.extend(chars.next());
                    } else {
                        to.push(c);
                    }
                }
                return Some((from, to));
            }
            _ => from.push(c),
        }
    }
    None
}

fn escape_item(item: &str) -> String {
    item.replace('\\', "\\\\").replace(',', "\\,")
}

fn split_list(text: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), items.last_mut()) {
                    last.push(next);
                }
            }
            ',' => items.push(String::new()),
            _ => {
                if let Some(last) = items.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_str(query: &str) -> Query {
        let pairs: Vec<(&str, &str)> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        decode(pairs)
    }

    #[test]
    fn every_change_but_the_page_starts_from_page_one() {
        let old = decode_str("page=3&q=ann&sort=name&size=50&f.status=eq:active");
        assert_eq!(old.page.index, 2);
        type Change = fn(&mut Query);
        let changes: [(&str, Change); 5] = [
            ("search", |q| q.search = Some("bob".into())),
            ("filters", |q| q.filters.clear()),
            ("sort", |q| q.sort = decode_str("sort=-name").sort),
            ("size", |q| q.page.size = 10),
            ("sort cleared", |q| q.sort.clear()),
        ];
        for (what, change) in changes {
            let mut new = old.clone();
            change(&mut new);
            assert_eq!(change_view(&old, new).page.index, 0, "{what} kept the page");
        }
        let mut next_page = old.clone();
        next_page.page.index = 3;
        assert_eq!(change_view(&old, next_page).page.index, 3);
        let mut padded = old.clone();
        padded.search = Some("  ann ".into());
        assert_eq!(change_view(&old, padded).page.index, 2, "same search text");
    }

    #[test]
    fn round_trips_a_full_view() {
        let query = Query {
            search: Some("ali".into()),
            filters: vec![
                Filter {
                    field: Field::Status,
                    op: FilterOp::OneOf(vec![
                        Value::Text("active".into()),
                        Value::Text("a,b\\c".into()),
                    ]),
                },
                Filter {
                    field: Field::Created,
                    op: FilterOp::Range {
                        from: parse_instant("2024-01-01").map(|i| Value::Instant(i.timestamp)),
                        to: None,
                    },
                },
                Filter {
                    field: Field::FreeTrial,
                    op: FilterOp::Equals(Value::Bool(true)),
                },
                Filter {
                    field: Field::Email,
                    op: FilterOp::Contains("@example".into()),
                },
            ],
            sort: vec![
                SortKey {
                    field: Field::Created,
                    direction: Direction::Descending,
                },
                SortKey {
                    field: Field::Name,
                    direction: Direction::Ascending,
                },
            ],
            page: PageRequest { index: 2, size: 50 },
        };
        let pairs = encode(&query);
        assert!(pairs.contains(&("sort".to_string(), "-created,name".to_string())));
        assert!(pairs.contains(&("page".to_string(), "3".to_string())));
        let back = decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, query);
    }

    #[test]
    fn a_fresh_view_has_an_empty_url() {
        let fresh = decode_str("");
        assert_eq!(
            fresh.page,
            PageRequest {
                index: 0,
                size: DEFAULT_PAGE_SIZE
            }
        );
        assert!(encode(&fresh).is_empty());
    }

    #[test]
    fn hostile_and_stale_values_fall_back_to_defaults() {
        let query = decode_str(
            "page=0&size=1000000&sort=-bogus,<script>,name,name,-name&f.nope=eq:x&f.status=zz:1\
             &f.created=range:..&f.free_trial=eq:maybe&f.email=has:&page=-3&q=",
        );
        assert_eq!(
            query.page,
            PageRequest {
                index: 0,
                size: DEFAULT_PAGE_SIZE
            }
        );
        assert_eq!(
            query.sort,
            vec![SortKey {
                field: Field::Name,
                direction: Direction::Ascending
            }]
        );
        assert!(query.filters.is_empty());
        assert_eq!(query.search, None);
        let huge = decode_str("page=18446744073709551615&size=25");
        assert_eq!(huge.page.index, 0);
    }

    /// Found by the `url_state` fuzz target: a search cut at 200 characters on a space kept
    /// the space, which its own link drops, so a reload changed the view.
    #[test]
    fn a_search_cut_on_a_space_reloads_to_the_same_view() {
        let long = format!("{} tail", "a".repeat(MAX_SEARCH_CHARS - 1));
        let view = decode([("q", long.as_str())]);
        assert_eq!(view.search.as_deref(), Some("a".repeat(199).as_str()));
        let pairs = encode(&view);
        let again = decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, view);
    }

    /// Found by the `url_state` fuzz target: a lower bound ending with `.` (`a. ..b`, the space
    /// trimmed) was written `a...b`, which reads back as `a` to `.b`.
    #[test]
    fn range_bounds_with_dots_and_backslashes_reload_to_the_same_view() {
        let view = decode_str("f.id=range:a. ..b");
        let Some(Filter {
            op: FilterOp::Range { from, to },
            ..
        }) = view.filters.first()
        else {
            panic!("a range: {view:?}");
        };
        assert_eq!(
            (from, to),
            (
                &Some(Value::Text("a.".into())),
                &Some(Value::Text("b".into()))
            )
        );
        for (from, to) in [
            ("a.", "b"),
            ("a..b", ".c.."),
            ("...", "..."),
            ("a\\", "\\b"),
            ("a\\.", "b\\\\"),
        ] {
            let view = Query {
                filters: vec![Filter {
                    field: Field::Id,
                    op: FilterOp::Range {
                        from: Some(Value::Text(from.into())),
                        to: Some(Value::Text(to.into())),
                    },
                }],
                ..decode_str("")
            };
            let pairs = encode(&view);
            let again = decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            assert_eq!(again, view, "{pairs:?}");
        }
    }

    #[test]
    fn ranges_without_escapes_read_as_before() {
        let view = decode_str("f.id=range:a...b&f.created=range:2024-01-01T00:00:00.5Z..");
        let Some(FilterOp::Range { from, to }) = view.filters.first().map(|f| &f.op) else {
            panic!("a range: {view:?}");
        };
        assert_eq!(
            (from, to),
            (
                &Some(Value::Text("a".into())),
                &Some(Value::Text(".b".into()))
            )
        );
        let pairs = encode(&view);
        assert_eq!(pairs[0], ("f.id".to_string(), "range:a...b".to_string()));
        let created = &pairs[1].1;
        assert!(
            created.starts_with("range:2024-01-01T00:00:00.5") && !created.contains('\\'),
            "{created}"
        );
    }

    #[test]
    fn the_first_filter_per_field_wins() {
        let query = decode_str("f.status=eq:active&f.status=eq:inactive");
        assert_eq!(query.filters.len(), 1);
        assert_eq!(
            query.filters[0].op,
            FilterOp::Equals(Value::Text("active".into()))
        );
    }
}
