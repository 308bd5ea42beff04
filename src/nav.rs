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
        percent_encode(key),
        query_string(query)
    ))
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
}
