//! The Userdeck proxy as a library, so integration tests drive the same router the binary serves.

pub mod app;
pub mod args;
pub mod audit;
pub mod auth;
pub mod base_path;
pub mod client_address;
pub mod compression;
pub mod config;
pub mod cors;
pub mod demo;
pub mod failed_logins;
pub mod forward;
pub mod hosts;
pub mod overrides;
pub mod problem;
pub mod rate_limit;
pub mod redact;
pub mod request_id;
pub mod route_table;
pub mod send_deadline;
pub mod serve;
pub mod shared_state;
pub mod static_files;
pub mod token_strength;
pub mod upstream_body;
pub mod verify;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

/// Builds everything from validated settings and serves on `listener` until `shutdown`.
/// `extra_api` holds mode-specific API routes (the demo's fault switch).
pub async fn run(
    settings: config::Settings,
    dist: &Path,
    listener: TcpListener,
    extra_api: Router,
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let header_read_timeout = settings.header_read_timeout;
    let base = settings.base_path.clone();
    let auth_settings = settings.auth.clone();
    let app = app::App::new(settings)?;
    if let Some(store) = app.store() {
        let waited = app
            .settings
            .upstream_timeout
            .min(std::time::Duration::from_secs(5));
        if !store.connected_within(waited).await {
            tracing::warn!(store = %store.url(), "starting without the shared state store: sign-ins answer 503 and provider limits are this replica's share until it is reachable");
        }
    }
    let auth = Arc::new(auth::Auth::with_store(auth_settings, app.store())?);
    let router = base_path::mount(app::router(app, auth, dist, extra_api), &base)
        .layer(compression::layer());
    serve::serve(listener, router, header_read_timeout, shutdown).await;
    Ok(())
}

/// Binds `addr`, with the error as a sentence for the user.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|err| format!("cannot listen on {addr}: {err}"))
}
