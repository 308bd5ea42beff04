//! The console's building blocks, one feature per folder or file (as in lemmy-ui-leptos).

pub mod badges;
pub mod credential_prompt;
pub mod detail;
pub mod error_banner;
pub mod export;
pub mod find_box;
pub mod list_states;
pub mod menu;
pub mod pagination;
pub mod sign_in;
pub mod sign_out;
pub mod table;
pub mod toolbar;
pub mod views;
pub mod when;
