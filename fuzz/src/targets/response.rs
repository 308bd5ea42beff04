//! A provider's response through its adapter's parser. The input is text shaped like an HTTP
//! response, so that AFL's mutations stay meaningful and seeds are readable:
//!
//! ```text
//! 429 1700000000          status, then optionally the clock in epoch seconds
//! Retry-After: 30         headers, one a line, until an empty line
//!
//! {"data": []}            the body, raw bytes
//! ```

use userdeck_providers::adapters;
use userdeck_providers::{HttpResponse, ProviderKind, Timestamp};

/// The clock when the input names none: a recent instant, so relative delays stay in range.
const DEFAULT_NOW: i64 = 1_700_000_000;

/// Splits an input into the response it describes and the clock, or `None` when its first line
/// is not a status.
fn decode(data: &[u8]) -> Option<(HttpResponse, Timestamp)> {
    let (head, body) = match find(data, b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let mut first = lines.next()?.split_whitespace();
    let status: u16 = first.next()?.parse().ok()?;
    let now = first
        .next()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(DEFAULT_NOW);
    let now = Timestamp::from_second(now)?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_string(), value.trim_start().to_string()))
        .collect();
    let response = HttpResponse {
        status,
        headers,
        body: body.to_vec(),
    };
    Some((response, now))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses the response as `kind`'s adapter would; any panic is a defect.
pub fn run(kind: ProviderKind, data: &[u8]) {
    if let Some((response, now)) = decode(data) {
        // Both outcomes are fine; a page or a typed error is what a parser must give.
        let _ = adapters::parse(kind, &response, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_clock_headers_and_body() {
        let (response, now) =
            decode(b"429 1000\nRetry-After: 30\nbad line\nX: a:b\n\n{\"a\":\n\n1}").expect("valid");
        assert_eq!(response.status, 429);
        assert_eq!(now, Timestamp::from_second(1000).expect("valid"));
        assert_eq!(response.header("retry-after"), Some("30"));
        assert_eq!(response.header("x"), Some("a:b"));
        assert_eq!(response.headers.len(), 2);
        assert_eq!(response.body, b"{\"a\":\n\n1}");
        assert!(decode(b"ok\n\n{}").is_none());
    }
}
