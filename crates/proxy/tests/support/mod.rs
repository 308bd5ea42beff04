//! Test harness: a recording upstream on loopback, a proxy started from TOML text, a raw HTTP
//! client for request targets that a URL library would normalise, and a log buffer in which
//! no secret marker may ever appear.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use userdeck_proxy::config::{self, Environment};

/// What the upstream received, one entry per request.
#[derive(Debug, Clone)]
pub struct Received {
    /// The raw path and query as it arrived.
    pub target: String,
    /// Every header.
    pub headers: HeaderMap,
}

impl Received {
    /// The decoded query pairs.
    pub fn query(&self) -> Vec<(String, String)> {
        let query = self.target.split_once('?').map(|(_, q)| q).unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// How the recording upstream answers.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// 200 with a JSON array, pagination headers and headers that must not pass.
    Normal,
    /// 302 to this URL.
    Redirect(String),
    /// Never answers.
    Hang,
    /// A body of this many bytes.
    Large(usize),
    /// Echoes the received target in a 422 JSON body (as some error answers do).
    Echo,
    /// Answers with this status, content type and body.
    Fixed(u16, String, String),
}

/// A loopback upstream that records every request.
#[derive(Clone)]
pub struct Upstream {
    /// Its address.
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl Upstream {
    /// Starts one answering `Normal`.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let upstream = Self {
            addr,
            received: Arc::default(),
            behaviour: Arc::new(Mutex::new(Behaviour::Normal)),
        };
        let app = Router::new().fallback(record).with_state(upstream.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        upstream
    }

    /// Changes how it answers.
    pub fn set(&self, behaviour: Behaviour) {
        *self.behaviour.lock().expect("lock") = behaviour;
    }

    /// What it received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Its base URL with a path prefix.
    pub fn base(&self, prefix: &str) -> String {
        format!("http://{}{}", self.addr, prefix)
    }
}

async fn record(State(upstream): State<Upstream>, request: Request) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_default();
    upstream.received.lock().expect("lock").push(Received {
        target: target.clone(),
        headers: request.headers().clone(),
    });
    let behaviour = upstream.behaviour.lock().expect("lock").clone();
    match behaviour {
        Behaviour::Normal => (
            StatusCode::OK,
            [
                ("content-type", "application/json"),
                ("pagination-total", "332"),
                ("pagination-limit", "10"),
                ("pagination-offset", "0"),
                ("set-cookie", "session=upstream"),
                ("server", "upstream/1.0"),
                ("x-powered-by", "php"),
                ("keep-alive", "timeout=5"),
            ],
            "[{\"id\":\"1\"}]",
        )
            .into_response(),
        Behaviour::Redirect(to) => (StatusCode::FOUND, [("location", to)], "").into_response(),
        Behaviour::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            StatusCode::OK.into_response()
        }
        Behaviour::Large(n) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            vec![b'x'; n],
        )
            .into_response(),
        Behaviour::Echo => (
            StatusCode::UNPROCESSABLE_ENTITY,
            [("content-type", "application/json")],
            serde_json::json!({ "error": format!("bad request to {target}") }).to_string(),
        )
            .into_response(),
        Behaviour::Fixed(status, content_type, body) => (
            StatusCode::from_u16(status).expect("status"),
            [("content-type", content_type)],
            body,
        )
            .into_response(),
    }
}

/// A loopback server that answers every connection with bytes that are not HTTP.
pub async fn garbage_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(b"\x00\x01garbage\xff\r\n\r\nnot http")
                .await;
        }
    });
    addr
}

struct Vars(HashMap<String, String>);

