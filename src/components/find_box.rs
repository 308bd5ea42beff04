//! The box that starts a search across every provider: the home page leads with it and the
//! find page repeats it, so a person can refine without going back.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::nav::find_href;

/// A search form that opens `/find?q=…`; `initial` fills it on the find page.
#[component]
pub fn FindBox(#[prop(optional)] initial: String) -> impl IntoView {
    let text = RwSignal::new(initial);
    let navigate = use_navigate();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let value = text.get_untracked();
        if !value.trim().is_empty() {
            navigate(&find_href(&value), Default::default());
        }
    };
    view! {
        <form class="find-box" role="search" on:submit=submit>
            <label for="find-input">"Find a person on every provider"</label>
            <div class="find-row">
                <input
                    id="find-input"
                    type="search"
                    name="q"
                    autocomplete="off"
                    placeholder="E-mail address, phone number or name"
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                />
                <button type="submit" class="button button-primary">"Find"</button>
            </div>
        </form>
    }
}
