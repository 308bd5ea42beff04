//! Mapping a non-success HTTP status to a [`ProviderError`]. The statuses mean the same at every
//! provider; only where the message and the retry instant live differ, and the adapters pass
//! those in.

use crate::error::{ErrorKind, FieldMessage, ProviderError};
use crate::http::HttpResponse;
use crate::kind::ProviderKind;
use crate::time::Timestamp;

/// What an adapter found in an error response body.
#[derive(Debug, Default)]
pub struct ErrorDetails {
    /// The provider's message.
    pub message: String,
    /// Per-field complaints, if the provider gives them.
    pub fields: Vec<FieldMessage>,
}

/// Builds the error for a response whose status is not a success.
pub fn status_error(
    provider: ProviderKind,
    response: &HttpResponse,
    details: ErrorDetails,
    retry_at: Option<Timestamp>,
) -> ProviderError {
    let kind = match response.status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited { retry_at },
        400 | 405..=428 => ErrorKind::BadRequest {
            fields: details.fields,
        },
        status => ErrorKind::Upstream { status },
    };
    ProviderError::new(provider, kind, details.message)
}

/// `Retry-After` as HTTP allows it: seconds from `now` (Nameshield, and the safe reading
/// anywhere), or an HTTP date (a gateway or CDN in front of any provider may send one).
pub fn retry_after_seconds(response: &HttpResponse, now: Timestamp) -> Option<Timestamp> {
    let value = response.header("Retry-After")?.trim();
    match value.parse::<i64>() {
        Ok(seconds) => now.checked_add_seconds(seconds.max(0)),
        Err(_) => super::http_date::parse(value),
    }
}

/// An absolute UTC epoch in seconds (Rebilly `X-RateLimit-Retry-After`).
pub fn retry_at_epoch(response: &HttpResponse, header: &str) -> Option<Timestamp> {
    let seconds: i64 = response.header(header)?.trim().parse().ok()?;
    Timestamp::from_second(seconds)
}

/// Whether the status is a success.
pub fn is_success(response: &HttpResponse) -> bool {
    (200..300).contains(&response.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn statuses_map_to_kinds() {
        let cases = [
            (401, ErrorKind::Unauthorized),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (422, ErrorKind::BadRequest { fields: vec![] }),
            (400, ErrorKind::BadRequest { fields: vec![] }),
            (500, ErrorKind::Upstream { status: 500 }),
            (302, ErrorKind::Upstream { status: 302 }),
            (429, ErrorKind::RateLimited { retry_at: None }),
        ];
        for (status, kind) in cases {
            let e = status_error(
                ProviderKind::Pngme,
                &response(status, &[]),
                ErrorDetails::default(),
                None,
            );
            assert_eq!(e.kind, kind, "{status}");
        }
    }

    #[test]
    fn retry_headers_read_relative_and_absolute() {
        let now = Timestamp::from_second(1_000).expect("valid");
        let r = response(
            429,
            &[("retry-after", "30"), ("X-RateLimit-Retry-After", "5000")],
        );
        assert_eq!(
            retry_after_seconds(&r, now).map(|t| t.as_second()),
            Some(1_030)
        );
        assert_eq!(
            retry_at_epoch(&r, "x-ratelimit-retry-after").map(|t| t.as_second()),
            Some(5_000)
        );
        let dated = response(429, &[("Retry-After", "Thu, 01 Jan 1970 00:20:00 GMT")]);
        assert_eq!(
            retry_after_seconds(&dated, now).map(|t| t.as_second()),
            Some(1_200)
        );
        let bad = response(429, &[("Retry-After", "soon")]);
        assert_eq!(retry_after_seconds(&bad, now), None);
    }
}
