//! Time, written by hand instead of taken from a date-time library, whose parsers, time-zone
//! machinery and error text cost the console's WebAssembly tens of kilobytes. Providers only
//! send instants, so nothing here knows time zones beyond a fixed offset.
//!
//! - [`timestamp`]: [`Timestamp`], an instant on the UTC time line, compared, shifted and printed;
//! - [`civil`]: calendar dates and wall-clock times, the arithmetic between days and dates;
//! - [`date`]: [`date::Instant`] and [`date::parse_instant`], the lenient reader every adapter
//!   uses, which keeps the offset a provider wrote for display;
//! - `iso8601`: the grammar both readers share.

pub mod civil;
pub mod date;
mod iso8601;
pub mod timestamp;

pub use timestamp::{ParseError, Timestamp};
