//! Serves the built console. Any path that is not a file gets `index.html`, so that deep links
//! such as `/p/rebilly/u/42` load the app, which then routes on the client.
//!
//! Trunk names assets by content hash, so those are cached forever; `index.html` is revalidated
//! on every load so a deployment is picked up at once. Precompressed `.br`/`.gz` siblings are
//! served when present. Every answer carries the security headers, with a CSP that allows the
//! WebAssembly module and, by hash, the inline loader script Trunk writes into `index.html`.
//!
//! Only what the build put in `dist/` is served: a path with a segment starting with a dot
//! (`/.env`, `/.git/config`) is a 404, and so is a file whose real location, symlinks
//! resolved, is outside `dist/`.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use tower_http::services::{ServeDir, ServeFile};

/// A router that serves `dist` with the single-page-app fallback and the security headers;
/// `frame_ancestors` goes into the CSP as configured.
pub fn router(dist: &Path, frame_ancestors: &[String]) -> Router {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    let root = dist.canonicalize().unwrap_or_else(|_| dist.to_path_buf());
    let dist = dist.to_path_buf();
    let frame_ancestors = frame_ancestors.to_vec();
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let root = root.clone();
            async move {
                if stays_inside(&root, request.uri().path()).await {
                    next.run(request).await
                } else {
                    (StatusCode::NOT_FOUND, "Not found").into_response()
                }
            }
        }))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let dist = dist.clone();
            let frame_ancestors = frame_ancestors.clone();
            async move {
                let hashed = is_hashed_asset(request.uri().path());
                let mut response = next.run(request).await;
                let html = response
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("text/html"));
                let cache = if hashed && response_is_ok(&response) && !html {
                    "public, max-age=31536000, immutable"
                } else {
                    "no-cache"
                };
                // The loader script's hash is read from the index.html being served, so a
                // rebuilt console works without a restart. A 304 carries no content type, but
                // the browser stores its CSP with the cached page, so it needs the hash too.
                let revalidated = response.status() == axum::http::StatusCode::NOT_MODIFIED;
                let hashes = if html || (revalidated && !hashed) {
                    inline_script_hashes(&dist)
                } else {
                    Vec::new()
                };
                let csp =
                    HeaderValue::from_str(&content_security_policy(&hashes, &frame_ancestors))
                        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
                let headers = response.headers_mut();
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                headers.insert(header::CONTENT_SECURITY_POLICY, csp);
                security_headers(headers);
                response
            }
        }))
}

/// False for a path with a dot segment, and for one naming a file (or a precompressed sibling)
/// whose real location is outside `root`. A path naming nothing is fine: it gets index.html.
async fn stays_inside(root: &Path, path: &str) -> bool {
    let decoded = percent_decode(path);
    let segments: Vec<&str> = decoded
        .split(['/', '\\'])
        .filter(|s| !s.is_empty())
        .collect();
    if segments.iter().any(|s| s.starts_with('.')) {
        return false;
    }
    let file: PathBuf = segments.iter().fold(root.to_path_buf(), |p, s| p.join(s));
    let sibling = |ext: &str| {
        let mut name = file.clone().into_os_string();
        name.push(ext);
        PathBuf::from(name)
    };
    for candidate in [file.clone(), sibling(".gz"), sibling(".br")] {
        if tokio::fs::symlink_metadata(&candidate).await.is_err() {
            continue;
        }
        match tokio::fs::canonicalize(&candidate).await {
            Ok(real) if real.starts_with(root) => {}
            _ => return false,
        }
    }
    true
}

/// `%XX` decoded, as the file server does before it looks a path up.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn response_is_ok(response: &Response) -> bool {
    response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED
}

/// Headers every response carries, API answers included.
pub fn security_headers(headers: &mut axum::http::HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// True for content-hashed file names (`name-0123456789abcdef.ext`, `_bg.wasm` too): Trunk's,
/// and the split build's chunks and loader.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The policy: own origin only, wasm compilation allowed, the inline loader allowed by hash.
pub fn content_security_policy(script_hashes: &[String], frame_ancestors: &[String]) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script.push_str(&format!(" 'sha256-{hash}'"));
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {}",
        frame_ancestors.join(" ")
    )
}

/// SHA-256 (base64) of each inline `<script>` in `dist/index.html`, read once at startup.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    let Ok(html) = std::fs::read_to_string(dist.join("index.html")) else {
        return Vec::new();
    };
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let body = &rest[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let digest = ring::digest::digest(&ring::digest::SHA256, &body.as_bytes()[..close]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest.as_ref()));
        }
        rest = &body[close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/userdeck-a88f0822cf887772.js"));
        assert!(is_hashed_asset("/userdeck-a88f0822cf887772_bg.wasm"));
        assert!(is_hashed_asset("/main-144046c904a02bef.css"));
        // The split build's chunks and their loader (`cargo xtask dist`).
        assert!(is_hashed_asset("/chunk-user-44cba855c3174cf9.wasm"));
        assert!(is_hashed_asset(
            "/admin/chunk-all_rows-8b8bb2570a7f1303.wasm"
        ));
        assert!(is_hashed_asset("/split-f66dc2ad06875584.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/p/rebilly"));
        assert!(!is_hashed_asset("/favicon-x.ico"));
    }
}
