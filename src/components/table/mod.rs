//! The user table: a semantic `<table>` with sortable headings and one row per user, showing
//! the columns the person chose; [`virtual_table`] shows every row of a scan the same way.

pub mod cells;
pub mod chooser;
pub mod columns;
pub mod header;
pub mod sort;
pub mod virtual_table;

use leptos::prelude::*;
use leptos_router::components::A;
use userdeck_providers::{Field, User};

use crate::format;
use crate::nav::user_href;
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;
use cells::Cell;
use header::HeaderCell;

/// The rows of one page. The name links to the user's detail panel, which keeps the table's
/// state in its URL.
#[component]
pub fn UserTable(users: Vec<User>) -> impl IntoView {
    let settings = expect_context::<TableSettings>();
    let now_seconds = crate::api::now_seconds();
    move || {
        let columns = settings.visible();
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
                            .map(|user| {
                                let columns = columns.clone();
                                view! { <Row user columns now_seconds/> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }
}

/// One user's row. `index` (0-based, over the whole result) is set by the virtualised table,
/// which gives each row its `aria-rowindex` (the heading row is 1) and makes it focusable.
#[component]
pub fn Row(
    user: User,
    columns: Vec<Field>,
    now_seconds: i64,
    #[prop(optional)] index: Option<usize>,
    #[prop(optional)] focused: Option<Signal<bool>>,
) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let href = user_href(&list.provider_id(), &user.key, &list.query.get_untracked());
    let key = user.key.clone();
    let cells = columns
        .into_iter()
        .map(|field| {
            if field == Field::Name {
                let name = format::reveal_bidi(&user.display_name);
                let title = name.clone();
                view! {
                    <th scope="row" class="cell-name">
                        <A href=href.clone() attr:title=title attr:tabindex=index.map(|_| "-1")><bdi>{name}</bdi></A>
                    </th>
                }
                .into_any()
            } else {
                view! { <td><Cell user=user.clone() field now_seconds/></td> }.into_any()
            }
        })
        .collect_view();
    let tabindex = move || match (index, focused) {
        (Some(_), Some(focused)) => Some(if focused.get() { "0" } else { "-1" }),
        _ => None,
    };
    view! {
        <tr
            data-key=key
            aria-rowindex=index.map(|i| (i + 2).to_string())
            data-index=index.map(|i| i.to_string())
            tabindex=tabindex
        >
            {cells}
        </tr>
    }
}
