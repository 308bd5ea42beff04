//! The `Host` allowlist (`server.hosts`). A page on `attacker.example` whose name is made to
//! resolve to this server (DNS rebinding) is same-origin with it in the browser's eyes, and so
//! could read the API with whatever the browser or a local authenticating proxy adds. Its
//! requests carry its own name in `Host`, so with a list set, any other name is turned away
//! before routing, in every auth mode. The health checks stay open to orchestrators, which
//! call them by address.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::HostPattern;
use crate::problem::Problem;

/// The configured hosts; empty admits every `Host`.
#[derive(Debug, Clone)]
pub struct Hosts(pub Arc<Vec<HostPattern>>);

impl Hosts {
    /// Whether a request with these `Host` values (and request-target authority) is admitted.
    pub fn admits(&self, request: &Request) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let mut values = request.headers().get_all(header::HOST).iter();
        let (host, second) = (values.next(), values.next());
        if second.is_some() {
            return false;
        }
        let given = request
            .uri()
            .authority()
            .map(|a| a.as_str().to_string())
            .or_else(|| host.and_then(|h| h.to_str().ok()).map(str::to_string));
        given
            .and_then(|text| HostPattern::parse(&text))
            .is_some_and(|given| self.0.iter().any(|allowed| allowed.admits(&given)))
    }
}

/// Middleware: 421 for a `Host` that is not on the list.
pub async fn check_host(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if hosts.admits(&request) || path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    tracing::warn!("request for a host that is not in server.hosts refused");
    Problem::new(
        StatusCode::MISDIRECTED_REQUEST,
        "unknown-host",
        "Unknown host",
        "This Userdeck does not answer for the host name in this request. Open it by the name its administrator configured in server.hosts.",
    )
    .into_response()
}
