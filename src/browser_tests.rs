//! Browser-only unit tests: they need a real DOM, so they run under wasm-bindgen-test in
//! headless Chromium (`cargo xtask test`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_container() -> web_sys::HtmlElement {
    let doc = document();
    let container: web_sys::HtmlElement = doc
        .create_element("div")
        .expect("create a div")
        .unchecked_into();
    doc.body()
        .expect("a body")
        .append_child(&container)
        .expect("append");
    container
}

#[wasm_bindgen_test]
async fn app_renders_shell_and_home() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), crate::app::App);
    leptos::task::tick().await;
    let main = container
        .query_selector("[data-testid=app-ready]")
        .expect("valid selector")
        .expect("the app renders its main region");
    assert_eq!(
        main.query_selector("h1")
            .ok()
            .flatten()
            .map(|h| h.text_content()),
        Some(Some("Providers".into()))
    );
    assert!(
        container
            .query_selector("nav[aria-label=Providers]")
            .expect("valid selector")
            .is_some(),
        "the provider navigation is rendered"
    );
}

#[wasm_bindgen_test]
async fn hostile_words_stay_text_in_badges() {
    use userdeck_providers::model::{Status, Subscription};
    let container = fresh_container();
    let hostile = "<img src=x onerror=alert(1)>";
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        let subscription = Subscription {
            plan: Some("<b>Gold</b>".into()),
            term: Some("monthly".into()),
            free_trial: Some(true),
            ..Subscription::default()
        };
        view! {
            <crate::components::badges::StatusBadge status=Status::Unknown(hostile.to_string())/>
            <crate::components::badges::SubscriptionBadge subscription/>
        }
    });
    leptos::task::tick().await;
    let unknown = container
        .query_selector(".badge-unknown")
        .expect("valid selector")
        .expect("an outlined badge for an unknown status");
    assert_eq!(unknown.text_content(), Some(hostile.to_string()));
    let trial = container
        .query_selector(".badge-trial")
        .expect("valid selector")
        .expect("a trial badge");
    assert_eq!(
        trial.text_content(),
        Some("<b>Gold</b> · monthly · Trial".to_string())
    );
    let injected = container.query_selector("img, b").expect("valid selector");
    assert!(
        injected.is_none(),
        "markup in provider data must never become elements"
    );
}

#[wasm_bindgen_test]
async fn theme_toggle_flips_and_remembers() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), crate::theme::ThemeToggle);
    leptos::task::tick().await;
    let root = document().document_element().expect("a root element");
    let before = root
        .get_attribute("data-theme")
        .expect("theme applied on mount");
    let button: web_sys::HtmlElement = container
        .query_selector("button")
        .expect("valid selector")
        .expect("a toggle button")
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    let after = root.get_attribute("data-theme").expect("theme still set");
    assert_ne!(before, after);
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item("userdeck.theme").ok().flatten());
    assert_eq!(stored, Some(after));
}

#[wasm_bindgen_test]
async fn bidi_overrides_are_shown_not_obeyed() {
    use userdeck_providers::{Field, User};
    let container = fresh_container();
    let user = User {
        key: "u1".into(),
        id: Some("u1".into()),
        first_name: None,
        middle_name: None,
        last_name: None,
        display_name: "שרה\u{202E}gnp.exe".into(),
        email: Some("sara\u{202E}gnp.exe@example.com".into()),
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
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        crate::components::table::cells::cell(
            &user,
            Field::Email,
            0,
            crate::state::time_zone::Zone::Local,
        )
    });
    leptos::task::tick().await;
    let cell = container
        .query_selector("bdi.cell-text")
        .expect("valid selector")
        .expect("a text cell isolated with bdi");
    assert_eq!(
        cell.text_content(),
        Some("sara[U+202E]gnp.exe@example.com".to_string())
    );
    assert_eq!(
        cell.get_attribute("title"),
        Some("sara[U+202E]gnp.exe@example.com".to_string())
    );
}

#[wasm_bindgen_test]
async fn secret_fields_are_masked_until_revealed() {
    use userdeck_providers::User;
    use userdeck_providers::model::Attribute;
    let container = fresh_container();
    let user = User {
        key: "u2".into(),
        id: Some("u2".into()),
        first_name: None,
        middle_name: None,
        last_name: None,
        display_name: "Ann".into(),
        email: None,
        phones: Vec::new(),
        status: None,
        subscription: None,
        created: None,
        updated: None,
        last_login: None,
        expires: None,
        attributes: vec![Attribute {
            name: "totpSecret".into(),
            value: "JBSWY3DPEHPK3PXP".into(),
            field: None,
        }],
        raw: serde_json::json!({"email": "ann@example.com", "password": "hunter2", "totpSecret": "JBSWY3DPEHPK3PXP"}),
    };
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <crate::components::detail::UserDetail user capabilities=None/> }
    });
    leptos::task::tick().await;
    let text = || container.text_content().unwrap_or_default();
    assert!(text().contains("ann@example.com"));
    assert!(!text().contains("hunter2"), "password shown before reveal");
    assert!(
        !text().contains("JBSWY3DPEHPK3PXP"),
        "TOTP seed shown before reveal"
    );
    assert!(text().contains("2 secret fields are masked."));
    let reveal: web_sys::HtmlElement = container
        .query_selector(".secret-note button")
        .expect("valid selector")
        .expect("a reveal control")
        .unchecked_into();
    reveal.click();
    leptos::task::tick().await;
    assert!(text().contains("hunter2"), "reveal shows the raw record");
    assert_eq!(
        reveal.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
fn user_keys_survive_the_browsers_own_decoder_once() {
    // The conformance run's hostile ids (see `xtask/src/prism.rs`).
    for key in include_str!("../tests/hostile-ids.txt").lines() {
        let href = crate::nav::user_href("rebilly", key, &userdeck_providers::Query::default());
        let segment = href
            .split('?')
            .next()
            .and_then(|path| path.rsplit('/').next())
            .unwrap_or_default();
        // The browser's own decoder, once, then the console's inverse of its `%`/`~` escape
        // (see `nav::key_from_param`): the key comes back whole.
        let decoded = js_sys::decode_uri_component(segment)
            .ok()
            .and_then(|d| d.as_string())
            .map(|param| crate::nav::key_from_param(&param));
        assert_eq!(decoded.as_deref(), Some(key), "{href}");
        let clicked = js_sys::decode_uri(segment)
            .ok()
            .and_then(|d| d.as_string())
            .and_then(|path| js_sys::decode_uri_component(&path).ok())
            .and_then(|d| d.as_string())
            .map(|param| crate::nav::key_from_param(&param));
        assert_eq!(clicked.as_deref(), Some(key), "clicked link {href}");
    }
}
