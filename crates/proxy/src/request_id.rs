//! Request ids. A client may send `X-Request-Id` to correlate its own logs with the proxy's;
//! the id is echoed back and put in every log line of the request, so it is accepted only when
//! it is one header of at most 128 visible ASCII characters. Anything else (a 60 kB id, control
//! characters, two ids) is dropped, and the proxy generates one instead.

use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::Response;

/// The header.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");
/// The longest id kept.
pub const MAX_LEN: usize = 128;

/// Whether a client's id is kept as it is.
pub fn acceptable(value: &[u8]) -> bool {
    !value.is_empty() && value.len() <= MAX_LEN && value.iter().all(u8::is_ascii_graphic)
}

/// Middleware, before the id is set: removes a client id that is not acceptable.
pub async fn sanitize(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    let mut values = headers.get_all(&HEADER).iter();
    let keep = match (values.next(), values.next()) {
        (Some(value), None) => acceptable(value.as_bytes()),
        (None, _) => true,
        _ => false,
    };
    if !keep {
        headers.remove(&HEADER);
    }
    next.run(request).await
}
