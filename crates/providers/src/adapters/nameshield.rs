//! Nameshield: `GET /user/v1/users`. Quirks: filters are exact unless they hold the `*`
//! wildcard, and no escape for a literal `*` is documented; `limit`, `offset` and `sort` are
//! echoed as the server applied them; errors come as `errors` holding a list or a single object;
//! 429 carries `Retry-After` in seconds.
//!
//! A literal `*` in user text cannot be sent as such. Such a filter is sent anyway, because
//! the wildcard it becomes matches a superset of what was meant (`a*b` matches `a*b` and more),
//! and the planner checks it again in memory ([`Carry::Narrowing`]).

use super::json::{count, instant, parse_body, scalar_text, snippet, text, users};
use super::status::{ErrorDetails, is_success, retry_after_seconds, status_error};
use super::{Carry, unsupported};
use crate::error::{FieldMessage, ProviderError};
use crate::field::Field;
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Attribute, Page, Paging, Phone, Total, User, display_name};
use crate::query::{Direction, Filter, FilterOp, ServerPage, ServerQuery, Value as QValue};
use crate::time::Timestamp;
use serde_json::Value;

const KIND: ProviderKind = ProviderKind::Nameshield;
/// The list endpoint, below the configured base URL.
pub const PATH: &str = "/user/v1/users";

fn filter_key(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Id => "id",
        Field::FirstName => "firstname",
        Field::LastName => "lastname",
        Field::Email => "email",
        Field::CreatedBy => "created_by",
        Field::UpdatedBy => "updated_by",
        _ => return None,
    })
}

/// Nameshield's name for a sortable field.
pub fn sort_key(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::FirstName => "firstname",
        Field::LastName => "lastname",
        Field::Email => "email",
        Field::Phone => "phone",
        Field::Created => "created_at",
        Field::Updated => "updated_at",
        Field::LastLogin => "last_login_at",
        Field::Expires => "expires_at",
        Field::Id => "id",
        Field::CustomerId => "customer_id",
        Field::Language => "language",
        _ => return None,
    })
}

/// The wire value for a filter and how faithful it is.
fn wire_value(filter: &Filter) -> Option<(String, Carry)> {
    filter_key(filter.field)?;
    let (text, pattern) = match &filter.op {
        FilterOp::Equals(QValue::Text(t)) => (t, t.clone()),
        FilterOp::Contains(t) => (t, format!("*{t}*")),
        _ => return None,
    };
    if text.trim().is_empty() {
        return None;
    }
    let carry = if text.contains('*') {
        Carry::Narrowing
    } else {
        Carry::Exact
    };
    Some((pattern, carry))
}

/// Which filters Nameshield carries: equals and contains on its six filter fields; text with a
/// literal `*` only loosely.
pub fn carry(filter: &Filter) -> Carry {
    wire_value(filter).map_or(Carry::No, |(_, c)| c)
}

/// Builds the request: filters, `sort[]` (repeated), `limit`, `offset`.
pub fn request(query: &ServerQuery, page: ServerPage) -> Result<HttpRequest, ProviderError> {
    if query.search.is_some() {
        return Err(unsupported(KIND, "Nameshield has no free-text search"));
    }
    let mut req = HttpRequest::get(PATH);
    for filter in &query.filters {
        let key = filter_key(filter.field)
            .ok_or_else(|| unsupported(KIND, "Nameshield cannot filter on this field"))?;
        let (value, _) = wire_value(filter)
            .ok_or_else(|| unsupported(KIND, "Nameshield filters by equal or containing text"))?;
        req.query.push((key.into(), value));
    }
    for key in &query.sort {
        let name = sort_key(key.field)
            .ok_or_else(|| unsupported(KIND, "Nameshield cannot sort by this field"))?;
        let dir = match key.direction {
            Direction::Ascending => "asc",
            Direction::Descending => "desc",
        };
        req.query.push(("sort[]".into(), format!("{name}:{dir}")));
    }
    if let Some(size) = page.size {
        req.query.push(("limit".into(), size.to_string()));
    }
    req.query.push(("offset".into(), page.offset.to_string()));
    Ok(req)
}

