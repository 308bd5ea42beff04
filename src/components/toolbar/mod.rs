//! The toolbar above the table: search, filters (with their chips), refresh, and what a person
//! does with the view: choose its columns, save it, export it.

pub mod chips;
pub mod filters;
pub mod search;

use crate::components::export::ExportButton;
use crate::components::table::chooser::ColumnChooser;
use crate::components::views::ViewsMenu;
use crate::state::list::ListContext;
use leptos::prelude::*;

/// Search, filters, refresh, columns, views and export, in one row that wraps on narrow
/// screens.
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
            <ColumnChooser/>
            <ViewsMenu/>
            <ExportButton/>
        </div>
        <chips::FilterChips/>
    }
}
