//! The user table: a semantic `<table>` with sortable headings and one row per user, showing
//! the columns the person chose; [`virtual_table`] shows every row of a scan the same way.

pub mod cells;
pub mod chooser;
pub mod columns;
pub mod header;
pub mod sort;
pub mod virtual_table;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use userdeck_providers::{Field, User};

use crate::components::when::tracked_zone;
use crate::format;
use crate::nav::user_href;
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;
use crate::state::time_zone::Zone;
use cells::cell;
use header::HeaderCell;

/// The rows of one page. The name links to the user's detail panel, which keeps the table's
/// state in its URL.
#[component]
pub fn UserTable(users: Vec<User>) -> impl IntoView {
    let settings = expect_context::<TableSettings>();
    let now_seconds = crate::api::now_seconds();
    move || {
        let columns = settings.visible();
        let zone = tracked_zone();
        let heads = columns.clone();
        let users = users.clone();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Users">
                <table class="user-table">
                    <thead>
                        <tr>
                            {heads.into_iter().map(|field| view! { <HeaderCell field/> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {users
                            .into_iter()
                            .map(|user| row(&user, &columns, now_seconds, zone, None, None))
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }
}

/// One user's row. `index` (0-based, over the whole result) is set by the virtualised table,
/// which gives each row its `aria-rowindex` (the heading row is 1) and makes it focusable; dates
/// are read in `zone`. A function over a borrowed user rather than a component, so that the
/// virtualised table can render its recycled rows straight from the shared result without
/// copying users.
pub fn row(
    user: &User,
    columns: &[Field],
    now_seconds: i64,
    zone: Zone,
    index: Option<usize>,
    focused: Option<Signal<bool>>,
) -> impl IntoView + use<> {
    let list = expect_context::<ListContext>();
    // Only the id is cloned, not the provider's info as `ListContext::provider_id` does: the
    // virtualised table renders rows on every scroll frame.
    let provider_id = list
        .info
        .with_untracked(|info| info.as_ref().map(|info| info.id.clone()))
        .unwrap_or_default();
    let href = user_href(&provider_id, &user.key, &list.query.get_untracked());
    // A plain link (the router takes its clicks): a router `A` per row would resolve its path
    // and track the location in three reactive nodes, on every scroll frame of the virtualised
    // table. The row of the open user still says it is the current page, as `A` would.
    let location = use_location();
    let path = href.split('?').next().unwrap_or_default().to_string();
    let current = move || location.pathname.with(|now| *now == path).then_some("page");
    let cells = columns
        .iter()
        .map(|&field| {
            if field == Field::Name {
                let name = format::reveal_bidi(&user.display_name);
                let title = name.clone();
                view! {
                    <th scope="row" class="cell-name">
                        <a href=href.clone() title=title tabindex=index.map(|_| "-1") aria-current=current.clone()><bdi>{name}</bdi></a>
                    </th>
                }
                .into_any()
            } else {
                view! { <td>{cell(user, field, now_seconds, zone)}</td> }.into_any()
            }
        })
        .collect_view();
    let tabindex = move || match (index, focused) {
        (Some(_), Some(focused)) => Some(if focused.get() { "0" } else { "-1" }),
        _ => None,
    };
    view! {
        <tr
            data-key=user.key.clone()
            aria-rowindex=index.map(|i| (i + 2).to_string())
            data-index=index.map(|i| i.to_string())
            tabindex=tabindex
        >
            {cells}
        </tr>
    }
}