/// The `sort[]` values a server query asks for, to compare with what the server echoes.
fn requested_sort(query: &ServerQuery) -> Vec<String> {
    query
        .sort
        .iter()
        .filter_map(|k| {
            let dir = match k.direction {
                Direction::Ascending => "asc",
                Direction::Descending => "desc",
            };
            sort_key(k.field).map(|name| format!("{name}:{dir}"))
        })
        .collect()
}

/// Refuses a page sorted otherwise than asked. Nameshield echoes the sort it applied, which
/// may differ from the one requested; such a page is in another order, and merging it with the
/// other pages would show rows out of order, or skip and repeat rows across page boundaries.
/// The echo is compared without regard to case, which carries no meaning in sort keys.
pub fn check_echo(query: &ServerQuery, paging: &Paging) -> Result<(), ProviderError> {
    let Some(applied) = &paging.applied_sort else {
        return Ok(());
    };
    let asked = requested_sort(query);
    let same = applied.len() == asked.len()
        && applied
            .iter()
            .zip(&asked)
            .all(|(a, b)| a.eq_ignore_ascii_case(b));
    if same {
        return Ok(());
    }
    Err(ProviderError::malformed(
        KIND,
        format!(
            "it applied the sort \u{201c}{}\u{201d} instead of \u{201c}{}\u{201d}, so its pages are not in the order asked",
            applied.join(","),
            asked.join(",")
        ),
    ))
}

fn error_details(body: &Value) -> ErrorDetails {
    let entries: Vec<&Value> = match body.get("errors") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(obj @ Value::Object(_)) => vec![obj],
        _ => Vec::new(),
    };
    let mut messages = Vec::new();
    let mut fields = Vec::new();
    for entry in entries {
        let message = text(entry, "message");
        let code = text(entry, "code");
        match (&code, &message) {
            (Some(c), Some(m)) => messages.push(format!("{m} ({c})")),
            (None, Some(m)) => messages.push(m.clone()),
            (Some(c), None) => messages.push(c.clone()),
            (None, None) => {}
        }
        match entry.get("details") {
            Some(Value::Object(map)) => {
                for (field, detail) in map {
                    if let Some(message) = scalar_text(detail) {
                        fields.push(FieldMessage {
                            field: field.clone(),
                            message,
                        });
                    }
                }
            }
            Some(detail) => {
                if let Some(d) = scalar_text(detail) {
                    messages.push(d);
                }
            }
            None => {}
        }
    }
    if messages.is_empty()
        && let Some(m) = text(body, "message")
    {
        messages.push(m);
    }
    ErrorDetails {
        message: messages.join("; "),
        fields,
    }
}

/// Reads a response: the `data` envelope with its echoes, or the `errors` body.
pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Page<User>, ProviderError> {
    let body = parse_body(&response.body);
    if !is_success(response) {
        let mut details = body.as_ref().map(error_details).unwrap_or_default();
        if details.message.is_empty() {
            details.message = snippet(&response.body);
        }
        return Err(status_error(
            KIND,
            response,
            details,
            retry_after_seconds(response, now),
        ));
    }
    let mut body = body.map_err(|e| ProviderError::malformed(KIND, e))?;
    if body.get("errors").is_some_and(|e| !e.is_null()) {
        let details = error_details(&body);
        return Err(ProviderError::new(
            KIND,
            crate::error::ErrorKind::BadRequest {
                fields: details.fields,
            },
            details.message,
        ));
    }
    let Some(data) = body.get_mut("data").filter(|d| d.is_object()) else {
        return Err(ProviderError::malformed(KIND, "`data` is missing"));
    };
    let records = match data.get_mut("results").map(Value::take) {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(_) => {
            return Err(ProviderError::malformed(
                KIND,
                "`data.results` is not a list",
            ));
        }
    };
    let data = &*data;
    let items = users(records, &user)?;
    let total = count(data, "total");
    let applied_sort = match data.get("sort") {
        Some(Value::Array(keys)) => Some(keys.iter().filter_map(scalar_text).collect()),
        Some(Value::String(one)) => Some(vec![one.clone()]),
        _ => None,
    };
    Ok(Page {
        total: total.map_or(Total::AtLeast(items.len() as u64), Total::Exact),
        items,
        paging: Paging {
            total,
            num_pages: None,
            page_number: None,
            limit: count(data, "limit"),
            offset: count(data, "offset"),
            applied_sort,
        },
    })
}

