//! The pure core of Userdeck: everything about the five providers that can be decided without
//! I/O lives here, so that it can be unit-tested natively and shared by the console (wasm32),
//! the proxy and the simulators.

pub mod date;
pub mod http;
pub mod kind;

pub use http::{HttpRequest, HttpResponse, Method};
pub use kind::ProviderKind;
