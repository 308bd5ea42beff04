//! PressOne: `GET /api/third-party/partner/user/`. Quirks: `success: false` is an error even
//! with a 2xx status; users have no id, so rows are keyed by e-mail, else mobile, else absolute
//! position; one filter at a time (e-mail *or* mobile); `page_index` starts at 1.

use super::json::{count, flag, instant, number, parse_body, snippet, text, users};
use super::status::{ErrorDetails, is_success, retry_after_seconds, status_error};
use super::{Carry, plain_equals, unsupported};
use crate::error::{ErrorKind, ProviderError};
use crate::field::Field;
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Page, Paging, Phone, Subscription, Total, User, display_name};
use crate::query::{Filter, ServerPage, ServerQuery};
use crate::time::Timestamp;
use serde_json::Value;

const KIND: ProviderKind = ProviderKind::PressOne;
/// The list endpoint, below the configured base URL.
pub const PATH: &str = "/api/third-party/partner/user/";

/// Which filters PressOne carries: exact e-mail or mobile.
pub fn carry(filter: &Filter) -> Carry {
    match (filter.field, plain_equals(filter)) {
        (Field::Email | Field::Phone, Some(_)) => Carry::Exact,
        _ => Carry::No,
    }
}

/// Builds the request: at most one of `email`/`mobile`, then `page_index`, `page_size`.
pub fn request(query: &ServerQuery, page: ServerPage) -> Result<HttpRequest, ProviderError> {
    if query.search.is_some() || !query.sort.is_empty() {
        return Err(unsupported(
            KIND,
            "PressOne has no free-text search and no sort",
        ));
    }
    if query.filters.len() > 1 {
        return Err(unsupported(
            KIND,
            "PressOne filters by e-mail or by mobile, not both",
        ));
    }
    let mut req = HttpRequest::get(PATH);
    for filter in &query.filters {
        let key = match filter.field {
            Field::Email => "email",
            Field::Phone => "mobile",
            _ => {
                return Err(unsupported(
                    KIND,
                    "PressOne filters only by e-mail or mobile",
                ));
            }
        };
        let value = plain_equals(filter)
            .ok_or_else(|| unsupported(KIND, "PressOne matches e-mail and mobile exactly"))?;
        req.query.push((key.into(), value.to_string()));
    }
    req.query
        .push(("page_index".into(), page.number.max(1).to_string()));
    if let Some(size) = page.size {
        req.query.push(("page_size".into(), size.to_string()));
    }
    Ok(req)
}

/// Reads a response: the envelope, `success`, and each user.
pub fn parse(response: &HttpResponse, now: Timestamp) -> Result<Page<User>, ProviderError> {
    let body = parse_body(&response.body);
    if !is_success(response) {
        let message = match &body {
            Ok(v) => text(v, "message").unwrap_or_else(|| snippet(&response.body)),
            Err(_) => snippet(&response.body),
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
    let mut body = body.map_err(|e| ProviderError::malformed(KIND, e))?;
    if !body.is_object() {
        return Err(ProviderError::malformed(
            KIND,
            "the body is not a JSON object",
        ));
    }
    if flag(&body, "success") == Some(false) {
        let message = text(&body, "message").unwrap_or_else(|| "success was false".into());
        return Err(ProviderError::new(
            KIND,
            ErrorKind::BadRequest { fields: Vec::new() },
            message,
        ));
    }
    let records = match body.get_mut("data").map(Value::take) {
        Some(Value::Array(items)) => items,
        Some(Value::Null) => Vec::new(),
        _ => {
            return Err(ProviderError::malformed(
                KIND,
                "`data` is not a list of users",
            ));
        }
    };
    let page_index = count(&body, "page_index");
    let page_size = count(&body, "page_size");
    let first_row = match (page_index, page_size) {
        (Some(i), Some(s)) => i.saturating_sub(1).saturating_mul(s),
        _ => 0,
    };
    let items = users(records, &|record, i| {
        user(record, first_row.saturating_add(i as u64))
    })?;
    let total = count(&body, "total");
    Ok(Page {
        total: total.map_or(Total::AtLeast(items.len() as u64), Total::Exact),
        items,
        paging: Paging {
            total,
            num_pages: count(&body, "nb_pages"),
            page_number: page_index,
            limit: page_size,
            offset: None,
            applied_sort: None,
        },
    })
}

fn user(owned: Value, position: u64) -> Result<User, ProviderError> {
    let record = &owned;
    if !record.is_object() {
        return Err(ProviderError::malformed(
            KIND,
            "a user is not a JSON object",
        ));
    }
    let first_name = text(record, "first_name");
    let last_name = text(record, "last_name");
    let email = text(record, "email");
    let mobile = text(record, "mobile");
    let key = match (&email, &mobile) {
        (Some(e), _) => format!("email:{e}"),
        (None, Some(m)) => format!("mobile:{m}"),
        (None, None) => format!("row:{position}"),
    };
    let subscription = record
        .get("subscription")
        .filter(|s| s.is_object())
        .map(|s| Subscription {
            plan: text(s, "plan"),
            term: text(s, "term"),
            cost: number(s, "standard_cost"),
            active: flag(s, "is_active"),
            free_trial: flag(s, "is_free_trial"),
            billing_day: text(s, "billing_day"),
            created: instant(s, "date_created"),
        });
    Ok(User {
        display_name: display_name(
            &[first_name.as_deref(), last_name.as_deref()],
            email.as_deref(),
            &key,
        ),
        key,
        id: None,
        first_name,
        middle_name: None,
        last_name,
        email,
        phones: mobile
            .into_iter()
            .map(|number| Phone {
                label: "mobile".into(),
                number,
            })
            .collect(),
        status: None,
        subscription,
        created: instant(record, "date_created"),
        updated: None,
        last_login: None,
        expires: None,
        attributes: Vec::new(),
        raw: owned,
    })
}
