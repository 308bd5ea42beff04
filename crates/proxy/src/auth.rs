//! Admin authentication for everything under `/api`. Whoever passes can list every user of every
//! provider, so it is on unless the demo turns it off.
//!
//! Tokens and passwords are checked against Argon2id hashes (whose comparison is constant-time).
//! Argon2id is slow on purpose, so a credential that verified once is remembered for a few
//! minutes under a keyed hash (HMAC with a per-process random key): the console's many small
//! requests do not each cost a verification, and the cache holds nothing that reveals the
//! credential. Failed attempts are counted per client address and answered with 429 past the
//! allowance.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use ring::hmac;
use tokio::sync::Semaphore;

use crate::config::AuthSettings;
use crate::problem::Problem;
use crate::rate_limit::{KeyedLimiter, RateLimit};

const CACHE_TTL: Duration = Duration::from_secs(300);
const CACHE_MAX: usize = 1024;
/// Argon2id needs ~19 MiB and tens of milliseconds per check; at most this many run at once so
/// a flood of guesses cannot exhaust memory or CPU.
const CONCURRENT_VERIFICATIONS: usize = 2;
/// A syntactically valid hash verified when a Basic user name is unknown, so that an unknown
/// name costs the same time as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1vQGsGeNL0qX4mVDLiHzOn1ajW7l2Wf1hb8uyqHjJ7s";

/// The authentication state shared by all requests.
pub struct Auth {
    settings: AuthSettings,
    failures: Option<KeyedLimiter<IpAddr>>,
    key: hmac::Key,
    verified: Mutex<HashMap<[u8; 32], Instant>>,
    verifications: Semaphore,
}

/// Who the request was authenticated as, for the logs.
#[derive(Debug, Clone)]
pub struct Admin(pub String);

impl Auth {
    /// State for `settings`. The cache key is random per process.
    pub fn new(settings: AuthSettings) -> Result<Self, String> {
        let failures = match &settings {
            AuthSettings::Bearer {
                failures_per_minute,
                ..
            }
            | AuthSettings::Basic {
                failures_per_minute,
                ..
            } => Some(KeyedLimiter::new(RateLimit::new(
                *failures_per_minute,
                Duration::from_secs(60),
            ))),
            _ => None,
        };
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &ring::rand::SystemRandom::new())
            .map_err(|_| "the system random number generator is unavailable".to_string())?;
        Ok(Self {
            settings,
            failures,
            key,
            verified: Mutex::new(HashMap::new()),
            verifications: Semaphore::new(CONCURRENT_VERIFICATIONS),
        })
    }

    /// True when authentication is off (demo only).
    pub fn is_off(&self) -> bool {
        matches!(self.settings, AuthSettings::Off)
    }

    fn needs_verification(&self, presented: &[u8], now: Instant) -> Option<[u8; 32]> {
        let tag = hmac::sign(&self.key, presented);
        let mut digest = [0u8; 32];
        digest.copy_from_slice(tag.as_ref());
        let cache = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(&digest) {
            Some(until) if *until > now => None,
            _ => Some(digest),
        }
    }

    fn remember(&self, digest: [u8; 32], now: Instant) {
        let mut cache = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_MAX {
            cache.retain(|_, until| *until > now);
            if cache.len() >= CACHE_MAX {
                cache.clear();
            }
        }
        cache.insert(digest, now + CACHE_TTL);
    }

    /// Checks `secret` against `hashes` off the async runtime, bounded in concurrency.
    async fn verify(&self, secret: Vec<u8>, hashes: Vec<String>) -> bool {
        let Ok(_permit) = self.verifications.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || {
            let argon = Argon2::default();
            let mut ok = false;
            for hash in &hashes {
                if let Ok(parsed) = PasswordHash::new(hash) {
                    // Every hash is tried, so the time does not tell which one matched.
                    ok |= argon.verify_password(&secret, &parsed).is_ok();
                }
            }
            ok
        })
        .await
        .unwrap_or(false)
    }
}

/// Middleware guarding the API routes.
pub async fn require_admin(
    State(auth): State<Arc<Auth>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let headers = request.headers().clone();
    match check(&auth, peer, &headers).await {
        Ok(admin) => {
            request.extensions_mut().insert(admin);
            next.run(request).await
        }
        Err(Denied::Unauthorized(challenge)) => unauthorized(challenge),
        Err(Denied::Blocked(wait)) => Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-failed-sign-ins",
            "Too many failed sign-ins",
            format!(
                "Too many failed sign-ins from this address. Wait {} s, then sign in again.",
                wait.as_secs().max(1)
            ),
        )
        .retry_after(wait)
        .into_response(),
    }
}

