//! Demo mode (`userdeck --demo`): the five simulators start in-process on a loopback port, the
//! five providers are configured against them with the simulators' demo credentials, and admin
//! authentication is off, which a banner says loudly. The end-to-end tests switch simulator
//! faults on through `/api/demo/faults`, a route that exists only here.
//!
//! With authentication off, the demo must not be reachable from anywhere but this machine:
//! the binary listens on loopback only, the proxy answers only loopback `Host` names (a
//! rebinding page cannot reach the fault switch), and the simulators' own port drops their
//! `Access-Control-Allow-Origin: *`, answers only loopback names and does not expose their
//! unauthenticated `/_sim` fault switch (the proxy changes faults in-process).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use secrecy::SecretString;
use tokio::net::TcpListener;
use userdeck_providers::{Capabilities, ProviderKind};
use userdeck_sim::credentials::demo_secret;
use userdeck_sim::{Faults, SimConfig, SimState};

use crate::config::{AuthSettings, HostPattern, Provider, Settings, published_rate_limit};
use crate::hosts::Hosts;
use crate::problem::Problem;

/// What the banner says, on stdout and in the log.
pub const BANNER: &str = "DEMO MODE: admin authentication is OFF and the providers are simulators. \
Anyone who can reach this address can use it; keep it on loopback.";

/// A started demo: the settings to serve and the demo-only API routes.
pub struct Demo {
    /// Five providers pointing at the simulators, authentication off.
    pub settings: Settings,
    /// `GET/DELETE /api/demo/faults`, `GET/PUT /api/demo/faults/{provider}`.
    pub api: Router,
    /// Where the simulators listen.
    pub simulators: SocketAddr,
}

/// Starts the simulators on an ephemeral loopback port and builds the demo configuration.
pub async fn start(config: &SimConfig) -> Result<Demo, String> {
    let state = SimState::new(config);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|err| format!("cannot start the simulators on loopback: {err}"))?;
    let simulators = listener
        .local_addr()
        .map_err(|err| format!("cannot start the simulators on loopback: {err}"))?;
    let router =
        userdeck_sim::router(state.clone()).layer(axum::middleware::from_fn(simulator_guard));
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router).await {
            tracing::error!(error = %err, "the simulators stopped");
        }
    });
    let mut settings = Settings::unconfigured();
    settings.auth = AuthSettings::Off;
    settings.hosts = loopback_hosts();
    settings.providers = ProviderKind::ALL
        .into_iter()
        .map(|kind| demo_provider(kind, simulators))
        .collect::<Result<_, _>>()?;
    let api = Router::new()
        .route("/api/demo/faults", get(list_faults).delete(reset))
        .route(
            "/api/demo/faults/{provider}",
            put(set_faults).get(get_faults),
        )
        .with_state(state);
    Ok(Demo {
        settings,
        api,
        simulators,
    })
}

/// The names a browser on this machine uses for loopback, on any port.
pub fn loopback_hosts() -> Vec<HostPattern> {
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .filter_map(|h| HostPattern::parse(h))
        .collect()
}

/// In front of the in-process simulators: loopback names only, no `/_sim` switch, no CORS.
async fn simulator_guard(request: Request, next: Next) -> Response {
    let hosts = Hosts(Arc::new(loopback_hosts()));
    if !hosts.admits(&request) || request.uri().path().starts_with("/_sim") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for name in [
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        header::ACCESS_CONTROL_ALLOW_METHODS,
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ] {
        headers.remove(name);
    }
    response
}

fn demo_provider(kind: ProviderKind, simulators: SocketAddr) -> Result<Provider, String> {
    let base_url = format!("http://{simulators}/{}", kind.id())
        .parse()
        .map_err(|_| format!("cannot build the simulator URL for {}", kind.label()))?;
    Ok(Provider {
        id: kind.id().to_string(),
        kind,
        label: kind.label().to_string(),
        base_url,
        organization_id: None,
        customer_id: None,
        secret: SecretString::from(demo_secret(kind)),
        scheme: userdeck_providers::Scheme::Usual,
        max_concurrency: 64,
        rate_limit: published_rate_limit(kind),
        capabilities: Capabilities::of(kind),
    })
}

fn kind_of(provider: &str) -> Result<ProviderKind, Problem> {
    ProviderKind::from_id(provider).ok_or_else(|| {
        Problem::not_found(
            "No such simulated provider; use pressone, pngme, nameshield, rebilly or activeplatform.",
        )
    })
}

async fn list_faults(State(state): State<SimState>) -> Response {
    Json(state.all_faults()).into_response()
}

async fn get_faults(State(state): State<SimState>, Path(provider): Path<String>) -> Response {
    match kind_of(&provider) {
        Ok(kind) => Json(state.faults(kind)).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn set_faults(
    State(state): State<SimState>,
    Path(provider): Path<String>,
    Json(faults): Json<Faults>,
) -> Response {
    match kind_of(&provider) {
        Ok(kind) => {
            tracing::info!(provider = %provider, ?faults, "simulator faults set");
            state.set_faults(kind, faults);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(problem) => problem.into_response(),
    }
}

async fn reset(State(state): State<SimState>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}
