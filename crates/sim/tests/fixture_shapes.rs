//! Each simulator reproduces its provider's documented example response field for field: the
//! same keys at every level and the same JSON types (null standing in for any type where the
//! documentation marks a field nullable, and for the documentation's `"string | null"`).

mod support;

use serde_json::Value;
use userdeck_providers::ProviderKind;
use userdeck_sim::{Limits, Simulators};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../../docs/providers/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Compares `actual` with the documented `expected`, collecting every difference with its path.
fn same_shape(expected: &Value, actual: &Value, path: &str, problems: &mut Vec<String>) {
    if expected.is_null() || actual.is_null() || expected == "string | null" && actual.is_string() {
        return;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let ek: Vec<&String> = e.keys().collect();
            let ak: Vec<&String> = a.keys().collect();
            let mut ek_sorted = ek.clone();
            let mut ak_sorted = ak.clone();
            ek_sorted.sort();
            ak_sorted.sort();
            if ek_sorted != ak_sorted {
                problems.push(format!(
                    "{path}: keys {ak_sorted:?}, documented {ek_sorted:?}"
                ));
            }
            for (key, value) in e {
                if let Some(other) = a.get(key) {
                    same_shape(value, other, &format!("{path}.{key}"), problems);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let Some(first) = e.first() {
                for (i, item) in a.iter().enumerate() {
                    same_shape(first, item, &format!("{path}[{i}]"), problems);
                }
            }
        }
        _ => {
            if type_name(expected) != type_name(actual) {
                problems.push(format!(
                    "{path}: {} where the documentation has {}",
                    type_name(actual),
                    type_name(expected)
                ));
            }
        }
    }
}

fn check(kind: ProviderKind, fixture_name: &str, query: &[(&str, &str)]) {
    // 300 people include three hostile records (indices 50, 150 and 250).
    let sims = Simulators::generate(5, 300, &Limits::unlimited());
    let response = sims.handle(kind, &support::list(kind, query), support::now());
    assert_eq!(response.status, 200, "{kind:?}");
    let body: Value = serde_json::from_slice(&response.body).expect("JSON body");
    let mut problems = Vec::new();
    same_shape(&fixture(fixture_name), &body, "$", &mut problems);
    assert!(
        problems.is_empty(),
        "{kind:?} differs from its fixture:\n{}",
        problems.join("\n")
    );
    let rows = match &body {
        Value::Array(rows) => rows.len(),
        Value::Object(o) => o
            .get("data")
            .and_then(|d| d.get("results").or(Some(d)))
            .or_else(|| o.get("users"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
        _ => 0,
    };
    assert!(rows >= 50, "{kind:?}: only {rows} rows compared");
}

#[test]
fn pressone_matches_its_fixture() {
    check(
        ProviderKind::PressOne,
        "pressone-users.json",
        &[("page_size", "100"), ("page_index", "2")],
    );
}

#[test]
fn pngme_matches_its_fixture() {
    check(ProviderKind::Pngme, "pngme-users.json", &[("page", "2")]);
}

#[test]
fn nameshield_matches_its_fixture() {
    check(
        ProviderKind::Nameshield,
        "nameshield-users.json",
        &[("sort[]", "firstname:desc"), ("limit", "500")],
    );
}

#[test]
fn activeplatform_matches_its_fixture() {
    check(
        ProviderKind::ActivePlatform,
        "activeplatform-users.json",
        &[("sorting[reversed]", "true"), ("per_page", "100")],
    );
}

#[test]
fn the_comparison_notices_a_missing_or_retyped_field() {
    let documented = fixture("pngme-users.json");
    let mut changed = documented.clone();
    changed["users"][0]
        .as_object_mut()
        .expect("object")
        .remove("device_id");
    changed["num_pages"] = Value::String("1".into());
    let mut problems = Vec::new();
    same_shape(&documented, &changed, "$", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
}
