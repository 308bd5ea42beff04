//! The proxy's shared state and the full router: API routes behind admin auth, health checks,
//! and the console's static files, with CORS, request ids and logs around all of it.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{any, get};
use secrecy::ExposeSecret;
use tokio::sync::Semaphore;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use userdeck_providers::{Credentials, ProviderCatalog, ProviderInfo};

use crate::audit::{self, AuditLog};
use crate::auth::{self, Auth};
use crate::client_address::{ClientAddr, Resolver};
use crate::config::{Provider, Settings};
use crate::cors;
use crate::forward;
use crate::hosts::{self, Hosts};
use crate::problem::Problem;
use crate::rate_limit::Limiter;
use crate::redact::Redactor;
use crate::request_id;
use crate::send_deadline;
use crate::shared_state::Store;
use crate::shared_state::provider_limits::SharedLimits;
use crate::static_files;

/// One provider with its run-time guards.
pub struct Upstream {
    /// The validated configuration, secret included.
    pub provider: Provider,
    /// The provider's published rate limit, if any.
    pub limiter: Option<Limiter>,
    /// Bounds the calls in flight to this provider.
    pub concurrency: Semaphore,
    /// With `[shared_state]`: the rate limit and concurrency bound shared by every replica,
    /// which then replace `limiter` (the in-process one) and add to `concurrency`.
    pub shared: Option<SharedLimits>,
    /// The credential in the form the provider core applies to a request.
    pub credentials: Credentials,
    /// Finds the secret in the provider's answers, in any spelling.
    pub redactor: Redactor,
}

/// Shared, cheap-to-clone state for the handlers.
#[derive(Clone)]
pub struct App {
    /// The validated settings (providers moved into `upstreams`).
    pub settings: Arc<Settings>,
    /// One HTTP client for all providers: connection pooling, no redirects, bounded time.
    pub client: reqwest::Client,
    upstreams: Arc<Vec<Upstream>>,
    audit: Arc<AuditLog>,
    store: Option<Store>,
}

impl App {
    /// Builds the state; it fails on a TLS setup error of the HTTP client or an audit log
    /// that cannot be opened.
    pub fn new(mut settings: Settings) -> Result<Self, String> {
        let audit = Arc::new(AuditLog::open(&settings.audit)?);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.upstream_timeout)
            .connect_timeout(settings.upstream_timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("userdeck-proxy/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(64)
            .no_proxy()
            .build()
            .map_err(|err| format!("cannot set up the HTTP client: {err}"))?;
        let store = settings
            .shared_state
            .as_ref()
            .map(Store::start)
            .transpose()?;
        // A call holds its slot for at most the upstream timeout; the lease outlives that.
        let lease = settings.upstream_timeout + Duration::from_secs(1);
        let upstreams = std::mem::take(&mut settings.providers)
            .into_iter()
            .map(|provider| Upstream {
                credentials: Credentials::with_scheme(
                    provider.kind,
                    provider.scheme,
                    provider.secret.expose_secret(),
                ),
                redactor: Redactor::new(provider.secret.expose_secret()),
                limiter: provider.rate_limit.map(Limiter::new),
                concurrency: Semaphore::new(provider.max_concurrency),
                shared: store
                    .as_ref()
                    .map(|store| SharedLimits::new(store, &provider, lease)),
                provider,
            })
            .collect();
        Ok(Self {
            settings: Arc::new(settings),
            client,
            upstreams: Arc::new(upstreams),
            audit,
            store,
        })
    }

    /// The shared state store, when `[shared_state]` is configured.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
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
    let resolver = Arc::new(Resolver {
        trusted: settings.trusted_proxies.clone(),
        header: settings.client_address_header,
    });
    let statics = static_files::router(dist, &settings.frame_ancestors).layer(
        middleware::from_fn_with_state(settings.static_send_timeout, send_deadline::limit),
    );
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz).with_state(app.clone()))
        .merge(api)
        .merge(statics)
        .layer(middleware::map_response(|mut response: Response| async move {
            static_files::security_headers(response.headers_mut());
            response
        }))
        .layer(middleware::from_fn_with_state(
            cors::Origins(Arc::new(settings.allowed_origins.clone())),
            cors::cors,
        ))
        .layer(middleware::from_fn_with_state(
            Hosts(Arc::new(settings.hosts.clone())),
            hosts::check_host,
        ))
        .layer(middleware::from_fn_with_state(app.audit.clone(), audit::record))
        .layer(middleware::from_fn(api_headers))
        .layer(middleware::from_fn_with_state(resolver, client_address))
        .layer(
            TraceLayer::new_for_http()
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
                .make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get(request_id::HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                // The path only: the query is the client's, but keeping it out of the logs keeps
                // personal search text out too.
                tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id::HEADER))
        .layer(SetRequestIdLayer::new(request_id::HEADER, MakeRequestUuid))
        .layer(middleware::from_fn(request_id::sanitize))
}

/// Every `/api` answer, errors and preflights included, is data for a script and never a page:
/// no sniffing it into HTML, no rendering it, no framing it, no caching it.
async fn api_headers(request: Request, next: Next) -> Response {
    let api = {
        let path = request.uri().path();
        path == "/api" || path.starts_with("/api/")
    };
    let mut response = next.run(request).await;
    if api {
        let headers = response.headers_mut();
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Sets [`ClientAddr`] from the socket peer and, behind trusted proxies, the forwarding header.
async fn client_address(
    State(resolver): State<Arc<Resolver>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(SocketAddr::from(([0, 0, 0, 0], 0)), |info| info.0);
    let client = resolver.client(peer, request.headers());
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
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
    let mut ready = serde_json::json!({ "status": "ready", "providers": app.upstreams().len() });
    if let Some(store) = app.store() {
        // Reported, not failed on: every replica shares the store, so turning them all
        // unready would make a store outage a full outage; each still answers (see README).
        ready["shared_state"] = if store.is_reachable() {
            "reachable".into()
        } else {
            "unreachable".into()
        };
    }
    Json(ready).into_response()
}

async fn api_not_found() -> Problem {
    Problem::not_found("There is no such API route. GET /api/providers lists the providers.")
}
