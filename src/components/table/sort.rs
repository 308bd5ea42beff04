//! What a click on a column heading does to the sort: ascending, then descending, then off;
//! with Shift the key is added to (or changed within) the existing keys instead of replacing
//! them.

use userdeck_providers::{Direction, Field, SortKey};

/// The most sort keys a person can stack.
pub const MAX_KEYS: usize = 4;

/// The sort after a click on `field`'s heading.
pub fn cycle(sort: &[SortKey], field: Field, additive: bool) -> Vec<SortKey> {
    let current = sort
        .iter()
        .find(|key| key.field == field)
        .map(|key| key.direction);
    let next = match current {
        None => Some(Direction::Ascending),
        Some(Direction::Ascending) => Some(Direction::Descending),
        Some(Direction::Descending) => None,
    };
    if !additive {
        return next
            .map(|direction| vec![SortKey { field, direction }])
            .unwrap_or_default();
    }
    let mut keys: Vec<SortKey> = sort.to_vec();
    match (keys.iter().position(|key| key.field == field), next) {
        (Some(at), Some(direction)) => keys[at].direction = direction,
        (Some(at), None) => {
            keys.remove(at);
        }
        (None, Some(direction)) if keys.len() < MAX_KEYS => keys.push(SortKey { field, direction }),
        (None, _) => {}
    }
    keys
}

/// The `aria-sort` value of `field`'s heading.
pub fn aria_sort(sort: &[SortKey], field: Field) -> &'static str {
    match sort
        .iter()
        .find(|key| key.field == field)
        .map(|key| key.direction)
    {
        Some(Direction::Ascending) => "ascending",
        Some(Direction::Descending) => "descending",
        None => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(field: Field, direction: Direction) -> SortKey {
        SortKey { field, direction }
    }

    #[test]
    fn a_plain_click_cycles_one_key() {
        let asc = cycle(&[], Field::Name, false);
        assert_eq!(asc, vec![key(Field::Name, Direction::Ascending)]);
        let desc = cycle(&asc, Field::Name, false);
        assert_eq!(desc, vec![key(Field::Name, Direction::Descending)]);
        assert!(cycle(&desc, Field::Name, false).is_empty());
        let replaced = cycle(&desc, Field::Email, false);
        assert_eq!(replaced, vec![key(Field::Email, Direction::Ascending)]);
    }

    #[test]
    fn shift_click_stacks_keys() {
        let first = vec![key(Field::Status, Direction::Ascending)];
        let two = cycle(&first, Field::Created, true);
        assert_eq!(
            two,
            vec![
                key(Field::Status, Direction::Ascending),
                key(Field::Created, Direction::Ascending)
            ]
        );
        let flipped = cycle(&two, Field::Status, true);
        assert_eq!(flipped[0], key(Field::Status, Direction::Descending));
        let dropped = cycle(&flipped, Field::Status, true);
        assert_eq!(dropped, vec![key(Field::Created, Direction::Ascending)]);
        assert_eq!(aria_sort(&dropped, Field::Created), "ascending");
        assert_eq!(aria_sort(&dropped, Field::Status), "none");
    }
}
