//! The shared, cloneable state behind the HTTP router: the simulators plus per-provider fault
//! settings that tests and the demo change at run time.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use userdeck_providers::{HttpRequest, ProviderKind, Timestamp};

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

    /// Replaces the faults of `kind`; takes effect with the next request. The provider's request
    /// count restarts too, so a burst of 429s begins with the very next request, which is what
    /// a test that switches a fault on expects.
    pub fn set_faults(&self, kind: ProviderKind, faults: Faults) {
        self.inner.requests[slot(kind)].store(0, Ordering::SeqCst);
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

    /// How many requests `kind` has received since it started (or since its faults were last
    /// set), whatever it answered: what a test that checks a proxy's limits counts.
    pub fn requests(&self, kind: ProviderKind) -> u64 {
        self.inner.requests[slot(kind)].load(Ordering::SeqCst)
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
            if faults.reject_credentials {
                let stripped = crate::credentials::without_credentials(req);
                self.inner.simulators.handle(kind, &stripped, now)
            } else {
                self.inner.simulators.handle(kind, req, now)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use userdeck_providers::{Credentials, ErrorKind, ServerPage, ServerQuery, adapters};

    fn small_state() -> SimState {
        SimState::new(&SimConfig {
            users: 30,
            ..SimConfig::default()
        })
    }

    /// The console's first-page request for `kind`, with the demo credentials.
    fn signed_request(kind: ProviderKind) -> HttpRequest {
        let page = ServerPage {
            number: 1,
            offset: 0,
            size: Some(10),
        };
        let mut request =
            adapters::request(kind, &ServerQuery::default(), page).expect("a plain first page");
        Credentials::for_kind(kind, crate::credentials::demo_secret(kind))
            .apply(kind, &mut request)
            .expect("demo credentials fit their provider");
        request
    }

    fn now() -> Timestamp {
        Timestamp::from_second(1_800_000_000).expect("valid instant")
    }

    #[test]
    fn counts_every_request_per_provider_whatever_it_answered() {
        let state = small_state();
        let unsigned = HttpRequest::get("/user/v1/users");
        for _ in 0..3 {
            let _ = state.answer(ProviderKind::Nameshield, &unsigned, now());
        }
        let _ = state.answer(
            ProviderKind::Pngme,
            &signed_request(ProviderKind::Pngme),
            now(),
        );
        assert_eq!(state.requests(ProviderKind::Nameshield), 3);
        assert_eq!(state.requests(ProviderKind::Pngme), 1);
        assert_eq!(state.requests(ProviderKind::Rebilly), 0);
    }

    #[test]
    fn a_burst_set_at_run_time_starts_with_the_next_request() {
        let state = small_state();
        for kind in ProviderKind::ALL {
            let request = signed_request(kind);
            for _ in 0..3 {
                assert_eq!(state.answer(kind, &request, now()).response.status, 200);
            }
            state.set_faults(
                kind,
                Faults {
                    rate_limit_burst: Some(crate::faults::Burst {
                        every: 1000,
                        length: 1,
                    }),
                    ..Faults::default()
                },
            );
            let refused = state.answer(kind, &request, now()).response;
            assert_eq!(refused.status, 429, "{kind:?}");
            let error = adapters::parse(kind, &refused, now()).expect_err("a 429 is an error");
            assert!(
                matches!(error.kind, ErrorKind::RateLimited { retry_at: Some(_) }),
                "{kind:?}: {error:?}"
            );
            assert_eq!(
                state.answer(kind, &request, now()).response.status,
                200,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn rejected_credentials_get_each_providers_own_401() {
        let state = small_state();
        for kind in ProviderKind::ALL {
            let request = signed_request(kind);
            state.set_faults(
                kind,
                Faults {
                    reject_credentials: true,
                    ..Faults::default()
                },
            );
            let response = state.answer(kind, &request, now()).response;
            assert_eq!(response.status, 401, "{kind:?}");
            let error = adapters::parse(kind, &response, now()).expect_err("a 401 is an error");
            assert_eq!(error.kind, ErrorKind::Unauthorized, "{kind:?}");
            state.set_faults(kind, Faults::default());
            assert_eq!(
                state.answer(kind, &request, now()).response.status,
                200,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn a_config_file_sets_faults_and_limits_and_rejects_typos() {
        let config: SimConfig = serde_json::from_str(
            r#"{
                "seed": 3,
                "users": 50,
                "faults": { "rebilly": { "latency_ms": 20, "rate_limit_burst": { "every": 10, "length": 2 } } },
                "limits": { "pngme_page_size": 25, "nameshield_rate_limit": null }
            }"#,
        )
        .expect("valid config");
        assert_eq!(config.faults[&ProviderKind::Rebilly].latency_ms, 20);
        assert_eq!(config.limits.pngme_page_size, 25);
        assert_eq!(config.limits.nameshield_rate_limit, None);
        assert!(config.limits.rebilly_rate_limit.is_some());
        let state = SimState::new(&config);
        assert_eq!(state.faults(ProviderKind::Rebilly).latency_ms, 20);
        assert!(state.faults(ProviderKind::Pngme).is_none());
        assert!(serde_json::from_str::<SimConfig>(r#"{"sead": 3}"#).is_err());
        assert!(serde_json::from_str::<SimConfig>(r#"{"faults": {"acme": {}}}"#).is_err());
    }

    #[test]
    fn setting_no_faults_removes_the_entry() {
        let state = SimState::new(&SimConfig {
            users: 10,
            ..SimConfig::default()
        });
        let slow = Faults {
            latency_ms: 5,
            ..Faults::default()
        };
        state.set_faults(ProviderKind::Pngme, slow.clone());
        assert_eq!(state.all_faults().len(), 1);
        assert_eq!(state.faults(ProviderKind::Pngme), slow);
        state.set_faults(ProviderKind::Pngme, Faults::default());
        assert!(state.all_faults().is_empty());
    }
}
