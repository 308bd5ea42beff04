//! Transport-neutral HTTP values. Adapters build and parse these; the shells (browser fetch,
//! proxy, simulators) move them over the wire. Keeping them plain data is what lets the
//! simulators and the planner meet in-process in the differential test.

use serde::{Deserialize, Serialize};

/// The HTTP methods the providers' list endpoints use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    /// Every list-users endpoint is a GET.
    Get,
}

/// A request as an adapter describes it: the path is relative to the provider's configured base
/// URL, and the query pairs keep their order because some providers repeat keys (`sort[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HttpRequest {
    /// The method; always GET today, kept explicit so a shell never has to guess.
    pub method: Option<Method>,
    /// Path below the provider's base URL, starting with `/`.
    pub path: String,
    /// Decoded query pairs in wire order.
    pub query: Vec<(String, String)>,
    /// Headers in order; names are compared case-insensitively.
    pub headers: Vec<(String, String)>,
}

impl HttpRequest {
    /// A GET for `path` with no query and no headers.
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Some(Method::Get),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// The first value of query key `name`, because providers and simulators read single keys.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name`, compared case-insensitively as HTTP requires.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path and percent-encoded query string, as it goes on the wire.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        format!("{}?{}", self.path, encode_query(&self.query))
    }
}

/// A response as the shells hand it to a parser: status, headers and the raw body bytes, so
/// that malformed or truncated bodies reach the parser intact and become typed errors.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Headers in order; names are compared case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The body exactly as received.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of header `name`, compared case-insensitively as HTTP requires.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Decoded query pairs as a wire query string (`a=1&b=2`, without the `?`), each side
/// percent-encoded: the one encoder for adapters, the console's proxy URLs and its own links.
pub fn encode_query(pairs: &[(String, String)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    encoded.join("&")
}

/// Percent-encodes everything outside RFC 3986's unreserved set, so that brackets in
/// ActivePlatform's keys and Rebilly's filter punctuation survive any intermediary.
pub fn percent_encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_brackets_and_reserved_characters() {
        let mut req = HttpRequest::get("/api/vendor/v1/users.json");
        req.query.push(("sorting[field]".into(), "email".into()));
        req.query
            .push(("filter".into(), "status:active;q:a b".into()));
        assert_eq!(
            req.path_and_query(),
            "/api/vendor/v1/users.json?sorting%5Bfield%5D=email&filter=status%3Aactive%3Bq%3Aa%20b"
        );
    }

    #[test]
    fn header_lookup_ignores_case() {
        let resp = HttpResponse {
            status: 200,
            headers: vec![("Pagination-Total".into(), "332".into())],
            body: Vec::new(),
        };
        assert_eq!(resp.header("pagination-total"), Some("332"));
        assert_eq!(resp.header("pagination-limit"), None);
    }
}
