//! Every Rebilly answer validates against the official OpenAPI definition in
//! `docs/providers/rebilly-users.openapi.yaml`: the users list (each record, including the
//! hostile ones), its pagination headers, and the 401 problem body. The validator below covers
//! the keywords that definition uses: `$ref`, `allOf`, `type` (one or several), `required`,
//! `properties`, `items`, `enum`, `minLength`/`maxLength`, `minimum`/`maximum`,
//! `minProperties` and the `date-time`/`email` formats.

mod support;

use serde_json::Value;
use userdeck_providers::time::date::parse_instant;
use userdeck_providers::{HttpRequest, ProviderKind};
use userdeck_sim::{Limits, Simulators};

fn spec() -> Value {
    let path = format!(
        "{}/../../docs/providers/rebilly-users.openapi.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn resolve<'a>(root: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference.trim_start_matches('#');
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("unresolvable $ref {reference}"))
}

fn type_matches(expected: &str, value: &Value) -> bool {
    match expected {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn validate(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        validate(root, resolve(root, reference), value, path, errors);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            validate(root, part, value, path, errors);
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
        errors.push(format!("{path}: {value} is not of type {types:?}"));
        return;
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} is not one of {options:?}"));
    }
    if let Value::String(text) = value {
        let chars = text.chars().count() as u64;
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
            && chars > max
        {
            errors.push(format!("{path}: {chars} characters, at most {max} allowed"));
        }
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
            && chars < min
        {
            errors.push(format!(
                "{path}: {chars} characters, at least {min} required"
            ));
        }
        match schema.get("format").and_then(Value::as_str) {
            Some("date-time") if parse_instant(text).is_none() => {
                errors.push(format!("{path}: {text:?} is not a date-time"))
            }
            Some("email") if !text.contains('@') => {
                errors.push(format!("{path}: {text:?} is not an e-mail address"))
            }
            _ => {}
        }
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && number < min
        {
            errors.push(format!("{path}: {number} below {min}"));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && number > max
        {
            errors.push(format!("{path}: {number} above {max}"));
        }
    }
    if let Value::Object(map) = value {
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(key) {
                    errors.push(format!("{path}: required member {key} is missing"));
                }
            }
        }
        if let Some(min) = schema.get("minProperties").and_then(Value::as_u64)
            && (map.len() as u64) < min
        {
            errors.push(format!("{path}: fewer than {min} members"));
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (key, sub) in properties {
                if let Some(member) = map.get(key) {
                    validate(root, sub, member, &format!("{path}.{key}"), errors);
                }
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(root, item_schema, item, &format!("{path}[{i}]"), errors);
        }
    }
}

fn operation(root: &Value) -> &Value {
    root.pointer("/paths/~1users/get")
        .expect("GET /users in the spec")
}

#[test]
fn every_listed_user_and_header_validates() {
    let root = spec();
    let response_spec = &operation(&root)["responses"]["200"];
    let schema = &response_spec["content"]["application/json"]["schema"];
    // 1,500 people: every kind of hostile record (15 of them) is among them.
    let sims = Simulators::generate(3, 1_500, &Limits::unlimited());
    let mut checked = 0;
    for offset in ["0", "1000"] {
        let req = support::list(
            ProviderKind::Rebilly,
            &[("limit", "1000"), ("offset", offset)],
        );
        let response = sims.handle(ProviderKind::Rebilly, &req, support::now());
        assert_eq!(response.status, 200);
        let body: Value = serde_json::from_slice(&response.body).expect("JSON");
        let mut errors = Vec::new();
        validate(&root, schema, &body, "$", &mut errors);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        checked += body.as_array().map_or(0, Vec::len);
        let headers = response_spec["headers"].as_object().expect("headers");
        for (name, header) in headers {
            let header = resolve(&root, header["$ref"].as_str().expect("$ref"));
            let value = response
                .header(name)
                .unwrap_or_else(|| panic!("{name} missing"));
            let parsed: Value = value.parse::<u64>().map(Value::from).unwrap_or(Value::Null);
            let mut errors = Vec::new();
            validate(&root, &header["schema"], &parsed, name, &mut errors);
            assert!(errors.is_empty(), "{name}: {value:?} {errors:?}");
        }
    }
    assert_eq!(checked, 1_500);
}

#[test]
fn unauthorized_answers_validate() {
    let root = spec();
    let schema = &operation(&root)["responses"]["401"];
    let schema = resolve(&root, schema["$ref"].as_str().expect("$ref"));
    let schema = &schema["content"]["application/json"]["schema"];
    let sims = Simulators::generate(3, 10, &Limits::unlimited());
    let response = sims.handle(
        ProviderKind::Rebilly,
        &HttpRequest::get("/users"),
        support::now(),
    );
    assert_eq!(response.status, 401);
    let body: Value = serde_json::from_slice(&response.body).expect("JSON");
    let mut errors = Vec::new();
    validate(&root, schema, &body, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let root = spec();
    let schema = &operation(&root)["responses"]["200"]["content"]["application/json"]["schema"];
    let bad = serde_json::json!([
        { "email": "a@b.c", "firstName": "", "lastName": "x".repeat(46) },
        { "firstName": "A", "lastName": "B", "status": "banned", "createdTime": "yesterday" },
        { "email": 3, "firstName": "A", "lastName": "B", "mobilePhone": null }
    ]);
    let mut errors = Vec::new();
    validate(&root, schema, &bad, "$", &mut errors);
    assert_eq!(errors.len(), 6, "{errors:#?}");
}
