//! The user table: a semantic `<table>` with sortable headings and one row per user.

pub mod cells;
pub mod columns;
pub mod header;
pub mod sort;

use leptos::prelude::*;
use leptos_router::components::A;
use userdeck_providers::{Field, User};

use crate::format;
use crate::nav::user_href;
use crate::state::list::ListContext;
use cells::Cell;
use header::HeaderCell;

/// The rows of one page. The name links to the user's detail panel, which keeps the table's
/// state in its URL.
#[component]
pub fn UserTable(users: Vec<User>) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let columns = list
        .capabilities()
        .map(|caps| columns::columns(&caps))
        .unwrap_or_default();
    let heads = columns.clone();
    let now_seconds = crate::api::now_seconds();
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

#[component]
fn Row(user: User, columns: Vec<Field>, now_seconds: i64) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let href = user_href(&list.provider_id(), &user.key, &list.query.get_untracked());
    let key = user.key.clone();
    let cells = columns
        .into_iter()
        .map(|field| {
            if field == Field::Name {
                let name = format::reveal_bidi(&user.display_name);
                view! {
                    <th scope="row" class="cell-name">
                        <A href=href.clone()><bdi>{name}</bdi></A>
                    </th>
                }
                .into_any()
            } else {
                view! { <td><Cell user=user.clone() field now_seconds/></td> }.into_any()
            }
        })
        .collect_view();
    view! { <tr data-key=key>{cells}</tr> }
}
