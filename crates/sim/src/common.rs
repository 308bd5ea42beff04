//! What the five simulators share: building responses, reading integers the way servers do,
//! case-insensitive text matching and the one collation every server-side sort uses.

use std::cmp::Ordering;

use serde::Serialize;
use userdeck_providers::HttpResponse;
use userdeck_providers::Timestamp;

/// `Content-Type` of ordinary JSON answers.
pub const JSON: &str = "application/json";

/// A response with a JSON body. Serialising the simulators' own records cannot fail; should it
/// ever, the answer is a 500 rather than a panic.
pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> HttpResponse {
    json_with(status, JSON, body)
}

/// A response with a JSON body and the given content type (Rebilly's problem+json).
pub fn json_with<T: Serialize + ?Sized>(status: u16, content_type: &str, body: &T) -> HttpResponse {
    match serde_json::to_vec(body) {
        Ok(bytes) => HttpResponse {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: bytes,
        },
        Err(_) => HttpResponse {
            status: 500,
            headers: vec![("Content-Type".to_string(), "text/plain".to_string())],
            body: b"simulator could not serialise its answer".to_vec(),
        },
    }
}

/// Reads a non-negative integer as servers do: surrounding spaces are not allowed, a `+` sign
/// is not allowed, anything else is `None` (and becomes the provider's validation error).
pub fn parse_u64(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The case-folded form used for every case-insensitive comparison.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Case-insensitive equality.
pub fn eq_ci(value: &str, wanted: &str) -> bool {
    value == wanted || fold(value) == fold(wanted)
}

/// Case-insensitive substring test.
pub fn contains_ci(value: &str, needle: &str) -> bool {
    fold(value).contains(&fold(needle))
}

/// One sort key's value for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    /// Text, compared case-insensitively.
    Text(Option<String>),
    /// An instant.
    Time(Option<Timestamp>),
    /// An integer.
    Int(Option<i64>),
}

/// Compares two values of one key: text by its case-folded form (see [`folded`]), missing
/// values last in both directions, as the console's engine does. Equal values stay in storage
/// order (the sort is stable).
pub fn compare(a: &SortValue, b: &SortValue, descending: bool) -> Ordering {
    fn nulls_last<T: Ord>(a: &Option<T>, b: &Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let order = x.cmp(y);
                if descending { order.reverse() } else { order }
            }
        }
    }
    match (a, b) {
        (SortValue::Text(x), SortValue::Text(y)) => nulls_last(x, y, descending),
        (SortValue::Time(x), SortValue::Time(y)) => nulls_last(x, y, descending),
        (SortValue::Int(x), SortValue::Int(y)) => nulls_last(x, y, descending),
        _ => Ordering::Equal,
    }
}

/// The value with its text case-folded, once, so that sorting compares without allocating.
pub fn folded(value: SortValue) -> SortValue {
    match value {
        SortValue::Text(t) => SortValue::Text(t.as_deref().map(fold)),
        other => other,
    }
}

/// Sorts record indices by several keys, stably, so ties keep storage order (which is what
/// makes paging through a sorted result neither skip nor repeat rows). Text compares ignoring
/// case.
pub fn sort_indices<F>(indices: &mut [usize], keys: &[(F, bool)])
where
    F: Fn(usize) -> SortValue,
{
    if keys.is_empty() {
        return;
    }
    let mut decorated: Vec<(Vec<SortValue>, usize)> = indices
        .iter()
        .map(|&i| (keys.iter().map(|(key, _)| folded(key(i))).collect(), i))
        .collect();
    decorated.sort_by(|(a, _), (b, _)| {
        keys.iter()
            .enumerate()
            .map(|(n, (_, descending))| compare(&a[n], &b[n], *descending))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    for (slot, (_, index)) in indices.iter_mut().zip(decorated) {
        *slot = index;
    }
}

/// The slice `offset..offset+limit` of `len` items, clamped to what exists.
pub fn window(len: usize, offset: u64, limit: u64) -> std::ops::Range<usize> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(len);
    let end = start
        .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
        .min(len);
    start..end
}

/// Number of pages of `size` needed for `total` rows; an empty result still has one (empty)
/// page, as Django-style paginators report.
pub fn page_count(total: usize, size: u64) -> u64 {
    let total = total as u64;
    total.div_ceil(size.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_strict() {
        assert_eq!(parse_u64("42"), Some(42));
        for bad in [
            "",
            " 1",
            "+1",
            "-1",
            "1.0",
            "abc",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_u64(bad), None, "{bad}");
        }
    }

    #[test]
    fn text_sorts_case_insensitively_with_missing_values_last() {
        let values = ["beta", "Alpha", "alpha"];
        let mut indices = vec![0, 1, 2, 3];
        let key = |i: usize| SortValue::Text(values.get(i).map(|s| s.to_string()));
        sort_indices(&mut indices, &[(key, false)]);
        assert_eq!(indices, vec![1, 2, 0, 3]);
        let mut indices = vec![0, 1, 2, 3];
        sort_indices(&mut indices, &[(key, true)]);
        assert_eq!(indices, vec![0, 1, 2, 3]);
    }

    #[test]
    fn windows_and_pages_clamp() {
        assert_eq!(window(10, 8, 5), 8..10);
        assert_eq!(window(10, 20, 5), 10..10);
        assert_eq!(window(10, u64::MAX, u64::MAX), 10..10);
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(101, 50), 3);
    }
}
