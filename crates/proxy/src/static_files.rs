//! Serves the built console. Any path that is not a file gets `index.html`, so that deep links
//! such as `/p/rebilly/u/42` load the app, which then routes on the client.

use std::path::Path;

use axum::Router;
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

/// A router that serves `dist` with the single-page-app fallback, plus `/healthz` so that
/// supervisors and the test runner can tell the process is up.
pub fn router(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback_service(ServeDir::new(dist).fallback(index))
}
