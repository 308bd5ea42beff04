//! Reads every row of a view for an export: the core's export plan (the table's push-down, run
//! as a capped full scan), sent a batch at a time like a list load, but never through the cache
//! (an export must be current) and patient with rate limits: a 429 is waited out and resent as
//! the core's `retry_wait` allows, else the export stops with the provider's sentence.

use futures::future::join_all;
use userdeck_providers::execute::{Execution, Fetch};
use userdeck_providers::export_plan::{EXPORT_CAP, export_plan, rate_limited, retry_wait};
use userdeck_providers::{Capabilities, ProviderError, Query, User};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::list::Stopped;
use super::transport::{Endpoint, Sent, send};

/// How far an export has got, for "Read 1,200 of ~3,400 users…".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportProgress {
    /// Rows read so far.
    pub rows: u64,
    /// Rows the provider said there are, when it has.
    pub expected: Option<u64>,
    /// Seconds the export is waiting out a rate limit, if it is.
    pub waiting: Option<i64>,
}

/// Every row of `query` (filtered and sorted, all pages), at most [`EXPORT_CAP`] read.
pub async fn read_all(
    endpoint: &Endpoint,
    capabilities: &Capabilities,
    query: &Query,
    signal: &AbortSignal,
    progress: impl Fn(ExportProgress),
) -> Result<Vec<User>, Stopped> {
    let mut execution = Execution::new(export_plan(query, capabilities, EXPORT_CAP));
    let (mut rows, mut expected) = (0, None);
    loop {
        let batch = execution.next_fetches().map_err(Stopped::Failed)?;
        if batch.is_empty() {
            break;
        }
        let waiting = |seconds| {
            progress(ExportProgress {
                rows,
                expected,
                waiting: Some(seconds),
            })
        };
        let answers = join_all(
            batch
                .into_iter()
                .map(|fetch| fetch_patiently(endpoint, fetch, signal, &waiting)),
        )
        .await;
        if signal.aborted() {
            return Err(Stopped::Aborted);
        }
        let now = super::now();
        for (id, answer) in answers {
            match answer {
                Ok(Sent::Response(response)) => execution
                    .accept(id, &response, now)
                    .map_err(Stopped::Failed)?,
                Ok(Sent::Aborted) => return Err(Stopped::Aborted),
                Err(error) => return Err(Stopped::Failed(error)),
            }
        }
        (rows, expected) = execution.progress();
        progress(ExportProgress {
            rows,
            expected,
            waiting: None,
        });
    }
    execution
        .finish()
        .map(|page| page.items)
        .map_err(Stopped::Failed)
}

/// Sends `fetch`, waiting out and resending after 429s while the core allows; the last answer
/// (a success, or the 429 that ends the export) goes back to the execution.
async fn fetch_patiently(
    endpoint: &Endpoint,
    fetch: Fetch,
    signal: &AbortSignal,
    waiting: &dyn Fn(i64),
) -> (u64, Result<Sent, ProviderError>) {
    let mut attempt = 0;
    loop {
        let answer = send(endpoint, &fetch.request, Some(signal)).await;
        let Ok(Sent::Response(response)) = &answer else {
            return (fetch.id, answer);
        };
        let now = super::now();
        let Some(wait) = rate_limited(endpoint.kind, response, now)
            .and_then(|error| retry_wait(&error, now, attempt + 1))
        else {
            return (fetch.id, answer);
        };
        attempt += 1;
        waiting(wait);
        for _ in 0..wait * 4 {
            if signal.aborted() {
                return (fetch.id, Ok(Sent::Aborted));
            }
            sleep_ms(250).await;
        }
    }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}
