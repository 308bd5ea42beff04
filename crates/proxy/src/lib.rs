//! The Userdeck proxy as a library, so integration tests drive the same router the binary serves.

pub mod args;
pub mod static_files;
