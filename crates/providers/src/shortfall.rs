//! What one view of the table may cost, and what the console says when a provider's answers
//! use that up before the page is whole.
//!
//! A provider that sends fewer rows than asked (Prism's random arrays, a server clamping its
//! page size without saying so) makes a direct view ask again for the rest, and again: 5 to 13
//! requests per view were seen, 25 when each answer held one user. A direct view therefore
//! sends at most [`request_cap`] requests. Past it, the page shows the rows that arrived and a
//! [`Shortfall`] says so and offers a full scan ([`plan_scan`]), which reads every page and
//! pages in memory, with progress and Cancel, so its cost is visible and the person's choice.

use serde::Serialize;

use crate::capabilities::Capabilities;
use crate::kind::ProviderKind;
use crate::plan::{Plan, PlanConfig, Strategy, plan};
use crate::query::Query;

/// The fewest requests a direct view may send: the first answer, and three more to fill in
/// what a short answer left out.
pub const VIEW_REQUEST_BUDGET: u64 = 4;

/// The most requests a direct view of rows `[start, end)` may send when the provider serves
/// `size` rows per request: [`VIEW_REQUEST_BUDGET`], or the requests the page needs at that
/// size if it needs more (PressOne with `max_page_size = 10` needs 10 for a page of 100), so
/// that only answers shorter than asked are ever cut short.
pub fn request_cap(start: u64, end: u64, size: u64) -> u64 {
    let size = size.max(1);
    let needed = end.div_ceil(size).saturating_sub(start / size);
    needed.max(VIEW_REQUEST_BUDGET)
}

/// A direct view that stopped before every row of its page arrived, for the console's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// The provider whose answers were short.
    pub provider: ProviderKind,
    /// Requests the view sent.
    pub requests: u64,
    /// Rows of the page that arrived (and are shown).
    pub shown: u64,
    /// Rows the page should hold.
    pub wanted: u64,
    /// The first answer the provider placed elsewhere than asked: (offset asked, offset it
    /// echoed), which the note mentions because it is why rows are missing.
    pub moved: Option<(u64, u64)>,
}

impl Shortfall {
    /// The note beside the table: what happened, which provider, and what the full scan does.
    pub fn sentence(&self) -> String {
        let requests = if self.requests == 1 {
            "1 request".to_string()
        } else {
            format!("{} requests", self.requests)
        };
        let moved = self.moved.map_or_else(String::new, |(asked, echoed)| {
            format!(" (and said its rows start at offset {echoed} when asked for offset {asked})")
        });
        format!(
            "{} sends shorter pages than asked{moved}: after {requests} it had sent {} of the {} users of this page. A full scan reads every page and shows this one whole; it may take many requests.",
            self.provider.label(),
            self.shown,
            self.wanted
        )
    }
}

/// Plans `query` as a full scan even where the provider could answer it directly: what the
/// console runs when the person accepts the full scan a [`Shortfall`] offers.
pub fn plan_scan(query: &Query, capabilities: &Capabilities, config: &PlanConfig) -> Plan {
    let mut scan = plan(query, capabilities, config);
    if scan.strategy == Strategy::Direct {
        scan.strategy = Strategy::FullScan;
        scan.page_size = capabilities.max_page_size;
        scan.in_memory
            .push("paging, because the provider sends short pages".to_string());
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::PageRequest;

    #[test]
    fn the_cap_is_four_unless_the_page_needs_more() {
        assert_eq!(request_cap(0, 25, 25), 4);
        assert_eq!(request_cap(0, 25, 3), 9);
        assert_eq!(request_cap(0, 100, 10), 10);
        assert_eq!(request_cap(25, 50, 50), 4);
        assert_eq!(request_cap(40, 60, 50), 4);
        assert_eq!(request_cap(0, 10, 0), 10);
    }

    #[test]
    fn the_note_names_the_provider_and_the_counts() {
        let note = Shortfall {
            provider: ProviderKind::Rebilly,
            requests: 4,
            shown: 9,
            wanted: 25,
            moved: None,
        };
        assert_eq!(
            note.sentence(),
            "Rebilly sends shorter pages than asked: after 4 requests it had sent 9 of the 25 users of this page. A full scan reads every page and shows this one whole; it may take many requests."
        );
        let moved = Shortfall {
            moved: Some((0, 2)),
            requests: 1,
            ..note
        };
        assert!(
            moved.sentence().starts_with(
                "Rebilly sends shorter pages than asked (and said its rows start at offset 2 when asked for offset 0): after 1 request it"
            ),
            "{}",
            moved.sentence()
        );
    }

    #[test]
    fn a_forced_scan_reads_everything_at_the_largest_page() {
        let caps = Capabilities::of(ProviderKind::Rebilly);
        let query = Query {
            page: PageRequest { index: 2, size: 25 },
            ..Query::default()
        };
        let direct = plan(&query, &caps, &PlanConfig::default());
        assert_eq!(direct.strategy, Strategy::Direct);
        let scan = plan_scan(&query, &caps, &PlanConfig::default());
        assert_eq!(scan.strategy, Strategy::FullScan);
        assert_eq!(scan.page_size, Some(1000));
        assert_eq!(scan.page(), query.page);
        assert!(scan.in_memory.iter().any(|w| w.contains("short pages")));
    }
}
