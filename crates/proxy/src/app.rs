//! The proxy's shared state and the full router: API routes behind admin auth, health checks,
//! and the console's static files, with CORS, request ids and logs around all of it.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{any, get};
use secrecy::ExposeSecret;
use tokio::sync::Semaphore;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use userdeck_providers::{Credentials, ProviderCatalog, ProviderInfo};

use crate::auth::{self, Auth};
use crate::config::{Provider, Settings};
use crate::cors;
use crate::forward;
use crate::problem::Problem;
use crate::rate_limit::Limiter;
use crate::static_files;

/// One provider with its run-time guards.
pub struct Upstream {
    /// The validated configuration, secret included.
    pub provider: Provider,
    /// The provider's published rate limit, if any.
    pub limiter: Option<Limiter>,
    /// Bounds the calls in flight to this provider.
    pub concurrency: Semaphore,
    /// The credential in the form the provider core applies to a request.
    pub credentials: Credentials,
}

/// Shared, cheap-to-clone state for the handlers.
#[derive(Clone)]
pub struct App {
    /// The validated settings (providers moved into `upstreams`).
    pub settings: Arc<Settings>,
    /// One HTTP client for all providers: connection pooling, no redirects, bounded time.
    pub client: reqwest::Client,
    upstreams: Arc<Vec<Upstream>>,
}

impl App {
    /// Builds the state; the only failure is a TLS setup error of the HTTP client.
    pub fn new(mut settings: Settings) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.upstream_timeout)
            .connect_timeout(settings.upstream_timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("userdeck-proxy/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(64)
            .no_proxy()
            .build()
            .map_err(|err| format!("cannot set up the HTTP client: {err}"))?;
        let upstreams = std::mem::take(&mut settings.providers)
            .into_iter()
            .map(|provider| Upstream {
                credentials: Credentials::with_scheme(
                    provider.kind,
                    provider.scheme,
                    provider.secret.expose_secret(),
                ),
                limiter: provider.rate_limit.map(Limiter::new),
                concurrency: Semaphore::new(provider.max_concurrency),
                provider,
            })
            .collect();
        Ok(Self {
            settings: Arc::new(settings),
            client,
            upstreams: Arc::new(upstreams),
        })
    }

    /// The provider configured under `id`.
    pub fn upstream(&self, id: &str) -> Option<&Upstream> {
        self.upstreams.iter().find(|u| u.provider.id == id)
    }

    /// The providers in configuration order.
    pub fn upstreams(&self) -> &[Upstream] {
        &self.upstreams
    }
}

/// The whole HTTP surface. `extra_api` holds routes that exist only in some modes (the demo's
/// fault switch); they sit behind the same authentication as the rest of the API.
pub fn router(app: App, auth: Arc<Auth>, dist: &Path, extra_api: Router) -> Router {
    let settings = app.settings.clone();
    let api = Router::new()
        .route("/api/providers", get(providers))
        .route("/api/p/{*rest}", get(forward::forward))
        .with_state(app.clone())
        .merge(extra_api)
        .route_layer(middleware::from_fn_with_state(auth, auth::require_admin))
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found));
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz).with_state(app))
        .merge(api)
        .merge(static_files::router(dist, &settings.frame_ancestors))
        .layer(middleware::map_response(|mut response: Response| async move {
            static_files::security_headers(response.headers_mut());
            response
        }))
        .layer(middleware::from_fn_with_state(
            cors::Origins(Arc::new(settings.allowed_origins.clone())),
            cors::cors,
        ))
        .layer(
            TraceLayer::new_for_http()
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
                .make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                // The path only: the query is the client's, but keeping it out of the logs keeps
                // personal search text out too.
                tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The provider list in the one wire type the console reads ([`ProviderCatalog`]): never a
/// secret or an upstream URL.
async fn providers(State(app): State<App>) -> Response {
    let providers = app
        .upstreams()
        .iter()
        .map(|u| ProviderInfo {
            id: u.provider.id.clone(),
            kind: u.provider.kind,
            label: u.provider.label.clone(),
            path: format!(
                "{}{}{}",
                forward::PREFIX,
                u.provider.id,
                crate::route_table::route(u.provider.kind).path
            ),
            capabilities: u.provider.capabilities.clone(),
        })
        .collect();
    let mut response = Json(ProviderCatalog { providers }).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn readyz(State(app): State<App>) -> Response {
    if app.upstreams().is_empty() {
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not-ready",
            "No providers configured",
            "No providers are configured. Start with --config FILE (see config/userdeck.example.toml) or --demo.",
        )
        .into_response();
    }
    Json(serde_json::json!({ "status": "ready", "providers": app.upstreams().len() }))
        .into_response()
}

async fn api_not_found() -> Problem {
    Problem::not_found("There is no such API route. GET /api/providers lists the providers.")
}
