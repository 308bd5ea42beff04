//! Pngme `GET /users`: `{page, num_pages, users}` with a page size the server fixes, partial
//! case-insensitive `search`, exact `phone_number`/`device_id`/`external_id`, and
//! `created_after`/`created_before` (taken as inclusive, the only reading under which a client
//! that re-checks the bounds never loses a row). A JWT bearer token that expires. Older
//! deployments answered `{_meta: {total_users_count, page, max_pages}, users}`; the simulator
//! can answer that way too.

use serde::Serialize;
use serde_json::json;
use userdeck_providers::time::date::parse_instant;
use userdeck_providers::{HttpRequest, HttpResponse, Timestamp};

use crate::common::{self, contains_ci, eq_ci, parse_u64};
use crate::credentials::{
    PNGME_DEMO_JWT, PNGME_DEMO_JWT_EXP, PNGME_EXPIRED_JWT, PNGME_EXPIRED_JWT_EXP, bearer,
};
use crate::population::{Person, Population};
use crate::stamp::{Stamp, Style};

/// The list endpoint.
pub const PATH: &str = "/users";
/// The page size the server fixes when none is configured.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// One user as Pngme lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PngmeUser {
    /// Pngme's id.
    pub uuid: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Android device id.
    pub device_id: String,
    /// The partner's own id for the user.
    pub external_id: Option<String>,
    /// Provisioning time.
    pub created_at: Stamp,
    /// Last update.
    pub updated_at: Stamp,
    /// Phone, international digits without `+` (as in the documentation).
    pub phone_number: Option<String>,
}

impl PngmeUser {
    /// Renders a person as Pngme prints them: `+00:00` offsets, some with microseconds.
    pub fn render(person: &Person) -> Self {
        let style = if person.index % 4 == 1 {
            Style::offset(0, 6)
        } else {
            Style::offset(0, 0)
        };
        Self {
            uuid: person.ids.pngme_uuid.clone(),
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            email: person.email.clone(),
            device_id: person.ids.device_id.clone(),
            external_id: person.ids.external_id.clone(),
            created_at: Stamp::new(person.created, style),
            updated_at: Stamp::new(person.updated, style),
            phone_number: person.phone.clone(),
        }
    }

    /// Whether `search` matches, as documented: partial and case-insensitive over first and
    /// last name, e-mail, phone, external id and uuid.
    pub fn matches_search(&self, search: &str) -> bool {
        [
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.email.as_deref(),
            self.phone_number.as_deref(),
            self.external_id.as_deref(),
            Some(self.uuid.as_str()),
        ]
        .into_iter()
        .flatten()
        .any(|v| contains_ci(v, search))
    }
}

/// Answers Pngme requests from the population as its documentation says (a page size it
/// chooses, JWT sign-in), so the console and the proxy are tested without calling it.
#[derive(Debug, Clone)]
pub struct PngmeSim {
    /// Every user, in storage order.
    pub records: Vec<PngmeUser>,
    /// The fixed page size.
    pub page_size: u32,
    /// Answer in the older `{_meta, users}` shape.
    pub legacy_shape: bool,
}

impl PngmeSim {
    /// Renders the population with the given fixed page size (at least 1), in the current or
    /// the legacy response shape.
    pub fn new(population: &Population, page_size: u32, legacy_shape: bool) -> Self {
        Self {
            records: population.people.iter().map(PngmeUser::render).collect(),
            page_size: page_size.max(1),
            legacy_shape,
        }
    }

    /// Answers one request as Pngme would.
    pub fn handle(&self, req: &HttpRequest, now: Timestamp) -> HttpResponse {
        if req.path != PATH {
            return error(404, "Not Found");
        }
        let expiry = match bearer(req.header("Authorization")) {
            Some(PNGME_DEMO_JWT) => PNGME_DEMO_JWT_EXP,
            Some(PNGME_EXPIRED_JWT) => PNGME_EXPIRED_JWT_EXP,
            _ => return error(401, "Unauthorized"),
        };
        if now.as_second() >= expiry {
            return error(401, "The incoming token has expired");
        }
        let param = |name: &str| req.query_value(name).filter(|v| !v.is_empty());
        let page = match param("page").map(parse_u64) {
            None => 1,
            Some(Some(n)) if n >= 1 => n,
            Some(_) => return error(400, "Invalid page: must be a positive integer"),
        };
        let bound = |name: &str| match param(name) {
            None => Ok(None),
            Some(text) => parse_instant(text)
                .map(|i| Some(i.timestamp))
                .ok_or_else(|| {
                    error(
                        400,
                        &format!("Invalid {name}: expected an ISO 8601 date-time"),
                    )
                }),
        };
        let after = match bound("created_after") {
            Ok(v) => v,
            Err(resp) => return resp,
        };
        let before = match bound("created_before") {
            Ok(v) => v,
            Err(resp) => return resp,
        };
        let search = param("search");
        let phone = param("phone_number");
        let device = param("device_id");
        let external = param("external_id");
        let matching: Vec<&PngmeUser> = self
            .records
            .iter()
            .filter(|u| search.is_none_or(|s| u.matches_search(s)))
            .filter(|u| phone.is_none_or(|p| u.phone_number.as_deref() == Some(p)))
            .filter(|u| device.is_none_or(|d| eq_ci(&u.device_id, d)))
            .filter(|u| external.is_none_or(|e| u.external_id.as_deref() == Some(e)))
            .filter(|u| after.is_none_or(|a| u.created_at.at >= a))
            .filter(|u| before.is_none_or(|b| u.created_at.at <= b))
            .collect();
        let size = u64::from(self.page_size);
        let num_pages = common::page_count(matching.len(), size);
        let offset = (page - 1).saturating_mul(size);
        let users = &matching[common::window(matching.len(), offset, size)];
        if self.legacy_shape {
            return common::json(
                200,
                &Legacy {
                    meta: Meta {
                        total_users_count: matching.len(),
                        page,
                        max_pages: num_pages,
                    },
                    users,
                },
            );
        }
        common::json(
            200,
            &Envelope {
                page,
                num_pages,
                users,
            },
        )
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    page: u64,
    num_pages: u64,
    users: &'a [&'a PngmeUser],
}

#[derive(Serialize)]
struct Legacy<'a> {
    #[serde(rename = "_meta")]
    meta: Meta,
    users: &'a [&'a PngmeUser],
}

#[derive(Serialize)]
struct Meta {
    total_users_count: usize,
    page: u64,
    max_pages: u64,
}

fn error(status: u16, message: &str) -> HttpResponse {
    common::json(status, &json!({ "message": message }))
}
