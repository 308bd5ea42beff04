//! The failed sign-in limit. Every attempt that needs a verification takes its place in the
//! client's allowance *before* it is verified, under one lock, so a hundred concurrent guesses
//! cannot all pass a check that none of them has yet failed; a success gives the place back.
//!
//! Two allowances: one per client (the socket address, or the forwarded client behind a
//! trusted proxy; an IPv6 /64 counts as one client) and one across all clients, so that many
//! addresses cannot guess in parallel. The shared allowance never stops a client whose own record
//! is clean: a client that has not failed within the window always gets its attempt verified,
//! so a valid credential is not refused because of other clients' failures.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::FailureLimits;
use crate::rate_limit::{Bucket, RateLimit};

/// Clients remembered at most; past it, clients whose allowance has refilled are forgotten,
/// and if that is not enough the oldest half of the window is.
const MAX_CLIENTS: usize = 10_000;

/// The allowances, per client and in total.
#[derive(Debug)]
pub struct FailedLogins {
    per_client: RateLimit,
    total: RateLimit,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    clients: HashMap<IpAddr, Bucket>,
    total: Bucket,
}

/// A place taken in the allowances for one attempt being verified.
#[derive(Debug)]
#[must_use = "give the place back on success"]
pub struct Attempt {
    client: IpAddr,
    took_total: bool,
}

impl FailedLogins {
    /// Allowances of `limits` per minute.
    pub fn new(limits: FailureLimits) -> Self {
        let minute = Duration::from_secs(60);
        let per_client = RateLimit::new(limits.per_client.max(1), minute);
        let total = RateLimit::new(limits.total.max(1), minute);
        Self {
            per_client,
            total,
            state: Mutex::new(State {
                clients: HashMap::new(),
                total: Bucket::full(total, Instant::now()),
            }),
        }
    }

    /// The wait before `client` may try again, if it has spent its own allowance. Checked
    /// before anything else, remembered credentials included, so a locked-out client learns
    /// nothing about which credential is right.
    pub fn blocked(&self, client: IpAddr, now: Instant) -> Option<Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = state.clients.get_mut(&client)?;
        bucket.refill(self.per_client, now);
        (!bucket.has_token()).then(|| bucket.wait(self.per_client))
    }

    /// Takes a place for one verification by `client`, or the wait before it may try.
    pub fn begin(&self, client: IpAddr, now: Instant) -> Result<Attempt, Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let per_client = self.per_client;
        let total_limit = self.total;
        state.total.refill(total_limit, now);
        if !state.clients.contains_key(&client) && state.clients.len() >= MAX_CLIENTS {
            forget_some(&mut state.clients, per_client, now);
        }
        let State { clients, total } = &mut *state;
        let bucket = clients
            .entry(client)
            .or_insert_with(|| Bucket::full(per_client, now));
        bucket.refill(per_client, now);
        let clean = bucket.is_full(per_client);
        if !bucket.has_token() {
            return Err(bucket.wait(per_client));
        }
        let took_total = total.take(total_limit, now).is_ok();
        if !took_total && !clean {
            return Err(total.wait(total_limit));
        }
        let _ = bucket.take(per_client, now);
        Ok(Attempt { client, took_total })
    }

    /// The attempt succeeded: its places are given back.
    pub fn succeeded(&self, attempt: Attempt) {
        self.give_back(&attempt);
    }

    /// The attempt was not verified after all (the checker was busy): its places are given
    /// back, since nothing was learned.
    pub fn not_tried(&self, attempt: Attempt) {
        self.give_back(&attempt);
    }

    /// The attempt failed: its places stay spent.
    pub fn failed(&self, attempt: Attempt) {
        drop(attempt);
    }

    fn give_back(&self, attempt: &Attempt) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if attempt.took_total {
            state.total.give_back(self.total);
        }
        if let Some(bucket) = state.clients.get_mut(&attempt.client) {
            bucket.give_back(self.per_client);
        }
    }
}

fn forget_some(clients: &mut HashMap<IpAddr, Bucket>, limit: RateLimit, now: Instant) {
    clients.retain(|_, bucket| {
        bucket.refill(limit, now);
        !bucket.is_full(limit)
    });
    if clients.len() >= MAX_CLIENTS {
        // Every remembered client is mid-window: an attack from more addresses than the map
        // holds. Forgetting them all keeps memory bounded; the shared allowance still holds.
        clients.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn counts_failures_per_client() {
        let limits = FailedLogins::new(FailureLimits {
            per_client: 3,
            total: 100,
        });
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(limits.blocked(ip("10.0.0.1"), now), None);
            let attempt = limits.begin(ip("10.0.0.1"), now).expect("allowed");
            limits.failed(attempt);
        }
        assert!(limits.blocked(ip("10.0.0.1"), now).is_some());
        assert!(limits.begin(ip("10.0.0.1"), now).is_err());
        assert_eq!(limits.blocked(ip("10.0.0.2"), now), None);
        assert_eq!(
            limits.blocked(ip("10.0.0.1"), now + Duration::from_secs(21)),
            None
        );
    }

    #[test]
    fn places_are_taken_before_the_verdict_and_given_back_on_success() {
        let limits = FailedLogins::new(FailureLimits {
            per_client: 10,
            total: 1000,
        });
        let now = Instant::now();
        let attempts: Vec<_> = (0..100)
            .filter_map(|_| limits.begin(ip("10.0.0.1"), now).ok())
            .collect();
        assert_eq!(attempts.len(), 10, "only ten verifications start");
        for attempt in attempts {
            limits.succeeded(attempt);
        }
        assert_eq!(limits.blocked(ip("10.0.0.1"), now), None);
    }

    #[test]
    fn the_shared_allowance_stops_repeat_guessers_but_not_a_clean_client() {
        let limits = FailedLogins::new(FailureLimits {
            per_client: 10,
            total: 20,
        });
        let now = Instant::now();
        let mut verified = 0;
        for _ in 0..9 {
            for n in 0..30 {
                if let Ok(attempt) = limits.begin(ip(&format!("10.1.0.{n}")), now) {
                    verified += 1;
                    limits.failed(attempt);
                }
            }
        }
        assert!(verified <= 20 + 30, "{verified} verified");
        let admin = limits
            .begin(ip("192.0.2.10"), now)
            .expect("a clean client is verified");
        limits.succeeded(admin);
    }
}
