//! ActivePlatform vendor API v1 `GET /api/vendor/v1/users.json`: a bare JSON array with no
//! total (the end shows as a short or empty page), `page`/`per_page` (100 by default and at
//! most), one sort field (`sorting[field]`, `sorting[reversed]`, by `id` when absent), exact
//! `filters[…]` where the dates are calendar days in the installation's offset, and the token
//! in the `api_token` query parameter.

use serde::Serialize;
use serde_json::json;
use userdeck_providers::time::civil::Date;
use userdeck_providers::{HttpRequest, HttpResponse, Timestamp};

use crate::common::{self, SortValue, eq_ci, parse_u64};
use crate::credentials::ACTIVEPLATFORM_DEMO_TOKEN;
use crate::population::{Person, Population, Status};
use crate::stamp::{Stamp, Style};

/// The list endpoint.
pub const PATH: &str = "/api/vendor/v1/users.json";
/// The same endpoint without the format suffix, as the documentation's request example spells it.
pub const PATH_WITHOUT_SUFFIX: &str = "/api/vendor/v1/users";
/// Rows per page by default and at most (assumed, per the provider notes).
pub const MAX_PER_PAGE: u64 = 100;
/// The installation's UTC offset (Moscow), in which dates are printed and date filters compare.
pub const OFFSET_SECONDS: i32 = 10_800;
/// Fields `sorting[field]` accepts.
pub const SORTABLE: [&str; 8] = [
    "id",
    "first_name",
    "middle_name",
    "last_name",
    "email",
    "status",
    "created_at",
    "updated_at",
];

/// One custom attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomAttribute {
    /// Attribute name.
    pub name: String,
    /// Attribute value.
    pub value: String,
}

/// One user as ActivePlatform lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivePlatformUser {
    /// Integer id, increasing with creation.
    pub id: u64,
    /// Given name.
    pub first_name: Option<String>,
    /// Middle name, `""` when there is none.
    pub middle_name: String,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail, used as the login.
    pub email: Option<String>,
    /// `active` or `inactive`.
    pub status: &'static str,
    /// Operator-defined attributes.
    pub custom_attributes: Vec<CustomAttribute>,
    /// Creation time, milliseconds and the installation's offset.
    pub created_at: Stamp,
    /// Last update.
    pub updated_at: Stamp,
}

impl ActivePlatformUser {
    /// Renders a person as an ActivePlatform installation prints them.
    pub fn render(person: &Person) -> Self {
        let style = Style::offset(OFFSET_SECONDS, 3);
        Self {
            id: person.ids.activeplatform_id,
            first_name: person.first_name.clone(),
            middle_name: person.middle_name.clone().unwrap_or_default(),
            last_name: person.last_name.clone(),
            email: person.email.clone(),
            status: match person.status {
                Status::Active => "active",
                Status::Inactive | Status::Pending => "inactive",
            },
            custom_attributes: person
                .custom_attributes
                .iter()
                .map(|(name, value)| CustomAttribute {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            created_at: Stamp::new(person.created, style),
            updated_at: Stamp::new(person.updated, style),
        }
    }

    fn sort_value(&self, field: &str) -> SortValue {
        let text = |v: Option<&str>| SortValue::Text(v.map(str::to_string));
        match field {
            "first_name" => text(self.first_name.as_deref()),
            "middle_name" => text(Some(&self.middle_name)),
            "last_name" => text(self.last_name.as_deref()),
            "email" => text(self.email.as_deref()),
            "status" => text(Some(self.status)),
            "created_at" => SortValue::Time(Some(self.created_at.at)),
            "updated_at" => SortValue::Time(Some(self.updated_at.at)),
            _ => SortValue::Int(i64::try_from(self.id).ok()),
        }
    }
}

/// Answers ActivePlatform requests from the population as its documentation says, so the console
/// and the proxy are tested against its paging, filters and errors without calling it.
#[derive(Debug, Clone)]
pub struct ActivePlatformSim {
    /// Every user, in id order.
    pub records: Vec<ActivePlatformUser>,
}

impl ActivePlatformSim {
    /// Renders every person as ActivePlatform would list them, once, so requests only select and
    /// page.
    pub fn new(population: &Population) -> Self {
        Self {
            records: population
                .people
                .iter()
                .map(ActivePlatformUser::render)
                .collect(),
        }
    }

    /// Answers one request as ActivePlatform would.
    pub fn handle(&self, req: &HttpRequest, _now: Timestamp) -> HttpResponse {
        if req.path != PATH && req.path != PATH_WITHOUT_SUFFIX {
            return common::json(404, &json!({ "error": "Not Found" }));
        }
        match req.query_value("api_token") {
            None | Some("") => {
                return common::json(401, &json!({ "error": "api_token is required" }));
            }
            Some(ACTIVEPLATFORM_DEMO_TOKEN) => {}
            Some(_) => return common::json(401, &json!({ "error": "Invalid api_token" })),
        }
        match self.list(req) {
            Ok(resp) | Err(resp) => resp,
        }
    }

    fn list(&self, req: &HttpRequest) -> Result<HttpResponse, HttpResponse> {
        let param = |name: &str| req.query_value(name).filter(|v| !v.is_empty());
        let positive = |name: &str, default: u64| match param(name).map(parse_u64) {
            None => Ok(default),
            Some(Some(n)) if n >= 1 => Ok(n),
            Some(_) => Err(invalid(name, "must be a positive integer")),
        };
        let page = positive("page", 1)?;
        let per_page = positive("per_page", MAX_PER_PAGE)?.min(MAX_PER_PAGE);
        let field = param("sorting[field]").unwrap_or("id");
        if !SORTABLE.contains(&field) {
            return Err(invalid("sorting[field]", "is not a sortable field"));
        }
        let reversed = match param("sorting[reversed]") {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(invalid("sorting[reversed]", "must be true or false")),
        };
        let date = |name: &str| match param(name) {
            None => Ok(None),
            Some(text) => match text.parse::<Date>() {
                Ok(d) if text.len() == 10 => Ok(Some(d.to_string())),
                _ => Err(invalid(name, "must be a date (YYYY-MM-DD)")),
            },
        };
        let created = date("filters[created_at]")?;
        let updated = date("filters[updated_at]")?;
        let status = match param("filters[status]") {
            None => None,
            Some(s @ ("active" | "inactive")) => Some(s),
            Some(_) => return Err(invalid("filters[status]", "must be active or inactive")),
        };
        let email = param("filters[email]");
        let mut indices: Vec<usize> = (0..self.records.len())
            .filter(|&i| {
                let u = &self.records[i];
                created
                    .as_deref()
                    .is_none_or(|d| u.created_at.local_date() == d)
                    && updated
                        .as_deref()
                        .is_none_or(|d| u.updated_at.local_date() == d)
                    && status.is_none_or(|s| u.status == s)
                    && email.is_none_or(|e| u.email.as_deref().is_some_and(|v| eq_ci(v, e)))
            })
            .collect();
        let key = |i: usize| self.records[i].sort_value(field);
        common::sort_indices(&mut indices, &[(key, reversed)]);
        let offset = (page - 1).saturating_mul(per_page);
        let rows: Vec<&ActivePlatformUser> = indices
            [common::window(indices.len(), offset, per_page)]
        .iter()
        .map(|&i| &self.records[i])
        .collect();
        Ok(common::json(200, &rows))
    }
}

fn invalid(parameter: &str, message: &str) -> HttpResponse {
    common::json(422, &json!({ "errors": { parameter: [message] } }))
}
