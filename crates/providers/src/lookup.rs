//! Opening one user by its row key (the `:key` of `/p/:provider/u/:key`) when that user is not
//! among the rows on screen: a link in a ticket names a user, not a page. [`lookup_key`]
//! turns the key into the provider's best request, as a [`Query`] for the ordinary planner: a
//! key filter where the provider has one, its search where that covers ids, a bounded scan
//! otherwise.

use crate::capabilities::Capabilities;
use crate::field::Field;
use crate::find::{find_config, free_text_covers};
use crate::kind::ProviderKind;
use crate::model::User;
use crate::plan::PlanConfig;
use crate::query::{Filter, FilterOp, PageRequest, Query, Value};

/// How a key is looked up.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyLookup {
    /// Run `query` with `config`, then take the row whose key is the one asked for
    /// ([`pick`]).
    Run {
        /// What to ask.
        query: Query,
        /// The limits (a scan is bounded by [`crate::find::FIND_SCAN_CAP`]).
        config: PlanConfig,
        /// Whether every user may be read (no key filter or search covers the key), so that
        /// the shell can show the scan's progress.
        scan: bool,
    },
    /// No user of this provider can have this key (a PressOne key that is neither `email:`,
    /// `mobile:` nor `row:`), so nothing is asked.
    Impossible,
}

/// Plans the lookup of `key` at the provider with `capabilities`.
pub fn lookup_key(capabilities: &Capabilities, key: &str) -> KeyLookup {
    let run = |filters: Vec<Filter>, search: Option<&str>, page: PageRequest, scan: bool| {
        KeyLookup::Run {
            query: Query {
                search: search.map(str::to_string),
                filters,
                sort: Vec::new(),
                page,
            },
            config: find_config(),
            scan,
        }
    };
    let one = PageRequest { index: 0, size: 1 };
    // Every adapter keys a row without an identifier by its absolute position in the
    // provider's order, so the row at that position is the one to check.
    if let Some(position) = key.strip_prefix("row:").and_then(|p| p.parse::<u64>().ok()) {
        let page = PageRequest {
            index: position,
            size: 1,
        };
        return run(Vec::new(), None, page, false);
    }
    if capabilities.kind == ProviderKind::PressOne {
        let by = |field: Field, value: &str| run(vec![equals(field, value)], None, one, false);
        return match (key.strip_prefix("email:"), key.strip_prefix("mobile:")) {
            (Some(email), _) if !email.is_empty() => by(Field::Email, email),
            (_, Some(mobile)) if !mobile.is_empty() => by(Field::Phone, mobile),
            _ => KeyLookup::Impossible,
        };
    }
    if key.trim().is_empty() {
        return KeyLookup::Impossible;
    }
    let id = equals(Field::Id, key);
    let exact = capabilities.supports_filter(&id)
        && crate::adapters::can_carry(capabilities.kind, &id) == crate::adapters::Carry::Exact;
    if exact {
        run(vec![id], None, one, false)
    } else if free_text_covers(capabilities, Field::Id) {
        run(vec![id], Some(key), one, false)
    } else {
        run(vec![id], None, one, true)
    }
}

fn equals(field: Field, value: &str) -> Filter {
    Filter {
        field,
        op: FilterOp::Equals(Value::Text(value.to_string())),
    }
}

/// The user with `key` among the rows a lookup returned, if any: a row at the position asked
/// for, or a match of the filter, is only the user if its key is the one in the link.
pub fn pick(rows: Vec<User>, key: &str) -> Option<User> {
    rows.into_iter().find(|user| user.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Strategy, plan};

    fn wire(kind: ProviderKind, key: &str) -> (Strategy, Vec<(String, String)>, bool) {
        let caps = Capabilities::of(kind);
        let KeyLookup::Run {
            query,
            config,
            scan,
        } = lookup_key(&caps, key)
        else {
            panic!("{kind:?} {key} should be looked up");
        };
        let plan = plan(&query, &caps, &config);
        let mut execution = crate::Execution::new(plan.clone());
        let fetches = execution.next_fetches().expect("a request");
        (plan.strategy, fetches[0].request.query.clone(), scan)
    }

    fn has(pairs: &[(String, String)], key: &str, value: &str) -> bool {
        pairs.iter().any(|(k, v)| k == key && v == value)
    }

    #[test]
    fn pressone_keys_become_its_exact_filters() {
        let (s, q, scan) = wire(ProviderKind::PressOne, "email:ada@x.io");
        assert_eq!((s, scan), (Strategy::Direct, false));
        assert!(has(&q, "email", "ada@x.io") && has(&q, "page_size", "1"));
        let (_, q, _) = wire(ProviderKind::PressOne, "mobile:+2348031234567");
        assert!(has(&q, "mobile", "+2348031234567"));
        let caps = Capabilities::of(ProviderKind::PressOne);
        assert_eq!(lookup_key(&caps, "usr_1"), KeyLookup::Impossible);
        assert_eq!(lookup_key(&caps, "email:"), KeyLookup::Impossible);
    }

    #[test]
    fn row_keys_read_the_row_at_their_position() {
        let (s, q, _) = wire(ProviderKind::PressOne, "row:612");
        assert_eq!(s, Strategy::Direct);
        assert!(has(&q, "page_index", "613") && has(&q, "page_size", "1"));
        let (_, q, _) = wire(ProviderKind::Nameshield, "row:612");
        assert!(has(&q, "offset", "612") && has(&q, "limit", "1"));
    }

    #[test]
    fn ids_use_a_key_filter_search_or_bounded_scan() {
        let (s, q, scan) = wire(ProviderKind::Nameshield, "0b7c-uuid");
        assert_eq!((s, scan), (Strategy::Direct, false));
        assert!(has(&q, "id", "0b7c-uuid"));

        let (s, q, _) = wire(ProviderKind::Rebilly, "usr_01HX");
        assert_eq!(s, Strategy::Direct);
        assert!(has(&q, "filter", "id:usr_01HX"));

        // A Rebilly id holding filter punctuation cannot be sent; its search then stands in
        // only if it covers ids, which is not assumed, so it is a bounded scan.
        let (_, _, scan) = wire(ProviderKind::Rebilly, "usr:1");
        assert!(scan);

        let (s, q, scan) = wire(ProviderKind::Pngme, "5f0c-uuid");
        assert_eq!((s, scan), (Strategy::FullScan, false));
        assert!(has(&q, "search", "5f0c-uuid"));

        let (s, q, scan) = wire(ProviderKind::ActivePlatform, "2000123");
        assert_eq!((s, scan), (Strategy::FullScan, true));
        assert!(!q.iter().any(|(k, _)| k.starts_with("filters")));
        let caps = Capabilities::of(ProviderKind::ActivePlatform);
        let KeyLookup::Run { config, .. } = lookup_key(&caps, "2000123") else {
            panic!("looked up");
        };
        assert_eq!(config.scan_cap, crate::find::FIND_SCAN_CAP);
        assert_eq!(lookup_key(&caps, "  "), KeyLookup::Impossible);
    }
}
