//! The export's budget: building the CSV of 100,000 users in memory must take at most 200 ms
//! natively, so a large export's own work stays small next to reading the rows. The users carry
//! what makes the work real: quoting (commas, quotes), neutralised formulas, non-ASCII names,
//! phones, dates with offsets. `cargo xtask bench` runs this and checks the median.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use userdeck_providers::csv_export;
use userdeck_providers::model::{Attribute, Phone};
use userdeck_providers::{Field, Instant, Status, Timestamp, User};

const NAMES: [&str; 8] = [
    "Ann",
    "Doe, Jane",
    "Zoë",
    "say \"hi\"",
    "=HYPERLINK(\"x\")",
    "فاطمة",
    "Kofi",
    "Émile",
];

/// The columns of a wide export: every common column and a few of the provider's own.
const COLUMNS: [Field; 9] = [
    Field::Name,
    Field::Email,
    Field::Phone,
    Field::Status,
    Field::Created,
    Field::Updated,
    Field::LastLogin,
    Field::Id,
    Field::Country,
];

fn users(n: usize) -> Vec<User> {
    (0..n)
        .map(|i| {
            let name = format!("{} {i}", NAMES[i % NAMES.len()]);
            let created = Timestamp::from_second(1_600_000_000 + (i as i64 * 7_919) % 90_000_000)
                .map(|timestamp| Instant {
                    timestamp,
                    offset_seconds: if i % 2 == 0 { 3_600 } else { 0 },
                    date_only: i % 7 == 0,
                });
            User {
                key: format!("usr_{i}"),
                id: Some(format!("usr_{i}")),
                first_name: Some(name.clone()),
                middle_name: None,
                last_name: None,
                display_name: name,
                email: Some(format!("user.{i}@example.com")),
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

fn csv_100k(c: &mut Criterion) {
    let data = users(100_000);
    let text = csv_export::build(&data, &COLUMNS);
    assert_eq!(
        text.matches("\r\n").count(),
        100_001,
        "one line per user and a heading"
    );
    let mut group = c.benchmark_group("csv");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("build_100k", |b| {
        b.iter(|| black_box(csv_export::build(black_box(&data), &COLUMNS)))
    });
    group.finish();
}

criterion_group!(benches, csv_100k);
criterion_main!(benches);
