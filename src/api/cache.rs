//! A short-lived cache of provider responses, keyed by the exact request URL.
//!
//! Caching whole responses rather than parsed rows gives both caches the console needs with one
//! mechanism: a recently viewed page is served again without a request, and a full scan, whose
//! requests depend only on the provider and the pushed-down query, is replayed from here when
//! only the in-browser sort or filter changes.

use std::cell::RefCell;
use std::collections::HashMap;

use userdeck_providers::HttpResponse;

/// How long a directly fetched page stays fresh.
pub const PAGE_TTL_MS: f64 = 60_000.0;
/// How long the pages of a full scan stay fresh: long enough to re-sort and re-filter a scanned
/// set at leisure, short enough that it does not go stale unnoticed.
pub const SCAN_TTL_MS: f64 = 300_000.0;
/// At most this many responses are kept; the oldest go first.
const MAX_ENTRIES: usize = 2_000;

struct Entry {
    response: HttpResponse,
    stored_at: f64,
    ttl: f64,
}

thread_local! {
    static CACHE: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
}

/// The cached response for `url`, if it is still fresh at `now` (ms), with when it was stored,
/// so a list served from the cache says how old it is.
pub fn get_with_time(url: &str, now: f64) -> Option<(HttpResponse, f64)> {
    CACHE.with(|cache| {
        let cache = cache.borrow();
        let entry = cache.get(url)?;
        (now - entry.stored_at < entry.ttl).then(|| (entry.response.clone(), entry.stored_at))
    })
}

/// Keeps a successful response for `ttl` ms. Errors are never cached: a retry must ask again.
pub fn put(url: &str, response: &HttpResponse, now: f64, ttl: f64) {
    if !(200..300).contains(&response.status) {
        return;
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.retain(|_, entry| now - entry.stored_at < entry.ttl);
        if cache.len() >= MAX_ENTRIES
            && let Some(oldest) = cache
                .iter()
                .min_by(|a, b| a.1.stored_at.total_cmp(&b.1.stored_at))
                .map(|(key, _)| key.clone())
        {
            cache.remove(&oldest);
        }
        cache.insert(
            url.to_string(),
            Entry {
                response: response.clone(),
                stored_at: now,
                ttl,
            },
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn get(url: &str, now: f64) -> Option<HttpResponse> {
        get_with_time(url, now).map(|(response, _)| response)
    }

    #[test]
    fn fresh_entries_are_served_and_stale_or_failed_ones_are_not() {
        put("/a", &ok("[1]"), 1_000.0, PAGE_TTL_MS);
        assert_eq!(get("/a", 1_000.0 + PAGE_TTL_MS - 1.0), Some(ok("[1]")));
        assert_eq!(get("/a", 1_000.0 + PAGE_TTL_MS), None);
        assert_eq!(
            get_with_time("/a", 1_500.0).map(|(_, at)| at),
            Some(1_000.0)
        );
        let failed = HttpResponse {
            status: 429,
            ..ok("{}")
        };
        put("/b", &failed, 1_000.0, PAGE_TTL_MS);
        assert_eq!(get("/b", 1_000.0), None);
    }
}
