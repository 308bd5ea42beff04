//! Deployment shapes: the console and the API under a base path, with `index.html`'s base tag
//! rewritten and everything else untouched; compression of API answers above 1 kB; and
//! precompressed siblings passed through as they are.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use userdeck_proxy::{app, auth, base_path, compression, config::AuthSettings};

const INDEX: &str = "<html><head><base href=\"/\" /><script type=\"module\" src=\"./boot-0123456789abcdef.js\"></script></head><body></body></html>";

fn dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(dist.path().join("index.html"), INDEX).expect("write");
    let wasm = vec![7u8; 4096];
    std::fs::write(dist.path().join("app-0123456789abcdef_bg.wasm"), &wasm).expect("write");
    std::fs::write(
        dist.path().join("app-0123456789abcdef_bg.wasm.br"),
        b"BROTLI",
    )
    .expect("write");
    dist
}

async fn router(dist: &std::path::Path, base: &str) -> Router {
    let demo = userdeck_proxy::demo::start(&userdeck_sim::SimConfig::default())
        .await
        .expect("demo starts");
    let mut settings = demo.settings;
    settings.auth = AuthSettings::Off;
    let auth = Arc::new(auth::Auth::new(settings.auth.clone()).expect("auth"));
    let app = app::App::new(settings).expect("app");
    base_path::mount(app::router(app, auth, dist, demo.api), base).layer(compression::layer())
}

async fn get(
    router: &Router,
    uri: &str,
    encoding: Option<&str>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    // The demo answers only loopback names (see the security model), as a browser's Host is.
    let mut request = Request::get(uri).header("host", "127.0.0.1:8080");
    if let Some(encoding) = encoding {
        request = request.header("accept-encoding", encoding);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).expect("valid request"))
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, headers, body.to_vec())
}

#[tokio::test]
async fn console_and_api_live_under_the_base_path() {
    let dist = dist();
    let router = router(dist.path(), "/admin").await;
    for deep in ["/admin/", "/admin/p/rebilly/u/7?q=a"] {
        let (status, headers, body) = get(&router, deep, Some("br, gzip")).await;
        assert_eq!(status, StatusCode::OK, "{deep}");
        assert!(
            headers.get("content-encoding").is_none(),
            "the page is under 1 kB"
        );
        let page = String::from_utf8(body).expect("utf-8");
        assert!(page.contains("<base href=\"/admin/\" />"), "{deep}: {page}");
        assert!(!page.contains("<base href=\"/\" />"));
    }
    for bare in ["/", "/admin"] {
        let (status, headers, _) = get(&router, bare, None).await;
        assert_eq!(status, StatusCode::PERMANENT_REDIRECT, "{bare}");
        assert_eq!(headers["location"], "/admin/");
    }
    let (status, headers, body) = get(&router, "/admin/api/providers", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json")
    );
    let catalog: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(
        catalog["providers"][0]["path"],
        "/api/p/pressone/api/third-party/partner/user/"
    );
    let (status, _, _) = get(&router, "/api/providers", None).await;
    assert_ne!(
        status,
        StatusCode::OK,
        "the API is only under the base path"
    );
}

#[tokio::test]
async fn api_answers_above_a_kilobyte_are_compressed_and_assets_are_precompressed() {
    let dist = dist();
    let router = router(dist.path(), "").await;
    let (status, headers, raw) = get(&router, "/api/p/pngme/users", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-encoding").is_none());
    assert!(raw.len() > 1024, "a page of users is over 1 kB");
    let (_, headers, body) = get(&router, "/api/p/pngme/users", Some("br")).await;
    assert_eq!(headers["content-encoding"], "br");
    assert!(body.len() < raw.len());
    let (_, headers, body) = get(&router, "/api/p/pngme/users", Some("gzip")).await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert!(body.starts_with(&[0x1f, 0x8b]));
    let (_, headers, body) = get(&router, "/readyz", Some("br")).await;
    assert!(
        headers.get("content-encoding").is_none(),
        "small answers stay plain"
    );
    assert!(!body.is_empty());
    let (_, headers, body) = get(&router, "/app-0123456789abcdef_bg.wasm", Some("br, gzip")).await;
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(
        body, b"BROTLI",
        "the .br sibling as it is, not compressed again"
    );
}
