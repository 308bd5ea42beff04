//! The states of a list around its table: skeleton rows on first load, the scan's progress, the
//! empty and cancelled states, and the quiet note on work done in the browser.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::Query;
use userdeck_providers::plan::Strategy;
use userdeck_providers::shortfall::Shortfall;

use crate::api::list::Progress;
use crate::format::count;
use crate::nav::go_to_view;
use crate::state::list::ListContext;

/// Placeholder rows while the first page loads, so the layout does not jump.
#[component]
pub fn SkeletonTable() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" role="status">
            <span class="visually-hidden">"Loading users…"</span>
            {(0..8).map(|_| view! { <div class="skeleton-row" aria-hidden="true"></div> }).collect_view()}
        </div>
    }
}

/// "Loading 3,000 of ~12,000 users…" with Cancel, while a full scan runs.
#[component]
pub fn ScanStatus(
    pending: Signal<bool>,
    progress: Signal<Option<Progress>>,
    cancel: Callback<()>,
) -> impl IntoView {
    move || {
        let progress = progress.get().filter(|_| pending.get())?;
        let text = scan_text(progress);
        Some(view! {
            <div class="scan-status" role="status" aria-live="polite">
                <span>{text}</span>
                <button type="button" class="button button-small" on:click=move |_| cancel.run(())>"Cancel"</button>
            </div>
        })
    }
}

/// The scan's progress in words: "Loading 3,000 of ~12,000 users…".
pub fn scan_text(progress: Progress) -> String {
    match (progress.rows, progress.expected) {
        (0, _) => "Reading every user to sort, filter or search them in your browser…".to_string(),
        (rows, Some(expected)) => format!(
            "Loading {} of ~{} users…",
            count(rows),
            count(expected.max(rows))
        ),
        (rows, None) => format!("Loading {} users…", count(rows)),
    }
}

/// The quiet note that says when the browser sorted, filtered or searched itself.
pub fn browser_work_note(
    strategy: Strategy,
    in_memory: &[String],
    scanned: Option<u64>,
) -> Option<impl IntoView + use<>> {
    if strategy != Strategy::FullScan || in_memory.is_empty() {
        return None;
    }
    let rows = scanned.unwrap_or(0);
    let what = in_memory.join(", ");
    let text = format!("Done in your browser over {} users: {what}.", count(rows));
    Some(view! { <p class="browser-note" data-testid="browser-note">{text}</p> })
}

/// Nothing matched: say so, and offer the way back to everything.
#[component]
pub fn EmptyState() -> impl IntoView {
    let list = expect_context::<ListContext>();
    let navigate = use_navigate();
    let narrowed = move || {
        let query = list.query.get();
        query.search_text().is_some() || !query.filters.is_empty() || query.page.index > 0
    };
    let clear = move |_| {
        let query = list.query.get_untracked();
        let cleared = Query {
            search: None,
            filters: Vec::new(),
            ..query.clone()
        };
        go_to_view(&navigate, &list.provider_id(), &query, cleared);
    };
    view! {
        <div class="empty-state" role="status">
            <p class="empty-title">"No users match this view."</p>
            <Show when=narrowed fallback=|| view! { <p class="muted">"This provider has no users yet."</p> }>
                <button type="button" class="button" on:click=clear.clone()>"Clear filters"</button>
            </Show>
        </div>
    }
}

/// A page that holds fewer rows than it should because the provider's answers were short:
/// what happened, and the full scan that reads every page instead.
#[component]
pub fn ShortPagesNote(shortfall: Shortfall) -> impl IntoView {
    let full_scan = expect_context::<ListContext>().full_scan;
    view! {
        <div class="banner short-pages" role="status" data-testid="short-pages">
            <p>{shortfall.sentence()}</p>
            <button type="button" class="button" on:click=move |_| full_scan.run(())>"Read every page"</button>
        </div>
    }
}

/// Shown after Cancel stopped a load.
#[component]
pub fn Cancelled() -> impl IntoView {
    let reload = expect_context::<ListContext>().reload;
    view! {
        <div class="empty-state" role="status">
            <p class="empty-title">"Loading was cancelled."</p>
            <button type="button" class="button" on:click=move |_| reload.run(())>"Load again"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_progress_reads_naturally() {
        assert_eq!(
            scan_text(Progress {
                rows: 3000,
                expected: Some(12000)
            }),
            "Loading 3,000 of ~12,000 users…"
        );
        assert_eq!(
            scan_text(Progress {
                rows: 120,
                expected: None
            }),
            "Loading 120 users…"
        );
        assert!(
            scan_text(Progress {
                rows: 0,
                expected: Some(10)
            })
            .starts_with("Reading every user")
        );
        assert_eq!(
            scan_text(Progress {
                rows: 60,
                expected: Some(50)
            }),
            "Loading 60 of ~60 users…"
        );
    }
}
