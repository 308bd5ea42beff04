//! The failed sign-in limit, in process or shared by the replicas through the store. The rule
//! is the same either way (see `crate::failed_logins`); shared, one script applies it
//! atomically across replicas, so two replicas give an attacker no more guesses than one.
//! Without the store nobody can tell how many guesses a client has had, so sign-in checks fail
//! closed: [`Unavailable`] becomes a 503.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use super::store::{Store, Unavailable};
use crate::config::FailureLimits;
use crate::failed_logins::{Attempt, FailedLogins};

/// Bucket keys expire after this, when they would be full again anyway.
const MINUTE: Duration = Duration::from_secs(60);

/// The failed sign-in limit in force.
pub enum SignInLimits {
    /// In this process only (no `[shared_state]`).
    Local(FailedLogins),
    /// In the store, shared by every replica.
    Shared(SharedFailedLogins),
}

/// The limits as kept in the store.
pub struct SharedFailedLogins {
    store: Store,
    limits: FailureLimits,
    total_key: String,
}

/// A place taken for one attempt being verified.
#[must_use = "give the place back on success"]
pub enum Place {
    /// Taken in process.
    Local(Attempt),
    /// Taken in the store.
    Shared {
        /// The client's key.
        client: String,
        /// Whether the shared place was taken too.
        took_total: bool,
    },
}

impl SignInLimits {
    /// The limits of `limits`, in `store` when there is one.
    pub fn new(limits: FailureLimits, store: Option<&Store>) -> Self {
        match store {
            None => Self::Local(FailedLogins::new(limits)),
            Some(store) => Self::Shared(SharedFailedLogins {
                limits: FailureLimits {
                    per_client: limits.per_client.max(1),
                    total: limits.total.max(1),
                },
                total_key: store.key(&["failed-logins", "total"]),
                store: store.clone(),
            }),
        }
    }

    /// The wait before `client` may try again, if it has spent its own allowance.
    pub async fn blocked(
        &self,
        client: IpAddr,
        now: Instant,
    ) -> Result<Option<Duration>, Unavailable> {
        match self {
            Self::Local(local) => Ok(local.blocked(client, now)),
            Self::Shared(shared) => {
                let wait_ms: u64 = shared
                    .store
                    .eval(
                        &shared.store.scripts().blocked,
                        &[&shared.client_key(client)],
                        &[shared.limits.per_client.to_string(), minute_ms()],
                    )
                    .await?;
                Ok((wait_ms > 0).then(|| Duration::from_millis(wait_ms)))
            }
        }
    }

    /// Takes a place for one verification by `client`, or the wait before it may try.
    pub async fn begin(
        &self,
        client: IpAddr,
        now: Instant,
    ) -> Result<Result<Place, Duration>, Unavailable> {
        match self {
            Self::Local(local) => Ok(local.begin(client, now).map(Place::Local)),
            Self::Shared(shared) => {
                let key = shared.client_key(client);
                let (allowed, value): (u64, u64) = shared
                    .store
                    .eval(
                        &shared.store.scripts().begin,
                        &[&key, &shared.total_key],
                        &[
                            shared.limits.per_client.to_string(),
                            shared.limits.total.to_string(),
                            minute_ms(),
                        ],
                    )
                    .await?;
                Ok(if allowed == 1 {
                    Ok(Place::Shared {
                        client: key,
                        took_total: value == 1,
                    })
                } else {
                    Err(Duration::from_millis(value.max(1)))
                })
            }
        }
    }

    /// The attempt succeeded: its places are given back.
    pub async fn succeeded(&self, place: Place) {
        match (self, place) {
            (Self::Local(local), Place::Local(attempt)) => local.succeeded(attempt),
            (Self::Shared(shared), place) => shared.give_back(place).await,
            // A place is only ever returned to the limits that gave it.
            (Self::Local(_), Place::Shared { .. }) => {}
        }
    }

    /// The attempt was not verified after all (the checker was busy): its places are given
    /// back, since nothing was learned.
    pub async fn not_tried(&self, place: Place) {
        match (self, place) {
            (Self::Local(local), Place::Local(attempt)) => local.not_tried(attempt),
            (Self::Shared(shared), place) => shared.give_back(place).await,
            (Self::Local(_), Place::Shared { .. }) => {}
        }
    }

    /// The attempt failed: its places stay spent.
    pub fn failed(&self, place: Place) {
        if let (Self::Local(local), Place::Local(attempt)) = (self, place) {
            local.failed(attempt);
        }
    }
}

impl SharedFailedLogins {
    /// Gives the places back in the store. A store lost meanwhile keeps them spent, which errs
    /// on the safe side.
    async fn give_back(&self, place: Place) {
        let Place::Shared { client, took_total } = place else {
            return;
        };
        let given = self
            .store
            .eval::<u64>(
                &self.store.scripts().give_back,
                &[&client, &self.total_key],
                &[
                    self.limits.per_client.to_string(),
                    self.limits.total.to_string(),
                    minute_ms(),
                    if took_total { "1" } else { "0" }.to_string(),
                ],
            )
            .await;
        if given.is_err() {
            tracing::warn!(
                "a sign-in's place could not be given back: the shared state store is unreachable"
            );
        }
    }

    fn client_key(&self, client: IpAddr) -> String {
        self.store.key(&["failed-logins", &client.to_string()])
    }
}

fn minute_ms() -> String {
    MINUTE.as_millis().to_string()
}
