//! The console is served with an SPA fallback: files as files, every other path as index.html.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(dist: &std::path::Path, uri: &str) -> (StatusCode, String) {
    let response = userdeck_proxy::static_files::router(dist)
        .oneshot(
            Request::get(uri)
                .body(Body::empty())
                .expect("valid request"),
        )
        .await
        .expect("the router is infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn serves_files_and_falls_back_to_index() {
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(dist.path().join("index.html"), "<title>Userdeck</title>").expect("write");
    std::fs::write(dist.path().join("app-1a2b.css"), "body{}").expect("write");

    assert_eq!(
        get(dist.path(), "/app-1a2b.css").await,
        (StatusCode::OK, "body{}".into())
    );
    for deep_link in ["/", "/p/rebilly", "/p/rebilly/u/usr_1?sort=-email"] {
        let (status, body) = get(dist.path(), deep_link).await;
        assert_eq!(status, StatusCode::OK, "{deep_link}");
        assert_eq!(body, "<title>Userdeck</title>", "{deep_link}");
    }
}

#[tokio::test]
async fn health_answers_without_a_build() {
    let empty = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        get(empty.path(), "/healthz").await,
        (StatusCode::OK, "ok".into())
    );
}
