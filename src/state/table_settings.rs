//! How one provider's table is shown, apart from the view in the URL: the columns a person
//! chose (kept per provider in `localStorage`, never in a shared link) and whether the pager's
//! "All" is on. The provider page provides it; the toolbar, the table and the pager read it.

use leptos::prelude::*;
use userdeck_providers::column_choice::{self, Column};
use userdeck_providers::field::Field;
use userdeck_providers::{Capabilities, ProviderInfo};

use super::prefs;

/// The columns a provider with these capabilities has, in default order (the table decides).
pub type Available = fn(&Capabilities) -> Vec<Field>;

/// The table's presentation for the provider on screen.
#[derive(Clone, Copy)]
pub struct TableSettings {
    /// Every column the provider has, in the chosen order, with whether it is shown.
    pub columns: RwSignal<Vec<Column>>,
    /// Whether the table shows every row of a scan at once (virtualised) instead of a page.
    pub all_rows: RwSignal<bool>,
    /// Which columns a provider has.
    pub available: Available,
}

fn storage_key(provider_id: &str) -> String {
    format!("userdeck.columns.{provider_id}")
}

/// The stored choice for `info`, decoded against `fields`, what the provider has (defaults
/// when there is none, or when it is hostile or stale).
fn stored_columns(info: &ProviderInfo, fields: &[Field]) -> Vec<Column> {
    match prefs::get(&storage_key(&info.id)) {
        Some(text) => column_choice::decode(&text, fields),
        None => column_choice::defaults(fields),
    }
}

impl TableSettings {
    /// Settings that follow `info`: the stored columns are read again, and "All" switched
    /// off, whenever the provider changes.
    pub fn follow(info: Memo<Option<ProviderInfo>>, available: Available) -> Self {
        let settings = TableSettings {
            columns: RwSignal::new(Vec::new()),
            all_rows: RwSignal::new(false),
            available,
        };
        Effect::new(move |previous: Option<Option<String>>| {
            let info = info.get();
            let id = info.as_ref().map(|i| i.id.clone());
            if previous.as_ref() != Some(&id) {
                settings.all_rows.set(false);
                settings.columns.set(
                    info.as_ref()
                        .map(|i| stored_columns(i, &available(&i.capabilities)))
                        .unwrap_or_default(),
                );
            }
            id
        });
        settings
    }

    /// Applies a saved view's column choice (empty: the defaults) and remembers it.
    pub fn apply_stored(&self, info: &ProviderInfo, stored: &str) {
        let fields = (self.available)(&info.capabilities);
        let columns = if stored.is_empty() {
            column_choice::defaults(&fields)
        } else {
            column_choice::decode(stored, &fields)
        };
        self.choose(&info.id, columns);
    }

    /// Shows `columns` for `provider_id` and remembers them for next time.
    pub fn choose(&self, provider_id: &str, columns: Vec<Column>) {
        prefs::set(&storage_key(provider_id), &column_choice::encode(&columns));
        self.columns.set(columns);
    }

    /// Back to the provider's default columns, forgetting the stored choice.
    pub fn reset(&self, info: &ProviderInfo) {
        prefs::remove(&storage_key(&info.id));
        self.columns.set(column_choice::defaults(&(self.available)(
            &info.capabilities,
        )));
    }

    /// The fields shown, in order.
    pub fn visible(&self) -> Vec<Field> {
        column_choice::visible(&self.columns.get())
    }
}
