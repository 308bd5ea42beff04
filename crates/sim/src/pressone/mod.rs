//! PressOne `GET /api/third-party/partner/user/`: an envelope with `total`, `nb_pages` and
//! previous/next links, filters `email` *or* `mobile` (exact), no sort, `page_index` from 1 and
//! `page_size` clamped to 100. Both the bearer header and `Pressone-X-Api-Key` must carry the
//! partner secret, as the official SDKs send them.

use serde::Serialize;
use serde_json::json;
use userdeck_providers::{HttpRequest, HttpResponse, Timestamp};

use crate::common::{self, eq_ci, parse_u64};
use crate::credentials::{PRESSONE_DEMO_KEY, bearer};
use crate::population::{Person, Population};
use crate::stamp::{Stamp, Style};

/// The list endpoint, below the provider's base URL.
pub const PATH: &str = "/api/third-party/partner/user/";
/// Page size when none is asked for (assumed).
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest page size served; larger requests are clamped (assumed, per the provider notes).
pub const MAX_PAGE_SIZE: u64 = 100;

/// One user as PressOne lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PressOneUser {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Mobile number, `+` and international digits.
    pub mobile: Option<String>,
    /// Current subscription, null when there is none.
    pub subscription: Option<PressOneSubscription>,
    /// Sign-up time.
    pub date_created: Stamp,
}

/// PressOne's subscription object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PressOneSubscription {
    /// Plan name.
    pub plan: String,
    /// Billing term.
    pub term: String,
    /// Price per term.
    pub standard_cost: u32,
    /// Whether it is active.
    pub is_active: bool,
    /// Whether it is a free trial.
    pub is_free_trial: bool,
    /// Next billing date (a date-time, as documented).
    pub billing_day: Stamp,
    /// Start of the subscription.
    pub date_created: Stamp,
}

impl PressOneUser {
    /// Renders a person the way PressOne prints them: `Z` times, a third with microseconds.
    pub fn render(person: &Person) -> Self {
        let style = if person.index.is_multiple_of(3) {
            Style::zulu(6)
        } else {
            Style::zulu(0)
        };
        Self {
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            email: person.email.clone(),
            mobile: person.phone.as_ref().map(|p| format!("+{p}")),
            subscription: person.subscription.as_ref().map(|s| PressOneSubscription {
                plan: s.plan.to_string(),
                term: s.term.to_string(),
                standard_cost: s.standard_cost,
                is_active: s.is_active,
                is_free_trial: s.is_free_trial,
                billing_day: Stamp::new(s.billing_day, Style::zulu(0)),
                date_created: Stamp::new(s.date_created, Style::zulu(0)),
            }),
            date_created: Stamp::new(person.created, style),
        }
    }
}

/// Answers PressOne requests from the population as PressOne's documentation says, so the console
/// and the proxy are tested against its paging, filters and errors without calling PressOne.
#[derive(Debug, Clone)]
pub struct PressOneSim {
    /// Every user, in storage order (which is also the only order PressOne serves).
    pub records: Vec<PressOneUser>,
}

impl PressOneSim {
    /// Renders every person as PressOne would list them, once, so requests only select and page.
    pub fn new(population: &Population) -> Self {
        Self {
            records: population.people.iter().map(PressOneUser::render).collect(),
        }
    }

    /// Answers one request as PressOne would.
    pub fn handle(&self, req: &HttpRequest, _now: Timestamp) -> HttpResponse {
        if req.path != PATH {
            return error(404, "Not found.");
        }
        let key_ok = req.header("Pressone-X-Api-Key") == Some(PRESSONE_DEMO_KEY);
        let bearer_ok = bearer(req.header("Authorization")) == Some(PRESSONE_DEMO_KEY);
        if !(key_ok && bearer_ok) {
            return error(
                401,
                "Authentication failed: send your secret key as Bearer token and Pressone-X-Api-Key.",
            );
        }
        // Empty values count as absent: the documentation's own example sends `mobile=&email=`.
        let param = |name: &str| req.query_value(name).filter(|v| !v.is_empty());
        let (email, mobile) = (param("email"), param("mobile"));
        if email.is_some() && mobile.is_some() {
            return error(400, "Filter by either mobile or email, not both.");
        }
        let page_index = match param("page_index").map(parse_u64) {
            None => 1,
            Some(Some(n)) if n >= 1 => n,
            Some(_) => return error(400, "page_index must be a positive integer."),
        };
        let page_size = match param("page_size").map(parse_u64) {
            None => DEFAULT_PAGE_SIZE,
            Some(Some(n)) if n >= 1 => n.min(MAX_PAGE_SIZE),
            Some(_) => return error(400, "page_size must be a positive integer."),
        };
        let matching: Vec<&PressOneUser> = self
            .records
            .iter()
            .filter(|u| email.is_none_or(|e| u.email.as_deref().is_some_and(|v| eq_ci(v, e))))
            .filter(|u| mobile.is_none_or(|m| u.mobile.as_deref() == Some(m)))
            .collect();
        let total = matching.len();
        let nb_pages = common::page_count(total, page_size);
        let offset = (page_index - 1).saturating_mul(page_size);
        let data = &matching[common::window(total, offset, page_size)];
        let link = |index: u64| {
            let mut next = HttpRequest::get(PATH);
            if let Some(e) = email {
                next.query.push(("email".into(), e.into()));
            }
            if let Some(m) = mobile {
                next.query.push(("mobile".into(), m.into()));
            }
            next.query.push(("page_index".into(), index.to_string()));
            next.query.push(("page_size".into(), page_size.to_string()));
            next.path_and_query()
        };
        let previous = (page_index > 1).then(|| link((page_index - 1).min(nb_pages)));
        let next = (page_index < nb_pages).then(|| link(page_index + 1));
        common::json(
            200,
            &Envelope {
                message: Some("Users retrieved successfully"),
                success: true,
                total,
                page_size,
                page_index,
                nb_pages,
                previous,
                next,
                data,
            },
        )
    }
}

/// The list envelope, fields in the documented order.
#[derive(Serialize)]
struct Envelope<'a> {
    message: Option<&'a str>,
    success: bool,
    total: usize,
    page_size: u64,
    page_index: u64,
    nb_pages: u64,
    previous: Option<String>,
    next: Option<String>,
    data: &'a [&'a PressOneUser],
}

fn error(status: u16, message: &str) -> HttpResponse {
    common::json(
        status,
        &json!({ "message": message, "success": false, "data": null }),
    )
}
