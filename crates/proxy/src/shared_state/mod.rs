//! Limits shared between replicas. Several proxies behind one load balancer would each keep
//! their own buckets, sending a provider a multiple of its limit and giving a guesser a
//! multiple of the sign-in allowance; with `[shared_state]` every limit lives in one
//! Redis-protocol store instead, decided there by atomic scripts. Without the section nothing
//! here runs and every limit stays in process.

pub mod config;
pub mod failed_logins;
pub mod provider_limits;
mod scripts;
pub mod store;

pub use store::{Store, Unavailable};
