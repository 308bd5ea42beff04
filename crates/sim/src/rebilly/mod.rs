//! Rebilly `GET /users` (below `/organizations/{id}` in real deployments): a bare JSON array with
//! the `Pagination-Total/Limit/Offset` headers, `limit` 0..1000 and `offset` 0..1000 (422 past
//! either), `sort=-a,b`, the typed `filter` grammar, partial `q`, `REB-APIKEY` or a bearer JWT,
//! RFC 9457 problem bodies, and a configurable rate limit whose 429 carries
//! `X-RateLimit-Retry-After` as an absolute epoch in seconds.

pub mod filter;

use serde::Serialize;
use serde_json::{Map, Value, json};
use userdeck_providers::{HttpRequest, HttpResponse, Timestamp};

use crate::common::{self, SortValue, contains_ci, parse_u64};
use crate::credentials::{REBILLY_DEMO_API_KEY, REBILLY_DEMO_JWT, bearer};
use crate::population::{Person, Population, Status};
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::stamp::{Stamp, Style};
use filter::FieldValue;

/// The list endpoint.
pub const PATH: &str = "/users";

/// `/users`, or `/users` below `/organizations/{id}` as the real API has it, so a deployment
/// configured with an `organization_id` (as the proxy requires outside the demo) can point at
/// the simulator.
fn is_list_path(path: &str) -> bool {
    path == PATH
        || path
            .strip_prefix("/organizations/")
            .and_then(|rest| rest.strip_suffix(PATH))
            .is_some_and(|org| !org.is_empty() && !org.contains('/'))
}
/// Rows per page when `limit` is absent.
pub const DEFAULT_LIMIT: u64 = 100;
/// Largest `limit` and largest `offset` accepted.
pub const MAX_LIMIT: u64 = 1000;
/// Largest `offset` accepted.
pub const MAX_OFFSET: u64 = 1000;
/// Default limit per credential (Rebilly does not publish one; configurable).
pub const RATE_LIMIT: RateLimit = RateLimit {
    requests: 1000,
    window_seconds: 60,
};
/// Fields `q` searches, partially and ignoring case.
pub const Q_FIELDS: [&str; 3] = ["firstName", "lastName", "email"];
/// The schema's length limit on names: Rebilly validates on write, so no stored name is longer.
pub const NAME_MAX_CHARS: usize = 45;
const PROBLEM: &str = "application/problem+json";

/// A self link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Link URL.
    pub href: String,
    /// Always `self`.
    pub rel: &'static str,
}

/// One user as Rebilly lists it (fields per the official OpenAPI schema).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebillyUser {
    /// `usr_…` id.
    pub id: String,
    /// E-mail (required by the schema).
    pub email: String,
    /// Given name, 1 to 45 characters.
    pub first_name: String,
    /// Family name, 1 to 45 characters.
    pub last_name: String,
    /// Business phone.
    pub business_phone: Option<String>,
    /// Mobile phone.
    pub mobile_phone: Option<String>,
    /// Permissions granted.
    pub permissions: Vec<String>,
    /// Effective permissions.
    pub computed_permissions: Vec<String>,
    /// Creation time.
    pub created_time: Stamp,
    /// Last update.
    pub updated_time: Stamp,
    /// Last sign-in.
    pub login_time: Option<Stamp>,
    /// Reporting currency.
    pub reporting_currency: String,
    /// Currencies enabled.
    pub available_currencies: Vec<String>,
    /// `active`, `inactive` or `pending-confirmation`.
    pub status: &'static str,
    /// ISO 3166 alpha-2 country.
    pub country: String,
    /// Free-form preferences (time zone, language), or null.
    pub preferences: Option<Map<String, Value>>,
    /// Role ids.
    pub role_ids: Vec<String>,
    /// IP allow-list, null for no restriction.
    pub allowed_ips: Option<Vec<String>>,
    /// Whether two-factor sign-in is required.
    pub totp_required: bool,
    /// Self link.
    #[serde(rename = "_links")]
    pub links: Vec<Link>,
}

fn clamp_name(name: Option<&str>) -> String {
    let name: String = name.unwrap_or("").chars().take(NAME_MAX_CHARS).collect();
    if name.is_empty() {
        "Unknown".to_string()
    } else {
        name
    }
}

