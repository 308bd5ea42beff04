//! The toolbar above the table: search, filters (with their chips) and refresh.

pub mod chips;
pub mod filters;
pub mod search;

use crate::state::list::ListContext;
use leptos::prelude::*;

/// Search, filters and refresh, in one row that wraps on narrow screens.
#[component]
pub fn Toolbar() -> impl IntoView {
    let list = expect_context::<ListContext>();
    view! {
        <div class="toolbar" role="search">
            <search::SearchBox/>
            <filters::FilterMenu/>
            <button type="button" class="button" on:click=move |_| list.reload.run(()) title="Load this view again from the provider">
                "Refresh"
            </button>
        </div>
        <chips::FilterChips/>
    }
}