/// Why a request was turned away.
enum Denied {
    /// No or wrong credentials; the challenge to send, if the mode has one.
    Unauthorized(Option<&'static str>),
    /// Too many failures from this client; how long until it may try again.
    Blocked(Duration),
}

async fn check(auth: &Auth, peer: IpAddr, headers: &HeaderMap) -> Result<Admin, Denied> {
    let now = Instant::now();
    match &auth.settings {
        AuthSettings::Off => Ok(Admin("demo".into())),
        AuthSettings::TrustedHeader { header, trusted } => {
            let user = headers
                .get(header.as_str())
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= 256);
            match user {
                Some(user) if trusted.contains(&peer) => Ok(Admin(user.to_string())),
                Some(_) => {
                    tracing::warn!(%peer, "identity header from an untrusted address ignored");
                    Err(Denied::Unauthorized(None))
                }
                None => Err(Denied::Unauthorized(None)),
            }
        }
        AuthSettings::Bearer { token_hashes, .. } => {
            blocked(auth, peer, now)?;
            let Some(token) = authorization(headers).and_then(|v| credential(v, "bearer")) else {
                return Err(Denied::Unauthorized(Some("Bearer realm=\"userdeck\"")));
            };
            let token = token.trim().as_bytes().to_vec();
            verified(
                auth,
                peer,
                now,
                token,
                token_hashes.clone(),
                "token",
                "Bearer realm=\"userdeck\"",
            )
            .await
            .map(|()| Admin("token".into()))
        }
        AuthSettings::Basic { users, .. } => {
            blocked(auth, peer, now)?;
            let challenge = "Basic realm=\"userdeck\", charset=\"UTF-8\"";
            let decoded = authorization(headers)
                .and_then(|v| credential(v, "basic"))
                .and_then(|b64| {
                    base64::engine::general_purpose::STANDARD
                        .decode(b64.trim())
                        .ok()
                })
                .and_then(|bytes| String::from_utf8(bytes).ok());
            let Some(decoded) = decoded else {
                return Err(Denied::Unauthorized(Some(challenge)));
            };
            let (name, password) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
            let hash = users
                .iter()
                .find(|(user, _)| user == name)
                .map_or(DUMMY_HASH, |(_, hash)| hash.as_str());
            let known = users.iter().any(|(user, _)| user == name);
            let mut presented = name.as_bytes().to_vec();
            presented.push(0);
            presented.extend_from_slice(password.as_bytes());
            match auth.needs_verification(&presented, now) {
                None if known => Ok(Admin(name.to_string())),
                _ => {
                    let ok = auth
                        .verify(password.as_bytes().to_vec(), vec![hash.to_string()])
                        .await
                        && known;
                    if ok {
                        if let Some(digest) = auth.needs_verification(&presented, now) {
                            auth.remember(digest, now);
                        }
                        Ok(Admin(name.to_string()))
                    } else {
                        failed(auth, peer, now, "password");
                        Err(Denied::Unauthorized(Some(challenge)))
                    }
                }
            }
        }
    }
}

async fn verified(
    auth: &Auth,
    peer: IpAddr,
    now: Instant,
    secret: Vec<u8>,
    hashes: Vec<String>,
    what: &str,
    challenge: &'static str,
) -> Result<(), Denied> {
    let Some(digest) = auth.needs_verification(&secret, now) else {
        return Ok(());
    };
    if auth.verify(secret, hashes).await {
        auth.remember(digest, now);
        Ok(())
    } else {
        failed(auth, peer, now, what);
        Err(Denied::Unauthorized(Some(challenge)))
    }
}

/// The credential after `scheme` in an `Authorization` value; the scheme is case-insensitive
/// (RFC 9110).
fn credential<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (given, rest) = value.trim().split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

fn blocked(auth: &Auth, peer: IpAddr, now: Instant) -> Result<(), Denied> {
    match auth.failures.as_ref().and_then(|f| f.blocked(&peer, now)) {
        Some(wait) => Err(Denied::Blocked(wait)),
        None => Ok(()),
    }
}

fn failed(auth: &Auth, peer: IpAddr, now: Instant, what: &str) {
    tracing::warn!(%peer, credential = what, "failed sign-in");
    if let Some(failures) = &auth.failures {
        failures.record(&peer, now);
    }
}

fn unauthorized(challenge: Option<&'static str>) -> Response {
    let mut response = Problem::new(
        StatusCode::UNAUTHORIZED,
        "sign-in-required",
        "Sign-in required",
        "Userdeck needs you to sign in before it lists users. Sign in with your admin token or password.",
    )
    .into_response();
    if let Some(challenge) = challenge {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
    }
    response
}

/// `userdeck hash`: an Argon2id PHC string for a token or password, for the config file.
pub fn hash_secret(secret: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| format!("could not hash: {err}"))
}
