//! Rebilly: `GET /users` below `/organizations/{organizationId}` (part of the configured base
//! URL). Quirks: a bare array body with the total in `Pagination-Total`; `sort=-a,b`; a `filter`
//! grammar (`field:value`, `;` AND, `,` OR, `!` NOT, `a..b` ranges, `@list`) that documents no
//! escaping, so values holding its punctuation are never sent; RFC 9457 problem details with
//! `invalidFields` on 422; 429 with `X-RateLimit-Retry-After` as an absolute epoch.

use super::json::{instant, parse_body, scalar_text, snippet, text, users};
use super::status::{ErrorDetails, is_success, retry_after_seconds, retry_at_epoch, status_error};
use super::{Carry, unsupported};
use crate::error::{FieldMessage, ProviderError};
use crate::field::Field;
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Attribute, Page, Paging, Phone, Status, Total, User, display_name};
use crate::query::{Direction, Filter, FilterOp, ServerPage, ServerQuery, Value as QValue};
use crate::time::Timestamp;
use serde_json::Value;

const KIND: ProviderKind = ProviderKind::Rebilly;
/// The list endpoint, below the configured base URL (which includes the organization).
pub const PATH: &str = "/users";
/// Punctuation the filter grammar gives meaning to; a value holding any of it is never sent.
pub const RESERVED: [&str; 6] = [",", ";", ":", "!", "@", ".."];

fn filter_key(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Id => "id",
        Field::FirstName => "firstName",
        Field::LastName => "lastName",
        Field::Email => "email",
        Field::Status => "status",
        Field::Country => "country",
        Field::Created => "createdTime",
        Field::Updated => "updatedTime",
        _ => return None,
    })
}

/// Rebilly's name for a sortable field.
pub fn sort_key(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::FirstName => "firstName",
        Field::LastName => "lastName",
        Field::Email => "email",
        Field::Status => "status",
        Field::Created => "createdTime",
        Field::Updated => "updatedTime",
        Field::LastLogin => "loginTime",
        Field::Id => "id",
        _ => return None,
    })
}

/// A text value as the grammar may carry it, or `None` if it holds reserved punctuation or
/// nothing at all. Status words are translated to Rebilly's.
fn text_value(field: Field, value: &QValue) -> Option<String> {
    let QValue::Text(t) = value else {
        return None;
    };
    if t.trim().is_empty() || RESERVED.iter().any(|r| t.contains(r)) {
        return None;
    }
    if field == Field::Status && Status::from_wire(t) == Status::Pending {
        return Some("pending-confirmation".into());
    }
    Some(t.clone())
}

fn time_value(value: &Option<QValue>) -> Option<String> {
    match value {
        None => Some(String::new()),
        Some(QValue::Instant(t)) => Some(t.to_string()),
        Some(_) => None,
    }
}

/// Fields every Rebilly user has (required or server-set). Only these carry `!value`: on an
/// optional field Rebilly's negation would presumably also match users without the field,
/// while the console's "not" means "present and different".
fn always_present(field: Field) -> bool {
    matches!(
        field,
        Field::Id | Field::FirstName | Field::LastName | Field::Email | Field::Status
    )
}

/// One `field:value` part of the filter, or `None` if it cannot be expressed.
fn filter_part(filter: &Filter) -> Option<String> {
    let key = filter_key(filter.field)?;
    let is_time = matches!(filter.field, Field::Created | Field::Updated);
    let value = match (&filter.op, is_time) {
        (FilterOp::Equals(v), false) => text_value(filter.field, v)?,
        (FilterOp::Not(v), false) if always_present(filter.field) => {
            format!("!{}", text_value(filter.field, v)?)
        }
        (FilterOp::OneOf(values), false) if !values.is_empty() => values
            .iter()
            .map(|v| text_value(filter.field, v))
            .collect::<Option<Vec<_>>>()?
            .join(","),
        (FilterOp::Range { from, to }, true) if from.is_some() || to.is_some() => {
            format!("{}..{}", time_value(from)?, time_value(to)?)
        }
        _ => return None,
    };
    Some(format!("{key}:{value}"))
}

/// Fields whose value Rebilly's schema never lets be blank: the e-mail has a format and the
/// status an enum. An id has no `minLength`, and a name of spaces meets `minLength: 1`.
fn never_blank(field: Field) -> bool {
    matches!(field, Field::Email | Field::Status)
}

/// Which filters Rebilly carries: exact text, one-of and not on its text fields, ranges on its
/// date-times, and only values free of the grammar's punctuation. `!value` on a field that can
/// be blank only narrows: Rebilly's negation also matches a user whose value is blank, which
/// the console reads as absent and its "not" (present and different) excludes.
pub fn carry(filter: &Filter) -> Carry {
    match filter_part(filter) {
        None => Carry::No,
        Some(_) if matches!(filter.op, FilterOp::Not(_)) && !never_blank(filter.field) => {
            Carry::Narrowing
        }
        Some(_) => Carry::Exact,
    }
}

/// Builds the request: `limit`, `offset`, `sort`, `filter`, `q`.
pub fn request(query: &ServerQuery, page: ServerPage) -> Result<HttpRequest, ProviderError> {
    let mut req = HttpRequest::get(PATH);
    if let Some(size) = page.size {
        req.query.push(("limit".into(), size.to_string()));
    }
    req.query.push(("offset".into(), page.offset.to_string()));
    if !query.sort.is_empty() {
        let keys = query
            .sort
            .iter()
            .map(|k| {
                let name = sort_key(k.field)?;
                Some(match k.direction {
                    Direction::Ascending => name.to_string(),
                    Direction::Descending => format!("-{name}"),
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| unsupported(KIND, "Rebilly cannot sort by this field"))?;
        req.query.push(("sort".into(), keys.join(",")));
    }
    if !query.filters.is_empty() {
        let parts = query
            .filters
            .iter()
            .map(filter_part)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                unsupported(
                    KIND,
                    "a filter value holds , ; : ! @ or .., which Rebilly's filter syntax cannot carry",
                )
            })?;
        req.query.push(("filter".into(), parts.join(";")));
    }
    if let Some(q) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        req.query.push(("q".into(), q.to_string()));
    }
    Ok(req)
}

