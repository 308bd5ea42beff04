//! Runs a list plan in the browser: the providers crate decides which requests to send and reads
//! the answers; this file only sends them, a bounded number at a time, through the cache, and
//! reports progress.

use std::sync::Arc;

use futures::future::join_all;
use userdeck_providers::execute::{Execution, Fetch};
use userdeck_providers::plan::{Plan, PlanConfig, Strategy, plan};
use userdeck_providers::shortfall::{Shortfall, plan_scan};
use userdeck_providers::{
    Capabilities, HttpResponse, Page, PageRequest, ProviderError, Query, User,
};
use web_sys::AbortSignal;

use super::cache;
use super::transport::{Endpoint, Sent, send};

/// How far a full scan has got, for "Loading 3,000 of ~12,000 users…".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows received so far.
    pub rows: u64,
    /// Rows expected in all, when the provider has said (or an estimate of it).
    pub expected: Option<u64>,
}

/// A finished load: the page to show and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The rows of the requested page and the total.
    pub page: Page<User>,
    /// Direct or full scan.
    pub strategy: Strategy,
    /// What the browser did itself, in words ("sort by Name"), empty for a direct plan.
    pub in_memory: Vec<String>,
    /// Rows a full scan read (the set the browser sorted or filtered).
    pub scanned: Option<u64>,
    /// Why a direct page holds fewer rows than it should (short answers used up its request
    /// cap), for the note that offers a full scan.
    pub shortfall: Option<Shortfall>,
    /// Every row of the result, filtered and sorted, when a full scan has it in the browser:
    /// what the pager's "All" shows.
    pub all: Option<Arc<Vec<User>>>,
    /// When the oldest response behind these rows left the provider (ms since the epoch), for
    /// "as of 12:03"; a page served from the cache is as old as its cached response.
    pub as_of_ms: f64,
}

/// Why a load ended without rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// Cancelled: a newer query replaced it, or the person pressed Cancel.
    Aborted,
    /// The provider, the network or the planner said no; the message says what to do.
    Failed(ProviderError),
}

/// Plans `query` for the provider behind `endpoint` and runs the plan. `fresh` skips the cache
/// (the Refresh button); `scan` reads every page even where the provider could answer the page
/// directly (the full scan a short-pages note offers); `progress` hears about every batch of a
/// scan.
pub async fn load(
    endpoint: &Endpoint,
    capabilities: &Capabilities,
    query: &Query,
    (fresh, scan): (bool, bool),
    signal: Option<&AbortSignal>,
    progress: impl Fn(Progress),
) -> Result<Loaded, Stopped> {
    let plan: Plan = if scan {
        plan_scan(query, capabilities, &PlanConfig::default())
    } else {
        plan(query, capabilities, &PlanConfig::default())
    };
    run(endpoint, plan, fresh, signal, &progress).await
}

/// Runs a plan already made, for surfaces with their own limits (a find across providers and
/// a key lookup bound their scans lower than a table does). `progress` is a trait object so
/// that the executor is compiled once, not once per caller's closure.
pub async fn run(
    endpoint: &Endpoint,
    mut plan: Plan,
    fresh: bool,
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(Progress),
) -> Result<Loaded, Stopped> {
    let strategy = plan.strategy;
    let wanted = plan.residual.page;
    if strategy == Strategy::FullScan {
        // The scan reads every row anyway: keep the whole result, and cut the page here.
        plan.residual.page = PageRequest {
            index: 0,
            size: u32::MAX,
        };
    }
    let in_memory = if strategy == Strategy::FullScan {
        plan.in_memory.clone()
    } else {
        Vec::new()
    };
    let ttl = match strategy {
        Strategy::Direct => cache::PAGE_TTL_MS,
        Strategy::FullScan => cache::SCAN_TTL_MS,
    };
    let mut execution = Execution::new(plan);
    let mut as_of_ms = super::now_millis();
    if strategy == Strategy::FullScan {
        progress(Progress {
            rows: 0,
            expected: None,
        });
    }
    loop {
        let batch = execution.next_fetches().map_err(Stopped::Failed)?;
        if batch.is_empty() {
            break;
        }
        let answers = join_all(
            batch
                .into_iter()
                .map(|fetch| fetch_one(endpoint, fetch, fresh, signal, ttl)),
        )
        .await;
        let now = super::now();
        for (id, answer, fetched_at) in answers {
            as_of_ms = as_of_ms.min(fetched_at);
            match answer {
                Ok(Sent::Response(response)) => execution
                    .accept(id, &response, now)
                    .map_err(Stopped::Failed)?,
                Ok(Sent::Aborted) => return Err(Stopped::Aborted),
                Err(error) => return Err(Stopped::Failed(error)),
            }
        }
        if strategy == Strategy::FullScan {
            let (rows, expected) = execution.progress();
            progress(Progress { rows, expected });
        }
    }
    let scanned = (strategy == Strategy::FullScan).then(|| execution.progress().0);
    let shortfall = execution.shortfall();
    let mut page = execution.finish().map_err(Stopped::Failed)?;
    let all = (strategy == Strategy::FullScan).then(|| {
        let all = Arc::new(std::mem::take(&mut page.items));
        let start = usize::try_from(wanted.start())
            .unwrap_or(usize::MAX)
            .min(all.len());
        let end = usize::try_from(wanted.end())
            .unwrap_or(usize::MAX)
            .min(all.len());
        page.items = all[start..end].to_vec();
        page.paging.page_number = Some(wanted.index.saturating_add(1));
        page.paging.limit = Some(wanted.size());
        page.paging.offset = Some(wanted.start());
        all
    });
    Ok(Loaded {
        page,
        strategy,
        in_memory,
        scanned,
        shortfall,
        all,
        as_of_ms,
    })
}

async fn fetch_one(
    endpoint: &Endpoint,
    fetch: Fetch,
    fresh: bool,
    signal: Option<&AbortSignal>,
    ttl: f64,
) -> (u64, Result<Sent, ProviderError>, f64) {
    let url = endpoint.url(&fetch.request);
    if !fresh && let Some((response, stored_at)) = cache::get_with_time(&url, super::now_millis()) {
        return (fetch.id, Ok(Sent::Response(response)), stored_at);
    }
    let answer = send(endpoint, &fetch.request, signal).await;
    if let Ok(Sent::Response(response)) = &answer {
        remember(&url, response, ttl);
    }
    (fetch.id, answer, super::now_millis())
}

fn remember(url: &str, response: &HttpResponse, ttl: f64) {
    cache::put(url, response, super::now_millis(), ttl);
}
