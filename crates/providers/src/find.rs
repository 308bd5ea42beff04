//! Finding one person on every provider at once. A support ticket holds an e-mail address, a
//! phone number or a name; [`Needle::classify`] decides which, and [`plan_find`] decides, per
//! configured provider, the best way to ask that provider: as [`Query`]s that the ordinary
//! planner ([`crate::plan()`]) pushes down, so the adapters build the requests as for any list.
//! Where a provider cannot be asked, the plan says so in a sentence, or (for names, which
//! nothing else finds) reads every user in a scan bounded by [`FIND_SCAN_CAP`].

use crate::capabilities::Capabilities;
use crate::catalog::ProviderInfo;
use crate::field::Field;
use crate::kind::ProviderKind;
use crate::model::{Page, Total, User};
use crate::plan::PlanConfig;
use crate::query::{Filter, FilterOp, PageRequest, Query, Value};
use std::collections::HashSet;

/// The most users a find scan reads on one provider before it refuses: a search must answer
/// in seconds, and 5,000 users is 50 requests of 100.
/// (The scan note spells the number out; a test keeps the two equal.)
pub const FIND_SCAN_CAP: u64 = 5_000;

/// Rows shown per provider: a person search that matches more than this needs a narrower
/// input, and the note says how many matched in all.
pub const FIND_ROWS: u32 = 50;

/// What the input was taken for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needle {
    /// An e-mail address, trimmed.
    Email(String),
    /// A phone number: its digits with a leading `+` (an international `00` prefix dropped).
    Phone(String),
    /// A name (or any other text), with its whitespace collapsed.
    Name(String),
}

impl Needle {
    /// Reads the search box. Blank input is no search at all.
    pub fn classify(input: &str) -> Option<Needle> {
        let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return None;
        }
        if is_email(&text) {
            return Some(Needle::Email(text));
        }
        if let Some(phone) = phone_digits(&text) {
            return Some(Needle::Phone(phone));
        }
        Some(Needle::Name(text))
    }

    /// The normalised text searched for.
    pub fn text(&self) -> &str {
        match self {
            Needle::Email(t) | Needle::Phone(t) | Needle::Name(t) => t,
        }
    }

    /// What the input was taken for, in words: "an e-mail address".
    pub fn described(&self) -> &'static str {
        match self {
            Needle::Email(_) => "an e-mail address",
            Needle::Phone(_) => "a phone number",
            Needle::Name(_) => "a name",
        }
    }

    /// The field word for sentences: "e-mail", "phone", "name".
    fn word(&self) -> &'static str {
        match self {
            Needle::Email(_) => "e-mail",
            Needle::Phone(_) => "phone",
            Needle::Name(_) => "name",
        }
    }
}

/// One `@`, something before it, a dotted domain after it, and no space.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(' ')
}

/// `+digits` when the text is a phone number: an optional leading `+`, then digits written
/// with spaces, dashes, dots or brackets, 7 to 15 digits in all (E.164 allows 15).
fn phone_digits(text: &str) -> Option<String> {
    let body = text.strip_prefix('+').unwrap_or(text);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let digits = match (text.starts_with('+'), digits.strip_prefix("00")) {
        (false, Some(rest)) => rest.to_string(),
        _ => digits,
    };
    (7..=15)
        .contains(&digits.len())
        .then(|| format!("+{digits}"))
}

/// How one provider is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approach {
    /// The provider is asked (its filters or its search); the browser at most checks the few
    /// rows it returns.
    Asked,
    /// Every user is read, at most [`FIND_SCAN_CAP`], and matched in the browser.
    Scan,
    /// The provider cannot be searched this way; the sentence says so.
    Cannot(String),
}

/// The plan for one provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderSearch {
    /// The provider, as configured.
    pub info: ProviderInfo,
    /// How it is searched.
    pub approach: Approach,
    /// The queries to run, one after the other, whose results are merged ([`merge`]); empty
    /// when the provider cannot be searched.
    pub queries: Vec<Query>,
    /// The planner limits for these queries (a scan is bounded by [`FIND_SCAN_CAP`]).
    pub config: PlanConfig,
    /// How it is searched, in words, for the per-provider note ("exact e-mail filter").
    pub how: String,
}

