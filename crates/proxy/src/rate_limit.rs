//! Token buckets. The proxy answers 429 itself before a provider does, so one admin's burst
//! cannot get the deployment's token throttled (Nameshield: 600 requests per 5 minutes per
//! token), and failed logins are slowed per client.

use std::collections::HashMap;
use std::hash::Hash;
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

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    fn full(limit: RateLimit, now: Instant) -> Self {
        Self {
            tokens: f64::from(limit.requests),
            updated: now,
        }
    }

    fn refill(&mut self, limit: RateLimit, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        let rate = f64::from(limit.requests) / limit.period.as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(f64::from(limit.requests));
        self.updated = now;
    }

    /// Takes a token, or says how long until one is there.
    fn take(&mut self, limit: RateLimit, now: Instant) -> Result<(), Duration> {
        self.refill(limit, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(self.wait(limit))
        }
    }

    fn wait(&self, limit: RateLimit) -> Duration {
        let rate = f64::from(limit.requests) / limit.period.as_secs_f64();
        Duration::from_secs_f64(((1.0 - self.tokens) / rate).max(0.0))
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

/// One bucket per key (a client address), for counting failed logins. Bounded: past
/// `MAX_KEYS` clients, buckets that have refilled completely are forgotten.
#[derive(Debug)]
pub struct KeyedLimiter<K> {
    limit: RateLimit,
    buckets: Mutex<HashMap<K, Bucket>>,
}

const MAX_KEYS: usize = 10_000;

impl<K: Eq + Hash + Clone> KeyedLimiter<K> {
    /// An empty limiter allowing `limit` per key.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` has spent its allowance; the wait until it may try again if so.
    pub fn blocked(&self, key: &K, now: Instant) -> Option<Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.get_mut(key)?;
        bucket.refill(self.limit, now);
        (bucket.tokens < 1.0).then(|| bucket.wait(self.limit))
    }

    /// Spends one unit of `key`'s allowance (a failed attempt).
    pub fn record(&self, key: &K, now: Instant) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            let limit = self.limit;
            buckets.retain(|_, b| {
                b.refill(limit, now);
                b.tokens < f64::from(limit.requests)
            });
        }
        let limit = self.limit;
        let bucket = buckets
            .entry(key.clone())
            .or_insert_with(|| Bucket::full(limit, now));
        let _ = bucket.take(limit, now);
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

    #[test]
    fn counts_failures_per_key() {
        let limiter = KeyedLimiter::new(RateLimit::new(3, Duration::from_secs(60)));
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.blocked(&"a", now), None);
            limiter.record(&"a", now);
        }
        assert!(limiter.blocked(&"a", now).is_some());
        assert_eq!(limiter.blocked(&"b", now), None);
        assert_eq!(limiter.blocked(&"a", now + Duration::from_secs(21)), None);
    }
}
