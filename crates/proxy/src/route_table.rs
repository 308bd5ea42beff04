//! The fixed route table: for each provider kind, the one list-users path the proxy forwards and
//! the query parameters it lets through. This is deliberately not a general reverse proxy:
//! whatever is not listed here never reaches a provider.

use userdeck_providers::ProviderKind;
use userdeck_providers::adapters;

/// What a query parameter's value may look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Digits only (page numbers, sizes, offsets, ids); anything else is dropped.
    Number,
    /// Any text without control characters (search text, filters, sort keys).
    Text,
}

/// One kind's route: the path the console asks for below `/api/p/{id}` (the adapter's path, so
/// the two cannot drift apart) and the parameters copied through.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The path exactly as the adapter builds it; anything else is a 404.
    pub path: &'static str,
    /// The parameters passed on, with the shape of their values.
    pub params: &'static [(&'static str, Value)],
    /// The parameter that sets the page size, if the kind has one; its value is clamped to
    /// the provider's maximum.
    pub page_size: Option<&'static str>,
}

/// The route for `kind`.
pub fn route(kind: ProviderKind) -> Route {
    use Value::{Number, Text};
    match kind {
        ProviderKind::PressOne => Route {
            path: adapters::pressone::PATH,
            page_size: Some("page_size"),
            params: &[
                ("mobile", Text),
                ("email", Text),
                ("page_index", Number),
                ("page_size", Number),
            ],
        },
        ProviderKind::Pngme => Route {
            path: adapters::pngme::PATH,
            page_size: None,
            params: &[
                ("search", Text),
                ("created_after", Text),
                ("created_before", Text),
                ("phone_number", Text),
                ("device_id", Text),
                ("external_id", Text),
                ("page", Number),
            ],
        },
        ProviderKind::Nameshield => Route {
            path: adapters::nameshield::PATH,
            page_size: Some("limit"),
            params: &[
                ("customer_id", Number),
                ("include_subsidiaries", Text),
                ("limit", Number),
                ("offset", Number),
                ("sort[]", Text),
                ("id", Text),
                ("firstname", Text),
                ("lastname", Text),
                ("email", Text),
                ("created_by", Text),
                ("updated_by", Text),
            ],
        },
        ProviderKind::Rebilly => Route {
            path: adapters::rebilly::PATH,
            page_size: Some("limit"),
            params: &[
                ("limit", Number),
                ("offset", Number),
                ("sort", Text),
                ("filter", Text),
                ("q", Text),
            ],
        },
        ProviderKind::ActivePlatform => Route {
            path: adapters::activeplatform::PATH,
            page_size: Some("per_page"),
            params: &[
                ("page", Number),
                ("per_page", Number),
                ("sorting[field]", Text),
                ("sorting[reversed]", Text),
                ("filters[created_at]", Text),
                ("filters[updated_at]", Text),
                ("filters[status]", Text),
                ("filters[email]", Text),
            ],
        },
    }
}

/// The longest query string accepted; list queries are short, and a bound keeps parsing cheap.
pub const MAX_QUERY_LEN: usize = 4096;

/// Copies the allowed pairs of a raw (still percent-encoded) query string, decoded, in order.
/// Everything else is dropped: unknown keys, values of the wrong shape, and keys in `forced`
/// (parameters the proxy sets itself, such as credentials or a tenant).
pub fn filter_query(route: &Route, raw: &str, forced: &[&str]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes())
        .filter(|(key, value)| {
            !forced.contains(&key.as_ref())
                && route
                    .params
                    .iter()
                    .find(|(name, _)| *name == key.as_ref())
                    .is_some_and(|(_, shape)| accepts(*shape, value))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Lowers the page-size parameter to `max` (the kind's documented maximum, or the configured
/// `max_page_size`), so a client asking for 999999999999 rows gets a page the provider serves.
pub fn clamp_page_size(route: &Route, query: &mut [(String, String)], max: Option<u64>) {
    let (Some(name), Some(max)) = (route.page_size, max) else {
        return;
    };
    for (key, value) in query.iter_mut() {
        if key == name && value.parse::<u64>().is_ok_and(|size| size > max) {
            *value = max.to_string();
        }
    }
}

fn accepts(shape: Value, value: &str) -> bool {
    match shape {
        Value::Number => {
            !value.is_empty() && value.len() <= 12 && value.bytes().all(|b| b.is_ascii_digit())
        }
        Value::Text => value.len() <= 1024 && !value.chars().any(char::is_control),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_listed_parameters_in_order_and_drops_the_rest() {
        let rebilly = route(ProviderKind::Rebilly);
        let kept = filter_query(
            &rebilly,
            "q=ali&evil=1&sort=-email&limit=10&REB-APIKEY=x",
            &[],
        );
        assert_eq!(
            kept,
            vec![
                ("q".to_string(), "ali".to_string()),
                ("sort".to_string(), "-email".to_string()),
                ("limit".to_string(), "10".to_string()),
            ]
        );
    }

    #[test]
    fn a_smuggled_parameter_stays_inside_its_value_and_fails_the_shape_check() {
        let ap = route(ProviderKind::ActivePlatform);
        assert!(filter_query(&ap, "page=10%26api_token%3Dx", &["api_token"]).is_empty());
        assert!(
            filter_query(&ap, "api_token=x&page=1", &["api_token"])
                == vec![("page".into(), "1".into())]
        );
        let kept = filter_query(&ap, "filters%5Bemail%5D=a%26api_token%3Dx", &["api_token"]);
        assert_eq!(
            kept,
            vec![("filters[email]".to_string(), "a&api_token=x".to_string())]
        );
    }

    #[test]
    fn page_sizes_are_clamped_to_the_maximum() {
        let ap = route(ProviderKind::ActivePlatform);
        let mut query = filter_query(&ap, "per_page=999999999999&page=999999999999", &[]);
        clamp_page_size(&ap, &mut query, Some(100));
        assert_eq!(
            query,
            vec![
                ("per_page".to_string(), "100".to_string()),
                ("page".to_string(), "999999999999".to_string())
            ]
        );
        let mut small = vec![("per_page".to_string(), "20".to_string())];
        clamp_page_size(&ap, &mut small, Some(100));
        assert_eq!(small[0].1, "20");
    }

    #[test]
    fn control_characters_and_bad_numbers_are_dropped() {
        let ns = route(ProviderKind::Nameshield);
        assert!(filter_query(&ns, "email=a%0d%0aX-Evil:1&limit=-1&offset=1e3", &[]).is_empty());
        assert_eq!(
            filter_query(&ns, "sort%5B%5D=email:asc&sort[]=id:desc", &[]).len(),
            2
        );
    }
}
