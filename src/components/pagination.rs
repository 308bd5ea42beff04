//! The pager. With an exact total it says "1–25 of 332" and offers first/previous/next/last;
//! without one it says "Page 3 · more available" and never invents a page count.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use userdeck_providers::{PageRequest, Query, Total};

use crate::format::count;
use crate::nav::go_to_view;
use crate::state::list::ListContext;
use crate::state::table_settings::TableSettings;
use crate::url_state::PAGE_SIZES;

/// What the pager shows and allows, decided without any view code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerState {
    /// The sentence, e.g. "26–50 of 332".
    pub label: String,
    /// Whether a next page may exist.
    pub has_next: bool,
    /// The last page's index, when the total is exact.
    pub last_index: Option<u64>,
}

/// The pager for page `page` that showed `shown` rows of a result with `total`.
pub fn pager_state(page: PageRequest, shown: u64, total: Total) -> PagerState {
    let first_row = page.start() + 1;
    let last_row = page.start() + shown;
    let range = if shown == 0 {
        "No rows".to_string()
    } else {
        format!("{}–{}", count(first_row), count(last_row))
    };
    match total {
        Total::Exact(total) => PagerState {
            label: format!("{range} of {}", count(total)),
            has_next: last_row < total,
            last_index: Some(total.saturating_sub(1) / page.size()),
        },
        Total::Between { at_least, at_most } => PagerState {
            label: format!("{range} of {}–{}", count(at_least), count(at_most)),
            has_next: last_row < at_most,
            last_index: None,
        },
        Total::AtLeast(_) => {
            let more = shown == page.size();
            let number = page.index + 1;
            PagerState {
                label: if more {
                    format!("Page {number} · more available")
                } else {
                    format!("Page {number}")
                },
                has_next: more,
                last_index: None,
            }
        }
    }
}

/// The pager and the page-size chooser below the table. `all` is the row count of a scan the
/// browser holds whole; then "All" is offered, which shows every row in one scrolling table.
#[component]
pub fn Pagination(total: Total, shown: usize, #[prop(optional)] all: Option<u64>) -> impl IntoView {
    let list = expect_context::<ListContext>();
    let settings = expect_context::<TableSettings>();
    let navigate = use_navigate();
    let page = list.query.get_untracked().page;
    let showing_all = move || all.is_some() && settings.all_rows.get();
    let state = pager_state(page, shown as u64, total);
    let go = move |index: u64, size: u32| {
        let query = list.query.get_untracked();
        let next = Query {
            page: PageRequest { index, size },
            ..query.clone()
        };
        go_to_view(&navigate, &list.provider_id(), &query, next);
    };
    let size = page.size;
    let (first, previous, next, last) = (go.clone(), go.clone(), go.clone(), go.clone());
    let last_index = state.last_index;
    let on_size = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        if value == "all" {
            settings.all_rows.set(true);
            return;
        }
        settings.all_rows.set(false);
        if let Ok(chosen) = value.parse::<u32>()
            && chosen != size
        {
            go(page.index, chosen);
        }
    };
    let label = state.label.clone();
    let label = move || match all.filter(|_| showing_all()) {
        Some(rows) => format!("All {} users", count(rows)),
        None => label.clone(),
    };
    view! {
        <nav class="pager" aria-label="Pages">
            <p class="pager-label" aria-live="polite" data-testid="pager-label">{label}</p>
            <div class="pager-buttons" class:hidden=showing_all>
                <button type="button" class="button" disabled=page.index == 0 on:click=move |_| first(0, size) aria-label="First page">"«"</button>
                <button type="button" class="button" disabled=page.index == 0 on:click=move |_| previous(page.index.saturating_sub(1), size) aria-label="Previous page">"‹ Previous"</button>
                <button type="button" class="button" disabled=!state.has_next on:click=move |_| next(page.index + 1, size) aria-label="Next page">"Next ›"</button>
                {last_index.map(|last_page| view! {
                    <button type="button" class="button" disabled={page.index >= last_page} on:click=move |_| last(last_page, size) aria-label="Last page">"»"</button>
                })}
            </div>
            <label class="page-size">
                "Rows per page "
                <select on:change=on_size>
                    {PAGE_SIZES.into_iter().map(|option| view! {
                        <option value=option.to_string() selected=move || option == size && !showing_all()>{option.to_string()}</option>
                    }).collect_view()}
                    {all.map(|_| view! { <option value="all" selected=showing_all>"All"</option> })}
                </select>
            </label>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(index: u64, size: u32) -> PageRequest {
        PageRequest { index, size }
    }

    #[test]
    fn exact_totals_give_ranges_and_a_last_page() {
        let state = pager_state(page(0, 25), 25, Total::Exact(332));
        assert_eq!(state.label, "1–25 of 332");
        assert!(state.has_next);
        assert_eq!(state.last_index, Some(13));
        let last = pager_state(page(13, 25), 7, Total::Exact(332));
        assert_eq!(last.label, "326–332 of 332");
        assert!(!last.has_next);
    }

    #[test]
    fn unknown_totals_invent_nothing() {
        let state = pager_state(page(2, 25), 25, Total::AtLeast(75));
        assert_eq!(
            state,
            PagerState {
                label: "Page 3 · more available".into(),
                has_next: true,
                last_index: None
            }
        );
        let end = pager_state(page(2, 25), 3, Total::AtLeast(53));
        assert_eq!(end.label, "Page 3");
        assert!(!end.has_next);
        let between = pager_state(
            page(0, 50),
            50,
            Total::Between {
                at_least: 1951,
                at_most: 2000,
            },
        );
        assert_eq!(between.label, "1–50 of 1,951–2,000");
        assert!(between.has_next);
    }
}
