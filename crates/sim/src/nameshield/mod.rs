//! Nameshield `GET /user/v1/users`: `{message, data: {total, include_subsidiaries, limit,
//! offset, sort, results}}` echoing what was applied (limit capped at 500), repeatable
//! `sort[]=field:asc|desc`, filters that are exact unless they hold a `*` wildcard (combined
//! with AND), and 600 requests per 5 minutes per token, then 429 with `Retry-After` seconds.
//!
//! Assumptions where the documentation is silent: matching ignores case (as a default SQL
//! collation does), there is no escape for a literal `*` (none is documented), and
//! `created_by` / `updated_by` match the id of that user.

use serde::Serialize;
use serde_json::json;
use userdeck_providers::{HttpRequest, HttpResponse, Timestamp};

use crate::common::{self, SortValue, fold, parse_u64};
use crate::credentials::{NAMESHIELD_DEMO_TOKEN, NAMESHIELD_SECOND_TOKEN, bearer};
use crate::population::{ADMINS, NAMESHIELD_CUSTOMER, Person, Population};
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::stamp::{Stamp, Style, paris_offset};

/// The list endpoint.
pub const PATH: &str = "/user/v1/users";
/// Rows per page when `limit` is absent.
pub const DEFAULT_LIMIT: u64 = 100;
/// Largest `limit` applied; larger values are capped and the cap is echoed.
pub const MAX_LIMIT: u64 = 500;
/// The documented limit: 600 requests per 5 minutes per token.
pub const RATE_LIMIT: RateLimit = RateLimit {
    requests: 600,
    window_seconds: 300,
};

/// Who created or updated a user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    /// The actor's user id.
    pub id: String,
    /// Given name.
    pub firstname: String,
    /// Family name.
    pub lastname: String,
}

/// One user as Nameshield lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameshieldUser {
    /// User UUID.
    pub id: String,
    /// Given name.
    pub firstname: Option<String>,
    /// Family name.
    pub lastname: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Preferred language.
    pub language: Option<String>,
    /// Phone, `+` and international digits.
    pub phone: Option<String>,
    /// Owning customer.
    pub customer_id: u32,
    /// When access expires.
    pub expires_at: Option<Stamp>,
    /// Last sign-in.
    pub last_login_at: Option<Stamp>,
    /// Creation time.
    pub created_at: Stamp,
    /// Creator.
    pub created_by: Actor,
    /// Last update.
    pub updated_at: Stamp,
    /// Last updater.
    pub updated_by: Actor,
}

fn actor(index: usize) -> Actor {
    let (id, first, last) = ADMINS[index % ADMINS.len()];
    Actor {
        id: id.to_string(),
        firstname: first.to_string(),
        lastname: last.to_string(),
    }
}

fn paris(at: Timestamp) -> Stamp {
    Stamp::new(at, Style::offset(paris_offset(at), 0))
}

impl NameshieldUser {
    /// Renders a person with Paris offsets, as the French provider prints times.
    pub fn render(person: &Person) -> Self {
        let nulled = person.first_name.is_none();
        Self {
            id: person.ids.nameshield_id.clone(),
            firstname: person.first_name.clone(),
            lastname: person.last_name.clone(),
            email: person.email.clone(),
            language: (!nulled).then(|| person.market.language().to_string()),
            phone: person.phone.as_ref().map(|p| format!("+{p}")),
            customer_id: person.customer_id,
            expires_at: person.expires.map(paris),
            last_login_at: person.last_login.map(paris),
            created_at: paris(person.created),
            created_by: actor(person.created_by),
            updated_at: paris(person.updated),
            updated_by: actor(person.updated_by),
        }
    }

    fn text(&self, field: &str) -> Option<&str> {
        match field {
            "id" => Some(&self.id),
            "firstname" => self.firstname.as_deref(),
            "lastname" => self.lastname.as_deref(),
            "email" => self.email.as_deref(),
            "created_by" => Some(&self.created_by.id),
            "updated_by" => Some(&self.updated_by.id),
            "language" => self.language.as_deref(),
            "phone" => self.phone.as_deref(),
            _ => None,
        }
    }

    fn sort_value(&self, field: &str) -> SortValue {
        match field {
            "customer_id" => SortValue::Int(Some(i64::from(self.customer_id))),
            "expires_at" => SortValue::Time(self.expires_at.as_ref().map(|s| s.at)),
            "last_login_at" => SortValue::Time(self.last_login_at.as_ref().map(|s| s.at)),
            "created_at" => SortValue::Time(Some(self.created_at.at)),
            "updated_at" => SortValue::Time(Some(self.updated_at.at)),
            other => SortValue::Text(self.text(other).map(str::to_string)),
        }
    }
}

