//! Admin authentication for everything under `/api`. Whoever passes can list every user of every
//! provider, so it is on unless the demo turns it off.
//!
//! Tokens and passwords are checked against Argon2id hashes on a bounded pool (see `verify`).
//! Argon2id is slow on purpose, so a credential that verified once is remembered for a few
//! minutes under a keyed hash (HMAC with a per-process random key): the console's many small
//! requests do not each cost a verification, a remembered credential is answered at once even
//! while a flood of guesses keeps the pool busy, and the cache holds nothing that reveals the
//! credential. Failed attempts are limited per client and in total (see `failed_logins`).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use ring::hmac;

use crate::client_address::{ClientAddr, failure_key};
use crate::config::{AuthSettings, FailureLimits};
use crate::problem::Problem;
use crate::shared_state::Store;
use crate::shared_state::failed_logins::SignInLimits;
use crate::verify::{self, Verifier};

const CACHE_TTL: Duration = Duration::from_secs(300);
const CACHE_MAX: usize = 1024;
/// A syntactically valid hash verified when a Basic user name is unknown, so that an unknown
/// name costs the same time as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1vQGsGeNL0qX4mVDLiHzOn1ajW7l2Wf1hb8uyqHjJ7s";
const BEARER_CHALLENGE: &str = "Bearer realm=\"userdeck\"";
const BASIC_CHALLENGE: &str = "Basic realm=\"userdeck\", charset=\"UTF-8\"";

/// The authentication state shared by all requests.
pub struct Auth {
    mode: Mode,
    failures: Option<SignInLimits>,
    key: hmac::Key,
    verified: Mutex<HashMap<[u8; 32], (Instant, Admin)>>,
    verifier: Option<Verifier>,
}

enum Mode {
    Off,
    Bearer {
        hashes: Arc<[verify::Hash]>,
        phc: Vec<String>,
    },
    Basic {
        users: Vec<(String, Arc<[verify::Hash]>)>,
        dummy: Arc<[verify::Hash]>,
    },
    TrustedHeader {
        header: String,
        trusted: Vec<IpAddr>,
    },
}

/// Who the request was authenticated as, for the audit log: the mode, and the Basic user, the
/// trusted identity or a token fingerprint. Never the credential itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// `off`, `bearer`, `basic` or `trusted-header`.
    pub mode: &'static str,
    /// The user name, the asserted identity, or `token:` and twelve hex digits.
    pub identity: String,
}

impl Auth {
    /// State for `settings`. The cache key is random per process; the Argon2 pool starts here.
    pub fn new(settings: AuthSettings) -> Result<Self, String> {
        Self::with_store(settings, None)
    }