impl RebillyUser {
    /// Renders a person within the schema's constraints (required names and e-mail, lengths).
    pub fn render(person: &Person) -> Self {
        let style = Style::offset(0, 0);
        let id = person.ids.rebilly_id.clone();
        let permissions: Vec<String> = if person.roles.contains(&"admin") {
            vec!["*".to_string()]
        } else if person.roles.is_empty() {
            Vec::new()
        } else {
            vec![
                "GetUserCollection".to_string(),
                "GetCustomerCollection".to_string(),
            ]
        };
        let preferences = person.first_name.as_ref().map(|_| {
            let mut map = Map::new();
            map.insert("timezone".into(), json!(person.market.timezone()));
            map.insert("language".into(), json!(person.market.language()));
            map
        });
        let currency = person.market.currency().to_string();
        Self {
            email: person
                .email
                .clone()
                .unwrap_or_else(|| format!("unknown{}@users.invalid", person.index)),
            first_name: clamp_name(person.first_name.as_deref()),
            last_name: clamp_name(person.last_name.as_deref()),
            business_phone: None,
            mobile_phone: person.phone.as_ref().map(|p| format!("+{p}")),
            computed_permissions: permissions.clone(),
            permissions,
            created_time: Stamp::new(person.created, style),
            updated_time: Stamp::new(person.updated, style),
            login_time: person.last_login.map(|t| Stamp::new(t, style)),
            available_currencies: vec![currency.clone(), "USD".to_string()],
            reporting_currency: currency,
            status: match person.status {
                Status::Active => "active",
                Status::Inactive => "inactive",
                Status::Pending => "pending-confirmation",
            },
            country: person.market.country().to_string(),
            preferences,
            role_ids: person.roles.iter().map(|r| format!("role_{r}")).collect(),
            allowed_ips: if person.index.is_multiple_of(7) {
                Some(Vec::new())
            } else {
                None
            },
            totp_required: person.index.is_multiple_of(5),
            links: vec![Link {
                href: format!("/users/{id}"),
                rel: "self",
            }],
            id,
        }
    }

    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        let text = |v| FieldValue::Text(Some(v));
        Some(match name {
            "id" => text(&self.id),
            "email" => text(&self.email),
            "firstName" => text(&self.first_name),
            "lastName" => text(&self.last_name),
            "status" => text(self.status),
            "country" => text(&self.country),
            "reportingCurrency" => text(&self.reporting_currency),
            "businessPhone" => FieldValue::Text(self.business_phone.as_deref()),
            "mobilePhone" => FieldValue::Text(self.mobile_phone.as_deref()),
            "createdTime" => FieldValue::Instant(Some(self.created_time.at)),
            "updatedTime" => FieldValue::Instant(Some(self.updated_time.at)),
            "loginTime" => FieldValue::Instant(self.login_time.as_ref().map(|s| s.at)),
            _ => return None,
        })
    }

    fn sort_value(&self, name: &str) -> SortValue {
        match self.field(name) {
            Some(FieldValue::Text(t)) => SortValue::Text(t.map(str::to_string)),
            Some(FieldValue::Instant(t)) => SortValue::Time(t),
            None => SortValue::Text(None),
        }
    }
}

/// Whether `field` can be filtered and sorted, and whether it holds date-times. Public so that
/// the filter fuzz target parses with the simulator's own field list.
pub fn field_kind(field: &str) -> Option<bool> {
    match field {
        "createdTime" | "updatedTime" | "loginTime" => Some(true),
        "id" | "email" | "firstName" | "lastName" | "status" | "country" | "reportingCurrency"
        | "businessPhone" | "mobilePhone" => Some(false),
        _ => None,
    }
}

/// Answers Rebilly requests from the population as its OpenAPI definition says (filter grammar,
/// offset cap, rate limit), so the console and the proxy are tested without calling it.
#[derive(Debug)]
pub struct RebillySim {
    /// Every user, in storage order.
    pub records: Vec<RebillyUser>,
    /// The per-credential limit, `None` to disable it.
    pub rate_limit: Option<RateLimit>,
    limiter: RateLimiter,
}

impl RebillySim {
    /// Renders every person as Rebilly would list them, once, so requests only select and page;
    /// `rate_limit` turns on its 429s.
    pub fn new(population: &Population, rate_limit: Option<RateLimit>) -> Self {
        Self {
            records: population.people.iter().map(RebillyUser::render).collect(),
            rate_limit,
            limiter: RateLimiter::default(),
        }
    }

    /// Forgets rate-limit windows.
    pub fn reset_limits(&self) {
        self.limiter.reset();
    }

