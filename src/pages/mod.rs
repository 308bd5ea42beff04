//! One module per route, as in leptos's hackernews example.

pub mod find;
pub mod home;
pub mod not_found;
pub mod provider;
pub mod user;