fn person(record: &Value, key: &str) -> (Option<String>, Option<String>) {
    match record.get(key) {
        Some(obj @ Value::Object(_)) => {
            let first = text(obj, "firstname");
            let last = text(obj, "lastname");
            let name = display_name(&[first.as_deref(), last.as_deref()], None, "");
            (text(obj, "id"), Some(name).filter(|n| !n.is_empty()))
        }
        Some(other) => (scalar_text(other), None),
        None => (None, None),
    }
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
    let first_name = text(record, "firstname");
    let last_name = text(record, "lastname");
    let email = text(record, "email");
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
    push("Language", text(record, "language"), Some(Field::Language));
    push(
        "Customer id",
        text(record, "customer_id"),
        Some(Field::CustomerId),
    );
    let (created_by_id, created_by) = person(record, "created_by");
    push("Created by", created_by, None);
    push("Created by id", created_by_id, Some(Field::CreatedBy));
    let (updated_by_id, updated_by) = person(record, "updated_by");
    push("Updated by", updated_by, None);
    push("Updated by id", updated_by_id, Some(Field::UpdatedBy));
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
        phones: text(record, "phone")
            .into_iter()
            .map(|number| Phone {
                label: "phone".into(),
                number,
            })
            .collect(),
        status: None,
        subscription: None,
        created: instant(record, "created_at"),
        updated: instant(record, "updated_at"),
        last_login: instant(record, "last_login_at"),
        expires: instant(record, "expires_at"),
        attributes,
        raw: owned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::SortKey;

    fn by_last_name_desc() -> ServerQuery {
        ServerQuery {
            sort: vec![SortKey {
                field: Field::LastName,
                direction: Direction::Descending,
            }],
            ..ServerQuery::default()
        }
    }

    fn echoing(sort: &[&str]) -> Paging {
        Paging {
            applied_sort: Some(sort.iter().map(|s| s.to_string()).collect()),
            ..Paging::default()
        }
    }

    #[test]
    fn the_sort_asked_passes_in_any_case_and_no_echo_passes() {
        let query = by_last_name_desc();
        assert_eq!(check_echo(&query, &echoing(&["lastname:desc"])), Ok(()));
        assert_eq!(check_echo(&query, &echoing(&["LastName:DESC"])), Ok(()));
        assert_eq!(check_echo(&query, &Paging::default()), Ok(()));
    }

    #[test]
    fn another_sort_is_refused_naming_both() {
        let query = by_last_name_desc();
        for applied in [&["lastname:asc"][..], &[], &["lastname:desc", "id:asc"]] {
            let error = check_echo(&query, &echoing(applied)).expect_err("a different sort");
            assert_eq!(error.provider, KIND);
            assert!(
                error
                    .message
                    .contains("instead of \u{201c}lastname:desc\u{201d}"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn only_nameshield_pages_are_checked_for_their_sort() {
        let query = by_last_name_desc();
        let other = echoing(&["id:asc"]);
        assert!(super::super::check_echo(KIND, &query, &other).is_err());
        assert_eq!(
            super::super::check_echo(ProviderKind::Rebilly, &query, &other),
            Ok(())
        );
    }
}