/// The whole fan-out: what the input was taken for and one plan per provider.
#[derive(Debug, Clone, PartialEq)]
pub struct FindPlan {
    /// The classified input.
    pub needle: Needle,
    /// One entry per configured provider, in the operator's order.
    pub searches: Vec<ProviderSearch>,
}

/// Plans a search for `input` over `providers`; `None` for blank input.
pub fn plan_find(input: &str, providers: &[ProviderInfo]) -> Option<FindPlan> {
    let needle = Needle::classify(input)?;
    let searches = providers
        .iter()
        .map(|info| search_provider(&needle, info))
        .collect();
    Some(FindPlan { needle, searches })
}

/// The find limits: the default concurrency, the find scan cap.
pub fn find_config() -> PlanConfig {
    PlanConfig {
        scan_cap: FIND_SCAN_CAP,
        ..PlanConfig::default()
    }
}

/// Which fields a provider's free-text search covers. Pngme documents it (names, e-mail,
/// phone, external id, uuid); Rebilly says only "text fields", so names and e-mail are the
/// safe reading (phones and ids are not assumed).
pub fn free_text_covers(capabilities: &Capabilities, field: Field) -> bool {
    if capabilities.free_text.is_none() {
        return false;
    }
    let covered: &[Field] = match capabilities.kind {
        ProviderKind::Pngme => &[
            Field::Name,
            Field::Email,
            Field::Phone,
            Field::Id,
            Field::ExternalId,
        ],
        ProviderKind::Rebilly => &[Field::Name, Field::Email],
        _ => &[],
    };
    covered.contains(&field)
}

/// Whether the provider applies `filter` itself, exactly.
fn pushes_exactly(capabilities: &Capabilities, filter: &Filter) -> bool {
    capabilities.supports_filter(filter)
        && crate::adapters::can_carry(capabilities.kind, filter) == crate::adapters::Carry::Exact
}

fn query(search: Option<&str>, filters: Vec<Filter>) -> Query {
    Query {
        search: search.map(str::to_string),
        filters,
        sort: Vec::new(),
        page: PageRequest {
            index: 0,
            size: FIND_ROWS,
        },
    }
}

fn equals(field: Field, text: &str) -> Filter {
    Filter {
        field,
        op: FilterOp::Equals(Value::Text(text.to_string())),
    }
}

fn contains(field: Field, text: &str) -> Filter {
    Filter {
        field,
        op: FilterOp::Contains(text.to_string()),
    }
}

fn search_provider(needle: &Needle, info: &ProviderInfo) -> ProviderSearch {
    let caps = &info.capabilities;
    let asked = |queries: Vec<Query>, how: &str| ProviderSearch {
        info: info.clone(),
        approach: Approach::Asked,
        queries,
        config: find_config(),
        how: how.to_string(),
    };
    let cannot = |sentence: String| ProviderSearch {
        info: info.clone(),
        approach: Approach::Cannot(sentence),
        queries: Vec::new(),
        config: find_config(),
        how: String::new(),
    };
    let scan = |filters: Vec<Filter>| ProviderSearch {
        info: info.clone(),
        approach: Approach::Scan,
        queries: vec![query(None, filters)],
        config: find_config(),
        how: format!(
            "reads every user (at most 5,000) to match the {}",
            needle.word()
        ),
    };
    let label = &info.label;
    match needle {
        Needle::Email(email) => {
            let exact = equals(Field::Email, email);
            if pushes_exactly(caps, &exact) {
                asked(vec![query(None, vec![exact])], "exact e-mail filter")
            } else if free_text_covers(caps, Field::Email) {
                asked(
                    vec![query(Some(email), vec![exact])],
                    "its search, then an exact e-mail check",
                )
            } else if caps.fields.contains(&Field::Email) {
                scan(vec![exact])
            } else {
                cannot(format!("{label} cannot be searched by e-mail."))
            }
        }
        Needle::Phone(phone) => {
            let digits = &phone[1..];
            if free_text_covers(caps, Field::Phone) {
                // Its search is partial, so it finds the number written with or without the
                // `+`; the in-memory check keeps only numbers holding every digit.
                asked(
                    vec![query(Some(digits), vec![contains(Field::Phone, digits)])],
                    "its search, then a check of the digits",
                )
            } else if pushes_exactly(caps, &equals(Field::Phone, phone)) {
                asked(
                    vec![query(None, vec![equals(Field::Phone, phone)])],
                    "exact mobile filter",
                )
            } else if caps.fields.contains(&Field::Phone) {
                // Reading a whole provider for one number is what the provider table's Phone
                // filter does when asked; a search across providers does not do it unasked.
                cannot(format!("{label} cannot be searched by phone."))
            } else {
                cannot(format!(
                    "{label} cannot be searched by phone: its users have no phone number."
                ))
            }
        }
        Needle::Name(name) => name_search(name, caps, asked, scan),
    }
}

