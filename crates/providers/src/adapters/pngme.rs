//! Pngme: `GET /users`. Quirks: the server fixes the page size (read it from page 1); no sort;
//! `search` is partial; the total is known only from the last page; older deployments answer
//! `{_meta: {total_users_count, page, max_pages}, users}` instead of `{page, num_pages, users}`.

use super::json::{count, instant, parse_body, snippet, text, users};
use super::status::{ErrorDetails, is_success, retry_after_seconds, status_error};
use super::{Carry, plain_equals, unsupported};
use crate::error::ProviderError;
use crate::field::Field;
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Attribute, Page, Paging, Phone, Total, User, display_name};
use crate::query::{Filter, FilterOp, ServerPage, ServerQuery, Value as QValue};
use crate::time::Timestamp;
use serde_json::Value;

const KIND: ProviderKind = ProviderKind::Pngme;
/// The list endpoint, below the configured base URL.
pub const PATH: &str = "/users";

/// Which filters Pngme carries: exact phone, device id and external id; a creation range only
/// loosely, because whether `created_after`/`created_before` include their bound is not
/// published (the request widens each bound by a second and the planner re-checks in memory).
pub fn carry(filter: &Filter) -> Carry {
    match (filter.field, &filter.op) {
        (Field::Phone | Field::DeviceId | Field::ExternalId, _)
            if plain_equals(filter).is_some() =>
        {
            Carry::Exact
        }
        (Field::Created, FilterOp::Range { from, to }) => {
            let ok = |b: &Option<QValue>| matches!(b, None | Some(QValue::Instant(_)));
            if ok(from) && ok(to) && (from.is_some() || to.is_some()) {
                Carry::Narrowing
            } else {
                Carry::No
            }
        }
        _ => Carry::No,
    }
}

fn wire_time(t: Timestamp) -> String {
    crate::time::date::utc_rfc3339_seconds(t)
}

/// Builds the request: `search`, the filters, then `page`.
pub fn request(query: &ServerQuery, page: ServerPage) -> Result<HttpRequest, ProviderError> {
    if !query.sort.is_empty() {
        return Err(unsupported(KIND, "Pngme does not sort"));
    }
    let mut req = HttpRequest::get(PATH);
    if let Some(search) = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        req.query.push(("search".into(), search.to_string()));
    }
    for filter in &query.filters {
        match (filter.field, &filter.op) {
            (Field::Created, FilterOp::Range { from, to }) => {
                if let Some(QValue::Instant(t)) = from {
                    let widened = t.checked_add_seconds(-1).unwrap_or(*t);
                    req.query
                        .push(("created_after".into(), wire_time(floor(widened))));
                }
                if let Some(QValue::Instant(t)) = to {
                    let widened = t.checked_add_seconds(1).unwrap_or(*t);
                    req.query
                        .push(("created_before".into(), wire_time(widened)));
                }
            }
            (field, _) => {
                let key = match field {
                    Field::Phone => "phone_number",
                    Field::DeviceId => "device_id",
                    Field::ExternalId => "external_id",
                    _ => return Err(unsupported(KIND, "Pngme cannot filter on this field")),
                };
                let value = plain_equals(filter)
                    .ok_or_else(|| unsupported(KIND, "Pngme matches these fields exactly"))?;
                req.query.push((key.into(), value.to_string()));
            }
        }
    }
    req.query
        .push(("page".into(), page.number.max(1).to_string()));
    Ok(req)
}

fn floor(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// Reads a response in either shape.
pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Page<User>, ProviderError> {
    if !is_success(response) {
        let message = parse_body(&response.body)
            .ok()
            .and_then(|v| text(&v, "detail").or_else(|| text(&v, "message")))
            .unwrap_or_else(|| snippet(&response.body));
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
    let mut body = parse_body(&response.body).map_err(|e| ProviderError::malformed(KIND, e))?;
    let Some(Value::Array(records)) = body.get_mut("users").map(Value::take) else {
        return Err(ProviderError::malformed(KIND, "`users` is not a list"));
    };
    let meta = body.get("_meta").filter(|m| m.is_object());
    let (page_number, num_pages, reported_total) = match meta {
        Some(m) => (
            count(m, "page"),
            count(m, "max_pages"),
            count(m, "total_users_count"),
        ),
        None => (count(&body, "page"), count(&body, "num_pages"), None),
    };
    let items = users(records, &user)?;
    let len = items.len() as u64;
    let total = match (reported_total, page_number, num_pages) {
        (Some(t), _, _) => Total::Exact(t),
        (None, Some(p), Some(n)) if p >= n && p == 1 => Total::Exact(len),
        (None, Some(1), Some(n)) if n > 1 && len > 0 => Total::Between {
            at_least: (n - 1).saturating_mul(len).saturating_add(1),
            at_most: n.saturating_mul(len),
        },
        _ => Total::AtLeast(len),
    };
    Ok(Page {
        items,
        total,
        paging: Paging {
            total: reported_total,
            num_pages,
            page_number,
            limit: None,
            offset: None,
            applied_sort: None,
        },
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
    let id = text(record, "uuid");
    let key = id.clone().unwrap_or_else(|| format!("row:{position}"));
    let first_name = text(record, "first_name");
    let last_name = text(record, "last_name");
    let email = text(record, "email");
    let mut attributes = Vec::new();
    for (name, key, field) in [
        ("Device id", "device_id", Field::DeviceId),
        ("External id", "external_id", Field::ExternalId),
    ] {
        if let Some(value) = text(record, key) {
            attributes.push(Attribute {
                name: name.into(),
                value,
                field: Some(field),
            });
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
        phones: text(record, "phone_number")
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
        last_login: None,
        expires: None,
        attributes,
        raw: owned,
    })
}
