//! ActivePlatform vendor API v1: `GET /api/vendor/v1/users.json`. Quirks: a bare array with no
//! total and no page metadata (the end shows only as a short or empty page); one sort field via
//! `sorting[field]` and `sorting[reversed]`; bracketed keys (percent-encoded on the wire by
//! [`HttpRequest::path_and_query`]); the credential is the `api_token` query parameter.

use super::json::{instant, parse_body, scalar_text, snippet, text, users};
use super::status::{ErrorDetails, is_success, retry_after_seconds, status_error};
use super::{Carry, plain_equals, unsupported};
use crate::error::ProviderError;
use crate::field::Field;
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Attribute, Page, Paging, Status, Total, User, display_name};
use crate::query::{Direction, Filter, ServerPage, ServerQuery};
use crate::time::Timestamp;
use serde_json::Value;

const KIND: ProviderKind = ProviderKind::ActivePlatform;
/// The list endpoint, below the configured base URL.
pub const PATH: &str = "/api/vendor/v1/users.json";

/// ActivePlatform's name for a sortable field.
pub fn sort_key(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::FirstName => "first_name",
        Field::LastName => "last_name",
        Field::Email => "email",
        Field::Status => "status",
        Field::Created => "created_at",
        Field::Updated => "updated_at",
        Field::Id => "id",
        _ => return None,
    })
}

fn wire_filter(filter: &Filter) -> Option<(&'static str, String)> {
    let value = plain_equals(filter)?;
    match filter.field {
        Field::Email => Some(("filters[email]", value.to_string())),
        Field::Status => match Status::from_wire(value) {
            Status::Active => Some(("filters[status]", "active".into())),
            Status::Inactive => Some(("filters[status]", "inactive".into())),
            _ => None,
        },
        _ => None,
    }
}

/// Which filters ActivePlatform carries: exact e-mail, and status when it is one of its two
/// words.
pub fn carry(filter: &Filter) -> Carry {
    wire_filter(filter).map_or(Carry::No, |_| Carry::Exact)
}

/// Builds the request: `page`, `per_page`, `sorting[…]`, `filters[…]`.
pub fn request(query: &ServerQuery, page: ServerPage) -> Result<HttpRequest, ProviderError> {
    if query.search.is_some() {
        return Err(unsupported(KIND, "ActivePlatform has no free-text search"));
    }
    if query.sort.len() > 1 {
        return Err(unsupported(KIND, "ActivePlatform sorts by one field only"));
    }
    let mut req = HttpRequest::get(PATH);
    req.query
        .push(("page".into(), page.number.max(1).to_string()));
    if let Some(size) = page.size {
        req.query.push(("per_page".into(), size.to_string()));
    }
    if let Some(key) = query.sort.first() {
        let name = sort_key(key.field)
            .ok_or_else(|| unsupported(KIND, "ActivePlatform cannot sort by this field"))?;
        req.query.push(("sorting[field]".into(), name.into()));
        let reversed = key.direction == Direction::Descending;
        req.query
            .push(("sorting[reversed]".into(), reversed.to_string()));
    }
    for filter in &query.filters {
        let (key, value) = wire_filter(filter)
            .ok_or_else(|| unsupported(KIND, "ActivePlatform filters by exact e-mail or status"))?;
        req.query.push((key.into(), value));
    }
    Ok(req)
}

/// Reads a response: a bare array of users.
pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Page<User>, ProviderError> {
    if !is_success(response) {
        let body = snippet(&response.body);
        let client_error = (400..500).contains(&response.status);
        let message = match (client_error, body.is_empty()) {
            (true, true) => format!("HTTP status {}", response.status),
            (true, false) => format!("HTTP status {}: {body}", response.status),
            (false, _) => body,
        };
        return Err(status_error(
            KIND,
            response,
            ErrorDetails {
                message,
                fields: Vec::new(),
            },
            retry_after_seconds(response, now),
        ));
    }
    let body = parse_body(&response.body).map_err(|e| ProviderError::malformed(KIND, e))?;
    let Value::Array(records) = body else {
        return Err(ProviderError::malformed(
            KIND,
            "the body is not a list of users",
        ));
    };
    let items = users(records, &user)?;
    Ok(Page {
        total: Total::AtLeast(items.len() as u64),
        items,
        paging: Paging::default(),
    })
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
    let first_name = text(record, "first_name");
    let middle_name = text(record, "middle_name");
    let last_name = text(record, "last_name");
    let email = text(record, "email");
    let attributes = match record.get("custom_attributes") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|a| {
                Some(Attribute {
                    name: text(a, "name")?,
                    value: a.get("value").and_then(scalar_text).unwrap_or_default(),
                    field: None,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(User {
        display_name: display_name(
            &[
                first_name.as_deref(),
                middle_name.as_deref(),
                last_name.as_deref(),
            ],
            email.as_deref(),
            &key,
        ),
        key,
        id,
        first_name,
        middle_name,
        last_name,
        email,
        phones: Vec::new(),
        status: text(record, "status").map(|s| Status::from_wire(&s)),
        subscription: None,
        created: instant(record, "created_at"),
        updated: instant(record, "updated_at"),
        last_login: None,
        expires: None,
        attributes,
        raw: owned,
    })
}
