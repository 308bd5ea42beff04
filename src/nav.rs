//! Links into the list views. Every list link carries the whole view in its query string (see
//! `url_state`), so opening a user and closing it again lands on the same table state.

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
        percent_encode(&escape_key(key)),
        query_string(query)
    ))
}

/// The link to one user that a ticket can hold: the plain table with that user open.
pub fn user_link(provider_id: &str, key: &str) -> String {
    user_href(provider_id, key, &url_state::decode([]))
}

/// The cross-provider search for `text`.
pub fn find_href(text: &str) -> String {
    at_base(format!("/find?q={}", percent_encode(text.trim())))
}

/// Keys travel in a path segment, which the router decodes once, except that its link
/// handler first applies `decodeURI` to the path, which turns `%25` back into `%`: a key
/// holding `%2F` would then be decoded twice and open another user, and the address bar would
/// keep the wrong path. So a key's `%` (and the escape character `~` itself) are written as
/// `~25` and `~7E` before percent-encoding; the segment then holds no `%` that either decoding
/// can misread.
fn escape_key(key: &str) -> String {
    key.replace('~', "~7E").replace('%', "~25")
}

/// The row key in a `:key` route parameter that the router has decoded once: the inverse of
/// [`escape_key`]. Total: a `~` not followed by a known escape is kept as it is.
pub fn key_from_param(param: &str) -> String {
    let mut out = String::with_capacity(param.len());
    let mut rest = param;
    while let Some(at) = rest.find('~') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("~25") {
            out.push('%');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("~7E") {
            out.push('~');
            rest = after;
        } else {
            out.push('~');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
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
        assert_eq!(
            find_href(" +234 803 "),
            "/find?q=%2B234%20803",
            "a phone's + survives"
        );
        assert_eq!(home_href(), "/");
        set_base("/admin/embed");
        assert_eq!(provider_href("rebilly"), "/admin/embed/p/rebilly");
        assert_eq!(home_href(), "/admin/embed/");
        set_base("");
    }

    /// What a browser does to the path: the router's link handler applies `decodeURI`, which
    /// leaves the escapes of reserved characters (`/?#&+` and others) and decodes the rest.
    fn decode_uri(path: &str) -> String {
        const RESERVED: &[u8] = b";/?:@&=+$,#";
        let bytes = path.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let escape = (bytes[i] == b'%' && i + 2 < bytes.len())
                .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
                .flatten()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match escape {
                Some(byte) if !RESERVED.contains(&byte) => {
                    out.push(byte);
                    i += 3;
                }
                _ => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// What the router does to a parameter: `decodeURIComponent`, once.
    fn decode_component(segment: &str) -> String {
        let bytes = segment.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let escape = (bytes[i] == b'%' && i + 2 < bytes.len())
                .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
                .flatten()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match escape {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn keys_are_encoded_once_and_decoded_once_whichever_way_the_router_reads_them() {
        let hostile = [
            "a%2Fb/c?d#e+f&g h\u{e9}\u{41c}~",
            "%41%25%",
            "~25 and ~7E and ~x~",
            "email:o'brien+tag@example.ie",
            "row:12",
        ];
        for key in hostile {
            let href = user_link("rebilly", key);
            let segment = href.strip_prefix("/p/rebilly/u/").expect("the user route");
            assert!(!segment.contains('/'), "one path segment: {segment}");
            // A fresh load: the router decodes the raw segment once.
            assert_eq!(key_from_param(&decode_component(segment)), key);
            // An in-app link click: decodeURI first, then the router's decoding.
            assert_eq!(
                key_from_param(&decode_component(&decode_uri(segment))),
                key,
                "clicked link for {key}"
            );
        }
    }
}
