//! The planner: splits a [`Query`] into what the provider does itself ([`ServerQuery`]) and what
//! remains for the in-memory engine. Anything remaining makes the plan a full scan, because a
//! filter or sort applied to one page alone would be a lie about the whole result.

use crate::adapters::{Carry, can_carry};
use crate::capabilities::{Capabilities, Combination, TotalKind};
use crate::query::{PageRequest, Query, ServerQuery};
use serde::Serialize;

/// Limits a deployment may tune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlanConfig {
    /// The most rows a full scan may read before it refuses (default 50,000).
    pub scan_cap: u64,
    /// How many requests may be in flight at once during a scan (default 4; Pngme's client
    /// notes ask for 5 or fewer).
    pub concurrency: usize,
}

impl Default for PlanConfig {
    fn default() -> Self {
        Self {
            scan_cap: 50_000,
            concurrency: 4,
        }
    }
}

/// How the plan gets its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Strategy {
    /// The provider does everything: fetch only the server pages covering the wanted page.
    Direct,
    /// Fetch every row of the pushed-down query, then filter, sort and page in memory.
    FullScan,
}

/// A decided plan: what to ask, what to do in memory, and how honest the total will be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The provider's abilities the plan was made for.
    pub capabilities: Capabilities,
    /// What the provider is asked to do.
    pub pushed: ServerQuery,
    /// What the engine does afterwards (its page is the one the console asked for).
    pub residual: Query,
    /// Direct or full scan.
    pub strategy: Strategy,
    /// Rows per server request: the largest allowed for a scan; `None` where the server fixes
    /// it (Pngme).
    pub page_size: Option<u64>,
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Rows a scan may read at most.
    pub cap: u64,
    /// What is done in memory, in words, for the console to show next to the results and for
    /// refusal messages.
    pub in_memory: Vec<String>,
}

impl Plan {
    /// Whether the total will be exact, so the UI knows before running whether to promise page
    /// numbers. A scan counts every row; a direct plan is as exact as the provider.
    pub fn total_is_exact(&self) -> bool {
        match self.strategy {
            Strategy::FullScan => true,
            Strategy::Direct => self.capabilities.total == TotalKind::Exact,
        }
    }

    /// The page the console asked for.
    pub fn page(&self) -> PageRequest {
        self.residual.page
    }
}

/// Plans `query` for a provider with `capabilities`. Never fails and never pushes down what the
/// capabilities or the adapter's [`can_carry`] do not allow; refusals (too many rows, rows out
/// of reach) come from execution, once the provider has said how many rows there are.
pub fn plan(query: &Query, capabilities: &Capabilities, config: &PlanConfig) -> Plan {
    let kind = capabilities.kind;
    let mut pushed = ServerQuery::default();
    let mut residual = Query {
        page: query.page,
        ..Query::default()
    };
    let mut in_memory = Vec::new();

    if let Some(text) = query.search_text() {
        if capabilities.free_text.is_some() {
            pushed.search = Some(text.to_string());
        } else {
            residual.search = Some(text.to_string());
            in_memory.push(format!("search for \u{201c}{text}\u{201d}"));
        }
    }

    for filter in &query.filters {
        let field_taken = pushed.filters.iter().any(|f| f.field == filter.field);
        let room = capabilities.combination == Combination::All || pushed.filters.is_empty();
        let carry = if capabilities.supports_filter(filter) && !field_taken && room {
            can_carry(kind, filter)
        } else {
            Carry::No
        };
        match carry {
            Carry::Exact => pushed.filters.push(filter.clone()),
            Carry::Narrowing => {
                pushed.filters.push(filter.clone());
                residual.filters.push(filter.clone());
                in_memory.push(format!(
                    "exact check of the {} filter",
                    filter.field.label()
                ));
            }
            Carry::No => {
                residual.filters.push(filter.clone());
                in_memory.push(format!("filter on {}", filter.field.label()));
            }
        }
    }

    let sort_pushable = !query.sort.is_empty()
        && (capabilities.multi_sort || query.sort.len() == 1)
        && query.sort.iter().all(|k| capabilities.sorts_by(k.field));
    if sort_pushable {
        pushed.sort = query.sort.clone();
    } else if !query.sort.is_empty() {
        residual.sort = query.sort.clone();
        let fields: Vec<&str> = query.sort.iter().map(|k| k.field.label()).collect();
        in_memory.push(format!("sort by {}", fields.join(", then ")));
    }

    let strategy =
        if residual.search.is_some() || !residual.filters.is_empty() || !residual.sort.is_empty() {
            Strategy::FullScan
        } else {
            Strategy::Direct
        };
    let page_size = capabilities.max_page_size.map(|max| match strategy {
        Strategy::FullScan => max,
        Strategy::Direct => query.page.size().min(max),
    });
    Plan {
        capabilities: capabilities.clone(),
        pushed,
        residual,
        strategy,
        page_size,
        concurrency: config.concurrency.max(1),
        cap: config.scan_cap,
        in_memory,
    }
}