/// A name: the provider's search on its longest word (searches match one field at a time),
/// else name-part wildcards (Nameshield), else a bounded scan; in every case each word must
/// be part of the name, so "Ada Obi" also finds "Ada Ngozi Obi".
fn name_search(
    name: &str,
    caps: &Capabilities,
    asked: impl Fn(Vec<Query>, &str) -> ProviderSearch,
    scan: impl Fn(Vec<Filter>) -> ProviderSearch,
) -> ProviderSearch {
    let words: Vec<&str> = name.split(' ').collect();
    let each_word = || -> Vec<Filter> { words.iter().map(|w| contains(Field::Name, w)).collect() };
    if free_text_covers(caps, Field::Name) {
        let longest = words
            .iter()
            .copied()
            .max_by_key(|w| w.chars().count())
            .unwrap_or(name);
        return asked(
            vec![query(Some(longest), each_word())],
            "its search, then a check of every word",
        );
    }
    let parts = [
        contains(Field::FirstName, name),
        contains(Field::LastName, name),
    ];
    if parts.iter().all(|f| pushes_exactly(caps, f)) {
        let queries = match words.split_last() {
            Some((last, first)) if !first.is_empty() => {
                let mut filters = vec![
                    contains(Field::FirstName, first[0]),
                    contains(Field::LastName, last),
                ];
                filters.extend(each_word());
                vec![query(None, filters)]
            }
            _ => vec![
                query(None, vec![contains(Field::FirstName, name)]),
                query(None, vec![contains(Field::LastName, name)]),
            ],
        };
        return asked(queries, "name wildcards");
    }
    scan(each_word())
}

