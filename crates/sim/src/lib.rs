//! Stand-ins for the five providers' list-users APIs. No test and no demo may call a real
//! provider, so everything the console does is exercised against these: one seeded population
//! ([`population`]), rendered by five simulators whose pure cores answer
//! [`HttpRequest`](userdeck_providers::HttpRequest)s exactly as the documented contracts say,
//! fault knobs ([`faults`]) and an axum router ([`server`]) for the proxy's demo mode.
//!
//! Where the provider documentation is silent the simulators make the safest assumption and
//! say so in their module docs. In short: exact filters and free text ignore case everywhere;
//! text sorts ignore case, put missing values last in both directions and keep storage order
//! for ties; an empty result still has one (empty) page; pages past the end are empty rather
//! than errors; PressOne's page size defaults to 20 and is clamped to 100, and filtering by
//! both e-mail and mobile is a 400; Pngme's date bounds are inclusive and its page size is 50;
//! Nameshield has no escape for a literal `*`; Rebilly's `q` searches first name, last name
//! and e-mail, its limit is 1000 requests a minute per credential, and Rebilly enforces its
//! schema's name lengths (45 characters) on write; ActivePlatform's date filters compare
//! calendar days in the installation's offset (+03:00).

pub mod activeplatform;
pub mod common;
pub mod credentials;
pub mod faults;
pub mod hostile;
pub mod http_date;
pub mod names;
pub mod nameshield;
pub mod pngme;
pub mod population;
pub mod pressone;
pub mod rate_limit;
pub mod rebilly;
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
