//! The Userdeck proxy as a library, so integration tests drive the same router the binary serves.

pub mod app;
pub mod args;
pub mod auth;
pub mod config;
pub mod cors;
pub mod demo;
pub mod forward;
pub mod problem;
pub mod rate_limit;
pub mod route_table;
pub mod serve;
pub mod static_files;
pub mod upstream_body;

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
    let auth = Arc::new(auth::Auth::new(settings.auth.clone())?);
    let app = app::App::new(settings)?;
    let router = app::router(app, auth, dist, extra_api);
    serve::serve(listener, router, header_read_timeout, shutdown).await;
    Ok(())
}

/// Binds `addr`, with the error as a sentence for the user.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|err| format!("cannot listen on {addr}: {err}"))
}
