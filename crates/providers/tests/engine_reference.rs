//! The engine's rank-based sort and its filters against a plain reference: a comparator that
//! lowercases on every comparison, and filters written the obvious way. Random users, random
//! keys; they must agree row for row.

use proptest::prelude::*;
use std::cmp::Ordering;
use userdeck_providers::model::{FieldValue, Phone};
use userdeck_providers::{
    Direction, Field, Filter, FilterOp, Instant, PageRequest, Query, SortKey, Status, Timestamp,
    User, engine,
};

fn name() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[a-cA-C]{0,3}",
        Just("Émile".to_string()),
        Just("émile".to_string()),
        Just("ZOË".to_string()),
        // Long texts over a tiny alphabet share their first 16 or 32 letters often.
        "[aA]{16}[abé]{0,20}",
        // Sixteenth bytes that differ only in their lowest bit ('`', 'a', 'b', 'c'), and
        // two-byte letters straddling the sixteenth byte.
        "[aA]{15}[`abc][a-c]{0,5}",
        "[аА]{7} [мсМС][а-я]{0,4}",
        "[aA]{32}[bB]{0,3}",
        "[aAb]{14,40}",
    ])
}

fn instant() -> impl Strategy<Value = Option<Instant>> {
    prop::option::of((0i64..5, prop_oneof![Just(0i32), Just(3_600)])).prop_map(|v| {
        v.map(|(s, offset_seconds)| Instant {
            timestamp: Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH),
            offset_seconds,
            date_only: false,
        })
    })
}

fn users() -> impl Strategy<Value = Vec<User>> {
    prop::collection::vec((name(), name(), instant(), prop::option::of(0u8..3)), 0..40).prop_map(
        |rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (first, last, created, status))| User {
                    key: format!("k{i}"),
                    id: Some(format!("k{i}")),
                    display_name: [first.as_deref(), last.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                    first_name: first,
                    middle_name: None,
                    last_name: last,
                    email: None,
                    phones: vec![Phone {
                        label: "mobile".into(),
                        number: format!("{}", i % 3),
                    }],
                    status: status.map(|s| match s {
                        0 => Status::Active,
                        1 => Status::Inactive,
                        _ => Status::Pending,
                    }),
                    subscription: None,
                    created,
                    updated: None,
                    last_login: None,
                    expires: None,
                    attributes: Vec::new(),
                    raw: serde_json::Value::Null,
                })
                .collect()
        },
    )
}

const SORTABLE: [Field; 6] = [
    Field::Name,
    Field::FirstName,
    Field::LastName,
    Field::Created,
    Field::Status,
    Field::Phone,
];

fn keys() -> impl Strategy<Value = Vec<SortKey>> {
    prop::collection::vec(
        (0..SORTABLE.len(), any::<bool>()).prop_map(|(i, desc)| SortKey {
            field: SORTABLE[i],
            direction: if desc {
                Direction::Descending
            } else {
                Direction::Ascending
            },
        }),
        0..5,
    )
}

/// The obvious comparator: lowercase text each time, missing last, stable by input order.
fn reference_order(users: &[User], keys: &[SortKey]) -> Vec<String> {
    let mut indexed: Vec<(usize, &User)> = users.iter().enumerate().collect();
    indexed.sort_by(|(ia, a), (ib, b)| {
        for key in keys {
            let (va, vb) = (a.value(key.field), b.value(key.field));
            let ordering = match (va, vb) {
                (FieldValue::Missing, FieldValue::Missing) => Ordering::Equal,
                (FieldValue::Missing, _) => Ordering::Greater,
                (_, FieldValue::Missing) => Ordering::Less,
                (x, y) => {
                    let natural = match (x, y) {
                        (FieldValue::Text(x), FieldValue::Text(y)) => {
                            x.to_lowercase().cmp(&y.to_lowercase())
                        }
                        (FieldValue::Instant(x), FieldValue::Instant(y)) => x.cmp(&y),
                        (FieldValue::Bool(x), FieldValue::Bool(y)) => x.cmp(&y),
                        _ => Ordering::Equal,
                    };
                    match key.direction {
                        Direction::Ascending => natural,
                        Direction::Descending => natural.reverse(),
                    }
                }
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        ia.cmp(ib)
    });
    indexed.into_iter().map(|(_, u)| u.key.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn rank_sort_agrees_with_the_reference(users in users(), keys in keys()) {
        let query = Query {
            sort: keys.clone(),
            page: PageRequest { index: 0, size: 1_000 },
            ..Query::default()
        };
        let got: Vec<String> = engine::apply_ref(&query, &users).items.into_iter().map(|u| u.key).collect();
        prop_assert_eq!(got, reference_order(&users, &keys));
    }

    #[test]
    fn contains_agrees_with_lowercase_contains(users in users(), needle in prop_oneof!["[a-cA-C]{0,2}", Just("É".to_string()), Just("ë".to_string())]) {
        let filter = Filter { field: Field::Name, op: FilterOp::Contains(needle.clone()) };
        let query = Query { filters: vec![filter], page: PageRequest { index: 0, size: 1_000 }, ..Query::default() };
        let got: Vec<String> = engine::apply_ref(&query, &users).items.into_iter().map(|u| u.key).collect();
        let lower = needle.to_lowercase();
        let want: Vec<String> = users
            .iter()
            .filter(|u| u.display_name.to_lowercase().contains(&lower))
            .map(|u| u.key.clone())
            .collect();
        prop_assert_eq!(got, want);
    }
}
