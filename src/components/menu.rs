//! A toolbar disclosure whose panel is a split point (see `lazy`): the button is there from the
//! first render, and the panel's chunk is fetched when a pointer or the keyboard first reaches
//! the button, so it is usually in before the menu opens. Once built, the panel stays, with its
//! state, while the menu closes and opens again.

use leptos::prelude::*;

use crate::lazy::{Unavailable, lazy_view};

/// How a menu looks: its button's text, its panel's class and accessible name, its test id.
pub struct MenuLook {
    /// The summary's text.
    pub label: &'static str,
    /// The `<details>`'s class: `filter-menu`, plus `toolbar-menu` for a right-aligned panel.
    pub menu_class: &'static str,
    /// The panel's class: `menu-panel` (plus `menu-panel-wide`), or `filter-panel`.
    pub panel_class: &'static str,
    /// The panel group's name for screen readers.
    pub panel_label: &'static str,
    /// The `data-testid` of the `<details>`.
    pub test_id: &'static str,
}

/// `<details>` with the look's summary and a panel holding what `load` builds, built on first
/// need (a loading line, or the sentence for a chunk that did not arrive, meanwhile).
/// `keep_open` holds the menu open while it is true (an export that is running).
pub fn lazy_menu<F, Fut>(look: MenuLook, keep_open: Signal<bool>, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, Unavailable>> + Send + 'static,
{
    let wanted = RwSignal::new(false);
    let open = RwSignal::new(false);
    let want = move || {
        if !wanted.get_untracked() {
            wanted.set(true);
        }
    };
    view! {
        <details
            class=look.menu_class
            data-testid=look.test_id
            prop:open=move || open.get() || keep_open.get()
            on:pointerenter=move |_| want()
            on:focusin=move |_| want()
            on:toggle=move |event| {
                let now = event_target::<web_sys::HtmlDetailsElement>(&event).open();
                open.set(now);
                if now {
                    want();
                }
            }
        >
            <summary class="button">{look.label}</summary>
            <div class=look.panel_class role="group" aria-label=look.panel_label>
                {move || wanted.get().then(|| lazy_view(load))}
            </div>
        </details>
    }
}
