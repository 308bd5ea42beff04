//! Finding a person and opening a user by key, run against the simulators exactly as the
//! console runs them (planner, adapter, wire encoding): the same population is behind all five
//! providers, so one address must be found once on every provider, and every key a list shows
//! must open the same user through `lookup_key` alone.

#[path = "support/mod.rs"]
mod support;

use std::sync::LazyLock;

use userdeck_providers::find::{Approach, ProviderSearch, merge, plan_find};
use userdeck_providers::lookup::{KeyLookup, lookup_key, pick};
use userdeck_providers::{
    Capabilities, HttpRequest, Page, PageRequest, PlanConfig, ProviderInfo, ProviderKind, Query,
    User, execute_blocking,
};
use userdeck_sim::population::Population;
use userdeck_sim::{Limits, Simulators};

const USERS: usize = 900;
const SEED: u64 = 7;

static POPULATION: LazyLock<Population> = LazyLock::new(|| Population::generate(SEED, USERS));
static SIMS: LazyLock<Simulators> =
    LazyLock::new(|| Simulators::new(&POPULATION, &Limits::unlimited()));

fn wire(kind: ProviderKind, request: &HttpRequest) -> HttpRequest {
    let signed = support::authed(kind, request.clone());
    let text = signed.path_and_query();
    let (path, query) = text.split_once('?').unwrap_or((text.as_str(), ""));
    HttpRequest {
        method: signed.method,
        path: path.to_string(),
        query: form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
        headers: signed.headers,
    }
}

fn run(kind: ProviderKind, query: &Query, config: &PlanConfig) -> Vec<User> {
    run_page(kind, query, config).items
}

fn run_page(kind: ProviderKind, query: &Query, config: &PlanConfig) -> Page<User> {
    execute_blocking(
        &Capabilities::of(kind),
        config,
        query,
        support::now(),
        |req| SIMS.handle(kind, &wire(kind, req), support::now()),
    )
    .unwrap_or_else(|e| panic!("{kind:?}: {e}"))
}

fn providers() -> Vec<ProviderInfo> {
    ProviderKind::ALL
        .into_iter()
        .map(|kind| ProviderInfo {
            id: kind.id().into(),
            kind,
            label: kind.label().into(),
            path: String::new(),
            capabilities: Capabilities::of(kind),
        })
        .collect()
}

fn found(search: &ProviderSearch) -> Vec<User> {
    let pages = search
        .queries
        .iter()
        .map(|q| run_page(search.info.kind, q, &search.config))
        .collect();
    merge(pages).0
}

/// An ordinary person: ASCII name, an e-mail shared with nobody else, and a phone.
fn ordinary(index: usize) -> &'static userdeck_sim::population::Person {
    POPULATION.people[index..]
        .iter()
        .find(|p| {
            p.hostility.is_none()
                && p.phone.is_some()
                && p.first_name.as_deref().is_some_and(|n| n.is_ascii())
                && p.last_name.as_deref().is_some_and(|n| n.is_ascii())
                && POPULATION
                    .people
                    .iter()
                    .filter(|q| q.email == p.email)
                    .count()
                    == 1
        })
        .expect("an ordinary person")
}

#[test]
fn an_email_finds_the_person_once_on_every_provider() {
    let person = ordinary(613);
    let email = person.email.clone().expect("an e-mail");
    let plan = plan_find(&email, &providers()).expect("a plan");
    for search in &plan.searches {
        assert_eq!(search.approach, Approach::Asked, "{:?}", search.info.kind);
        let rows = found(search);
        assert_eq!(rows.len(), 1, "{:?}: {rows:?}", search.info.kind);
        assert_eq!(rows[0].email.as_deref(), Some(email.as_str()));
    }
}

#[test]
fn a_phone_finds_the_person_where_phones_are_searchable() {
    let person = ordinary(421);
    let phone = format!("+{}", person.phone.clone().expect("a phone"));
    let plan = plan_find(&phone, &providers()).expect("a plan");
    for search in &plan.searches {
        match search.info.kind {
            ProviderKind::PressOne | ProviderKind::Pngme => {
                let rows = found(search);
                assert!(
                    rows.iter().any(|u| u.email == person.email),
                    "{:?}: {rows:?}",
                    search.info.kind
                );
            }
            _ => assert!(matches!(search.approach, Approach::Cannot(_))),
        }
    }
}

#[test]
fn a_full_name_finds_the_person_on_every_provider() {
    let person = ordinary(777);
    let name = format!(
        "{} {}",
        person.first_name.as_deref().unwrap_or_default(),
        person.last_name.as_deref().unwrap_or_default()
    );
    let plan = plan_find(&name.to_uppercase(), &providers()).expect("a plan");
    for search in &plan.searches {
        let rows = found(search);
        assert!(
            rows.iter().any(|u| u.email == person.email),
            "{:?} did not find {name}",
            search.info.kind
        );
        let lowered = name.to_lowercase();
        assert!(
            rows.iter().all(|u| lowered
                .split(' ')
                .all(|w| u.display_name.to_lowercase().contains(w))),
            "{:?} returned someone else",
            search.info.kind
        );
    }
}

#[test]
fn every_key_on_page_seven_opens_its_user() {
    for kind in ProviderKind::ALL {
        let page = Query {
            page: PageRequest { index: 6, size: 50 },
            ..Query::default()
        };
        let rows = run(kind, &page, &PlanConfig::default());
        assert!(!rows.is_empty(), "{kind:?} has a page seven");
        for user in rows.iter().step_by(7) {
            let KeyLookup::Run { query, config, .. } =
                lookup_key(&Capabilities::of(kind), &user.key)
            else {
                panic!("{kind:?} {} is not looked up", user.key);
            };
            let opened = pick(run(kind, &query, &config), &user.key)
                .unwrap_or_else(|| panic!("{kind:?} {} was not found", user.key));
            assert_eq!(opened.raw, user.raw, "{kind:?} {}", user.key);
        }
    }
}

#[test]
fn an_unknown_key_opens_nobody() {
    for kind in ProviderKind::ALL {
        let key = match kind {
            ProviderKind::PressOne => "email:nobody@nowhere.invalid",
            ProviderKind::ActivePlatform => "1",
            _ => "no-such-user",
        };
        let KeyLookup::Run { query, config, .. } = lookup_key(&Capabilities::of(kind), key) else {
            panic!("{kind:?} looks up {key}");
        };
        assert_eq!(pick(run(kind, &query, &config), key), None, "{kind:?}");
    }
}
