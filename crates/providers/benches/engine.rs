//! The in-memory engine's budget: filtering and sorting 100,000 users must take at most 50 ms
//! natively, so a full scan's own work stays invisible next to its network time.
//! `cargo xtask bench` runs this and fails when the median exceeds the budget.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use userdeck_providers::model::{Attribute, Phone};
use userdeck_providers::query::Value;
use userdeck_providers::{
    Direction, Field, Filter, FilterOp, Instant, PageRequest, Query, SortKey, Status, Timestamp,
    User, engine,
};

const FIRST: [&str; 12] = [
    "Ann", "bob", "Carla", "Dmitri", "Émile", "Fatima", "george", "Hassan", "Ines", "Jun", "Kofi",
    "Zoë",
];
const LAST: [&str; 10] = [
    "Smith", "doe", "Adams", "Okafor", "Müller", "Ali", "Nguyen", "o'neil", "Garcia", "Ivanov",
];

const SYLLABLES: [&str; 23] = [
    "a", "be", "ci", "do", "eu", "fa", "go", "hi", "jo", "ka", "lu", "ma", "ne", "ol", "pa", "qui",
    "ro", "sa", "ti", "uv", "wa", "xe", "yo",
];

fn users(n: usize) -> Vec<User> {
    (0..n)
        .map(|i| {
            // Mostly distinct names (as real user lists have), long enough that many share
            // their first sixteen letters: the harder case for the sort.
            let first = format!(
                "{}{}",
                FIRST[(i * 7) % FIRST.len()],
                SYLLABLES[(i * 31 + i / 7) % SYLLABLES.len()]
            );
            let last = format!(
                "{}{}{}",
                LAST[(i * 13 / 3) % LAST.len()],
                SYLLABLES[(i * 17 / 5) % SYLLABLES.len()],
                SYLLABLES[(i * 7919 / 11) % SYLLABLES.len()]
            );
            let second = 1_600_000_000 + ((i as i64 * 7_919) % 90_000_000);
            let created = Timestamp::from_second(second).map(|timestamp| Instant {
                timestamp,
                offset_seconds: 3_600,
                date_only: false,
            });
            User {
                key: format!("usr_{i}"),
                id: Some(format!("usr_{i}")),
                first_name: Some(first.clone()),
                middle_name: None,
                last_name: Some(last.clone()),
                display_name: format!("{first} {last}"),
                email: Some(format!(
                    "{}.{}{i}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                )),
                phones: vec![Phone {
                    label: "mobile".into(),
                    number: format!("+2348{i:09}"),
                }],
                status: Some(if i % 5 == 0 {
                    Status::Inactive
                } else {
                    Status::Active
                }),
                subscription: None,
                created,
                updated: created,
                last_login: if i % 3 == 0 { None } else { created },
                expires: None,
                attributes: vec![Attribute {
                    name: "Country".into(),
                    value: if i % 2 == 0 { "FR".into() } else { "NG".into() },
                    field: Some(Field::Country),
                }],
                raw: serde_json::Value::Null,
            }
        })
        .collect()
}

fn query() -> Query {
    Query {
        search: None,
        filters: vec![
            Filter {
                field: Field::Status,
                op: FilterOp::Not(Value::Text("inactive".into())),
            },
            Filter {
                field: Field::Email,
                op: FilterOp::Contains("A".into()),
            },
        ],
        sort: vec![
            SortKey {
                field: Field::Name,
                direction: Direction::Ascending,
            },
            SortKey {
                field: Field::LastLogin,
                direction: Direction::Descending,
            },
        ],
        page: PageRequest { index: 3, size: 50 },
    }
}

fn filter_sort_100k(c: &mut Criterion) {
    let data = users(100_000);
    let q = query();
    let matched = engine::apply_ref(&q, &data).total.exact().unwrap_or(0);
    assert!(
        matched > 50_000,
        "the benchmark must sort most rows, matched {matched}"
    );
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("filter_sort_100k", |b| {
        b.iter_batched(
            || (),
            |()| black_box(engine::apply_ref(black_box(&q), &data)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, filter_sort_100k);
criterion_main!(benches);
