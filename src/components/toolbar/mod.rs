//! The toolbar above the table: search, filters (with their chips) and refresh.

pub mod chips;
pub mod filters;
pub mod search;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use userdeck_providers::{PageRequest, Query};

use crate::nav::list_href;
use crate::pages::provider::ListContext;

/// Navigates to `query` on page 1: any change of search, filter or sort starts from the top.
/// `navigate` comes from `use_navigate`, taken when the component is built.
pub fn go_to_first_page(navigate: &dyn Fn(&str, NavigateOptions), list: ListContext, query: Query) {
    let first = Query {
        page: PageRequest {
            index: 0,
            ..query.page
        },
        ..query
    };
    navigate(&list_href(&list.provider_id(), &first), Default::default());
}

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
