//! "Export CSV": every row of the current view (search, filters, sort; all pages) as a CSV file
//! with the key and the visible columns. The cap is stated before it starts, progress is shown
//! with Cancel, and a cancelled or failed export downloads nothing.

use leptos::prelude::*;
use userdeck_providers::csv_export;
use userdeck_providers::export_plan::EXPORT_CAP;
use web_sys::AbortController;

use crate::api::export::{ExportProgress, read_all};
use crate::api::list::Stopped;
use crate::api::transport::Endpoint;
use crate::components::menu::{MenuLook, lazy_menu};
use crate::download;
use crate::format::count;
use crate::lazy::{load, split_view};
use crate::state::catalog::ApiBase;
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;

/// Where an export stands.
#[derive(Clone, PartialEq)]
enum Phase {
    /// Not started: the panel states what will happen.
    Ready,
    /// Reading rows.
    Running(Option<ExportProgress>),
    /// Finished: what was downloaded.
    Done(String),
    /// Stopped with the provider's or the planner's sentence.
    Failed(String),
    /// Cancelled by the person; nothing was downloaded.
    Cancelled,
}

/// The progress in words: "Read 1,200 of ~3,400 users…".
fn progress_text(progress: Option<ExportProgress>) -> String {
    let Some(p) = progress else {
        return "Starting the export…".to_string();
    };
    let read = match p.expected {
        Some(expected) => format!(
            "Read {} of ~{} users",
            count(p.rows),
            count(expected.max(p.rows))
        ),
        None => format!("Read {} users", count(p.rows)),
    };
    match p.waiting {
        Some(seconds) => {
            format!("{read}; the provider asked us to slow down, continuing in {seconds} s…")
        }
        None => format!("{read}…"),
    }
}

/// Where the export stands, shared by the menu (held open while it runs) and its panel.
#[derive(Clone, Copy)]
struct ExportPhase(RwSignal<Phase>);

/// The toolbar's export control; its panel is fetched on first need.
#[component]
pub fn ExportButton() -> impl IntoView {
    let phase = RwSignal::new(Phase::Ready);
    provide_context(ExportPhase(phase));
    let running = Signal::derive(move || matches!(phase.get(), Phase::Running(_)));
    let look = MenuLook {
        label: "Export CSV",
        menu_class: "filter-menu toolbar-menu",
        panel_class: "menu-panel menu-panel-wide",
        panel_label: "Export CSV",
        test_id: "export-menu",
    };
    lazy_menu(look, running, || load!(export_panel))
}

split_view! {
    /// The export panel, with the reading and the CSV, in its own chunk.
    export, fn export_panel() { view! { <ExportPanel/> } }
}

/// What the export menu holds: what will happen, then progress with Cancel, then the outcome.
#[component]
fn ExportPanel() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let settings = expect_context::<TableSettings>();
    let base = expect_context::<ApiBase>().0;
    let phase = expect_context::<ExportPhase>().0;
    let controller = StoredValue::new_local(None::<AbortController>);
    let label = move || list.info.get().map(|i| i.label).unwrap_or_default();

    let cancel = move |_| {
        if let Some(active) = controller.get_value() {
            active.abort();
        }
        controller.set_value(None);
        phase.set(Phase::Cancelled);
    };
    let start = move |_| {
        let Some(info) = list.info.get_untracked() else {
            return;
        };
        let Ok(active) = AbortController::new() else {
            phase.set(Phase::Failed(
                "This browser cannot run an export (no AbortController). Use a current browser."
                    .to_string(),
            ));
            return;
        };
        controller.set_value(Some(active.clone()));
        phase.set(Phase::Running(None));
        let query = list.query.get_untracked();
        let columns = settings.visible();
        let endpoint = Endpoint::new(base.clone(), &info);
        leptos::task::spawn_local(async move {
            let signal = active.signal();
            let result = read_all(&endpoint, &info.capabilities, &query, &signal, |p| {
                if !signal.aborted() {
                    phase.set(Phase::Running(Some(p)));
                }
            })
            .await;
            if signal.aborted() {
                return;
            }
            controller.set_value(None);
            phase.set(match result {
                Ok(users) => {
                    let name = csv_export::file_name(&info.id, &download::today());
                    let text = csv_export::build(&users, &columns);
                    if download::save(&name, "text/csv;charset=utf-8", &text) {
                        Phase::Done(format!(
                            "Downloaded {} users from {} as {name}.",
                            count(users.len() as u64),
                            info.label
                        ))
                    } else {
                        Phase::Failed(format!(
                            "The browser refused the download of the {} export. Allow downloads for this site and export again.",
                            info.label
                        ))
                    }
                }
                Err(Stopped::Failed(error)) => Phase::Failed(error.to_string()),
                Err(Stopped::Aborted) => Phase::Cancelled,
            });
        });
    };
    move || match phase.get() {
        Phase::Running(progress) => {
            let (value, max) = match progress {
                Some(ExportProgress {
                    rows,
                    expected: Some(expected),
                    ..
                }) => (rows.to_string(), expected.max(rows).max(1).to_string()),
                _ => (String::new(), String::new()),
            };
            view! {
                <p class="export-progress" role="status" aria-live="polite" data-testid="export-progress">{progress_text(progress)}</p>
                <progress aria-label="Export progress" value=(!value.is_empty()).then(|| value.clone()) max=(!max.is_empty()).then(|| max.clone())></progress>
                <button type="button" class="button" on:click=cancel>"Cancel export"</button>
            }
            .into_any()
        }
        other => {
            let outcome = match other {
                Phase::Done(text) => Some(("menu-note export-done", text)),
                Phase::Failed(text) => Some(("menu-note export-failed", text)),
                Phase::Cancelled => Some((
                    "menu-note",
                    "Export cancelled; nothing was downloaded.".to_string(),
                )),
                _ => None,
            };
            view! {
                <p class="menu-note">
                    {move || format!(
                        "Exports every user that matches this view (search, filters and sort), across all pages, with the key and the {} visible columns, as CSV (UTF-8). At most {} users are read from {}; a larger view is refused before anything downloads. Secret fields are never exported.",
                        settings.visible().len(),
                        count(EXPORT_CAP),
                        label()
                    )}
                </p>
                {outcome.map(|(class, text)| view! { <p class=class role="status" data-testid="export-outcome">{text}</p> })}
                <button type="button" class="button button-primary" on:click=start.clone()>"Start export"</button>
            }
            .into_any()
        }
    }
}
