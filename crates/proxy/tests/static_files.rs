//! The console is served with an SPA fallback: files as files, every other path as index.html,
//! with caching and security headers that fit each.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const INDEX: &str = "<title>Userdeck</title><script type=\"module\">init();</script><script src=\"/a.js\"></script>";

async fn get_with(
    dist: &std::path::Path,
    uri: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::get(uri);
    if let Some(encoding) = accept_encoding {
        request = request.header("accept-encoding", encoding);
    }
    let response = userdeck_proxy::static_files::router(dist, &["'self'".to_string()])
        .oneshot(request.body(Body::empty()).expect("valid request"))
        .await
        .expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(dist: &std::path::Path, uri: &str) -> (StatusCode, HeaderMap, String) {
    get_with(dist, uri, None).await
}

fn build() -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("temp dir");
    std::fs::write(dist.path().join("index.html"), INDEX).expect("write");
    std::fs::write(dist.path().join("app-0123456789abcdef.css"), "body{}").expect("write");
    std::fs::write(dist.path().join("app-0123456789abcdef.css.gz"), "GZIPPED").expect("write");
    std::fs::write(dist.path().join("robots.txt"), "User-agent: *").expect("write");
    dist
}

#[tokio::test]
async fn serves_files_and_falls_back_to_index() {
    let dist = build();
    let (status, _, body) = get(dist.path(), "/app-0123456789abcdef.css").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "body{}"));
    for deep_link in ["/", "/p/rebilly", "/p/rebilly/u/usr_1?sort=-email"] {
        let (status, headers, body) = get(dist.path(), deep_link).await;
        assert_eq!(status, StatusCode::OK, "{deep_link}");
        assert_eq!(body, INDEX, "{deep_link}");
        assert_eq!(headers["cache-control"], "no-cache", "{deep_link}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_others_revalidate() {
    let dist = build();
    let (_, headers, _) = get(dist.path(), "/app-0123456789abcdef.css").await;
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let (_, headers, _) = get(dist.path(), "/robots.txt").await;
    assert_eq!(headers["cache-control"], "no-cache");
    let (_, headers, _) = get(dist.path(), "/index.html").await;
    assert_eq!(headers["cache-control"], "no-cache");
}

#[tokio::test]
async fn precompressed_files_are_served_when_accepted() {
    let dist = build();
    let (_, headers, body) = get_with(dist.path(), "/app-0123456789abcdef.css", Some("gzip")).await;
    assert_eq!(body, "GZIPPED");
    assert_eq!(headers["content-encoding"], "gzip");
    let (_, headers, body) = get_with(dist.path(), "/app-0123456789abcdef.css", None).await;
    assert_eq!(body, "body{}");
    assert!(headers.get("content-encoding").is_none());
}

#[tokio::test]
async fn security_headers_allow_wasm_and_the_inline_loader_only() {
    let dist = build();
    let (_, headers, _) = get(dist.path(), "/").await;
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    let hashes = userdeck_proxy::static_files::inline_script_hashes(dist.path());
    assert_eq!(hashes.len(), 1, "only the inline script is hashed");
    assert!(csp.contains(&hashes[0]));
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    assert!(!csp.contains(" 'unsafe-eval'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn a_revalidated_page_keeps_the_loader_hash() {
    // The browser stores a 304's CSP with its cached index.html; without the hash the next
    // load of a deep link would block the loader and leave a blank page.
    let dist = build();
    let (_, first, _) = get(dist.path(), "/p/rebilly/u/usr_1").await;
    let etag = first
        .get("last-modified")
        .and_then(|v| v.to_str().ok())
        .expect("index.html is served with a validator")
        .to_string();
    let response = userdeck_proxy::static_files::router(dist.path(), &["'self'".to_string()])
        .oneshot(
            Request::get("/p/rebilly/u/usr_1")
                .header("if-modified-since", etag)
                .body(Body::empty())
                .expect("valid request"),
        )
        .await
        .expect("the router is infallible");
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    let hashes = userdeck_proxy::static_files::inline_script_hashes(dist.path());
    assert!(csp.contains(&hashes[0]), "{csp}");
}

#[tokio::test]
async fn dotfiles_and_symlinks_out_of_dist_are_never_served() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "OUTSIDE-SECRET").expect("write");
    let dist = build();
    std::fs::write(dist.path().join(".env"), "DOTENV-SECRET=1").expect("write");
    std::fs::create_dir(dist.path().join(".git")).expect("mkdir");
    std::fs::write(dist.path().join(".git").join("config"), "DOTGIT-SECRET").expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dist.path().join("leak.txt"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), dist.path().join("out")).expect("symlink");
    std::fs::write(dist.path().join("inside.txt"), "fine").expect("write");
    std::os::unix::fs::symlink(
        dist.path().join("inside.txt"),
        dist.path().join("alias.txt"),
    )
    .expect("symlink");
    for path in [
        "/.env",
        "/%2eenv",
        "/.git/config",
        "/leak.txt",
        "/out/secret.txt",
        "/out%2fsecret.txt",
    ] {
        let (status, _, body) = get(dist.path(), path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert!(!body.contains("SECRET"), "{path}: {body}");
    }
    let (status, _, body) = get(dist.path(), "/alias.txt").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "fine"),
        "a link inside dist is fine"
    );
}
