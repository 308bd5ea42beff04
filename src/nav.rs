//! Links into the list views. Every list link carries the whole view in its query string (see
//! `url_state`), so opening a user and closing it again lands on the same table state.
//!
//! A user's key is percent-encoded once, here ([`user_href`], and [`user_link`] for the copied
//! link), and decoded once, by the router: `leptos_router` hands `:key` to the page already
//! decoded (its `ParamsMap` runs `decodeURIComponent`). The detail page uses the parameter as it
//! comes; decoding it again opened the wrong user for ids holding a literal `%2F`.

use leptos_router::NavigateOptions;
use userdeck_providers::Query;
use userdeck_providers::http::{encode_query, percent_encode};

use crate::url_state;

thread_local! {
    static BASE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Sets the router's base (`/admin`, `/admin/embed`, or `""`), which every link here starts
/// with: leptos_router passes an absolute `href` through as it is, so a console under a
/// sub-path must write the sub-path into its links itself.
pub fn set_base(base: &str) {
    BASE.with(|b| *b.borrow_mut() = base.to_string());
}

fn at_base(path: String) -> String {
    BASE.with(|base| format!("{}{path}", base.borrow()))
}

/// The home page (the provider cards).
pub fn home_href() -> String {
    at_base("/".into())
}

fn query_string(query: &Query) -> String {
    let pairs = url_state::encode(query);
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", encode_query(&pairs))
    }
}

/// The table of `provider_id` showing `query`.
pub fn list_href(provider_id: &str, query: &Query) -> String {
    at_base(format!(
        "/p/{}{}",
        percent_encode(provider_id),
        query_string(query)
    ))
}

/// The detail panel of the user with row key `key`, beside the table showing `query`.
pub fn user_href(provider_id: &str, key: &str, query: &Query) -> String {
    at_base(format!(
        "/p/{}/u/{}{}",
        percent_encode(provider_id),
        percent_encode(key),
        query_string(query)
    ))
}

/// The absolute address of a user's detail panel, for the "Copy link" button: the page's
/// origin and router base (`base`, e.g. `https://admin.example.com/userdeck`) before
/// [`user_href`], so that the key is still encoded exactly once.
pub fn user_link(base: &str, provider_id: &str, key: &str, query: &Query) -> String {
    format!(
        "{}{}",
        base.trim_end_matches('/'),
        user_href(provider_id, key, query)
    )
}

/// The plain table of `provider_id`, with every filter cleared: what the navigation links
/// and the home page's cards open.
pub fn provider_href(provider_id: &str) -> String {
    list_href(provider_id, &url_state::decode([]))
}

/// Navigates from the view `old` to `new`, through [`url_state::change_view`], so that the rule
/// for when the page index resets lives in the URL layer and nowhere else. `navigate` comes from
/// `use_navigate`, taken when the component is built.
pub fn go_to_view(
    navigate: &dyn Fn(&str, NavigateOptions),
    provider_id: &str,
    old: &Query,
    new: Query,
) {
    let next = url_state::change_view(old, new);
    navigate(&list_href(provider_id, &next), Default::default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::decode;

    #[test]
    fn links_carry_the_view_and_escape_keys() {
        let query = decode([("q", "a&b"), ("page", "3")]);
        assert_eq!(list_href("rebilly", &query), "/p/rebilly?q=a%26b&page=3");
        assert_eq!(
            user_href("pressone", "jane@x.io#2", &Query::default()),
            "/p/pressone/u/jane%40x.io%232?size=50"
        );
        assert_eq!(provider_href("name shield"), "/p/name%20shield");
        assert_eq!(home_href(), "/");
        set_base("/admin/embed");
        assert_eq!(provider_href("rebilly"), "/admin/embed/p/rebilly");
        assert_eq!(home_href(), "/admin/embed/");
        set_base("");
    }

    /// What the router does to a path segment: `decodeURIComponent`, once.
    fn decode_once(segment: &str) -> String {
        let bytes = segment.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8")
    }

    /// Ids holding every character that could be read twice or split a URL.
    pub const HOSTILE_KEYS: [&str; 10] = [
        "a/b",
        "a?b=c",
        "a#b",
        "100%",
        "a%2Fb",
        "a+b",
        "a&b",
        "with space",
        "ünïcødé 名前",
        "%25%",
    ];

    #[test]
    fn keys_are_encoded_once_and_come_back_whole() {
        for key in HOSTILE_KEYS {
            let href = user_href("rebilly", key, &decode([("page", "2")]));
            let path = href.split('?').next().expect("a path");
            let segments: Vec<&str> = path.split('/').collect();
            assert_eq!(segments.len(), 5, "{key}: {href}");
            assert!(
                !href.contains('#') && href.matches('?').count() == 1,
                "{href}"
            );
            assert_eq!(decode_once(segments[4]), key, "{href}");
            assert!(href.ends_with("?page=2"), "{href}");
            let link = user_link(
                "https://admin.example.com/ud/",
                "rebilly",
                key,
                &Query::default(),
            );
            assert_eq!(
                link,
                format!(
                    "https://admin.example.com/ud{}",
                    user_href("rebilly", key, &Query::default())
                )
            );
        }
    }
}
