//! What a visitor sees when `config.json` is wrong: the member at fault and what is wrong with
//! it, instead of a blank page or half an app built on a guess. Written with plain DOM calls
//! rather than a second Leptos view tree, which would cost every visitor its bytes.

use leptos::prelude::document;

/// Replaces the page's body with the error page for `message`.
pub fn show(message: &str) {
    let doc = document();
    let Some(body) = doc.body() else {
        return;
    };
    let element = |tag: &str, class: &str, text: &str| {
        let node = doc.create_element(tag).ok()?;
        if !class.is_empty() {
            let _ = node.set_attribute("class", class);
        }
        node.set_text_content(Some(text));
        Some(node)
    };
    let Some(main) = element("main", "app-main config-error", "") else {
        return;
    };
    let _ = main.set_attribute("data-testid", "config-error");
    let banner = element("div", "banner banner-error", "");
    if let Some(banner) = &banner {
        let _ = banner.set_attribute("role", "alert");
        if let Some(p) = element("p", "", message) {
            let _ = banner.append_child(&p);
        }
    }
    let parts = [
        element("h1", "", "This console's configuration is not valid"),
        banner,
        element(
            "p",
            "muted",
            "Whoever deployed Userdeck can fix config.json (config/console.example.json documents every member), or remove it to use the proxy at this address. Then reload.",
        ),
    ];
    for part in parts.into_iter().flatten() {
        let _ = main.append_child(&part);
    }
    let _ = body.append_child(&main);
}
