//! Light and dark themes: follow the deployment's default (or the system) until the user picks
//! one, then remember the pick.

use leptos::prelude::*;

const STORAGE_KEY: &str = "userdeck.theme";

/// The theme a person can force; `None` in storage means "follow the system".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on light surfaces.
    Light,
    /// Light text on dark surfaces.
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn system_theme() -> Theme {
    let dark = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .map(|query| query.matches())
        .unwrap_or(false);
    if dark { Theme::Dark } else { Theme::Light }
}

fn apply(theme: Theme) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

/// A button that flips between light and dark and remembers the choice across visits.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let stored = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| Theme::parse(&text));
    let configured = || {
        crate::state::config::with(|c| c.theme).map(|theme| match theme {
            userdeck_providers::console_config::ThemeDefault::Light => Theme::Light,
            userdeck_providers::console_config::ThemeDefault::Dark => Theme::Dark,
        })
    };
    let theme = RwSignal::new(stored.or_else(configured).unwrap_or_else(system_theme));
    Effect::new(move |_| apply(theme.get()));
    let toggle = move |_| {
        let next = match theme.get_untracked() {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        };
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, next.as_str());
        }
        theme.set(next);
    };
    let label = move || match theme.get() {
        Theme::Light => "Switch to dark theme",
        Theme::Dark => "Switch to light theme",
    };
    view! {
        <button class="icon-button" type="button" on:click=toggle aria-label=label title=label>
            {move || match theme.get() {
                Theme::Light => "☾",
                Theme::Dark => "☀",
            }}
        </button>
    }
}
