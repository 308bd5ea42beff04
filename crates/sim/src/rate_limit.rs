//! Fixed-window request limits driven by a clock the caller passes in, so tests can cross a
//! window boundary without sleeping and the 429 answers are reproducible.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use userdeck_providers::Timestamp;

/// A limit of `requests` per `window_seconds` for each credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Requests allowed in one window.
    pub requests: u32,
    /// Window length in seconds.
    pub window_seconds: u32,
}

/// Counts requests per credential in fixed windows that start at each credential's first
/// request.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// Records one request for `key` at `now` and, when it is over `limit`, returns when the
    /// current window ends (the instant a retry succeeds).
    pub fn check(&self, limit: RateLimit, key: &str, now: Timestamp) -> Result<(), Timestamp> {
        let now_s = now.as_second();
        let window = i64::from(limit.window_seconds.max(1));
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let entry = windows.entry(key.to_string()).or_insert((now_s, 0));
        if now_s >= entry.0 + window || now_s < entry.0 {
            *entry = (now_s, 0);
        }
        if entry.1 >= limit.requests {
            let retry = Timestamp::from_second(entry.0 + window).unwrap_or(now);
            return Err(retry);
        }
        entry.1 += 1;
        Ok(())
    }

    /// Forgets every window, as after a restart.
    pub fn reset(&self) {
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let limiter = RateLimiter::default();
        let limit = RateLimit {
            requests: 3,
            window_seconds: 300,
        };
        let t0 = Timestamp::from_second(1_000).expect("valid");
        for _ in 0..3 {
            assert_eq!(limiter.check(limit, "a", t0), Ok(()));
        }
        let later = Timestamp::from_second(1_100).expect("valid");
        assert_eq!(
            limiter.check(limit, "a", later),
            Err(Timestamp::from_second(1_300).expect("valid"))
        );
        assert_eq!(limiter.check(limit, "b", later), Ok(()), "per credential");
        let next = Timestamp::from_second(1_300).expect("valid");
        assert_eq!(limiter.check(limit, "a", next), Ok(()));
    }
}
