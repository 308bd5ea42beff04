//! The connection to the shared store, and whether it is usable. Every call is bounded by
//! `shared_state.timeout_ms`; a call that fails or times out marks the store unreachable, after
//! which calls fail at once (callers fall back without waiting) while a background probe
//! reconnects with backoff and marks it reachable again. The transitions are logged once each.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, FromRedisValue, IntoConnectionInfo, Script};
use ring::rand::SecureRandom;
use secrecy::ExposeSecret;
use tokio::sync::Notify;

use super::config::SharedStateSettings;
use super::scripts::Scripts;

/// While reachable, how often the probe checks that the store still answers, so `/readyz` and
/// the log notice a lost store even without traffic.
const HEALTHY_PROBE: Duration = Duration::from_secs(1);
/// The first and the longest wait between reconnection attempts.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(100), Duration::from_secs(2));

/// The store could not be asked (unreachable, too slow, or it refused the command). Callers
/// apply their documented fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

/// A handle on the shared store; clones share the connection and the health.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    client: redis::Client,
    url: String,
    connection: Mutex<Option<MultiplexedConnection>>,
    reachable: AtomicBool,
    timeout: Duration,
    prefix: String,
    replicas: u32,
    scripts: Scripts,
    lost: Arc<Notify>,
    lease_nonce: String,
    leases: AtomicU64,
}

impl Store {
    /// Sets up the client and starts the probe that connects (and reconnects). It must run
    /// inside the Tokio runtime. The store starts as unreachable until the first connection.
    pub fn start(settings: &SharedStateSettings) -> Result<Self, String> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            "the shared state store can only be used inside the server's runtime".to_string()
        })?;
        let info = settings
            .url
            .as_str()
            .into_connection_info()
            .map_err(|_| format!("shared_state.url: `{}` cannot be used", settings.url))?;
        let mut redis_settings = info.redis_settings().clone();
        if let Some(user) = &settings.username {
            redis_settings = redis_settings.set_username(user);
        }
        if let Some(password) = &settings.password {
            redis_settings = redis_settings.set_password(password.expose_secret());
        }
        let client = redis::Client::open(info.set_redis_settings(redis_settings))
            .map_err(|err| format!("shared_state.url: cannot use `{}`: {err}", settings.url))?;
        let mut nonce = [0u8; 8];
        ring::rand::SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| "the system random number generator is unavailable".to_string())?;
        let lost = Arc::new(Notify::new());
        let inner = Arc::new(Inner {
            client,
            url: settings.url.clone(),
            connection: Mutex::new(None),
            reachable: AtomicBool::new(false),
            timeout: settings.timeout,
            prefix: settings.key_prefix.clone(),
            replicas: settings.replicas,
            scripts: Scripts::new(),
            lost: lost.clone(),
            lease_nonce: nonce.iter().map(|b| format!("{b:02x}")).collect(),
            leases: AtomicU64::new(0),
        });
        runtime.spawn(probe(Arc::downgrade(&inner), lost));
        Ok(Self { inner })
    }

    /// Waits until the first connection is made, for at most `within`; start-up uses it so
    /// that the first requests are not answered in fallback. Returns whether it connected.
    pub async fn connected_within(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while !self.is_reachable() {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    /// Whether the last call (or probe) got an answer.
    pub fn is_reachable(&self) -> bool {
        self.inner.reachable.load(Ordering::SeqCst)
    }

    /// How many replicas share the store; each keeps that share of a limit without it.
    pub fn replicas(&self) -> u32 {
        self.inner.replicas
    }

    /// The store's address, for the log (it holds no credential).
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// `prefix:part:part…`, the one place keys are spelled.
    pub fn key(&self, parts: &[&str]) -> String {
        let mut key = self.inner.prefix.clone();
        for part in parts {
            key.push(':');
            key.push_str(part);
        }
        key
    }

    /// A lease id no other replica (nor this one) will use.
    pub(crate) fn lease_id(&self) -> String {
        let n = self.inner.leases.fetch_add(1, Ordering::Relaxed);
        format!("{}:{n}", self.inner.lease_nonce)
    }

    pub(crate) fn scripts(&self) -> &Scripts {
        &self.inner.scripts
    }

    /// Runs `script` with `keys` and `args`, within the timeout.
    pub(crate) async fn eval<T: FromRedisValue>(
        &self,
        script: &Script,
        keys: &[&str],
        args: &[String],
    ) -> Result<T, Unavailable> {
        let mut connection = self.connection()?;
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(*key);
        }
        for arg in args {
            invocation.arg(arg);
        }
        let answer = tokio::time::timeout(
            self.inner.timeout,
            invocation.invoke_async::<T>(&mut connection),
        )
        .await;
        self.settle(answer)
    }

    /// Runs one plain command within the timeout.
    pub(crate) async fn command<T: FromRedisValue>(
        &self,
        command: redis::Cmd,
    ) -> Result<T, Unavailable> {
        let mut connection = self.connection()?;
        let answer = tokio::time::timeout(
            self.inner.timeout,
            command.query_async::<T>(&mut connection),
        )
        .await;
        self.settle(answer)
    }

    fn connection(&self) -> Result<MultiplexedConnection, Unavailable> {
        if !self.is_reachable() {
            return Err(Unavailable);
        }
        self.inner
            .connection
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(Unavailable)
    }

    fn settle<T>(
        &self,
        answer: Result<redis::RedisResult<T>, tokio::time::error::Elapsed>,
    ) -> Result<T, Unavailable> {
        match answer {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => {
                self.inner
                    .lose(&format!("the store answered an error: {err}"));
                Err(Unavailable)
            }
            Err(_) => {
                self.inner.lose(&format!(
                    "no answer within {} ms",
                    self.inner.timeout.as_millis()
                ));
                Err(Unavailable)
            }
        }
    }
}

