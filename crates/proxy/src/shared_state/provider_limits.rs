//! A provider's rate limit and concurrency bound, shared by every replica through the store.
//! While the store is unreachable each replica enforces its share: the limit divided by
//! `shared_state.replicas` (at least one), so that together they still stay within it.

use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

use super::store::Store;
use crate::config::Provider;
use crate::rate_limit::{Limiter, RateLimit};

/// Waits between polls for a shared slot: the first, and the longest.
const SLOT_POLL: (Duration, Duration) = (Duration::from_millis(5), Duration::from_millis(100));

/// One provider's limits as the replicas share them.
pub struct SharedLimits {
    store: Store,
    rate: Option<RateLimit>,
    rate_key: String,
    max_concurrency: usize,
    slots_key: String,
    lease: Duration,
    share: Option<Limiter>,
    share_slots: Semaphore,
}

/// A concurrency slot held for one upstream call.
#[must_use = "the slot is freed when this is dropped"]
pub enum Slot<'a> {
    /// A lease in the store, given back when dropped (or expiring if this replica dies).
    Shared(Lease),
    /// One of this replica's share of slots, while the store is unreachable.
    Share(SemaphorePermit<'a>),
}

/// A leased slot in the store.
pub struct Lease {
    store: Store,
    key: String,
    id: String,
}

impl Drop for Lease {
    fn drop(&mut self) {
        let store = self.store.clone();
        let mut command = redis::cmd("ZREM");
        command.arg(&self.key).arg(&self.id);
        // If this fails, or there is no runtime left to send it, the lease expires on its own.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = store.command::<i64>(command).await;
            });
        }
    }
}

/// `whole / replicas`, at least one: a replica's share of a limit.
pub fn share(whole: u32, replicas: u32) -> u32 {
    (whole / replicas.max(1)).max(1)
}

impl SharedLimits {
    /// The limits of `provider` in `store`. A lease outlives the longest a call can hold it
    /// (`lease`: the upstream timeout and a margin), so a live replica never loses one early.
    pub fn new(store: &Store, provider: &Provider, lease: Duration) -> Self {
        let replicas = store.replicas();
        let share_rate = provider.rate_limit.map(|limit| {
            Limiter::new(RateLimit::new(
                share(limit.requests, replicas),
                limit.period,
            ))
        });
        let max = u32::try_from(provider.max_concurrency).unwrap_or(u32::MAX);
        let share_slots = usize::try_from(share(max, replicas)).unwrap_or(1);
        Self {
            rate: provider.rate_limit,
            rate_key: store.key(&["rate", &provider.id]),
            max_concurrency: provider.max_concurrency,
            slots_key: store.key(&["slots", &provider.id]),
            lease,
            share: share_rate,
            share_slots: Semaphore::new(share_slots),
            store: store.clone(),
        }
    }

    /// Takes one request's worth of the provider's rate limit, or the wait before the next.
    /// What the store grants is also taken from this replica's share, so that if the store is
    /// lost the share left reflects what this replica has already sent.
    pub async fn take(&self, now: Instant) -> Result<(), Duration> {
        let (Some(limit), Some(share)) = (self.rate, &self.share) else {
            return Ok(());
        };
        let period_ms = limit.period.as_millis().max(1);
        let answer = self
            .store
            .eval::<u64>(
                &self.store.scripts().take,
                &[&self.rate_key],
                &[limit.requests.to_string(), period_ms.to_string()],
            )
            .await;
        match answer {
            Ok(0) => {
                let _ = share.acquire(now);
                Ok(())
            }
            Ok(wait_ms) => Err(Duration::from_millis(wait_ms)),
            Err(_) => {
                tracing::debug!(rate_key = %self.rate_key, "store unreachable: this replica's share of the rate limit applies");
                share.acquire(now)
            }
        }
    }

    /// Waits for a concurrency slot: a lease in the store, or one of this replica's share while
    /// the store is unreachable. The caller bounds the wait with its deadline.
    pub async fn slot(&self) -> Option<Slot<'_>> {
        let mut poll = SLOT_POLL.0;
        loop {
            let id = self.store.lease_id();
            let lease_ms = self.lease.as_millis().max(1);
            let answer = self
                .store
                .eval::<u64>(
                    &self.store.scripts().lease,
                    &[&self.slots_key],
                    &[
                        self.max_concurrency.to_string(),
                        lease_ms.to_string(),
                        id.clone(),
                    ],
                )
                .await;
            match answer {
                Ok(1) => {
                    return Some(Slot::Shared(Lease {
                        store: self.store.clone(),
                        key: self.slots_key.clone(),
                        id,
                    }));
                }
                Ok(_) => {
                    tokio::time::sleep(poll).await;
                    poll = (poll * 2).min(SLOT_POLL.1);
                }
                Err(_) => {
                    return self.share_slots.acquire().await.ok().map(Slot::Share);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_never_add_up_to_more_than_the_limit_unless_it_is_below_the_replica_count() {
        assert_eq!(share(600, 2), 300);
        assert_eq!(share(601, 2), 300);
        assert_eq!(share(10, 3), 3);
        assert_eq!(share(1, 4), 1);
        assert_eq!(share(16, 0), 16);
    }
}