    /// As [`Auth::new`], with the failed sign-in limit kept in `store` when there is one, so
    /// that every replica counts the same failures.
    pub fn with_store(settings: AuthSettings, store: Option<&Store>) -> Result<Self, String> {
        let parse_all = |phc: &[String]| -> Result<Arc<[verify::Hash]>, String> {
            phc.iter().map(|h| verify::Hash::parse(h)).collect()
        };
        let (mode, limits) = match settings {
            AuthSettings::Off => (Mode::Off, None),
            AuthSettings::Bearer {
                token_hashes,
                failures,
            } => (
                Mode::Bearer {
                    hashes: parse_all(&token_hashes)?,
                    phc: token_hashes,
                },
                Some(failures),
            ),
            AuthSettings::Basic { users, failures } => {
                let users = users
                    .into_iter()
                    .map(|(name, hash)| Ok((name, parse_all(&[hash])?)))
                    .collect::<Result<Vec<_>, String>>()?;
                (
                    Mode::Basic {
                        users,
                        dummy: parse_all(&[DUMMY_HASH.to_string()])?,
                    },
                    Some(failures),
                )
            }
            AuthSettings::TrustedHeader { header, trusted } => {
                (Mode::TrustedHeader { header, trusted }, None)
            }
        };
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &ring::rand::SystemRandom::new())
            .map_err(|_| "the system random number generator is unavailable".to_string())?;
        let verifier = match &mode {
            Mode::Bearer { .. } | Mode::Basic { .. } => Some(Verifier::start()?),
            _ => None,
        };
        Ok(Self {
            mode,
            failures: limits.map(|l: FailureLimits| SignInLimits::new(l, store)),
            key,
            verified: Mutex::new(HashMap::new()),
            verifier,
        })
    }

    /// True when authentication is off (demo only).
    pub fn is_off(&self) -> bool {
        matches!(self.mode, Mode::Off)
    }

    fn digest(&self, presented: &[u8]) -> [u8; 32] {
        let tag = hmac::sign(&self.key, presented);
        let mut digest = [0u8; 32];
        digest.copy_from_slice(tag.as_ref());
        digest
    }

    fn remembered(&self, digest: &[u8; 32], now: Instant) -> Option<Admin> {
        let cache = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(digest) {
            Some((until, admin)) if *until > now => Some(admin.clone()),
            _ => None,
        }
    }

    fn remember(&self, digest: [u8; 32], admin: Admin, now: Instant) {
        let mut cache = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_MAX {
            cache.retain(|_, (until, _)| *until > now);
            if cache.len() >= CACHE_MAX {
                cache.clear();
            }
        }
        cache.insert(digest, (now + CACHE_TTL, admin));
    }

    /// Verifies `secret` against `hashes` within the failure limits of `client`.
    async fn verify(
        &self,
        client: IpAddr,
        now: Instant,
        secret: &[u8],
        hashes: Arc<[verify::Hash]>,
    ) -> Result<Option<usize>, Denied> {
        let (Some(failures), Some(verifier)) = (&self.failures, &self.verifier) else {
            return Ok(None);
        };
        let place = failures
            .begin(client, now)
            .await
            .map_err(|_| Denied::StoreUnavailable)?
            .map_err(Denied::Blocked)?;
        match verifier.check(secret.to_vec(), hashes).await {
            Ok(Some(index)) => {
                failures.succeeded(place).await;
                Ok(Some(index))
            }
            Ok(None) => {
                failures.failed(place);
                Ok(None)
            }
            Err(verify::Refused::Busy) => {
                failures.not_tried(place).await;
                Err(Denied::Busy)
            }
        }
    }
}

/// Middleware guarding the API routes. The admin is put in the request's extensions for the
/// handlers and in the response's for the audit log.
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
    let client = request
        .extensions()
        .get::<ClientAddr>()
        .map_or(peer, |c| c.0);
    let outcome = check(&auth, peer, client, request.headers()).await;
    match outcome {
        Ok(admin) => {
            request.extensions_mut().insert(admin.clone());
            let mut response = next.run(request).await;
            response.extensions_mut().insert(admin);
            response
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
        Err(Denied::Busy) => Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "sign-in-busy",
            "Too many sign-ins at once",
            "Userdeck is checking too many sign-ins at once. Wait a second, then sign in again.",
        )
        .retry_after(Duration::from_secs(1))
        .into_response(),
        Err(Denied::StoreUnavailable) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "sign-in-unavailable",
            "Sign-in cannot be checked",
            "Userdeck cannot check sign-ins right now because its shared state store is unreachable. Try again in a minute; if it persists, ask the operators to check the store.",
        )
        .retry_after(Duration::from_secs(5))
        .into_response(),
    }
}

