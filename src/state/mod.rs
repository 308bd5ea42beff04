//! The console's state, below the pages and the components (as in lemmy-ui-leptos): the
//! provider list every surface reads, and the list state any surface can own through
//! [`list::use_user_list`]. Nothing here renders; pages provide these contexts and components
//! read them.

pub mod catalog;
pub mod list;
pub mod prefs;
pub mod saved_views;
pub mod table_settings;
pub mod time_zone;
