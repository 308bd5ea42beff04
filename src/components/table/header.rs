//! A sortable column heading. A click cycles ascending → descending → off; Shift-click stacks
//! keys. The tooltip says whether the provider sorts or the browser does.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::{Direction, Field, Query};

use super::columns::heading;
use super::sort::{aria_sort, cycle};
use crate::nav::go_to_view;
use crate::state::list::ListContext;

/// One `<th>` with its sort button.
#[component]
pub fn HeaderCell(field: Field) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let navigate = use_navigate();
    let server_sorts = list
        .capabilities()
        .map(|caps| caps.sorts_by(field))
        .unwrap_or(false);
    let provider_label = list
        .info
        .get_untracked()
        .map(|i| i.label)
        .unwrap_or_default();
    let hint = if server_sorts {
        format!(
            "Sort by {} ({provider_label} sorts it). Shift-click to add to the sort.",
            heading(field)
        )
    } else {
        format!(
            "Sort by {}: {provider_label} cannot sort by it, so your browser reads every matching user and sorts them. Shift-click to add to the sort.",
            heading(field)
        )
    };
    let on_click = move |event: MouseEvent| {
        let query = list.query.get_untracked();
        let next = Query {
            sort: cycle(&query.sort, field, event.shift_key()),
            ..query.clone()
        };
        go_to_view(&navigate, &list.provider_id(), &query, next);
    };
    let state = move || aria_sort(&list.query.get().sort, field);
    let position = move || {
        let sort = list.query.get().sort;
        if sort.len() < 2 {
            return None;
        }
        sort.iter()
            .position(|key| key.field == field)
            .map(|at| (at + 1).to_string())
    };
    let arrow = move || match list
        .query
        .get()
        .sort
        .iter()
        .find(|key| key.field == field)
        .map(|key| key.direction)
    {
        Some(Direction::Ascending) => "▲",
        Some(Direction::Descending) => "▼",
        None => "↕",
    };
    view! {
        <th scope="col" aria-sort=state class=format!("col-{}", field.id())>
            <button type="button" class="sort-button" title=hint.clone() on:click=on_click>
                <span>{heading(field)}</span>
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
                {move || position().map(|n| view! { <span class="sort-rank" aria-label=format!("sort key {n}")>{n.clone()}</span> })}
            </button>
        </th>
    }
}