/// Why a request was turned away.
enum Denied {
    /// No or wrong credentials; the challenge to send, if the mode has one.
    Unauthorized(Option<&'static str>),
    /// Too many failures from this client; how long until it may try again.
    Blocked(Duration),
    /// The verification queue is full.
    Busy,
    /// The shared failed sign-in limit cannot be read, so no attempt is checked.
    StoreUnavailable,
}

async fn check(
    auth: &Auth,
    peer: IpAddr,
    client: IpAddr,
    headers: &HeaderMap,
) -> Result<Admin, Denied> {
    let now = Instant::now();
    let key = failure_key(client);
    match &auth.mode {
        Mode::Off => Ok(Admin {
            mode: "off",
            identity: "demo".into(),
        }),
        Mode::TrustedHeader { header, trusted } => {
            let mut values = headers.get_all(header.as_str()).iter();
            let (first, second) = (values.next(), values.next());
            let user = first
                .filter(|_| second.is_none())
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= 256);
            if second.is_some() {
                tracing::warn!(%peer, "identity header sent more than once; refused");
                return Err(Denied::Unauthorized(None));
            }
            match user {
                Some(user) if trusted.contains(&peer) => Ok(Admin {
                    mode: "trusted-header",
                    identity: user.to_string(),
                }),
                Some(_) => {
                    tracing::warn!(%peer, "identity header from an untrusted address ignored");
                    Err(Denied::Unauthorized(None))
                }
                None => Err(Denied::Unauthorized(None)),
            }
        }
        Mode::Bearer { hashes, phc } => {
            blocked(auth, key, now).await?;
            let Some(token) = authorization(headers).and_then(|v| credential(v, "bearer")) else {
                return Err(Denied::Unauthorized(Some(BEARER_CHALLENGE)));
            };
            let token = token.trim().as_bytes();
            let digest = auth.digest(token);
            if let Some(admin) = auth.remembered(&digest, now) {
                return Ok(admin);
            }
            match auth.verify(key, now, token, hashes.clone()).await? {
                Some(index) => {
                    let admin = Admin {
                        mode: "bearer",
                        identity: fingerprint(token, &phc[index]),
                    };
                    auth.remember(digest, admin.clone(), now);
                    Ok(admin)
                }
                None => {
                    failed(client, "token");
                    Err(Denied::Unauthorized(Some(BEARER_CHALLENGE)))
                }
            }
        }
        Mode::Basic { users, dummy } => {
            blocked(auth, key, now).await?;
            let decoded = authorization(headers)
                .and_then(|v| credential(v, "basic"))
                .and_then(|b64| {
                    base64::engine::general_purpose::STANDARD
                        .decode(b64.trim())
                        .ok()
                })
                .and_then(|bytes| String::from_utf8(bytes).ok());
            let Some(decoded) = decoded else {
                return Err(Denied::Unauthorized(Some(BASIC_CHALLENGE)));
            };
            let (name, password) = decoded.split_once(':').unwrap_or((decoded.as_str(), ""));
            let user = users.iter().find(|(user, _)| user == name);
            let mut presented = name.as_bytes().to_vec();
            presented.push(0);
            presented.extend_from_slice(password.as_bytes());
            let digest = auth.digest(&presented);
            if user.is_some()
                && let Some(admin) = auth.remembered(&digest, now)
            {
                return Ok(admin);
            }
            let hashes = user.map_or_else(|| dummy.clone(), |(_, hashes)| hashes.clone());
            let matched = auth.verify(key, now, password.as_bytes(), hashes).await?;
            if matched.is_some() && user.is_some() {
                let admin = Admin {
                    mode: "basic",
                    identity: name.to_string(),
                };
                auth.remember(digest, admin.clone(), now);
                Ok(admin)
            } else {
                failed(client, "password");
                Err(Denied::Unauthorized(Some(BASIC_CHALLENGE)))
            }
        }
    }
}

/// `token:` and the first 12 hex digits of HMAC-SHA256(key = the matching hash, the token):
/// stable across restarts, so the audit log can be searched for one token, and of no use to
/// anyone without both the configuration and the token.
pub fn fingerprint(token: &[u8], phc: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, phc.as_bytes());
    let tag = hmac::sign(&key, token);
    let hex: String = tag.as_ref()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("token:{hex}")
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

async fn blocked(auth: &Auth, key: IpAddr, now: Instant) -> Result<(), Denied> {
    let Some(failures) = &auth.failures else {
        return Ok(());
    };
    match failures.blocked(key, now).await {
        Ok(Some(wait)) => Err(Denied::Blocked(wait)),
        Ok(None) => Ok(()),
        Err(_) => Err(Denied::StoreUnavailable),
    }
}

fn failed(client: IpAddr, what: &str) {
    tracing::warn!(%client, credential = what, "failed sign-in");
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
    argon2::Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| format!("could not hash: {err}"))
}
