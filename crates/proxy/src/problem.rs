//! RFC 9457 problem details for every error the proxy itself produces, so the console can show
//! one clear sentence (what happened, which provider, what to do) and tell the proxy's own
//! errors from a provider's answer, which is passed through unchanged.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A problem the proxy reports. `kind` becomes the `type` URI, which the console matches on.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// `urn:userdeck:problem:<kind>`: stable, for programs.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary that does not change between occurrences.
    pub title: &'static str,
    /// The HTTP status, repeated in the body as RFC 9457 suggests.
    pub status: u16,
    /// The sentence for people: what happened, which provider, what to do.
    pub detail: String,
    /// The provider concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip)]
    retry_after: Option<Duration>,
}

impl Problem {
    /// A problem of `kind` with `status`, `title` and `detail`.
    pub fn new(
        status: StatusCode,
        kind: &str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind: format!("urn:userdeck:problem:{kind}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            provider: None,
            retry_after: None,
        }
    }

    /// Names the provider concerned.
    pub fn for_provider(mut self, id: &str) -> Self {
        self.provider = Some(id.to_string());
        self
    }

    /// Adds `Retry-After`, rounded up to whole seconds as the header requires.
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// 404 for any path that is not a configured provider's list-users route.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    /// 400 for a request the proxy refuses to pass on.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    /// 502 when the provider's answer cannot be passed on.
    pub fn bad_gateway(provider: &str, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_GATEWAY,
            "bad-gateway",
            "Provider answer unusable",
            detail,
        )
        .for_provider(provider)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(wait) = retry_after {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
        response
    }
}
