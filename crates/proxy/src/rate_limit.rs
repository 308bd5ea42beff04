//! Token buckets. The proxy answers 429 itself before a provider does, so one admin's burst
//! cannot get the deployment's token throttled (Nameshield: 600 requests per 5 minutes per
//! token). The same buckets count failed sign-ins (see `failed_logins`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A published limit: `requests` per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests a full bucket allows in a burst.
    pub requests: u32,
    /// Over how long the bucket refills completely.
    pub period: Duration,
}

impl RateLimit {
    /// A limit of `requests` per `period`.
    pub fn new(requests: u32, period: Duration) -> Self {
        Self { requests, period }
    }
}

/// A token bucket: `limit.requests` tokens, refilled evenly over `limit.period`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    /// A bucket with every token in it.
    pub(crate) fn full(limit: RateLimit, now: Instant) -> Self {
        Self {
            tokens: f64::from(limit.requests),
            updated: now,
        }
    }

    /// Adds the tokens that accrued since the last call.
    pub(crate) fn refill(&mut self, limit: RateLimit, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        let rate = f64::from(limit.requests) / limit.period.as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(limit.requests));
        self.updated = now;
    }

    /// Takes a token, or says how long until one is there.
    pub(crate) fn take(&mut self, limit: RateLimit, now: Instant) -> Result<(), Duration> {
        self.refill(limit, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.wait(limit))
        }
    }

    /// Puts back a token taken for an attempt that turned out not to count.
    pub(crate) fn give_back(&mut self, limit: RateLimit) {
        self.tokens = (self.tokens + 1.0).min(f64::from(limit.requests));
    }

    /// Whether no token has been taken (or all have refilled).
    pub(crate) fn is_full(&self, limit: RateLimit) -> bool {
        self.tokens >= f64::from(limit.requests)
    }

    /// Whether a token is there.
    pub(crate) fn has_token(&self) -> bool {
        self.tokens >= 1.0
    }

    /// How long until the next token. Saturates instead of panicking, whatever the limit.
    pub(crate) fn wait(&self, limit: RateLimit) -> Duration {
        let rate = f64::from(limit.requests) / limit.period.as_secs_f64();
        Duration::try_from_secs_f64(((1.0 - self.tokens) / rate).max(0.0)).unwrap_or(limit.period)
    }
}

/// One bucket, shared by every request to one provider.
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    bucket: Mutex<Bucket>,
}

impl Limiter {
    /// A full bucket for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            bucket: Mutex::new(Bucket::full(limit, Instant::now())),
        }
    }

    /// Takes one request's worth, or returns the wait before the next is allowed.
    pub fn acquire(&self, now: Instant) -> Result<(), Duration> {
        let mut bucket = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        bucket.take(self.limit, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_burst_then_says_how_long_to_wait() {
        let limit = RateLimit::new(600, Duration::from_secs(300));
        let limiter = Limiter::new(limit);
        let start = Instant::now();
        for _ in 0..600 {
            assert!(limiter.acquire(start).is_ok());
        }
        let wait = limiter
            .acquire(start)
            .expect_err("the 601st is over the limit");
        assert!(
            wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        assert!(limiter.acquire(start + Duration::from_millis(500)).is_ok());
    }
}
