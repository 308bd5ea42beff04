//! Stand-ins for the five providers' list-users APIs. No test and no demo may call a real
//! provider, so everything the console does is exercised against these: one seeded population
//! ([`population`]), rendered by five simulators whose pure cores answer
//! [`HttpRequest`](userdeck_providers::HttpRequest)s exactly as the documented contracts say,
//! fault knobs ([`faults`]) and an axum router ([`server`]) for the proxy's demo mode.

pub mod activeplatform;
pub mod common;
pub mod credentials;
pub mod faults;
pub mod hostile;
pub mod names;
pub mod nameshield;
pub mod pngme;
pub mod population;
pub mod pressone;
pub mod ratelimit;
pub mod rebilly;
pub mod rebilly_filter;
pub mod rng;
pub mod server;
pub mod simulators;
pub mod stamp;
pub mod state;

pub use faults::{Burst, Faults, SlowBody};
pub use population::Population;
pub use server::router;
pub use simulators::{Limits, Simulators};
pub use state::{SimConfig, SimState};
