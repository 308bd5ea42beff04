//! Fuzz targets for the code that reads input from outside the process: the five providers'
//! responses, the console's URL state and `config.json`, the proxy's TOML config, and the Rebilly
//! filter that the adapter writes and Rebilly (here its simulator) reads. Each target panics only on a real
//! defect: a panic in the code under test or a broken round-trip property.

pub mod alloc_cap;
pub mod targets;
