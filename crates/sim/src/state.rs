//! The shared, cloneable state behind the HTTP router: the simulators plus per-provider fault
//! settings that tests and the demo change at run time.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use userdeck_providers::{HttpRequest, ProviderKind};

use crate::faults::{self, Answer, Faults};
use crate::population::DEFAULT_USERS;
use crate::simulators::{Limits, Simulators};

/// Everything that decides what the simulators answer: seed, size, faults and limits.
/// Deserialisable so the proxy's demo configuration can carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Population seed.
    pub seed: u64,
    /// People per provider.
    pub users: usize,
    /// Faults per provider (absent = none).
    pub faults: BTreeMap<ProviderKind, Faults>,
    /// Page size and rate limits.
    pub limits: Limits,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            users: DEFAULT_USERS,
            faults: BTreeMap::new(),
            limits: Limits::default(),
        }
    }
}

struct Inner {
    seed: u64,
    simulators: Simulators,
    faults: RwLock<BTreeMap<ProviderKind, Faults>>,
    requests: [AtomicU64; 5],
}

/// Cheap to clone; every clone shares the simulators, the fault settings and the rate-limit
/// windows.
#[derive(Clone)]
pub struct SimState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SimState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimState")
            .field("seed", &self.inner.seed)
            .field("faults", &self.all_faults())
            .finish_non_exhaustive()
    }
}

fn slot(kind: ProviderKind) -> usize {
    ProviderKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0)
}

impl SimState {
    /// Generates the population and renders every simulator.
    pub fn new(config: &SimConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                seed: config.seed,
                simulators: Simulators::generate(config.seed, config.users, &config.limits),
                faults: RwLock::new(config.faults.clone()),
                requests: Default::default(),
            }),
        }
    }

    /// The simulators, for in-process use without HTTP.
    pub fn simulators(&self) -> &Simulators {
        &self.inner.simulators
    }

    /// Replaces the faults of `kind`; takes effect with the next request.
    pub fn set_faults(&self, kind: ProviderKind, faults: Faults) {
        let mut map = self.inner.faults.write().unwrap_or_else(|e| e.into_inner());
        if faults.is_none() {
            map.remove(&kind);
        } else {
            map.insert(kind, faults);
        }
    }

    /// The faults currently set for `kind`.
    pub fn faults(&self, kind: ProviderKind) -> Faults {
        let map = self.inner.faults.read().unwrap_or_else(|e| e.into_inner());
        map.get(&kind).cloned().unwrap_or_default()
    }

    /// Every provider's faults (providers without any are absent).
    pub fn all_faults(&self) -> BTreeMap<ProviderKind, Faults> {
        self.inner
            .faults
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Removes every fault and forgets rate-limit windows and request counts, as after a restart.
    pub fn reset(&self) {
        self.inner
            .faults
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.inner.simulators.reset_limits();
        for counter in &self.inner.requests {
            counter.store(0, Ordering::SeqCst);
        }
    }

    /// Answers `req` as provider `kind`, with its current faults applied. Requests are numbered
    /// per provider, which is what makes fault decisions reproducible.
    pub fn answer(&self, kind: ProviderKind, req: &HttpRequest, now: Timestamp) -> Answer {
        let faults = self.faults(kind);
        let n = self.inner.requests[slot(kind)].fetch_add(1, Ordering::SeqCst);
        faults::apply(kind, &faults, self.inner.seed, n, now, || {
            self.inner.simulators.handle(kind, req, now)
        })
    }
}
