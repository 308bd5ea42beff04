//! "Views": save the current view of a provider under a name (search, filters, sort, page size
//! and columns), apply, rename or delete it, and export or import every saved view as a JSON
//! file for a team. Applying a view navigates to its link, so back and forward behave.

use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::column_choice;
use userdeck_providers::http::encode_query;
use userdeck_providers::saved_views::{
    self, MAX_FILE_BYTES, MAX_NAME_CHARS, SavedView, clean_name, merge, query_pairs, remove,
    rename, upsert,
};
use userdeck_providers::{PageRequest, Query};

use crate::components::menu::{MenuLook, lazy_menu};
use crate::download;
use crate::lazy::{load, split_view};
use crate::nav::go_to_view;
use crate::state::list::ListContext;
use crate::state::saved_views::SavedViews;
use crate::state::table_settings::TableSettings;
use crate::url_state;

/// The query string a view keeps: the link's, from the first page.
fn view_query(query: &Query) -> String {
    let first = Query {
        page: PageRequest {
            index: 0,
            ..query.page
        },
        ..query.clone()
    };
    encode_query(&url_state::encode(&first))
}

/// The views menu in the toolbar; its panel is fetched on first need.
#[component]
pub fn ViewsMenu() -> impl IntoView {
    let look = MenuLook {
        label: "Views",
        menu_class: "filter-menu toolbar-menu",
        panel_class: "menu-panel menu-panel-wide",
        panel_label: "Saved views",
        test_id: "views-menu",
    };
    lazy_menu(look, Signal::stored(false), || load!(views_panel))
}

split_view! {
    /// The views panel, in its own chunk.
    views, fn views_panel() { view! { <ViewsPanel/> } }
}

/// What the views menu holds: save, the saved views, and their files.
#[component]
fn ViewsPanel() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let settings = expect_context::<TableSettings>();
    let views = expect_context::<SavedViews>();
    views.read_stored();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let note = RwSignal::new(None::<String>);
    let file_input = NodeRef::<Input>::new();
    let label = move || list.info.get().map(|i| i.label).unwrap_or_default();
    let stored = move |all: Vec<SavedView>, done: String| {
        note.set(Some(if views.store(all) {
            done
        } else {
            "This browser refused to store the views (storage full or disabled); they last until the page closes.".to_string()
        }));
    };

    let on_save = move |event: SubmitEvent| {
        event.prevent_default();
        let chosen = clean_name(&name.get_untracked());
        if chosen.is_empty() {
            note.set(Some("Give the view a name, then save it.".to_string()));
            return;
        }
        let view = SavedView {
            name: chosen.clone(),
            provider: list.provider_id(),
            query: view_query(&list.query.get_untracked()),
            columns: column_choice::encode(&settings.columns.get_untracked()),
        };
        name.set(String::new());
        stored(
            upsert(&views.all.get_untracked(), view),
            format!("Saved the view \u{201c}{chosen}\u{201d}."),
        );
    };
    let apply = move |view: SavedView| {
        let Some(info) = list.info.get_untracked() else {
            return;
        };
        settings.apply_stored(&info, &view.columns);
        let pairs = query_pairs(&view.query);
        let next = url_state::decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        note.set(Some(format!(
            "Applied the view \u{201c}{}\u{201d}.",
            view.name
        )));
        go_to_view(&navigate, &info.id, &list.query.get_untracked(), next);
    };
    let export = move |_| {
        let file = format!("userdeck-views-{}.json", download::today());
        if download::save(
            &file,
            "application/json",
            &saved_views::encode(&views.all.get_untracked()),
        ) {
            note.set(Some(format!("Exported every saved view as {file}.")));
        }
    };
    let on_file = move |_| {
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
        }
        if file.size() > MAX_FILE_BYTES as f64 {
            note.set(Some(
                "That file is too large to be a saved-views file, so nothing was imported."
                    .to_string(),
            ));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default();
            let decoded = saved_views::decode(&text);
            let imported = decoded.views.len();
            let skipped = decoded.note();
            if imported == 0 {
                note.set(skipped);
                return;
            }
            let done = format!(
                "Imported {imported} view{}.{}",
                if imported == 1 { "" } else { "s" },
                skipped.map(|s| format!(" {s}")).unwrap_or_default()
            );
            stored(merge(&views.all.get_untracked(), decoded.views), done);
        });
    };

    let rename_view =
        move |view: SavedView| {
            let asked = window()
                .prompt_with_message_and_default("New name for this view", &view.name)
                .ok()
                .flatten();
            let Some(asked) = asked else {
                return;
            };
            match rename(&views.all.get_untracked(), &view.provider, &view.name, &asked) {
            Some(all) => stored(all, "Renamed the view.".to_string()),
            None => note.set(Some(
                "Choose a name that is not empty and not taken by another view of this provider."
                    .to_string(),
            )),
        }
        };
    let delete_view = move |view: SavedView| {
        stored(
            remove(&views.all.get_untracked(), &view.provider, &view.name),
            "Deleted the view.".to_string(),
        )
    };
    let items = move || {
        let provider = list.provider_id();
        let mine: Vec<SavedView> = views
            .all
            .get()
            .into_iter()
            .filter(|v| v.provider == provider)
            .collect();
        if mine.is_empty() {
            return view! { <p class="menu-note">{format!("No saved views for {} yet.", label())}</p> }.into_any();
        }
        let apply = apply.clone();
        view! {
            <ul class="view-list">
                {mine.into_iter().map(|view| {
                    let apply = apply.clone();
                    let name = view.name.clone();
                    let (to_apply, to_rename, to_delete) = (view.clone(), view.clone(), view);
                    view! {
                        <li class="view-item">
                            <button type="button" class="button button-small view-apply" on:click=move |_| apply(to_apply.clone()) aria-label=format!("Apply view {name}")><bdi>{name.clone()}</bdi></button>
                            <button type="button" class="button button-small" on:click=move |_| rename_view(to_rename.clone()) aria-label=format!("Rename view {name}")>"Rename"</button>
                            <button type="button" class="button button-small" on:click=move |_| delete_view(to_delete.clone()) aria-label=format!("Delete view {name}")>"Delete"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <form class="view-save" on:submit=on_save>
            <label for="view-name">"View name"</label>
            <input id="view-name" type="text" maxlength=MAX_NAME_CHARS.to_string() prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e))/>
            <button type="submit" class="button button-primary button-small">"Save view"</button>
        </form>
        <p class="menu-note">"A view keeps the search, filters, sort, page size and columns, in this browser."</p>
        {items}
        <div class="view-files">
            <button type="button" class="button button-small" on:click=export>"Export views"</button>
            <button type="button" class="button button-small" on:click=move |_| { if let Some(input) = file_input.get_untracked() { input.click(); } }>"Import views"</button>
            <input type="file" class="visually-hidden" accept=".json,application/json" node_ref=file_input on:change=on_file aria-label="Import views file" tabindex="-1"/>
        </div>
        {move || note.get().map(|text| view! { <p class="menu-note" role="status" data-testid="views-note">{text}</p> })}
    }
}
