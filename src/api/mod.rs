//! Everything the console fetches, without any view code (as in leptos's hackernews example):
//! the provider list, the response cache and the execution of a list plan.

pub mod cache;
pub mod export;
pub mod list;
pub mod providers;
pub mod transport;

/// Milliseconds since the Unix epoch from the browser's clock.
pub fn now_millis() -> f64 {
    js_sys::Date::now()
}

/// Whole seconds since the Unix epoch, for "expires in N days".
pub fn now_seconds() -> i64 {
    (now_millis() / 1000.0) as i64
}

/// The browser's clock as a timestamp, for adapters that read absolute retry instants.
pub fn now() -> userdeck_providers::Timestamp {
    use userdeck_providers::Timestamp;
    Timestamp::from_millisecond(now_millis() as i64).unwrap_or(Timestamp::UNIX_EPOCH)
}
