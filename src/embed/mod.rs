//! Embed mode for partner portals: the console in a portal's `<iframe>` (`/embed/p/:provider`),
//! talking to the portal through the `postMessage` protocol of
//! `userdeck_providers::embed_protocol`. [`bridge`] holds the window plumbing.

pub mod bridge;
