//! The saved views kept in this browser (`localStorage`), for every provider, as the same JSON
//! a person exports and imports; what is stored is decoded totally like any imported file.

use leptos::prelude::*;
use userdeck_providers::saved_views::{self, SavedView};

use super::prefs;

const STORAGE_KEY: &str = "userdeck.views";

/// Every saved view, provided by the provider page.
#[derive(Clone, Copy)]
pub struct SavedViews(pub RwSignal<Vec<SavedView>>);

impl SavedViews {
    /// The views stored in this browser (none when the stored text is not a views file).
    pub fn load() -> Self {
        let views = prefs::get(STORAGE_KEY)
            .map(|text| saved_views::decode(&text).views)
            .unwrap_or_default();
        SavedViews(RwSignal::new(views))
    }

    /// Replaces every view with `views` and stores them; false when the browser refused.
    pub fn store(&self, views: Vec<SavedView>) -> bool {
        let stored = prefs::set(STORAGE_KEY, &saved_views::encode(&views));
        self.0.set(views);
        stored
    }
}
