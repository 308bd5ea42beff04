//! The saved views kept in this browser (`localStorage`), for every provider, as the same JSON
//! a person exports and imports; what is stored is decoded totally like any imported file.

use leptos::prelude::*;
use userdeck_providers::saved_views::{self, SavedView};

use super::prefs;

const STORAGE_KEY: &str = "userdeck.views";

/// Every saved view, provided by the provider page. Only the views menu shows them, so they are
/// read from storage when the menu first opens ([`SavedViews::read_stored`]): the decoder is
/// then part of the menu's chunk, not of the first load.
#[derive(Clone, Copy)]
pub struct SavedViews {
    /// The views, once read.
    pub all: RwSignal<Vec<SavedView>>,
    /// Whether storage has been read.
    read: StoredValue<bool>,
}

impl SavedViews {
    /// None yet, and storage not read.
    pub fn unread() -> Self {
        SavedViews {
            all: RwSignal::new(Vec::new()),
            read: StoredValue::new(false),
        }
    }

    /// Reads the views stored in this browser, once (none when the stored text is not a views
    /// file).
    pub fn read_stored(&self) {
        if self.read.get_value() {
            return;
        }
        self.read.set_value(true);
        let views = prefs::get(STORAGE_KEY)
            .map(|text| saved_views::decode(&text).views)
            .unwrap_or_default();
        self.all.set(views);
    }

    /// Replaces every view with `views` and stores them; false when the browser refused.
    pub fn store(&self, views: Vec<SavedView>) -> bool {
        let stored = prefs::set(STORAGE_KEY, &saved_views::encode(&views));
        self.all.set(views);
        stored
    }
}
