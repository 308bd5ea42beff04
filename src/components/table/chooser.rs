//! "Columns": show, hide and reorder one provider's columns, with buttons (not drag alone) so
//! the keyboard does everything. Name stays shown: it is the link to the user. The choice is
//! remembered in this browser and never put into a shared link.

use leptos::prelude::*;
use userdeck_providers::column_choice::{moved, toggled};
use userdeck_providers::field::Field;

use super::columns::heading;
use crate::components::menu::{MenuLook, lazy_menu};
use crate::lazy::{load, split_view};
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;

/// The "Columns" disclosure in the toolbar; its panel is fetched on first need.
#[component]
pub fn ColumnChooser() -> impl IntoView {
    let look = MenuLook {
        label: "Columns",
        menu_class: "filter-menu toolbar-menu",
        panel_class: "menu-panel",
        panel_label: "Columns",
        test_id: "columns-menu",
    };
    lazy_menu(look, Signal::stored(false), || load!(columns_panel))
}

split_view! {
    /// The columns panel, in its own chunk.
    columns, fn columns_panel() { view! { <ColumnsPanel/> } }
}

/// What the columns menu holds: one line per column, and reset.
#[component]
fn ColumnsPanel() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let settings = expect_context::<TableSettings>();
    let choose = move |next| settings.choose(&list.provider_id(), next);
    let reset = move |_| {
        if let Some(info) = list.info.get_untracked() {
            settings.reset(&info);
        }
    };
    let items = move || {
        let columns = settings.columns.get();
        let last = columns.len().saturating_sub(1);
        columns
            .into_iter()
            .enumerate()
            .map(|(at, column)| {
                let field = column.field;
                let name = heading(field);
                let locked = field == Field::Name;
                let id = format!("column-{}", field.id());
                let on_toggle = move |event: leptos::ev::Event| {
                    let shown = event_target_checked(&event);
                    choose(toggled(&settings.columns.get_untracked(), field, shown));
                };
                let shift = move |by: isize| {
                    move |_| choose(moved(&settings.columns.get_untracked(), at, by))
                };
                view! {
                    <li class="column-item">
                        <input type="checkbox" id=id.clone() checked=column.visible disabled=locked on:change=on_toggle/>
                        <label for=id>{name}{locked.then_some(" (always shown)")}</label>
                        <span class="column-moves">
                            <button type="button" class="icon-button button-small" disabled=at == 0 on:click=shift(-1) aria-label=format!("Move {name} up") title=format!("Move {name} up")>"↑"</button>
                            <button type="button" class="icon-button button-small" disabled=at == last on:click=shift(1) aria-label=format!("Move {name} down") title=format!("Move {name} down")>"↓"</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <p class="menu-note">"Shown in this browser only; links you share keep their own columns."</p>
        <ul class="column-list">{items}</ul>
        <button type="button" class="button button-small" on:click=reset>"Reset columns"</button>
    }
}
