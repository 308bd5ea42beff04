//! The console's state, below the pages and the components (as in lemmy-ui-leptos): the
//! deployment's configuration, the provider list every surface reads, the credentials typed for
//! direct providers, the list state any surface can own through [`list::use_user_list`], and a
//! find's fan-out across providers ([`find::start_find`]). Nothing here renders; pages provide
//! these contexts and components read them.

pub mod catalog;
pub mod config;
pub mod credentials;
pub mod find;
pub mod list;
pub mod prefs;
pub mod saved_views;
pub mod table_settings;
pub mod time_zone;
