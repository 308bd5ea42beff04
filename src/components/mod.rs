//! The console's building blocks, one feature per folder or file (as in lemmy-ui-leptos).

pub mod badges;
pub mod detail;
pub mod pagination;
pub mod sign_in;
pub mod states;
pub mod table;
pub mod toolbar;
