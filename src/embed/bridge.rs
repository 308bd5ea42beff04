//! The window side of the embed protocol. Messages are accepted only from the parent window,
//! from an origin in `embed.allowed_parents` (exact), and sent only to the parent's origin;
//! anything else is ignored, counted, and logged on the browser console, never acted on.

use std::cell::Cell;

use leptos::prelude::*;
use userdeck_providers::embed_protocol::{self, HostMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{MessageEvent, Window};

use crate::state::catalog::ProviderList;
use crate::state::config;

thread_local! {
    static IGNORED: Cell<u32> = const { Cell::new(0) };
}

/// The window that frames this one, or `None` at the top level.
fn framing_parent() -> Option<Window> {
    let own = window();
    let parent = own.parent().ok().flatten()?;
    (!js_sys::Object::is(parent.as_ref(), own.as_ref())).then_some(parent)
}

/// The parent's origin when the browser tells (`location.ancestorOrigins`, Chromium and
/// Safari), so messages are addressed to it alone.
fn ancestor_origin() -> Option<String> {
    let location = window().location();
    let list = js_sys::Reflect::get(location.as_ref(), &"ancestorOrigins".into()).ok()?;
    let first = js_sys::Reflect::get(&list, &"0".into()).ok()?;
    first.as_string()
}

/// Where outgoing messages may go: the parent's origin if it is allowed, else every allowed
/// origin (the browser delivers to the one that matches the parent, if any).
fn targets() -> Vec<String> {
    let allowed = config::with(|c| c.allowed_parents.clone());
    match ancestor_origin() {
        Some(origin) if allowed.contains(&origin) => vec![origin],
        Some(_) => Vec::new(),
        None => allowed,
    }
}

/// Posts one protocol message (JSON text from `embed_protocol`) to the parent.
pub fn post(message: &str) {
    let Some(parent) = framing_parent() else {
        return;
    };
    let Ok(data) = js_sys::JSON::parse(message) else {
        return;
    };
    for origin in targets() {
        let _ = parent.post_message(&data, &origin);
    }
}

fn ignore(origin: &str, reason: &str) {
    let count = IGNORED.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    web_sys::console::warn_1(
        &format!("Userdeck embed: ignored message {count} (from {origin}): {reason}").into(),
    );
}

fn apply_theme(dark: Option<bool>, properties: &[(String, String)]) {
    let Some(root) = document().document_element() else {
        return;
    };
    if let Some(dark) = dark {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
    if let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() {
        for (name, value) in properties {
            let _ = root.style().set_property(name, value);
        }
    }
}

fn receive(event: &MessageEvent, list: ProviderList) {
    let origin = event.origin();
    let allowed = config::with(|c| c.allowed_parents.contains(&origin));
    if !allowed {
        return ignore(&origin, "the origin is not in embed.allowed_parents");
    }
    let from_parent = match (event.source(), framing_parent()) {
        (Some(source), Some(parent)) => js_sys::Object::is(&source, parent.as_ref()),
        _ => false,
    };
    if !from_parent {
        return ignore(
            &origin,
            "it was not sent by the window that frames this console",
        );
    }
    let text = js_sys::JSON::stringify(&event.data())
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    let decoded = serde_json::from_str(&text)
        .map_err(|_| "it is not JSON".to_string())
        .and_then(|value| embed_protocol::decode_host_message(&value));
    match decoded {
        Ok(HostMessage::Theme { dark, properties }) => apply_theme(dark, &properties),
        Ok(HostMessage::Token(token)) => {
            if crate::auth::sign_in("", &token) {
                list.reload();
            }
        }
        Err(reason) => ignore(&origin, &reason),
    }
}

/// Listens for the host's messages, then says `ready` and keeps the host told of the content's
/// height.
pub fn start(list: ProviderList) {
    if let Some(theme) = config::with(|c| c.theme) {
        use userdeck_providers::console_config::ThemeDefault;
        apply_theme(Some(theme == ThemeDefault::Dark), &[]);
    }
    let on_message =
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| receive(&event, list));
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
    post(&embed_protocol::ready());
    let on_resize = Closure::<dyn Fn()>::new(|| {
        if let Some(main) = document().get_element_by_id("main") {
            let bottom =
                main.get_bounding_client_rect().bottom() + window().scroll_y().unwrap_or(0.0);
            post(&embed_protocol::resize(bottom.ceil().max(0.0) as u32));
        }
    });
    if let (Ok(observer), Some(body)) = (
        web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()),
        document().body(),
    ) {
        observer.observe(&body);
    }
    on_resize.forget();
}
