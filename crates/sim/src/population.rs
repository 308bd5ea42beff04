//! One seeded population of people that all five simulators render in their own shapes. Sharing
//! it keeps the providers consistent with each other (the same person has the same e-mail
//! everywhere) and makes a run reproducible from its seed alone.

use userdeck_providers::Timestamp;

use crate::hostile::{self, Hostility};
use crate::names::{self, Market};
use crate::rng::SplitMix64;

/// The default population size per provider, as the issue specifies.
pub const DEFAULT_USERS: usize = 2_000;

/// Earliest creation time in the population (2016-01-01T00:00:00Z): spread over years so that
/// date filters and sorts have something to bite on.
pub const EPOCH_START: i64 = 1_451_606_400;

/// Latest creation time in the population (2026-10-01T00:00:00Z). Fixed, not "now", so that a
/// seed gives the same data whatever day it runs.
pub const EPOCH_END: i64 = 1_790_812_800;

/// Whether a person can use the service, in the provider-neutral sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Can sign in.
    Active,
    /// Disabled.
    Inactive,
    /// Invited, not yet confirmed.
    Pending,
}

/// A PressOne-style voice subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// Plan name.
    pub plan: &'static str,
    /// Billing term.
    pub term: &'static str,
    /// Price per term in the market's currency, whole units.
    pub standard_cost: u32,
    /// Whether the subscription is currently active.
    pub is_active: bool,
    /// Whether it is a free trial.
    pub is_free_trial: bool,
    /// Next billing date.
    pub billing_day: Timestamp,
    /// When the subscription started.
    pub date_created: Timestamp,
}

/// Identifiers of one person at each provider: providers mint their own, so the simulators
/// must not share one id space.
#[derive(Debug, Clone, PartialEq)]
pub struct Ids {
    /// Pngme's user UUID.
    pub pngme_uuid: String,
    /// Pngme's Android device id (16 hex digits).
    pub device_id: String,
    /// Pngme's optional external id, set by the partner's integration.
    pub external_id: Option<String>,
    /// Nameshield's user UUID.
    pub nameshield_id: String,
    /// Rebilly's `usr_…` id.
    pub rebilly_id: String,
    /// ActivePlatform's integer id, increasing with creation.
    pub activeplatform_id: u64,
}

/// One person of the population, before any provider's rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Position in the population: the providers' natural storage order.
    pub index: usize,
    /// Where the person is from.
    pub market: Market,
    /// Given name; `None` where a hostile record nulls it.
    pub first_name: Option<String>,
    /// Middle name, often absent.
    pub middle_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail address (unique except for deliberate duplicates).
    pub email: Option<String>,
    /// Mobile number in international digits without `+` (e.g. `2348031234567`).
    pub phone: Option<String>,
    /// Account status.
    pub status: Status,
    /// Voice subscription, when the person has one.
    pub subscription: Option<Subscription>,
    /// When the account was created (microsecond precision).
    pub created: Timestamp,
    /// When it was last updated (never before `created`).
    pub updated: Timestamp,
    /// Last sign-in, if any.
    pub last_login: Option<Timestamp>,
    /// When the account expires, if ever.
    pub expires: Option<Timestamp>,
    /// Free-form attributes (ActivePlatform's custom attributes).
    pub custom_attributes: Vec<(String, String)>,
    /// The provider-specific identifiers.
    pub ids: Ids,
    /// Nameshield customer the user belongs to.
    pub customer_id: u32,
    /// Index into [`ADMINS`] of who created the account.
    pub created_by: usize,
    /// Index into [`ADMINS`] of who last updated it.
    pub updated_by: usize,
    /// Rebilly role ids.
    pub roles: Vec<&'static str>,
    /// Why this record is hostile, if it is.
    pub hostility: Option<Hostility>,
}

/// Nameshield's account administrators who create and update users: `(id, first, last)`.
pub const ADMINS: [(&str, &str, &str); 3] = [
    (
        "7a1506b9-9ce4-43f9-a6f0-e94ef4252277",
        "Company",
        "Administrator",
    ),
    ("2f9c1d4e-8b3a-4c6d-9e1f-0a2b3c4d5e6f", "Sophie", "Marchand"),
    ("b4e8f1a2-3c5d-4e6f-8a9b-1c2d3e4f5a6b", "Api", "Robot"),
];

/// The Nameshield customer the demo token belongs to; 1235 and 1236 are its subsidiaries.
pub const NAMESHIELD_CUSTOMER: u32 = 1234;

const PLANS: [(&str, u32); 4] = [
    ("Voice Basic", 1_500),
    ("Voice Plus", 3_000),
    ("Voice Pro", 6_500),
    ("Business", 12_000),
];
const TERMS: [(&str, u32); 3] = [("monthly", 1), ("quarterly", 3), ("annual", 12)];
const ROLES: [&str; 4] = ["admin", "support", "billing", "viewer"];
const DEPARTMENTS: [&str; 5] = ["Sales", "Support", "Finance", "Engineering", "Operations"];