fn problem_details(body: &Value) -> ErrorDetails {
    let title = text(body, "title");
    let detail = text(body, "detail");
    let message = match (title, detail) {
        (Some(t), Some(d)) if t != d => format!("{t} ({d})"),
        (Some(t), _) => t,
        (None, Some(d)) => d,
        (None, None) => String::new(),
    };
    let fields = match body.get("invalidFields") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|f| {
                Some(FieldMessage {
                    field: text(f, "field").unwrap_or_else(|| "query".into()),
                    message: text(f, "message")?,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    ErrorDetails { message, fields }
}

/// Reads a response: a bare array plus pagination headers, or problem details.
pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Page<User>, ProviderError> {
    let body = parse_body(&response.body);
    if !is_success(response) {
        let mut details = body.as_ref().map(problem_details).unwrap_or_default();
        if details.message.is_empty() {
            details.message = snippet(&response.body);
        }
        let retry_at = retry_at_epoch(response, "X-RateLimit-Retry-After")
            .or_else(|| retry_after_seconds(response, now));
        return Err(status_error(KIND, response, details, retry_at));
    }
    let body = body.map_err(|e| ProviderError::malformed(KIND, e))?;
    let Value::Array(records) = body else {
        return Err(ProviderError::malformed(
            KIND,
            "the body is not a list of users",
        ));
    };
    let items = users(records, &user)?;
    let header = |name: &str| {
        response
            .header(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let total = header("Pagination-Total");
    Ok(Page {
        total: total.map_or(Total::AtLeast(items.len() as u64), Total::Exact),
        items,
        paging: Paging {
            total,
            num_pages: None,
            page_number: None,
            limit: header("Pagination-Limit"),
            offset: header("Pagination-Offset"),
            applied_sort: None,
        },
    })
}

fn list_text(record: &Value, key: &str) -> Option<String> {
    let Some(Value::Array(items)) = record.get(key) else {
        return None;
    };
    let parts: Vec<String> = items.iter().filter_map(scalar_text).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn user(owned: Value, position: usize) -> Result<User, ProviderError> {
    let record = &owned;
    if !record.is_object() {
        return Err(ProviderError::malformed(
            KIND,
            "a user is not a JSON object",
        ));
    }
    let id = text(record, "id");
    let key = id.clone().unwrap_or_else(|| format!("row:{position}"));
    let first_name = text(record, "firstName");
    let last_name = text(record, "lastName");
    let email = text(record, "email");
    let mut phones = Vec::new();
    for (label, member) in [("business", "businessPhone"), ("mobile", "mobilePhone")] {
        if let Some(number) = text(record, member) {
            phones.push(Phone {
                label: label.into(),
                number,
            });
        }
    }
    let mut attributes = Vec::new();
    let mut push = |name: &str, value: Option<String>, field: Option<Field>| {
        if let Some(value) = value {
            attributes.push(Attribute {
                name: name.into(),
                value,
                field,
            });
        }
    };
    push("Country", text(record, "country"), Some(Field::Country));
    push("Roles", list_text(record, "roleIds"), None);
    push("Permissions", list_text(record, "permissions"), None);
    push(
        "Reporting currency",
        text(record, "reportingCurrency"),
        None,
    );
    push("Two-factor required", text(record, "totpRequired"), None);
    push("Allowed IPs", list_text(record, "allowedIps"), None);
    if let Some(Value::Object(prefs)) = record.get("preferences") {
        for (name, value) in prefs {
            push(&format!("Preference: {name}"), scalar_text(value), None);
        }
    }
    Ok(User {
        display_name: display_name(
            &[first_name.as_deref(), last_name.as_deref()],
            email.as_deref(),
            &key,
        ),
        key,
        id,
        first_name,
        middle_name: None,
        last_name,
        email,
        phones,
        status: text(record, "status").map(|s| Status::from_wire(&s)),
        subscription: None,
        created: instant(record, "createdTime"),
        updated: instant(record, "updatedTime"),
        last_login: instant(record, "loginTime"),
        expires: None,
        attributes,
        raw: owned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Found by the `rebilly_filter` fuzz target: `lastName:!s` is also true for a user whose
    /// last name is blank, whom the console's "not" excludes, so it must be checked again.
    #[test]
    fn negating_a_field_that_can_be_blank_only_narrows() {
        for (field, member) in [
            (Field::Id, "id"),
            (Field::FirstName, "firstName"),
            (Field::LastName, "lastName"),
        ] {
            let filter = Filter {
                field,
                op: FilterOp::Not(QValue::Text("s".into())),
            };
            assert_eq!(carry(&filter), Carry::Narrowing, "{field:?}");
            assert!(filter_part(&filter).is_some(), "still sent, to fetch less");
            let mut record = json!({"id": "usr_1", "firstName": "A", "lastName": "B"});
            record[member] = json!(" ");
            let blank = user(record, 0).expect("a valid record");
            assert!(!crate::engine::matches(&blank, &filter), "{field:?}");
        }
        for field in [Field::Email, Field::Status] {
            let filter = Filter {
                field,
                op: FilterOp::Not(QValue::Text("active".into())),
            };
            assert_eq!(carry(&filter), Carry::Exact, "{field:?}");
        }
    }
}
