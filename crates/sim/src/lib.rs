//! Stand-ins for the five providers' list-users APIs. No test and no demo may call a real
//! provider, so everything the console does is exercised against these.

pub mod rng;
