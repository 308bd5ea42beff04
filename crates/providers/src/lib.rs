//! The pure core of Userdeck: everything about the five providers that can be decided without
//! I/O lives here, so that it can be unit-tested natively and shared by the console (wasm32),
//! the proxy and the simulators.

pub mod adapters;
pub mod capabilities;
pub mod credentials;
pub mod date;
pub mod engine;
pub mod error;
pub mod execute;
pub mod field;
pub mod http;
pub mod kind;
pub mod model;
pub mod plan;
pub mod query;

pub use capabilities::Capabilities;
pub use credentials::{Credentials, Secret};
pub use date::{Instant, parse_instant};
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