/// A deterministic population: the same `(seed, size)` always gives the same people.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// The seed it was generated from.
    pub seed: u64,
    /// The people, in storage order.
    pub people: Vec<Person>,
}

impl Population {
    /// Generates `size` people from `seed`. About 1% are hostile (every 100th, starting at
    /// index 50), cycling through every kind of hostility so that even a few hundred records
    /// contain some.
    pub fn generate(seed: u64, size: usize) -> Self {
        let mut rng = SplitMix64::new(seed);
        let mut people: Vec<Person> = Vec::with_capacity(size);
        let mut next_ap_id: u64 = 2_000_000;
        for index in 0..size {
            next_ap_id += 1 + rng.below(3);
            let mut person = ordinary(&mut rng, index, next_ap_id);
            if index % 100 == 50 {
                let kind = Hostility::ALL[(index / 100) % Hostility::ALL.len()];
                let previous_email = people.last().and_then(|p| p.email.clone());
                hostile::apply(&mut person, kind, &mut rng, previous_email);
            }
            people.push(person);
        }
        Self { seed, people }
    }
}

fn ordinary(rng: &mut SplitMix64, index: usize, activeplatform_id: u64) -> Person {
    let market = Market::ALL[rng.below(Market::ALL.len() as u64) as usize];
    let first = pick(rng, market.first_names());
    let mut last = pick(rng, market.last_names()).to_string();
    if market == Market::Russia && names::is_russian_feminine(first) {
        last.push('a');
    }
    let email = Some(email_for(rng, market, first, &last, index));
    let (first_name, last_name) = if market == Market::Russia && rng.chance(25) {
        let cyr_first = names::cyrillic(first).unwrap_or(first).to_string();
        let cyr_last = match last.strip_suffix('a') {
            Some(stem) if names::is_russian_feminine(first) => {
                format!("{}а", names::cyrillic(stem).unwrap_or(stem))
            }
            _ => names::cyrillic(&last).unwrap_or(&last).to_string(),
        };
        (cyr_first, cyr_last)
    } else {
        (first.to_string(), last)
    };
    let middle_name = if rng.chance(20) {
        Some(pick(rng, market.first_names()).to_string())
    } else {
        None
    };
    let phone = if rng.chance(92) {
        Some(phone_for(rng, market))
    } else {
        None
    };
    let created = skewed_instant(rng);
    let updated_span = (EPOCH_END * 1_000_000 - created.as_microsecond()).max(0);
    let updated = if rng.chance(30) {
        created
    } else {
        micros(created.as_microsecond() + rng.below(updated_span as u64) as i64)
    };
    let last_login = if rng.chance(85) {
        let span = (EPOCH_END * 1_000_000 - updated.as_microsecond()).max(1);
        Some(micros(
            updated.as_microsecond() + rng.below(span as u64) as i64,
        ))
    } else {
        None
    };
    let expires = match rng.below(10) {
        0..=5 => Some(seconds(
            created.as_second() + 86_400 * (365 * 5 + rng.below(365 * 25) as i64),
        )),
        6 | 7 => Some(seconds(
            created.as_second() + 86_400 * rng.below(365 * 2) as i64,
        )),
        _ => None,
    };
    let status = match rng.below(100) {
        0..=74 => Status::Active,
        75..=92 => Status::Inactive,
        _ => Status::Pending,
    };
    let subscription = subscription(rng, created);
    let custom_attributes = custom_attributes(rng, market);
    let ids = Ids {
        pngme_uuid: uuid(rng),
        device_id: format!("{:016x}", rng.next_u64()),
        external_id: if rng.chance(40) {
            Some(format!("{:03}", rng.below(100_000)))
        } else {
            None
        },
        nameshield_id: uuid(rng),
        rebilly_id: rebilly_id(rng),
        activeplatform_id,
    };
    let customer_id = match rng.below(100) {
        0..=74 => NAMESHIELD_CUSTOMER,
        75..=89 => NAMESHIELD_CUSTOMER + 1,
        _ => NAMESHIELD_CUSTOMER + 2,
    };
    let created_by = rng.below(ADMINS.len() as u64) as usize;
    let updated_by = rng.below(ADMINS.len() as u64) as usize;
    let roles = (0..rng.below(3))
        .map(|_| ROLES[rng.below(ROLES.len() as u64) as usize])
        .collect();
    Person {
        index,
        market,
        first_name: Some(first_name),
        middle_name,
        last_name: Some(last_name),
        email,
        phone,
        status,
        subscription,
        created,
        updated,
        last_login,
        expires,
        custom_attributes,
        ids,
        customer_id,
        created_by,
        updated_by,
        roles,
        hostility: None,
    }
}