/// The rows of one provider's queries, in order, each user once (by key), and how many match
/// in all: one query's own total, or for several an exact count only when each returned
/// every row it matched.
pub fn merge(pages: Vec<Page<User>>) -> (Vec<User>, Total) {
    let pages = match <[Page<User>; 1]>::try_from(pages) {
        Ok([page]) => return (page.items, page.total),
        Err(pages) => pages,
    };
    let complete = pages
        .iter()
        .all(|p| p.total == Total::Exact(p.items.len() as u64));
    let mut seen = HashSet::new();
    let users: Vec<User> = pages
        .into_iter()
        .flat_map(|p| p.items)
        .filter(|user| seen.insert(user.key.clone()))
        .collect();
    let count = users.len() as u64;
    let total = if complete {
        Total::Exact(count)
    } else {
        Total::AtLeast(count)
    };
    (users, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Paging;
    use crate::plan::{Strategy, plan};

    fn info(kind: ProviderKind) -> ProviderInfo {
        ProviderInfo {
            id: kind.id().to_string(),
            kind,
            label: kind.label().to_string(),
            path: format!("/api/p/{}", kind.id()),
            capabilities: Capabilities::of(kind),
        }
    }

    fn all() -> Vec<ProviderInfo> {
        ProviderKind::ALL.into_iter().map(info).collect()
    }

    fn search(input: &str, kind: ProviderKind) -> ProviderSearch {
        let plan = plan_find(input, &all()).expect("not blank");
        plan.searches
            .into_iter()
            .find(|s| s.info.kind == kind)
            .expect("every provider is planned")
    }

    /// The requests the ordinary planner and adapter build for a search's first query.
    fn wire(search: &ProviderSearch) -> (Strategy, Vec<(String, String)>) {
        let query = &search.queries[0];
        let plan = plan(query, &search.info.capabilities, &search.config);
        let mut execution = crate::Execution::new(plan.clone());
        let fetches = execution.next_fetches().expect("a request");
        (plan.strategy, fetches[0].request.query.clone())
    }

    fn has(pairs: &[(String, String)], key: &str, value: &str) -> bool {
        pairs.iter().any(|(k, v)| k == key && v == value)
    }

    #[test]
    fn classifies_email_phone_and_name() {
        assert_eq!(
            Needle::classify("  ada.obi@example.ng "),
            Some(Needle::Email("ada.obi@example.ng".into()))
        );
        assert_eq!(
            Needle::classify("+234 803 123-4567"),
            Some(Needle::Phone("+2348031234567".into()))
        );
        assert_eq!(
            Needle::classify("(234) 803.123.4567"),
            Some(Needle::Phone("+2348031234567".into()))
        );
        assert_eq!(
            Needle::classify("0044 20 7946 0958"),
            Some(Needle::Phone("+442079460958".into()))
        );
        assert_eq!(
            Needle::classify("  Ada   Obi "),
            Some(Needle::Name("Ada Obi".into()))
        );
        assert_eq!(Needle::classify("   "), None);
    }

    #[test]
    fn near_misses_are_names() {
        for input in [
            "12345",
            "1234567890123456",
            "ada@",
            "@example.ng",
            "ada@localhost",
            "a@b@c.d",
            "ada obi@x.io",
            "+234 803 abc",
            "Ольга",
        ] {
            assert!(
                matches!(Needle::classify(input), Some(Needle::Name(_))),
                "{input}"
            );
        }
    }

    #[test]
    fn email_uses_each_providers_best_push_down() {
        let email = "ada.obi@example.ng";
        let p = search(email, ProviderKind::PressOne);
        assert_eq!(p.approach, Approach::Asked);
        let (strategy, q) = wire(&p);
        assert_eq!(strategy, Strategy::Direct);
        assert!(has(&q, "email", email));

        let (strategy, q) = wire(&search(email, ProviderKind::Pngme));
        assert!(has(&q, "search", email));
        assert_eq!(
            strategy,
            Strategy::FullScan,
            "the partial search is re-checked"
        );

        let (strategy, q) = wire(&search(email, ProviderKind::Nameshield));
        assert_eq!(strategy, Strategy::Direct);
        assert!(has(&q, "email", email));

        // `@` is filter punctuation for Rebilly, so the address goes to `q` and is checked.
        let (strategy, q) = wire(&search(email, ProviderKind::Rebilly));
        assert!(has(&q, "q", email));
        assert!(!q.iter().any(|(k, _)| k == "filter"));
        assert_eq!(strategy, Strategy::FullScan);

        let (strategy, q) = wire(&search(email, ProviderKind::ActivePlatform));
        assert_eq!(strategy, Strategy::Direct);
        assert!(has(&q, "filters[email]", email));
    }

    #[test]
    fn rebilly_email_without_punctuation_would_use_the_filter() {
        // Only the planner's carry rule keeps `@` out; a served capability change that lets
        // Rebilly carry the e-mail exactly is used as soon as it exists.
        let caps = Capabilities::of(ProviderKind::Rebilly);
        assert!(!pushes_exactly(&caps, &equals(Field::Email, "a@b.c")));
        assert!(pushes_exactly(&caps, &equals(Field::Email, "plain")));
    }

    #[test]
    fn phone_uses_search_or_mobile_and_says_where_it_cannot() {
        let phone = "+234 803 123 4567";
        let (strategy, q) = wire(&search(phone, ProviderKind::PressOne));
        assert_eq!(strategy, Strategy::Direct);
        assert!(has(&q, "mobile", "+2348031234567"));

        let (_, q) = wire(&search(phone, ProviderKind::Pngme));
        assert!(has(&q, "search", "2348031234567"));

        let n = search(phone, ProviderKind::Nameshield);
        assert_eq!(
            n.approach,
            Approach::Cannot("Nameshield cannot be searched by phone.".into())
        );
        assert!(n.queries.is_empty());
        assert_eq!(
            search(phone, ProviderKind::Rebilly).approach,
            Approach::Cannot("Rebilly cannot be searched by phone.".into())
        );
        assert_eq!(
            search(phone, ProviderKind::ActivePlatform).approach,
            Approach::Cannot(
                "ActivePlatform cannot be searched by phone: its users have no phone number."
                    .into()
            )
        );
    }

    #[test]
    fn names_use_search_wildcards_or_a_bounded_scan() {
        let (strategy, q) = wire(&search("Ada Obiora", ProviderKind::Pngme));
        assert!(has(&q, "search", "Obiora"));
        assert_eq!(strategy, Strategy::FullScan);
        let (_, q) = wire(&search("Ada Obiora", ProviderKind::Rebilly));
        assert!(has(&q, "q", "Obiora"));

        let n = search("Ada Obiora", ProviderKind::Nameshield);
        assert_eq!(n.queries.len(), 1);
        let (_, q) = wire(&n);
        assert!(has(&q, "firstname", "*Ada*") && has(&q, "lastname", "*Obiora*"));

        let one = search("Obiora", ProviderKind::Nameshield);
        assert_eq!(one.queries.len(), 2, "first name or last name");
        for query in &one.queries {
            let p = plan(query, &one.info.capabilities, &one.config);
            assert_eq!(p.strategy, Strategy::Direct);
            assert_eq!(p.pushed.filters.len(), 1);
        }

        for kind in [ProviderKind::PressOne, ProviderKind::ActivePlatform] {
            let s = search("Ada", kind);
            assert_eq!(s.approach, Approach::Scan);
            assert!(s.how.contains("at most 5,000"));
            assert_eq!(FIND_SCAN_CAP, 5_000, "the note's number");
            let p = plan(&s.queries[0], &s.info.capabilities, &s.config);
            assert_eq!(p.strategy, Strategy::FullScan);
            assert_eq!(p.cap, FIND_SCAN_CAP);
            assert!(p.pushed.filters.is_empty() && p.pushed.search.is_none());
        }
    }

    #[test]
    fn every_provider_gets_a_plan_in_order() {
        let plan = plan_find("ada", &all()).expect("a plan");
        let kinds: Vec<_> = plan.searches.iter().map(|s| s.info.kind).collect();
        assert_eq!(kinds, ProviderKind::ALL);
        assert_eq!(plan.needle.described(), "a name");
        assert!(plan_find(" ", &all()).is_none());
    }

    #[test]
    fn merge_keeps_each_user_once_in_order() {
        let user = |key: &str| User {
            key: key.into(),
            id: None,
            first_name: None,
            middle_name: None,
            last_name: None,
            display_name: key.into(),
            email: None,
            phones: Vec::new(),
            status: None,
            subscription: None,
            created: None,
            updated: None,
            last_login: None,
            expires: None,
            attributes: Vec::new(),
            raw: serde_json::Value::Null,
        };
        let page = |keys: &[&str], total: Total| Page {
            items: keys.iter().map(|k| user(k)).collect(),
            total,
            paging: Paging::default(),
        };
        let (merged, total) = merge(vec![
            page(&["a", "b"], Total::Exact(2)),
            page(&["b", "c"], Total::Exact(2)),
        ]);
        assert_eq!(total, Total::Exact(3));
        let (_, total) = merge(vec![
            page(&["a"], Total::Exact(9)),
            page(&["b"], Total::Exact(1)),
        ]);
        assert_eq!(total, Total::AtLeast(2), "a page held back rows");
        let (_, total) = merge(vec![page(&["a"], Total::Exact(9))]);
        assert_eq!(total, Total::Exact(9));
        let keys: Vec<&str> = merged.iter().map(|u| u.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }
}
