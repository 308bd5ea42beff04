//! Every documented example response parses unchanged, and the values land in the right
//! fields.

use userdeck_providers::adapters::parse;
use userdeck_providers::model::Phone;
use userdeck_providers::{Field, HttpResponse, ProviderKind, Status, Timestamp, Total};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../docs/providers/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn ok(body: Vec<u8>, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body,
    }
}

fn now() -> Timestamp {
    Timestamp::from_second(1_700_000_000).expect("valid")
}

#[test]
fn pressone_fixture_with_placeholders() {
    let page = parse(
        ProviderKind::PressOne,
        &ok(fixture("pressone-users.json"), &[]),
        now(),
    )
    .expect("fixture parses");
    assert_eq!(page.total, Total::Exact(1));
    assert_eq!(page.paging.num_pages, Some(1));
    assert_eq!(page.paging.page_number, Some(1));
    assert_eq!(page.items.len(), 1);
    let u = &page.items[0];
    assert_eq!(u.key, "email:string | null");
    assert_eq!(u.id, None);
    assert_eq!(u.first_name.as_deref(), Some("string | null"));
    assert_eq!(u.email.as_deref(), Some("string | null"));
    assert_eq!(
        u.phones,
        vec![Phone {
            label: "mobile".into(),
            number: "string | null".into()
        }]
    );
    let sub = u.subscription.as_ref().expect("subscription present");
    assert_eq!(sub.plan.as_deref(), Some("string"));
    assert_eq!(sub.term.as_deref(), Some("string"));
    assert_eq!(sub.cost, Some(0.0));
    assert_eq!(sub.active, Some(true));
    assert_eq!(sub.free_trial, Some(false));
    assert_eq!(sub.billing_day.as_deref(), Some("2024-01-15T10:30:00Z"));
    assert_eq!(
        sub.created.map(|i| i.timestamp.as_second()),
        Some(1_705_314_600)
    );
    assert_eq!(
        u.created.map(|i| i.timestamp.as_second()),
        Some(1_705_314_600)
    );
    assert_eq!(u.raw["subscription"]["plan"], "string");
}

#[test]
fn pngme_fixture() {
    let page = parse(
        ProviderKind::Pngme,
        &ok(fixture("pngme-users.json"), &[]),
        now(),
    )
    .expect("fixture parses");
    assert_eq!(page.total, Total::Exact(3));
    assert_eq!(page.paging.num_pages, Some(1));
    let names: Vec<&str> = page.items.iter().map(|u| u.display_name.as_str()).collect();
    assert_eq!(names, ["Hassan Ali", "Muhammed Aliyu", "Moses Ali"]);
    let first = &page.items[0];
    assert_eq!(first.key, "17683027-18f6-418f-a79c-be7090be41fd");
    assert_eq!(first.email.as_deref(), Some("[email\u{a0}protected]"));
    assert_eq!(first.phones[0].number, "2342345678904");
    assert_eq!(
        first.value(Field::DeviceId),
        userdeck_providers::model::FieldValue::Text("b53b4d4573b6c517")
    );
    assert_eq!(
        first.value(Field::ExternalId),
        userdeck_providers::model::FieldValue::Missing
    );
    assert_eq!(
        page.items[2].value(Field::ExternalId),
        userdeck_providers::model::FieldValue::Text("003")
    );
    assert_eq!(
        first.created.map(|i| i.timestamp.as_second()),
        Some(1_637_096_400)
    );
    assert_eq!(first.status, None);
}

#[test]
fn pngme_old_shape_reports_exact_total() {
    let body = br#"{"_meta":{"total_users_count":41,"page":2,"max_pages":5},
        "users":[{"uuid":"u1","first_name":"A","created_at":"2021-11-16T21:00:00.123456+00:00"}]}"#;
    let page = parse(ProviderKind::Pngme, &ok(body.to_vec(), &[]), now()).expect("old shape");
    assert_eq!(page.total, Total::Exact(41));
    assert_eq!(page.paging.page_number, Some(2));
    assert_eq!(page.paging.num_pages, Some(5));
    assert_eq!(
        page.items[0]
            .created
            .map(|i| i.timestamp.subsec_nanosecond() / 1_000),
        Some(123_456)
    );
}

#[test]
fn nameshield_fixture_with_echoes() {
    let page = parse(
        ProviderKind::Nameshield,
        &ok(fixture("nameshield-users.json"), &[]),
        now(),
    )
    .expect("fixture parses");
    assert_eq!(page.total, Total::Exact(9));
    assert_eq!(page.paging.limit, Some(2));
    assert_eq!(page.paging.offset, Some(2));
    assert_eq!(
        page.paging.applied_sort,
        Some(vec!["firstname:desc".to_string()])
    );
    let jane = &page.items[0];
    assert_eq!(jane.key, "5ec2c050-7aa8-48b4-98d7-7c972dfabf6f");
    assert_eq!(jane.display_name, "Jane Doe");
    assert_eq!(jane.email.as_deref(), Some("jane.doe@company.fr"));
    assert_eq!(jane.phones[0].number, "+33612345679");
    assert_eq!(jane.last_login, None);
    let expires = jane.expires.expect("expiry");
    assert_eq!(expires.offset_seconds, 3_600);
    assert_eq!(expires.local().to_string(), "2050-12-25T00:00:00");
    let attrs: Vec<(&str, &str)> = jane
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.value.as_str()))
        .collect();
    assert_eq!(
        attrs,
        [
            ("Language", "fr"),
            ("Customer id", "1234"),
            ("Created by", "Company Administrator"),
            ("Created by id", "7a1506b9-9ce4-43f9-a6f0-e94ef4252277"),
            ("Updated by", "Company Administrator"),
            ("Updated by id", "7a1506b9-9ce4-43f9-a6f0-e94ef4252277"),
        ]
    );
    assert_eq!(page.items[1].display_name, "John Doe");
}

#[test]
fn activeplatform_fixture_keeps_offsets() {
    let page = parse(
        ProviderKind::ActivePlatform,
        &ok(fixture("activeplatform-users.json"), &[]),
        now(),
    )
    .expect("fixture parses");
    assert_eq!(page.total, Total::AtLeast(2));
    let oleg = &page.items[0];
    assert_eq!(oleg.key, "2002984");
    assert_eq!(oleg.middle_name, None);
    assert_eq!(oleg.display_name, "Oleg Ivanov");
    assert_eq!(oleg.status, Some(Status::Active));
    let created = oleg.created.expect("created");
    assert_eq!(created.offset_seconds, 10_800);
    assert_eq!(created.local().to_string(), "2016-10-03T05:15:22.286");
    assert_eq!(page.items[1].display_name, "John J Doe");
    assert!(page.items[1].attributes.is_empty());
}

#[test]
fn every_fixture_file_is_covered() {
    let dir = format!(
        "{}/../../docs/providers/fixtures",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for name in &names {
        let kind = ProviderKind::ALL
            .into_iter()
            .find(|k| name.starts_with(k.id()))
            .unwrap_or_else(|| panic!("no provider for fixture {name}"));
        let page =
            parse(kind, &ok(fixture(name), &[]), now()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!page.items.is_empty(), "{name}");
    }
    assert_eq!(names.len(), 4, "{names:?}");
}