    /// Answers one request as Rebilly would.
    pub fn handle(&self, req: &HttpRequest, now: Timestamp) -> HttpResponse {
        if !is_list_path(&req.path) {
            return problem(
                404,
                "Not Found",
                "The requested resource was not found.",
                None,
            );
        }
        let credential = match (
            req.header("REB-APIKEY"),
            bearer(req.header("Authorization")),
        ) {
            (Some(REBILLY_DEMO_API_KEY), _) => REBILLY_DEMO_API_KEY,
            (_, Some(REBILLY_DEMO_JWT)) => REBILLY_DEMO_JWT,
            _ => return problem(401, "Unauthorized", "Invalid credentials used.", None),
        };
        if let Some(limit) = self.rate_limit
            && let Err(retry) = self.limiter.check(limit, credential, now)
        {
            return rate_limited(retry);
        }
        match self.list(req) {
            Ok(resp) | Err(resp) => resp,
        }
    }

    fn list(&self, req: &HttpRequest) -> Result<HttpResponse, HttpResponse> {
        let int = |name: &str, default: u64, max: u64| match req.query_value(name) {
            None => Ok(default),
            Some(text) => match parse_u64(text) {
                Some(n) if n <= max => Ok(n),
                _ => Err(invalid(
                    name,
                    &format!("{name} must be an integer from 0 to {max}."),
                )),
            },
        };
        let limit = int("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
        let offset = int("offset", 0, MAX_OFFSET)?;
        let clauses = match req.query_value("filter") {
            None => Vec::new(),
            Some(expression) => filter::parse(expression, field_kind)
                .map_err(|(field, message)| invalid(&field, &message))?,
        };
        let mut sort: Vec<(String, bool)> = Vec::new();
        if let Some(text) = req.query_value("sort") {
            for key in text.split(',').filter(|k| !k.is_empty()) {
                let (field, descending) = match key.strip_prefix('-') {
                    Some(f) => (f, true),
                    None => (key, false),
                };
                if field_kind(field).is_none() {
                    return Err(invalid(
                        "sort",
                        &format!("Sorting by '{field}' is not supported."),
                    ));
                }
                sort.push((field.to_string(), descending));
            }
        }
        let q = req.query_value("q").filter(|q| !q.is_empty());
        let mut indices: Vec<usize> = (0..self.records.len())
            .filter(|&i| {
                let user = &self.records[i];
                q.is_none_or(|q| {
                    [&user.first_name, &user.last_name, &user.email]
                        .iter()
                        .any(|v| contains_ci(v, q))
                }) && clauses
                    .iter()
                    .all(|c| user.field(&c.field).is_some_and(|value| c.matches(&value)))
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
        let page: Vec<&RebillyUser> = indices[common::window(total, offset, limit)]
            .iter()
            .map(|&i| &self.records[i])
            .collect();
        let mut resp = common::json(200, &page);
        resp.headers.extend([
            ("Pagination-Total".to_string(), total.to_string()),
            ("Pagination-Limit".to_string(), limit.to_string()),
            ("Pagination-Offset".to_string(), offset.to_string()),
        ]);
        Ok(resp)
    }
}

/// Rebilly's 429: a problem body and `X-RateLimit-Retry-After` as an absolute epoch.
pub fn rate_limited(retry: Timestamp) -> HttpResponse {
    let mut resp = problem(
        429,
        "Rate Limit Exceeded",
        "Too many requests. Retry after the time given in X-RateLimit-Retry-After.",
        None,
    );
    resp.headers.push((
        "X-RateLimit-Retry-After".into(),
        retry.as_second().to_string(),
    ));
    resp
}

fn invalid(field: &str, message: &str) -> HttpResponse {
    problem(
        422,
        "Invalid data",
        "The request has invalid parameters.",
        Some(json!([{ "field": field, "message": message }])),
    )
}

fn problem(status: u16, title: &str, detail: &str, invalid_fields: Option<Value>) -> HttpResponse {
    let slug = title.to_lowercase().replace(' ', "-");
    let mut body = Map::new();
    body.insert(
        "type".into(),
        json!(format!("https://api.rebilly.com/errors/{slug}")),
    );
    body.insert("title".into(), json!(title));
    body.insert("status".into(), json!(status));
    body.insert("detail".into(), json!(detail));
    body.insert("instance".into(), json!(PATH));
    if let Some(fields) = invalid_fields {
        body.insert("invalidFields".into(), fields);
    }
    common::json_with(status, PROBLEM, &body)
}

#[cfg(test)]
mod tests {
    use super::is_list_path;

    #[test]
    fn users_are_listed_with_or_without_the_organization() {
        assert!(is_list_path("/users"));
        assert!(is_list_path("/organizations/my-org-id/users"));
        for other in [
            "/users/1",
            "/organizations//users",
            "/organizations/a/b/users",
            "/organizations/a/users/",
            "/customers",
        ] {
            assert!(!is_list_path(other), "{other}");
        }
    }
}