/// Filters the API accepts.
pub const FILTERS: [&str; 6] = [
    "id",
    "firstname",
    "lastname",
    "email",
    "created_by",
    "updated_by",
];
/// Fields `sort[]` accepts ("all fields are sortable").
pub const SORTABLE: [&str; 13] = [
    "id",
    "firstname",
    "lastname",
    "email",
    "language",
    "phone",
    "customer_id",
    "expires_at",
    "last_login_at",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// Answers Nameshield requests from the population as its documentation says (wildcard filters,
/// echoed paging, rate limit), so the console and the proxy are tested without calling it.
#[derive(Debug)]
pub struct NameshieldSim {
    /// Every user, in storage order.
    pub records: Vec<NameshieldUser>,
    /// The per-token limit, `None` to disable it.
    pub rate_limit: Option<RateLimit>,
    limiter: RateLimiter,
}

impl NameshieldSim {
    /// Renders every person as Nameshield would list them, once, so requests only select and
    /// page; `rate_limit` turns on its 429s.
    pub fn new(population: &Population, rate_limit: Option<RateLimit>) -> Self {
        Self {
            records: population
                .people
                .iter()
                .map(NameshieldUser::render)
                .collect(),
            rate_limit,
            limiter: RateLimiter::default(),
        }
    }

    /// Forgets rate-limit windows.
    pub fn reset_limits(&self) {
        self.limiter.reset();
    }

    /// Answers one request as Nameshield would.
    pub fn handle(&self, req: &HttpRequest, now: Timestamp) -> HttpResponse {
        if req.path != PATH {
            return error(404, "not_found", "Resource not found.", None);
        }
        let token = match bearer(req.header("Authorization")) {
            Some(t @ (NAMESHIELD_DEMO_TOKEN | NAMESHIELD_SECOND_TOKEN)) => t,
            _ => {
                return error(401, "unauthorized", "Invalid or missing API token.", None);
            }
        };
        if let Some(limit) = self.rate_limit
            && let Err(retry) = self.limiter.check(limit, token, now)
        {
            let wait = (retry.as_second() - now.as_second()).max(1);
            let mut resp = error(
                429,
                "too_many_requests",
                "Rate limit exceeded: 600 requests per 5 minutes per token.",
                None,
            );
            resp.headers.push(("Retry-After".into(), wait.to_string()));
            return resp;
        }
        match self.list(req) {
            Ok(resp) => resp,
            Err(resp) => resp,
        }
    }

    fn list(&self, req: &HttpRequest) -> Result<HttpResponse, HttpResponse> {
        let int = |name: &str, default: u64| match req.query_value(name) {
            None => Ok(default),
            Some(text) => parse_u64(text)
                .ok_or_else(|| invalid(name, &format!("{name} must be a non-negative integer."))),
        };
        let limit = int("limit", DEFAULT_LIMIT)?.min(MAX_LIMIT);
        let offset = int("offset", 0)?;
        let customer = int("customer_id", u64::from(NAMESHIELD_CUSTOMER))?;
        let subsidiaries = match req.query_value("include_subsidiaries") {
            None | Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(_) => {
                return Err(invalid(
                    "include_subsidiaries",
                    "include_subsidiaries must be true or false.",
                ));
            }
        };
        let own = u64::from(NAMESHIELD_CUSTOMER);
        if !(own..=own + 2).contains(&customer) {
            return Err(error(
                403,
                "forbidden",
                "You are not allowed to list users of this customer.",
                None,
            ));
        }
        let visible = |c: u32| {
            let c = u64::from(c);
            c == customer || (subsidiaries && customer == own && c > own && c <= own + 2)
        };
        let mut filters: Vec<(&str, Vec<Segment>)> = Vec::new();
        for (key, value) in &req.query {
            if let Some(field) = FILTERS.iter().find(|f| **f == key.as_str()) {
                filters.push((field, pattern(value)));
            }
        }
        let mut sort: Vec<(String, bool)> = Vec::new();
        for (_, value) in req.query.iter().filter(|(k, _)| k == "sort[]") {
            let (field, direction) = value.split_once(':').unwrap_or((value, "asc"));
            if !SORTABLE.contains(&field) {
                return Err(invalid(
                    "sort",
                    &format!("Cannot sort by unknown field '{field}'."),
                ));
            }
            let descending = match direction {
                "asc" => false,
                "desc" => true,
                _ => {
                    return Err(invalid(
                        "sort",
                        &format!("Sort direction must be asc or desc in '{value}'."),
                    ));
                }
            };
            sort.push((field.to_string(), descending));
        }
        let mut indices: Vec<usize> = (0..self.records.len())
            .filter(|&i| {
                let user = &self.records[i];
                visible(user.customer_id)
                    && filters.iter().all(|(field, segments)| {
                        user.text(field)
                            .is_some_and(|v| wildcard_match(segments, v))
                    })
            })
            .collect();
        let keys: Vec<_> = sort
            .iter()
            .map(|(field, descending)| {
                let field = field.clone();
                (
                    move |i: usize| self.records[i].sort_value(&field),
                    *descending,
                )
            })
            .collect();
        common::sort_indices(&mut indices, &keys);
        let total = indices.len();
        let results: Vec<&NameshieldUser> = indices[common::window(total, offset, limit)]
            .iter()
            .map(|&i| &self.records[i])
            .collect();
        let echoed: Vec<String> = sort
            .iter()
            .map(|(f, d)| format!("{f}:{}", if *d { "desc" } else { "asc" }))
            .collect();
        Ok(common::json(
            200,
            &Envelope {
                message: "OK",
                data: Data {
                    total,
                    include_subsidiaries: subsidiaries,
                    limit,
                    offset,
                    sort: echoed,
                    results,
                },
            },
        ))
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    message: &'a str,
    data: Data<'a>,
}

#[derive(Serialize)]
struct Data<'a> {
    total: usize,
    include_subsidiaries: bool,
    limit: u64,
    offset: u64,
    sort: Vec<String>,
    results: Vec<&'a NameshieldUser>,
}

/// A piece of a filter pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, already case-folded.
    Text(String),
    /// `*`: any run of characters.
    Any,
}

