//! Real processes for the replica tests: a `redis-server` that can be killed and brought back
//! on the same port, `userdeck` replicas started from TOML, and the simulators in this process
//! so the test can read how many requests reached a provider and how many were in flight at
//! once. Everything listens on loopback, on ports from a block each test owns (18600-18699).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use userdeck_sim::{SimConfig, SimState};

/// The proxy binary under test.
pub const BINARY: &str = env!("CARGO_BIN_EXE_userdeck");
/// The admin token every replica accepts.
pub const TOKEN: &str = "replica-test-admin-token-Zq8RtW3xBnK2vL7p";

/// The first free loopback port in `base..base + 10`, a block one test owns.
pub fn free_port(base: u16, taken: &[u16]) -> u16 {
    (base..base + 10)
        .find(|port| !taken.contains(port) && TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .unwrap_or_else(|| panic!("no free loopback port in {base}..{}", base + 10))
}

/// A `redis-server` on loopback without persistence, stopped when dropped.
pub struct Redis {
    /// Its port, kept across restarts.
    pub port: u16,
    child: Option<Child>,
}

impl Redis {
    /// Starts one on `port`. A machine without `redis-server` fails the test with a sentence
    /// saying how to get it, rather than skipping quietly.
    pub fn start(port: u16) -> Self {
        let mut redis = Self { port, child: None };
        redis.restart();
        redis
    }

    /// The URL the replicas use.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Kills it (SIGKILL: a crash, not a shutdown) and waits until it is gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty, and waits until it answers PING.
    pub fn restart(&mut self) {
        self.kill();
        let port = self.port.to_string();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(child) => child,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => panic!(
                "redis-server is not installed, so the replica tests cannot run: `cargo xtask setup` installs it (Debian package redis-server)"
            ),
            Err(err) => panic!("cannot start redis-server: {err}"),
        };
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.answers_ping() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {} within 10 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn answers_ping(&self) -> bool {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let mut answer = [0u8; 5];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && &answer == b"+PONG"
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The simulators, served from this process, with a count of the Nameshield calls in flight.
pub struct Sim {
    /// Where they listen.
    pub addr: SocketAddr,
    /// Their state: request counts and faults.
    pub state: SimState,
    in_flight: Arc<InFlight>,
}

#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Sim {
    /// Starts them on an ephemeral loopback port.
    pub async fn start() -> Self {
        let state = SimState::new(&SimConfig {
            users: 50,
            ..SimConfig::default()
        });
        let in_flight = Arc::new(InFlight::default());
        let counter = in_flight.clone();
        let router = userdeck_sim::router(state.clone()).layer(middleware::from_fn(
            move |request: Request, next: Next| {
                let counter = counter.clone();
                async move { count_in_flight(&counter, request, next).await }
            },
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the simulators");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            addr,
            state,
            in_flight,
        }
    }

    /// The most Nameshield calls that were in flight at once.
    pub fn most_in_flight(&self) -> usize {
        self.in_flight.most.load(Ordering::SeqCst)
    }

    /// The Nameshield calls in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.now.load(Ordering::SeqCst)
    }
}

async fn count_in_flight(counter: &InFlight, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/nameshield") {
        return next.run(request).await;
    }
    let now = counter.now.fetch_add(1, Ordering::SeqCst) + 1;
    counter.most.fetch_max(now, Ordering::SeqCst);
    let response = next.run(request).await;
    counter.now.fetch_sub(1, Ordering::SeqCst);
    response
}

/// An Argon2id hash of [`TOKEN`] that is cheap to verify.
pub fn token_hash() -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(64, 1, 1, None).expect("params");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"replica-test-salt").expect("salt");
    argon
        .hash_password(TOKEN.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

/// How the replicas authenticate admins in a test.
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    /// Bearer [`TOKEN`], with this many failed sign-ins per client per minute.
    Bearer(u32),
    /// An identity header from loopback, so no sign-in limit is involved.
    TrustedHeader,
}

