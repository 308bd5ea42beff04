//! Serving the console and the API under a sub-path (`server.base_path`, `--base-path`), such as
//! `/admin/` behind a shared reverse proxy. The same `dist/` serves at `/` and under the
//! sub-path: only `index.html`'s `<base href>` differs, and the proxy rewrites that one tag as it
//! serves the page, so the built files stay untouched.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use tower::ServiceExt;

use crate::problem::Problem;

/// The base tag Trunk copies from `index.html` into every build.
pub const ROOT_BASE_TAG: &str = "<base href=\"/\" />";

/// The largest page rewritten; `index.html` is about one kilobyte.
const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// Normalises a configured base path to `""` (the root) or `/segment[/segment…]` without a
/// trailing slash; anything that is not a plain path is refused with the reason.
pub fn normalise(text: &str) -> Result<String, String> {
    let trimmed = text.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let plain = trimmed.starts_with('/')
        && !trimmed.contains("//")
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b))
        && !trimmed
            .split('/')
            .any(|segment| segment == "." || segment == "..");
    if plain {
        Ok(trimmed.to_string())
    } else {
        Err(format!(
            "`{text}` is not a path like /admin/ (letters, digits, - _ . ~ and slashes only)"
        ))
    }
}

/// `router` as served under `base` (from [`normalise`]); unchanged at the root. `/` and the
/// base without its slash redirect to `{base}/`; any other path outside the base is a 404.
pub fn mount(router: Router, base: &str) -> Router {
    if base.is_empty() {
        return router;
    }
    let tag = format!("<base href=\"{base}/\" />");
    let inner = router.layer(middleware::from_fn(move |request: Request, next: Next| {
        let tag = tag.clone();
        async move { rewrite_base_tag(next.run(request).await, &tag).await }
    }));
    let base = base.to_string();
    Router::new().fallback(move |request: Request| {
        let inner = inner.clone();
        let base = base.clone();
        async move { route(inner, &base, request).await }
    })
}

/// Strips `base` from the request's path and hands it to `inner`.
async fn route(inner: Router, base: &str, mut request: Request) -> Response {
    let path = request.uri().path();
    if path == "/" || path == base {
        return Redirect::permanent(&format!("{base}/")).into_response();
    }
    let Some(rest) = path.strip_prefix(base).filter(|rest| rest.starts_with('/')) else {
        return Problem::not_found(format!(
            "Userdeck is served under {base}/ here; nothing lives at this address."
        ))
        .into_response();
    };
    let target = match request.uri().query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_string(),
    };
    let Ok(uri) = Uri::try_from(target) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    *request.uri_mut() = uri;
    match inner.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Replaces the root base tag in an HTML answer with `tag`; any other answer passes as it is.
async fn rewrite_base_tag(response: Response, tag: &str) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    let page = String::from_utf8_lossy(&bytes).replacen(ROOT_BASE_TAG, tag, 1);
    parts.headers.remove(header::ETAG);
    if let Ok(length) = HeaderValue::from_str(&page.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, length);
    }
    Response::from_parts(parts, Body::from(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_plain_paths() {
        assert_eq!(normalise("/"), Ok(String::new()));
        assert_eq!(normalise(""), Ok(String::new()));
        assert_eq!(normalise("/admin/"), Ok("/admin".into()));
        assert_eq!(normalise("/ops/users"), Ok("/ops/users".into()));
        for bad in [
            "admin",
            "/a//b",
            "/a/../b",
            "/a b",
            "/a?x",
            "/\"><script>",
            "//evil",
        ] {
            assert!(normalise(bad).is_err(), "{bad}");
        }
    }
}
