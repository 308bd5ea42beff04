//! The audit log: one JSON line per API request, so that the operators of a console that reads
//! personal data can answer "who looked up this person, and when". Each line names the admin
//! (Basic user, trusted identity, or a token fingerprint; never a credential), the client
//! address, the provider and route, the query exactly as sent to the provider minus the
//! credential the proxy added, the status and the body size. It goes to standard output (the
//! default), to a file, or nowhere with `audit = false`.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http_body::Body as _;
use serde::Serialize;
use userdeck_providers::Timestamp;

use crate::auth::Admin;
use crate::client_address::ClientAddr;
use crate::config::AuditTarget;
use crate::request_id;

/// What the forwarding handler adds to its response for the audit line.
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// The provider id.
    pub provider: String,
    /// The query pairs sent upstream, without the credential.
    pub query: Vec<(String, String)>,
}

/// Where lines go.
pub struct AuditLog {
    out: Option<Mutex<Box<dyn Write + Send>>>,
}

/// One line.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// RFC 3339, UTC.
    pub time: String,
    /// The request id, as in the other logs.
    pub request_id: &'a str,
    /// The auth mode the admin signed in with; `null` when the request was refused.
    pub auth: Option<&'a str>,
    /// The Basic user, the trusted identity or `token:<fingerprint>`; `null` when refused.
    pub admin: Option<&'a str>,
    /// The client address (behind trusted proxies, the forwarded one).
    pub client: String,
    /// The HTTP method.
    pub method: &'a str,
    /// The path asked for.
    pub route: &'a str,
    /// The provider, for forwarded requests.
    pub provider: Option<&'a str>,
    /// The query as sent to the provider, credentials removed; `null` when nothing was sent.
    pub query: Option<&'a [(String, String)]>,
    /// The status answered.
    pub status: u16,
    /// The size of the body answered.
    pub bytes: u64,
}

impl AuditLog {
    /// Opens `target`; a file is created if needed and appended to.
    pub fn open(target: &AuditTarget) -> Result<Self, String> {
        let out: Option<Box<dyn Write + Send>> = match target {
            AuditTarget::Off => None,
            AuditTarget::Stdout => Some(Box::new(std::io::stdout())),
            AuditTarget::File(path) => {
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|err| {
                        format!(
                            "server.audit: cannot open the audit log {}: {err}",
                            path.display()
                        )
                    })?;
                Some(Box::new(file))
            }
        };
        Ok(Self {
            out: out.map(Mutex::new),
        })
    }

    /// Writes one line. A failed write is logged, not fatal: the answer has been given.
    pub fn write(&self, record: &Record<'_>) {
        let Some(out) = &self.out else { return };
        let Ok(mut line) = serde_json::to_vec(record) else {
            return;
        };
        line.push(b'\n');
        let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(err) = out.write_all(&line).and_then(|()| out.flush()) {
            tracing::error!(error = %err, "cannot write the audit log");
        }
    }
}

/// Middleware around the whole router: writes a line for every request under `/api`.
pub async fn record(State(log): State<Arc<AuditLog>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if log.out.is_none() || !(path == "/api" || path.starts_with("/api/")) {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_string();
    let client = request
        .extensions()
        .get::<ClientAddr>()
        .map(|c| c.0.to_string())
        .unwrap_or_default();
    let id = request
        .headers()
        .get(request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let response = next.run(request).await;
    let admin = response.extensions().get::<Admin>();
    let forwarded = response.extensions().get::<Forwarded>();
    let hint = response.body().size_hint();
    log.write(&Record {
        time: now(),
        request_id: &id,
        auth: admin.map(|a| a.mode),
        admin: admin.map(|a| a.identity.as_str()),
        client,
        method: &method,
        route: &path,
        provider: forwarded.map(|f| f.provider.as_str()),
        query: forwarded.map(|f| f.query.as_slice()),
        status: response.status().as_u16(),
        bytes: hint.exact().unwrap_or(hint.lower()),
    });
    response
}

fn now() -> String {
    let millis = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_millisecond(millis)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_string()
}