/// Splits a filter value into literal text and wildcards. Every `*` is a wildcard: the
/// documentation defines no escape.
pub fn pattern(value: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut text = String::new();
    for c in value.chars() {
        match c {
            '*' => {
                if !text.is_empty() {
                    segments.push(Segment::Text(fold(&std::mem::take(&mut text))));
                }
                if segments.last() != Some(&Segment::Any) {
                    segments.push(Segment::Any);
                }
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() || segments.is_empty() {
        segments.push(Segment::Text(fold(&text)));
    }
    segments
}

/// Whether `value` matches the whole pattern, ignoring case.
pub fn wildcard_match(segments: &[Segment], value: &str) -> bool {
    let value = fold(value);
    let mut rest = value.as_str();
    let mut floating = false;
    let count = segments.len();
    for (n, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Any => floating = true,
            Segment::Text(text) => {
                let last = n + 1 == count;
                if !floating {
                    match rest.strip_prefix(text.as_str()) {
                        Some(r) => rest = r,
                        None => return false,
                    }
                } else if last {
                    return rest.ends_with(text.as_str());
                } else {
                    match rest.find(text.as_str()) {
                        Some(at) => rest = &rest[at + text.len()..],
                        None => return false,
                    }
                }
                floating = false;
            }
        }
    }
    floating || rest.is_empty()
}

fn invalid(parameter: &str, message: &str) -> HttpResponse {
    error(
        400,
        "invalid_parameter",
        message,
        Some(json!({ parameter: message })),
    )
}

fn error(
    status: u16,
    code: &str,
    message: &str,
    details: Option<serde_json::Value>,
) -> HttpResponse {
    let mut item = json!({ "code": code, "message": message });
    if let (Some(details), Some(map)) = (details, item.as_object_mut()) {
        map.insert("details".into(), details);
    }
    common::json(status, &json!({ "errors": [item] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_sql_like_ignoring_case() {
        let cases = [
            ("ali", "Ali", true),
            ("ali", "Aliyu", false),
            ("ali*", "Aliyu", true),
            ("*ali*", "Bali Okafor", true),
            ("*yu", "Aliyu", true),
            ("*yu", "Aliyus", false),
            ("a*u", "Aliyu", true),
            ("a*u", "Aliyuz", false),
            ("*", "", true),
            ("", "", true),
            ("", "x", false),
            ("a*b", "a*b", true),
            ("a*b", "axxb", true),
            ("a\\b", "a\\b", true),
            ("*an*an*", "banana", true),
            ("*ana", "banana", true),
        ];
        for (pat, value, expected) in cases {
            assert_eq!(
                wildcard_match(&pattern(pat), value),
                expected,
                "{pat} ~ {value}"
            );
        }
    }
}
