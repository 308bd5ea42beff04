//! The search box: it searches about 250 ms after typing stops, at once on Enter, and Escape
//! clears it. Providers without a search of their own are searched in the browser, and the
//! placeholder says so.

use std::time::Duration;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::Query;

use crate::nav::go_to_view;
use crate::state::list::ListContext;

const DEBOUNCE: Duration = Duration::from_millis(250);

/// The free-text search input.
#[component]
pub fn SearchBox() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let text = RwSignal::new(list.query.get_untracked().search.unwrap_or_default());
    Effect::new(move |_| text.set(list.query.get().search.unwrap_or_default()));
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let cancel_timer = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
    };
    let navigate = use_navigate();
    let submit = move |value: String| {
        cancel_timer();
        let query = list.query.get_untracked();
        let search = Some(value.trim().to_string()).filter(|s| !s.is_empty());
        if search != query.search {
            go_to_view(
                &navigate,
                &list.provider_id(),
                &query,
                Query {
                    search,
                    ..query.clone()
                },
            );
        }
    };
    let submit_now = submit.clone();
    let on_input = move |event| {
        let value = event_target_value(&event);
        text.set(value.clone());
        cancel_timer();
        let submit = submit.clone();
        if let Ok(handle) = set_timeout_with_handle(move || submit(value), DEBOUNCE) {
            timer.set_value(Some(handle));
        }
    };
    let on_key = move |event: KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            submit_now(text.get_untracked());
        }
        "Escape" => {
            text.set(String::new());
            submit_now(String::new());
        }
        _ => {}
    };
    let server_search = move || list.capabilities().and_then(|caps| caps.free_text);
    let placeholder = move || match server_search() {
        Some(_) => "Search users".to_string(),
        None => "Search users (in your browser)".to_string(),
    };
    let hint = move || {
        match server_search() {
        Some(free_text) => format!("The provider searches: {}", free_text.description),
        None => "This provider has no search: your browser reads every user and searches names, e-mails, phones and ids".to_string(),
    }
    };
    view! {
        <div class="search">
            <label class="visually-hidden" for="user-search">"Search users"</label>
            <input
                id="user-search"
                type="search"
                autocomplete="off"
                placeholder=placeholder
                title=hint
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_key
            />
        </div>
    }
}