fn pick<'a>(rng: &mut SplitMix64, items: &'a [&'a str]) -> &'a str {
    rng.pick(items).copied().unwrap_or("")
}

fn email_for(
    rng: &mut SplitMix64,
    market: Market,
    first: &str,
    last: &str,
    index: usize,
) -> String {
    let first = names::email_local(first);
    let last = names::email_local(last);
    let domain = pick(rng, market.email_domains());
    // Every pattern carries the index, so addresses are unique unless made duplicate on purpose.
    match rng.below(4) {
        0 => format!("{first}.{last}{index}@{domain}"),
        1 => format!("{first}{last}{index}@{domain}"),
        2 => format!("{}{last}.{index}@{domain}", first.get(..1).unwrap_or("x")),
        _ => format!("{last}_{first}{index}@{domain}"),
    }
}

fn phone_for(rng: &mut SplitMix64, market: Market) -> String {
    let (country, prefixes, digits) = market.phone_plan();
    let prefix = pick(rng, prefixes);
    let mut number = format!("{country}{prefix}");
    for _ in 0..digits {
        number.push(char::from(b'0' + rng.below(10) as u8));
    }
    number
}

/// Creation instants skew towards recent years, as a growing service's do.
fn skewed_instant(rng: &mut SplitMix64) -> Timestamp {
    let span = ((EPOCH_END - EPOCH_START) * 1_000_000) as u64;
    let a = rng.below(span);
    let b = rng.below(span);
    micros(EPOCH_START * 1_000_000 + a.max(b) as i64)
}

fn subscription(rng: &mut SplitMix64, created: Timestamp) -> Option<Subscription> {
    if rng.chance(20) {
        return None;
    }
    let (plan, monthly) = PLANS[rng.below(PLANS.len() as u64) as usize];
    let (term, months) = TERMS[rng.below(TERMS.len() as u64) as usize];
    let is_free_trial = rng.chance(10);
    let started = seconds(created.as_second() + rng.below(86_400 * 30) as i64);
    let billing_day = seconds(started.as_second() + 86_400 * 30 * i64::from(months));
    Some(Subscription {
        plan,
        term,
        standard_cost: if is_free_trial { 0 } else { monthly * months },
        is_active: rng.chance(80),
        is_free_trial,
        billing_day,
        date_created: started,
    })
}

fn custom_attributes(rng: &mut SplitMix64, market: Market) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    if rng.chance(50) {
        attributes.push((
            "department".to_string(),
            pick(rng, &DEPARTMENTS).to_string(),
        ));
    }
    if rng.chance(30) {
        attributes.push((
            "contract".to_string(),
            format!("C-{:05}", rng.below(100_000)),
        ));
    }
    if rng.chance(20) {
        attributes.push(("region".to_string(), market.country().to_string()));
    }
    attributes
}

/// A version-4 UUID from the generator, lower-case hex as the providers print them.
fn uuid(rng: &mut SplitMix64) -> String {
    let hi = rng.next_u64();
    let lo = rng.next_u64();
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// Rebilly-style id: `usr_` and 26 Crockford base-32 characters.
fn rebilly_id(rng: &mut SplitMix64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut id = String::from("usr_");
    for _ in 0..26 {
        id.push(char::from(ALPHABET[rng.below(32) as usize]));
    }
    id
}

fn micros(value: i64) -> Timestamp {
    Timestamp::from_microsecond(value).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn seconds(value: i64) -> Timestamp {
    Timestamp::from_second(value).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_people_other_seed_other_people() {
        let a = Population::generate(7, 300);
        let b = Population::generate(7, 300);
        let c = Population::generate(8, 300);
        assert_eq!(a, b);
        assert_ne!(a.people, c.people);
    }

    #[test]
    fn emails_are_unique_except_the_deliberate_duplicates() {
        let population = Population::generate(1, 2_000);
        let mut seen = std::collections::HashMap::new();
        for person in &population.people {
            if let Some(email) = &person.email {
                *seen.entry(email.clone()).or_insert(0) += 1;
            }
        }
        let duplicated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        let deliberate = population
            .people
            .iter()
            .filter(|p| p.hostility == Some(Hostility::DuplicateEmail))
            .count();
        assert!(deliberate > 0);
        assert_eq!(duplicated.len(), deliberate);
    }

    #[test]
    fn about_one_percent_is_hostile_and_every_kind_occurs() {
        let population = Population::generate(3, 2_000);
        let hostile: Vec<_> = population
            .people
            .iter()
            .filter_map(|p| p.hostility)
            .collect();
        assert_eq!(hostile.len(), 20);
        for kind in Hostility::ALL {
            assert!(hostile.contains(&kind), "{kind:?} missing");
        }
    }

    #[test]
    fn times_are_ordered_and_within_the_epoch() {
        let population = Population::generate(11, 1_000);
        for person in &population.people {
            assert!(person.created.as_second() >= EPOCH_START);
            assert!(person.created.as_second() <= EPOCH_END);
            assert!(person.updated >= person.created);
            if let Some(login) = person.last_login {
                assert!(login >= person.updated);
            }
        }
        let markets: std::collections::HashSet<_> =
            population.people.iter().map(|p| p.market).collect();
        assert_eq!(markets.len(), Market::ALL.len());
    }

    #[test]
    fn a_hundred_thousand_people_generate() {
        let population = Population::generate(5, 100_000);
        assert_eq!(population.people.len(), 100_000);
        assert_eq!(population.people[99_999].index, 99_999);
    }
}