/// A replica's configuration: one Nameshield provider at the simulators with `limit` requests
/// per hour and at most `slots` calls in flight, sharing `redis` between `replicas` when given.
pub fn config(
    sim: &Sim,
    redis: Option<&Redis>,
    auth: &Auth,
    limit: u32,
    slots: u32,
    upstream_timeout_ms: u64,
) -> String {
    let auth = match auth {
        Auth::Bearer(failures) => format!(
            "[auth]\nmode = \"bearer\"\ntoken_hashes = [\"{}\"]\nfailed_logins_per_minute = {failures}\n",
            token_hash()
        ),
        Auth::TrustedHeader => "[auth]\nmode = \"trusted-header\"\nheader = \"X-Forwarded-User\"\ntrusted_addresses = [\"127.0.0.1\"]\n".to_string(),
    };
    let shared = redis
        .map(|redis| {
            format!(
                "[shared_state]\nurl = \"{}\"\nreplicas = 2\ntimeout_ms = 1000\n",
                redis.url()
            )
        })
        .unwrap_or_default();
    format!(
        "[server]\nhosts = [\"127.0.0.1\"]\naudit = false\nupstream_timeout_ms = {upstream_timeout_ms}\n\n{auth}\n{shared}\n[[providers]]\nid = \"nameshield\"\nkind = \"nameshield\"\nbase_url = \"http://{}/nameshield\"\nsecret_env = \"USERDECK_NAMESHIELD_TOKEN\"\nmax_concurrency = {slots}\nrate_limit = {{ requests = {limit}, per_seconds = 3600 }}\n",
        sim.addr
    )
}

/// A `userdeck` process, killed when dropped.
pub struct Replica {
    /// Where it listens.
    pub addr: SocketAddr,
    child: Option<Child>,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
}

impl Replica {
    /// Starts the binary with `config` on `port` and waits until it is ready.
    pub async fn start(config: &str, port: u16) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("index.html"), "<title>Userdeck</title>").expect("write");
        let config_path = dir.path().join("userdeck.toml");
        std::fs::write(&config_path, config).expect("write the config");
        Self::start_with(&config_path, port, dir).await
    }

    /// Starts the binary with the config file at `config_path`, keeping `dir` alive with it.
    pub async fn start_with(config_path: &Path, port: u16, dir: tempfile::TempDir) -> Self {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let stderr = dir.path().join("stderr.log");
        let child = Command::new(BINARY)
            .arg("--config")
            .arg(config_path)
            .args(["--listen", &addr.to_string(), "--dist"])
            .arg(dir.path())
            .env(
                "USERDECK_NAMESHIELD_TOKEN",
                userdeck_sim::credentials::demo_secret(
                    userdeck_providers::ProviderKind::Nameshield,
                ),
            )
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("start userdeck");
        let mut replica = Self {
            addr,
            child: Some(child),
            stderr,
            _dir: dir,
        };
        replica.wait_ready().await;
        replica
    }

    async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("userdeck exited early ({status}): {}", self.log());
            }
            if let Ok(answer) = client
                .get(format!("http://{}/readyz", self.addr))
                .send()
                .await
                && answer.status() == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "userdeck did not get ready on {} within 20 s: {}",
                self.addr,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// `http://addr` and `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Its log (stderr) so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Kills it with SIGKILL, as a crash would.
    pub fn crash(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// What `/readyz` says about the store.
    pub async fn store_state(&self) -> String {
        let text = reqwest::get(self.url("/readyz"))
            .await
            .expect("readyz answers")
            .text()
            .await
            .expect("readyz has a body");
        let answer: serde_json::Value = serde_json::from_str(&text).expect("readyz is JSON");
        answer["shared_state"]
            .as_str()
            .unwrap_or("absent")
            .to_string()
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.crash();
    }
}

/// The provider route every test calls.
pub const USERS: &str = "/api/p/nameshield/user/v1/users";

/// One GET of the users list from `replica`, as the admin; its status and body.
pub async fn list(client: &reqwest::Client, replica: &Replica, auth: &Auth) -> (u16, String) {
    get(client, &replica.url(USERS), auth, Some(TOKEN)).await
}

/// One GET of `url`, signed in with `token` (bearer) or the identity header; status and body.
pub async fn get(
    client: &reqwest::Client,
    url: &str,
    auth: &Auth,
    token: Option<&str>,
) -> (u16, String) {
    let request = client.get(url);
    let request = match (auth, token) {
        (Auth::Bearer(_), Some(token)) => request.bearer_auth(token),
        (Auth::Bearer(_), None) => request,
        (Auth::TrustedHeader, _) => request.header("X-Forwarded-User", "ops"),
    };
    let answer = request.send().await.expect("the replica answers");
    let status = answer.status().as_u16();
    (status, answer.text().await.unwrap_or_default())
}

/// Sends `count` list requests at once, alternating between `replicas`; the statuses.
pub async fn burst(replicas: &[&Replica], count: usize, auth: Auth) -> Vec<u16> {
    let client = reqwest::Client::new();
    let mut calls = tokio::task::JoinSet::new();
    for n in 0..count {
        let client = client.clone();
        let url = replicas[n % replicas.len()].url(USERS);
        calls.spawn(async move { get(&client, &url, &auth, Some(TOKEN)).await.0 });
    }
    calls.join_all().await
}

/// How many of `statuses` are `status`.
pub fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}
