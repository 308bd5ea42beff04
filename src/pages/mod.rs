//! One module per route, as in leptos's hackernews example.

pub mod config_error;
pub mod embed;
pub mod find;
pub mod gate;
pub mod home;
pub mod not_found;
pub mod provider;
pub mod user;
