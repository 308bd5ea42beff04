//! Every row of a scan in one scrolling table, rendered virtually: only the rows in view (plus a
//! margin, never more than the core's `MAX_DOM_ROWS`) are in the DOM, between two spacer rows
//! of fixed height, so 100,000 users scroll as lightly as 25. The table keeps its semantics:
//! `aria-rowcount` on the table, `aria-rowindex` on each row, one focusable row at a time
//! (arrows, Page Up/Down, Home/End move it; Enter opens the user's detail panel).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::ev::KeyboardEvent;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::User;
use userdeck_providers::virtual_rows::{Move, moved, reveal, window};
use wasm_bindgen::JsCast;

use super::header::HeaderCell;
use super::row;
use crate::components::when::tracked_zone;
use crate::nav::user_href;
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;

/// No row is waiting for focus.
const NO_ROW: usize = usize::MAX;

/// Every row's height in pixels; the stylesheet fixes `.virtual-table tbody tr` to the same.
pub const ROW_PX: u64 = 40;

/// The virtualised table over `users`, all rows of the result in order.
#[component]
pub fn VirtualTable(users: Arc<Vec<User>>) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let settings = expect_context::<TableSettings>();
    let navigate = use_navigate();
    let now_seconds = crate::api::now_seconds();
    let total = users.len();
    let scroll_px = RwSignal::new(0u64);
    let viewport_px = RwSignal::new(600u64);
    let focus = RwSignal::new(0usize);
    // A row moved to by a key whose element takes focus only on the next frame (`NO_ROW` when
    // none): a key pressed before then starts from it, not from the element that still has
    // focus.
    let pending = Arc::new(AtomicUsize::new(NO_ROW));
    let scroller = NodeRef::<Div>::new();
    let slice = Memo::new(move |_| window(scroll_px.get(), viewport_px.get(), ROW_PX, total));

    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_px.set(el.scroll_top().max(0) as u64);
            viewport_px.set(el.client_height().max(0) as u64);
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let pending_rows = pending.clone();
    let focus_row = move |at: usize| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        // The sticky heading covers the top of the viewport, so rows are revealed below it.
        let heading_px = el
            .query_selector("thead")
            .ok()
            .flatten()
            .map_or(0, |head| head.client_height().max(0));
        let top = reveal(
            at,
            el.scroll_top().max(0) as u64,
            (el.client_height() - heading_px).max(0) as u64,
            ROW_PX,
        );
        el.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
        scroll_px.set(top);
        focus.set(at);
        pending_rows.store(at, Ordering::Relaxed);
        let pending = pending_rows.clone();
        request_animation_frame(move || {
            pending.store(NO_ROW, Ordering::Relaxed);
            let selector = format!("tr[data-index=\"{at}\"]");
            if let Some(row) = scroller
                .get_untracked()
                .and_then(|el| el.query_selector(&selector).ok().flatten())
                .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok())
            {
                // The row is in view already; a scroll by the browser would move the window
                // and put another row in this element.
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = row.focus_with_options(&options);
            }
        });
    };
    let rows_for_keys = users.clone();
    let on_key = move |event: KeyboardEvent| {
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let on_row = target
            .as_ref()
            .is_some_and(|el| el.tag_name() == "TR" || el.tag_name() == "DIV");
        // A row element shows whichever row scrolled into it: the focused element's own row
        // is the one the person sees marked, so keys start from it, unless a key has just
        // moved on and its row has not taken focus yet.
        let current = Some(pending.load(Ordering::Relaxed))
            .filter(|&at| at != NO_ROW)
            .or_else(|| target.as_ref().and_then(row_index))
            .unwrap_or_else(|| focus.get_untracked());
        if event.key() == "Enter" && on_row {
            if let Some(user) = rows_for_keys.get(current) {
                event.prevent_default();
                let href = user_href(&list.provider_id(), &user.key, &list.query.get_untracked());
                navigate(&href, Default::default());
            }
            return;
        }
        let Some(step) = Move::from_key(&event.key()) else {
            return;
        };
        event.prevent_default();
        let page_rows = usize::try_from(viewport_px.get_untracked() / ROW_PX).unwrap_or(1);
        focus_row(moved(current, step, page_rows, total));
    };
    let on_focus_in = move |event: leptos::ev::FocusEvent| {
        let index = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .as_ref()
            .and_then(row_index);
        if let Some(index) = index {
            focus.set(index);
        }
    };

    move || {
        let columns = settings.visible();
        let span = columns.len().max(1);
        let heads = columns.clone();
        let users = users.clone();
        view! {
            <div
                class="table-scroll virtual-scroll"
                node_ref=scroller
                tabindex="0"
                role="region"
                aria-label=format!("All {total} users; arrow keys, Page Up, Page Down, Home and End move between rows")
                on:scroll=move |_| measure()
                on:keydown=on_key.clone()
                on:focusin=on_focus_in
                data-testid="all-rows"
            >
                <table class="user-table virtual-table" aria-rowcount=(total + 1).to_string() style:min-width=format!("{}rem", span * 13)>
                    <thead>
                        <tr aria-rowindex="1">
                            {heads.into_iter().map(|field| view! { <HeaderCell field/> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true">
                            <td colspan=span.to_string() style:height=move || format!("{}px", slice.get().before_px)></td>
                        </tr>
                        <For
                            each=move || 0..slice.get().rows()
                            key=|slot| *slot
                            children=move |slot| {
                                let users = users.clone();
                                let columns = columns.clone();
                                // One element per position in the window, rewritten in place
                                // with whichever row scrolls into it: no row element is built,
                                // moved or dropped while scrolling, each of which costs the
                                // browser far more than new text.
                                let at = Memo::new(move |_| (slice.get().start + slot).min(total.saturating_sub(1)));
                                move || {
                                    let at = at.get();
                                    let zone = tracked_zone();
                                    let focused = Signal::derive(move || focus.get() == at);
                                    row(&users[at], &columns, now_seconds, zone, Some(at), Some(focused))
                                }
                            }
                        />
                        <tr class="spacer" aria-hidden="true">
                            <td colspan=span.to_string() style:height=move || format!("{}px", slice.get().after_px)></td>
                        </tr>
                    </tbody>
                </table>
            </div>
        }
    }
}

/// The row (0-based) that `element`, or the row element holding it, shows.
fn row_index(element: &web_sys::Element) -> Option<usize> {
    element
        .closest("tr[data-index]")
        .ok()
        .flatten()
        .and_then(|row| row.get_attribute("data-index"))
        .and_then(|text| text.parse::<usize>().ok())
}
