//! Responses generated from the Rebilly OpenAPI subset: the `User` schema's properties are read
//! from the YAML, and records are built with every optional member present, absent, null, and
//! with unknown extra members. Clients must accept all of them.

use serde_json::{Map, Value, json};
use userdeck_providers::adapters::parse;
use userdeck_providers::{HttpResponse, ProviderKind, Status, Timestamp, Total};

/// Property name and the JSON types the schema allows for it.
fn user_properties() -> Vec<(String, Vec<String>)> {
    let path = format!(
        "{}/../../docs/providers/rebilly-users.openapi.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("openapi file");
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "    User:")
        .expect("User schema");
    let props = start
        + lines[start..]
            .iter()
            .position(|l| *l == "      properties:")
            .expect("properties");
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in &lines[props + 1..] {
        let indent = line.len() - line.trim_start().len();
        if !line.trim().is_empty() && indent < 8 {
            break;
        }
        if indent == 8 && line.trim_end().ends_with(':') {
            out.push((line.trim().trim_end_matches(':').to_string(), Vec::new()));
            continue;
        }
        let t = line.trim();
        if let Some(last) = out.last_mut() {
            if indent == 10
                && let Some(ty) = t.strip_prefix("type: ")
            {
                last.1.push(ty.to_string());
            }
            if indent == 12
                && let Some(ty) = t.strip_prefix("- ")
            {
                last.1.push(ty.trim_matches('\'').to_string());
            }
            if indent == 10
                && let Some(r) = t.strip_prefix("$ref: ")
            {
                let ty = match r.trim_matches('\'') {
                    "#/components/schemas/AllowedIps" => "array",
                    "#/components/schemas/AclPermissions" | "#/components/schemas/SelfLink" => {
                        "array"
                    }
                    _ => "string",
                };
                last.1.push(ty.to_string());
            }
        }
    }
    out
}

fn sample(name: &str, ty: &str) -> Value {
    match (name, ty) {
        ("createdTime", _) => json!("2024-01-15T10:30:00Z"),
        ("updatedTime", _) => json!("2024-02-01T08:00:00.5+02:00"),
        ("loginTime", _) => json!("2024-03-01T00:00:00Z"),
        ("status", _) => json!("pending-confirmation"),
        ("_links", _) => json!([{"href": "https://x/users/1", "rel": "self"}]),
        (_, "string") => json!(format!("{name}-value")),
        (_, "array") => json!(["a", "b"]),
        (_, "object") => json!({"language": "fr", "timezone": "Europe/Paris"}),
        (_, "boolean") => json!(true),
        (_, "null") => Value::Null,
        _ => json!(format!("{name}-value")),
    }
}

fn respond(records: Vec<Value>, total: &str) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![
            ("Pagination-Total".into(), total.into()),
            ("Pagination-Limit".into(), "100".into()),
            ("Pagination-Offset".into(), "0".into()),
        ],
        body: serde_json::to_vec(&Value::Array(records)).expect("serializes"),
    }
}

fn now() -> Timestamp {
    Timestamp::from_second(1_700_000_000).expect("valid")
}

#[test]
fn the_schema_is_read() {
    let props = user_properties();
    let names: Vec<&str> = props.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "id",
        "email",
        "firstName",
        "lastName",
        "mobilePhone",
        "status",
        "allowedIps",
        "_links",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let mobile = props
        .iter()
        .find(|(n, _)| n == "mobilePhone")
        .expect("mobilePhone");
    assert_eq!(mobile.1, ["string", "null"]);
}

#[test]
fn full_records_parse_with_every_member() {
    let mut record = Map::new();
    for (name, types) in user_properties() {
        let ty = types.first().map_or("string", String::as_str);
        record.insert(name.clone(), sample(&name, ty));
    }
    let page = parse(
        ProviderKind::Rebilly,
        &respond(vec![Value::Object(record)], "332"),
        now(),
    )
    .expect("full record parses");
    assert_eq!(page.total, Total::Exact(332));
    assert_eq!(page.paging.limit, Some(100));
    let u = &page.items[0];
    assert_eq!(u.key, "id-value");
    assert_eq!(u.display_name, "firstName-value lastName-value");
    assert_eq!(u.status, Some(Status::Pending));
    let labels: Vec<&str> = u.phones.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["business", "mobile"]);
    assert_eq!(u.updated.map(|i| i.offset_seconds), Some(7_200));
    assert!(
        u.attributes
            .iter()
            .any(|a| a.name == "Preference: language" && a.value == "fr")
    );
    assert!(
        u.attributes
            .iter()
            .any(|a| a.name == "Roles" && a.value == "a, b")
    );
}

#[test]
fn each_optional_member_may_be_absent_or_null() {
    let props = user_properties();
    let required = ["email", "firstName", "lastName"];
    let base: Map<String, Value> = required
        .iter()
        .map(|n| (n.to_string(), sample(n, "string")))
        .collect();
    let mut records = vec![Value::Object(base.clone())];
    for (name, _) in props
        .iter()
        .filter(|(n, _)| !required.contains(&n.as_str()))
    {
        let mut with_null = base.clone();
        with_null.insert(name.clone(), Value::Null);
        records.push(Value::Object(with_null));
    }
    let mut all_null = base.clone();
    for (name, _) in &props {
        if !required.contains(&name.as_str()) {
            all_null.insert(name.clone(), Value::Null);
        }
    }
    all_null.insert("someFutureMember".into(), json!({"nested": [1, 2, 3]}));
    all_null.insert("anotherOne".into(), json!(42));
    records.push(Value::Object(all_null));
    let n = records.len();
    let page = parse(
        ProviderKind::Rebilly,
        &respond(records, &n.to_string()),
        now(),
    )
    .expect("sparse records parse");
    assert_eq!(page.items.len(), n);
    for (i, u) in page.items.iter().enumerate() {
        assert_eq!(u.key, format!("row:{i}"));
        assert_eq!(u.email.as_deref(), Some("email-value"));
        assert_eq!(u.created, None);
        assert!(u.phones.is_empty());
    }
    assert_eq!(page.items[n - 1].raw["anotherOne"], 42);
}

#[test]
fn missing_total_header_is_not_invented() {
    let mut r = respond(
        vec![json!({"email": "a@b.c", "firstName": "A", "lastName": "B"})],
        "x",
    );
    r.headers.retain(|(k, _)| k != "Pagination-Total");
    let page = parse(ProviderKind::Rebilly, &r, now()).expect("parses");
    assert_eq!(page.total, Total::AtLeast(1));
    assert_eq!(page.paging.total, None);
}
