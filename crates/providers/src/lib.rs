//! The pure core of Userdeck: everything about the five providers that can be decided without
//! I/O lives here, so that it can be unit-tested natively and shared by the console (wasm32),
//! the proxy and the simulators.
//!
//! How a query runs, so that every shell does it the same way:
//! 1. [`plan()`] splits a [`Query`] by the provider's [`Capabilities`] into what the provider
//!    does ([`ServerQuery`]) and what stays in memory; anything left in memory makes the plan
//!    a full scan.
//! 2. An [`Execution`] says which requests to send ([`Execution::next_fetches`]); the shell adds
//!    [`Credentials`], sends them, and hands the responses back ([`Execution::accept`]).
//! 3. [`Execution::finish`] gives the page, with a [`Total`] that is exact only when it is
//!    known; a scan over the cap or past Rebilly's offset cap is refused with a
//!    [`ProviderError`] that says how to narrow the query.
//!
//! [`execute_blocking`] does all three with a synchronous fetch function, for tests and the
//! simulators' differential check.

pub mod adapters;
pub mod capabilities;
pub mod catalog;
pub mod column_choice;
pub mod console_config;
pub mod credentials;
pub mod csv_export;
pub mod detail_rows;
pub mod embed_protocol;
pub mod engine;
pub mod error;
pub mod execute;
pub mod export_plan;
pub mod field;
pub mod find;
pub mod http;
pub mod kind;
pub mod lookup;
pub mod model;
pub mod plan;
pub mod query;
pub mod saved_views;
pub mod secret_fields;
pub mod shortfall;
pub mod time;
pub mod url_state;
pub mod virtual_rows;

pub use capabilities::Capabilities;
pub use catalog::{ProviderCatalog, ProviderInfo};
pub use credentials::{Credentials, Scheme, Secret};
pub use error::{ErrorKind, ProviderError};
pub use execute::{Execution, Fetch, execute_blocking};
pub use field::Field;
pub use http::{HttpRequest, HttpResponse, Method};
pub use kind::ProviderKind;
pub use model::{Page, Status, Total, User};
pub use plan::{Plan, PlanConfig, Strategy, plan};
pub use query::{
    Direction, Filter, FilterOp, PageRequest, Query, ServerPage, ServerQuery, SortKey, Value,
};
pub use time::Timestamp;
pub use time::date::{Instant, parse_instant};