impl Inner {
    /// Marks the store unreachable and drops the connection; the probe reconnects.
    fn lose(&self, why: &str) {
        *self.connection.lock().unwrap_or_else(|e| e.into_inner()) = None;
        if self.reachable.swap(false, Ordering::SeqCst) {
            tracing::warn!(
                store = %self.url,
                reason = why,
                replicas = self.replicas,
                "shared state store unreachable: provider limits fall back to each replica's share (the limit divided by the replica count) and sign-ins answer 503 until it is back"
            );
        }
        self.lost.notify_one();
    }

    async fn connect(&self) -> Result<(), String> {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout));
        let mut connection = tokio::time::timeout(
            self.timeout,
            self.client
                .get_multiplexed_async_connection_with_config(&config),
        )
        .await
        .map_err(|_| "connecting took too long".to_string())?
        .map_err(|err| err.to_string())?;
        tokio::time::timeout(
            self.timeout,
            redis::cmd("PING").query_async::<String>(&mut connection),
        )
        .await
        .map_err(|_| "PING took too long".to_string())?
        .map_err(|err| err.to_string())?;
        *self.connection.lock().unwrap_or_else(|e| e.into_inner()) = Some(connection);
        if !self.reachable.swap(true, Ordering::SeqCst) {
            tracing::info!(store = %self.url, "shared state store reachable: limits are shared between replicas");
        }
        Ok(())
    }

    async fn ping(&self) {
        let connection = self
            .connection
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(mut connection) = connection else {
            return;
        };
        let answer = tokio::time::timeout(
            self.timeout,
            redis::cmd("PING").query_async::<String>(&mut connection),
        )
        .await;
        match answer {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => self.lose(&format!("PING failed: {err}")),
            Err(_) => self.lose("PING took too long"),
        }
    }
}

/// Connects, watches, and reconnects with backoff (100 ms doubling to 2 s). It holds only a weak
/// reference, so it ends when the store is dropped.
async fn probe(inner: Weak<Inner>, lost: Arc<Notify>) {
    let mut backoff = BACKOFF.0;
    let mut failures: u64 = 0;
    loop {
        let Some(store) = inner.upgrade() else {
            return;
        };
        let wait = if store.reachable.load(Ordering::SeqCst) {
            store.ping().await;
            backoff = BACKOFF.0;
            HEALTHY_PROBE
        } else {
            match store.connect().await {
                Ok(()) => {
                    failures = 0;
                    backoff = BACKOFF.0;
                    HEALTHY_PROBE
                }
                Err(err) => {
                    failures += 1;
                    if failures == 1 || failures.is_power_of_two() {
                        tracing::warn!(store = %store.url, error = %err, attempts = failures, "cannot reach the shared state store; retrying");
                    }
                    let wait = backoff;
                    backoff = (backoff * 2).min(BACKOFF.1);
                    wait
                }
            }
        };
        let reachable = store.reachable.load(Ordering::SeqCst);
        drop(store);
        if reachable {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = lost.notified() => {}
            }
        } else {
            tokio::time::sleep(wait).await;
        }
    }
}