impl Environment for Vars {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

/// A running proxy.
pub struct Proxy {
    /// Its address.
    pub addr: SocketAddr,
    _dist: tempfile::TempDir,
}

impl Proxy {
    /// The `dist/` it serves, to add files to.
    pub fn dist(&self) -> &Path {
        self._dist.path()
    }
}

/// Starts a proxy from config text; `secrets` become its environment.
pub async fn start_proxy(toml: &str, secrets: &[(&str, &str)]) -> Proxy {
    let env = Vars(
        secrets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    let settings = config::parse(toml, Path::new("."), &env).expect("valid test config");
    start_with(settings, Router::new()).await
}

/// Starts a proxy from settings and extra API routes (the demo's).
pub async fn start_with(settings: config::Settings, extra_api: Router) -> Proxy {
    logs();
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(dist.path().join("index.html"), "<title>Userdeck</title>").expect("write");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let path = dist.path().to_path_buf();
    tokio::spawn(async move {
        userdeck_proxy::run(settings, &path, listener, extra_api, std::future::pending()).await
    });
    Proxy { addr, _dist: dist }
}

/// An Argon2id hash that is cheap to verify, for tests.
pub fn cheap_hash(secret: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(64, 1, 1, None).expect("params");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"fixed-test-salt").expect("salt");
    argon
        .hash_password(secret.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

/// An Argon2id hash that takes a while to verify (2 MiB, like a real one in kind), so that
/// concurrent guesses overlap as they do against a production hash.
pub fn costly_hash(secret: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(2 * 1024, 1, 1, None).expect("params");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"fixed-test-salt").expect("salt");
    argon
        .hash_password(secret.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

/// A response as read off the socket.
#[derive(Debug)]
pub struct Raw {
    /// The status code.
    pub status: u16,
    /// Header lines, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body text.
    pub body: String,
    /// Everything, for marker checks.
    pub all: String,
}

impl Raw {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `GET target` exactly as written, with `headers`, and reads the whole answer.
pub async fn raw_get(addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> Raw {
    raw_request(addr, "GET", target, headers).await
}

/// Sends `method target` with a JSON body.
pub async fn raw_request_with_body(
    addr: SocketAddr,
    method: &str,
    target: &str,
    body: &str,
) -> Raw {
    let length = body.len().to_string();
    let headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", length.as_str()),
    ];
    raw_request_inner(addr, method, target, &headers, body).await
}

/// Sends `method target` exactly as written and reads the whole answer.
pub async fn raw_request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> Raw {
    raw_request_inner(addr, method, target, headers, "").await
}

/// Sends `GET target` from the loopback address `from` (any of 127.0.0.0/8), so tests can be
/// many clients at once.
pub async fn raw_get_from(
    from: std::net::Ipv4Addr,
    addr: SocketAddr,
    target: &str,
    headers: &[(&str, &str)],
) -> Raw {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::from((from, 0)))
        .expect("bind a loopback source address");
    let stream = socket.connect(addr).await.expect("connect");
    exchange(stream, addr, "GET", target, headers, "").await
}

async fn raw_request_inner(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Raw {
    let stream = TcpStream::connect(addr).await.expect("connect");
    exchange(stream, addr, method, target, headers, body).await
}

async fn exchange(
    mut stream: TcpStream,
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Raw {
    let mut request = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut bytes))
        .await
        .expect("the proxy answers within 20 s")
        .expect("read");
    let all = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = all.split_once("\r\n\r\n").unwrap_or((&all, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Raw {
        status,
        headers,
        body: dechunk(body),
        all,
    }
}

fn dechunk(body: &str) -> String {
    // Responses of unknown length arrive chunked; the tests only need the text.
    let mut out = String::new();
    let mut rest = body;
    loop {
        let Some((size, after)) = rest.split_once("\r\n") else {
            return if out.is_empty() {
                body.to_string()
            } else {
                out
            };
        };
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_string();
        };
        if n == 0 || after.len() < n {
            return out;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
}

static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary so far, at debug level.
pub fn logs() -> String {
    let buffer = LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = LogWriter(buffer.clone());
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        buffer
    });
    String::from_utf8_lossy(&buffer.lock().expect("lock")).into_owned()
}
