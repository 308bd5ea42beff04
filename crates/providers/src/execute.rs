//! Runs a [`Plan`] without doing I/O itself: it says which requests to send next and reads the
//! responses it is given. The console drives it asynchronously, tests and the differential
//! check drive it synchronously with [`execute_blocking`]; both get the same pages, totals and
//! refusals.
//!
//! Contract for shells: call [`Execution::next_fetches`], send every request it returns (at
//! most [`Plan::concurrency`] of them, concurrently if you like), hand each response to
//! [`Execution::accept`], and repeat. An empty batch means the work is done: call
//! [`Execution::finish`].

use crate::adapters;
use crate::capabilities::{Capabilities, PagingStyle, TotalKind};
use crate::engine;
use crate::error::{ErrorKind, ProviderError};
use crate::http::{HttpRequest, HttpResponse};
use crate::kind::ProviderKind;
use crate::model::{Page, Paging, Total, User};
use crate::plan::{Plan, PlanConfig, Strategy, plan};
use crate::query::{Query, ServerPage};
use crate::shortfall::{self, Shortfall};
use crate::time::Timestamp;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One request to send, with the id to give back to [`Execution::accept`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    /// Identifies the request within this execution.
    pub id: u64,
    /// The request, without credentials.
    pub request: HttpRequest,
}

/// A page with fewer rows than asked, from a provider that sends no total. It is the end of the
/// data only if the page after it is empty; if that one has rows, the server applied a smaller
/// page size than asked and the pages planned so far miss rows. Kept until the next page says
/// which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortPage {
    /// Its 1-based page number, to recognise the page after it.
    number: u64,
    /// How many rows it held: the page size the server applied, if it was not the end.
    rows: u64,
    /// The absolute offset just past its last row: the end of the data, if it was the end.
    end: u64,
}

/// What a running plan has asked for and received, so that shells need only send requests and
/// hand back responses while it decides what to ask next.
#[derive(Debug)]
pub struct Execution {
    plan: Plan,
    /// Rows per server page as currently known: planned, learned from Pngme's first page, or
    /// lowered to what an offset provider echoed it applied.
    size: Option<u64>,
    /// Rows received, by absolute offset of their first row.
    rows: BTreeMap<u64, Vec<User>>,
    /// Units already requested, so that nothing is asked twice.
    asked: BTreeSet<(u64, Option<u64>)>,
    in_flight: HashMap<u64, ServerPage>,
    next_id: u64,
    /// How many rows the pushed-down query has in all, once known exactly.
    data_end: Option<u64>,
    /// The most rows there can be, from an empty page that followed a gap.
    end_bound: Option<u64>,
    /// A short page from a provider without totals: the end, unless the next page has rows
    /// (then the server applied a smaller page size than asked).
    short: Option<ShortPage>,
    /// Pngme's page count.
    num_pages: Option<u64>,
    /// The most requests this direct view may send ([`shortfall::request_cap`]), fixed once the
    /// page size is known, so that short answers cannot make it grow.
    request_cap: Option<u64>,
    /// A direct view that stopped asking before its page was whole: its request cap was
    /// reached, or the provider would not fill a gap (an empty page under its total, a part
    /// asked twice). The page then shows the rows that arrived.
    stopped_short: bool,
    /// The total a provider reported with an empty answer for rows it says exist.
    empty_under_total: Option<u64>,
    /// The first answer placed elsewhere than asked: (offset asked, offset echoed).
    moved: Option<(u64, u64)>,
    failed: Option<ProviderError>,
}

impl Execution {
    /// Starts running `plan`, with nothing asked yet.
    pub fn new(plan: Plan) -> Self {
        Self {
            size: plan.page_size,
            plan,
            rows: BTreeMap::new(),
            asked: BTreeSet::new(),
            in_flight: HashMap::new(),
            next_id: 0,
            data_end: None,
            end_bound: None,
            short: None,
            num_pages: None,
            request_cap: None,
            stopped_short: false,
            empty_under_total: None,
            moved: None,
            failed: None,
        }
    }

    /// The plan being run: what the provider was asked to do and what stays in memory.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    fn kind(&self) -> ProviderKind {
        self.plan.capabilities.kind
    }

    /// The absolute rows wanted: the console's page, or everything for a scan.
    fn target(&self) -> (u64, u64) {
        match self.plan.strategy {
            Strategy::Direct => (self.plan.page().start(), self.plan.page().end()),
            Strategy::FullScan => (0, u64::MAX),
        }
    }

    fn fail(&mut self, error: ProviderError) -> ProviderError {
        self.failed = Some(error.clone());
        error
    }

    /// The next requests to send; empty once everything needed has arrived. Call it only when
    /// every fetch of the previous batch has been accepted.
    pub fn next_fetches(&mut self) -> Result<Vec<Fetch>, ProviderError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if !self.in_flight.is_empty() {
            return Ok(Vec::new());
        }
        let units = match self.check_limits().and_then(|()| self.wanted_units()) {
            Ok(units) => self.within_budget(units),
            Err(error) => return Err(self.fail(error)),
        };
        let mut fetches = Vec::with_capacity(units.len());
        for unit in units {
            let request = match adapters::request(self.kind(), &self.plan.pushed, unit) {
                Ok(request) => request,
                Err(error) => return Err(self.fail(error)),
            };
            self.asked.insert((unit.offset, unit.size));
            let id = self.next_id;
            self.next_id += 1;
            self.in_flight.insert(id, unit);
            fetches.push(Fetch { id, request });
        }
        Ok(fetches)
    }

    /// Cuts a direct view's next batch to what its request cap leaves; once nothing is left,
    /// the view stops short and shows the rows that arrived. Scans are bounded by rows instead.
    fn within_budget(&mut self, mut units: Vec<ServerPage>) -> Vec<ServerPage> {
        if self.plan.strategy != Strategy::Direct || units.is_empty() {
            return units;
        }
        let (start, end) = self.target();
        let cap = match (self.request_cap, self.size) {
            (Some(cap), _) => cap,
            // Pngme tells its page size only with page 1, which may lie before the view: the
            // requests already sent to learn it do not count against the view's own.
            (None, Some(size)) => *self.request_cap.insert(
                self.next_id
                    .saturating_add(shortfall::request_cap(start, end, size)),
            ),
            (None, None) => return units,
        };
        let left = usize::try_from(cap.saturating_sub(self.next_id)).unwrap_or(usize::MAX);
        if left < units.len() {
            units.truncate(left);
            if units.is_empty() {
                self.stopped_short = true;
            }
        }
        units
    }

    /// Why a direct view shows fewer rows than its page holds, once it has finished: the
    /// provider's answers were shorter than asked and the request cap was reached, or it
    /// would not send the missing rows. `None` when the page is whole.
    pub fn shortfall(&self) -> Option<Shortfall> {
        if self.plan.strategy != Strategy::Direct || self.failed.is_some() {
            return None;
        }
        let (start, end) = self.target();
        let end = end.min(self.data_end.unwrap_or(u64::MAX));
        let wanted = end.saturating_sub(start);
        let shown = self.present_rows(start, end);
        (shown < wanted && shown > 0).then_some(Shortfall {
            provider: self.kind(),
            requests: self.next_id,
            shown,
            wanted,
            moved: self.moved,
        })
    }

    /// How many rows of `[from, to)` have arrived.
    fn present_rows(&self, from: u64, to: u64) -> u64 {
        (from..to)
            .filter(|&pos| self.covered_end(pos).is_some())
            .count() as u64
    }

    /// Rows received so far and, when the provider has said, how many rows the pushed-down
    /// query has in all (from a total, or estimated from a page count), so that a shell can
    /// show "Loading 3,000 of ~12,000 users…" during a full scan.
    pub fn progress(&self) -> (u64, Option<u64>) {
        let received = self.rows.values().map(|rows| rows.len() as u64).sum();
        let expected = self.data_end.or_else(|| {
            let (pages, size) = (self.num_pages?, self.size?);
            Some(pages.saturating_mul(size))
        });
        (received, expected)
    }

    /// Whether every needed row has arrived (or the execution failed).
    pub fn is_complete(&self) -> bool {
        self.failed.is_some()
            || (self.in_flight.is_empty()
                && self.check_limits().is_ok()
                && self.wanted_units().is_ok_and(|u| u.is_empty()))
    }

    fn first_only(&self) -> bool {
        self.rows.is_empty() && self.plan.capabilities.total != TotalKind::None
    }

    /// Refuses a scan that would read too much or that paging cannot complete.
    fn check_limits(&self) -> Result<(), ProviderError> {
        if self.plan.strategy != Strategy::FullScan {
            return Ok(());
        }
        let caps = &self.plan.capabilities;
        let at_least = match (self.data_end, self.num_pages, self.size) {
            (Some(end), _, _) => Some(end),
            (None, Some(n), Some(s)) if n > 0 => Some((n - 1).saturating_mul(s).saturating_add(1)),
            _ => None,
        };
        let seen = self.covered_rows();
        if let Some(rows) = at_least.filter(|&r| r > self.plan.cap) {
            return Err(self.too_many(Some(rows)));
        }
        if at_least.is_none() && seen > self.plan.cap {
            return Err(self.too_many(None));
        }
        if let (Some(cap), Some(max), Some(end)) =
            (caps.offset_cap, caps.max_page_size, self.data_end)
        {
            let reach = cap.saturating_add(max);
            if end > reach {
                return Err(ProviderError::new(
                    self.kind(),
                    ErrorKind::Unreachable,
                    format!(
                        "it serves at most {reach} rows of one query by paging (offset at most {cap}), this query matches {end}, and the in-memory {} needs all of them. Narrow the query with a search or a filter {} applies itself (for example status, e-mail or a creation date range) so that at most {reach} users match",
                        self.plan.in_memory.join(" and "),
                        self.kind().label()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn too_many(&self, rows: Option<u64>) -> ProviderError {
        let caps = &self.plan.capabilities;
        let count = rows.map_or_else(|| "more".to_string(), |r| r.to_string());
        let mut narrowers: Vec<&str> = caps.filters.iter().map(|f| f.field.label()).collect();
        narrowers.dedup();
        let how = match (caps.free_text.is_some(), narrowers.is_empty()) {
            (true, true) => "a search".to_string(),
            (true, false) => format!("a search or a filter on {}", narrowers.join(", ")),
            (false, false) => format!("a filter on {}", narrowers.join(", ")),
            (false, true) => "fewer in-memory filters".to_string(),
        };
        ProviderError::new(
            self.kind(),
            ErrorKind::TooManyRows { cap: self.plan.cap },
            format!(
                "the {} has to read {count} users, more than the scan limit of {}. Narrow the query with {how}, which {} applies itself, or raise the scan limit",
                self.plan.in_memory.join(" and "),
                self.plan.cap,
                self.kind().label()
            ),
        )
    }

    fn covered_rows(&self) -> u64 {
        self.rows.values().map(|v| v.len() as u64).sum()
    }

    /// The end of the stored rows covering `pos`, if any.
    fn covered_end(&self, pos: u64) -> Option<u64> {
        self.rows
            .range(..=pos)
            .map(|(o, v)| o.saturating_add(v.len() as u64))
            .filter(|&end| end > pos)
            .max()
    }

    fn wanted_units(&self) -> Result<Vec<ServerPage>, ProviderError> {
        if self.stopped_short || self.empty_under_total.is_some() {
            return Ok(Vec::new());
        }
        let (start, end) = self.target();
        let end = end
            .min(self.data_end.unwrap_or(u64::MAX))
            .min(self.end_bound.unwrap_or(u64::MAX));
        if let Some(short) = self.short
            && self.data_end.is_none()
        {
            return Ok(self.confirm_short(short.number));
        }
        if start >= end {
            return Ok(Vec::new());
        }
        match self.plan.capabilities.paging {
            PagingStyle::Offset => self.offset_units(start, end),
            PagingStyle::PageNumber | PagingStyle::FixedPageSize => {
                Ok(self.numbered_units(start, end))
            }
        }
    }

    /// The page after a short one, to tell the end of the data from a server that applied a
    /// smaller page size than asked.
    fn confirm_short(&self, number: u64) -> Vec<ServerPage> {
        let size = self.size.unwrap_or(1).max(1);
        let offset = number.saturating_mul(size);
        if self.asked.contains(&(offset, Some(size))) {
            return Vec::new();
        }
        vec![ServerPage {
            number: number.saturating_add(1),
            offset,
            size: Some(size),
        }]
    }

    fn numbered_units(&self, start: u64, end: u64) -> Vec<ServerPage> {
        let Some(size) = self.size.filter(|&s| s > 0) else {
            let first = ServerPage {
                number: 1,
                offset: 0,
                size: None,
            };
            return if self.asked.contains(&(0, None)) {
                Vec::new()
            } else {
                vec![first]
            };
        };
        let fixed = self.plan.capabilities.paging == PagingStyle::FixedPageSize;
        let limit = if self.first_only() {
            1
        } else {
            self.plan.concurrency
        };
        let mut units = Vec::new();
        let mut index = start / size;
        while units.len() < limit {
            let Some(offset) = index.checked_mul(size).filter(|&o| o < end) else {
                break;
            };
            if self.num_pages.is_some_and(|n| index >= n) {
                break;
            }
            let unit = ServerPage {
                number: index + 1,
                offset,
                size: (!fixed).then_some(size),
            };
            if !self.rows.contains_key(&offset) && !self.asked.contains(&(offset, unit.size)) {
                units.push(unit);
            }
            index += 1;
        }
        units
    }

    fn offset_units(&self, start: u64, end: u64) -> Result<Vec<ServerPage>, ProviderError> {
        let caps = &self.plan.capabilities;
        let size = self.size.unwrap_or(100).max(1);
        let limit = if self.first_only() {
            1
        } else {
            self.plan.concurrency
        };
        let mut units = Vec::new();
        let mut pos = start;
        while pos < end && units.len() < limit {
            if let Some(covered) = self.covered_end(pos) {
                pos = covered;
                continue;
            }
            let want = if end == u64::MAX {
                size
            } else {
                size.min(end - pos)
            };
            let (offset, want) = match caps.offset_cap {
                Some(cap) if pos > cap => (cap, pos - cap + want),
                _ => (pos, want),
            };
            if caps.max_page_size.is_some_and(|max| want > max) {
                return Err(self.unreachable_page(pos));
            }
            if self.asked.contains(&(offset, Some(want))) {
                if self.plan.strategy == Strategy::Direct {
                    // Asked already and still missing: the provider will not send these rows
                    // (its pages start elsewhere or stop short); the view shows what came.
                    pos = offset.saturating_add(want);
                    continue;
                }
                return Err(ProviderError::malformed(
                    self.kind(),
                    format!(
                        "it returned fewer rows at offset {offset} than its total promised; the data may have changed while paging, so try again"
                    ),
                ));
            }
            units.push(ServerPage {
                number: offset / size + 1,
                offset,
                size: Some(want),
            });
            pos = offset.saturating_add(want);
        }
        Ok(units)
    }

    fn unreachable_page(&self, pos: u64) -> ProviderError {
        let caps = &self.plan.capabilities;
        let reach = caps
            .offset_cap
            .unwrap_or(0)
            .saturating_add(caps.max_page_size.unwrap_or(0));
        ProviderError::new(
            self.kind(),
            ErrorKind::Unreachable,
            format!(
                "this page starts at row {}, but it serves only the first {reach} rows of a query by paging. Reverse the sort order to see the last rows first, or narrow the query with a search or filter",
                pos.saturating_add(1)
            ),
        )
    }

    /// Reads the response to fetch `id`. Responses to unknown ids (a duplicate delivery) are
    /// ignored.
    pub fn accept(
        &mut self,
        id: u64,
        response: &HttpResponse,
        now: Timestamp,
    ) -> Result<(), ProviderError> {
        let Some(unit) = self.in_flight.remove(&id) else {
            return Ok(());
        };
        let page = match adapters::parse(self.kind(), response, now) {
            Ok(page) => page,
            Err(error) => return Err(self.fail(error)),
        };
        if let Err(error) = self.absorb(unit, page) {
            return Err(self.fail(error));
        }
        Ok(())
    }

    /// Records a transport failure (the provider could not be reached) for fetch `id`, so the
    /// execution stops with a [`ErrorKind::Network`] error.
    pub fn fail_network(&mut self, id: u64, detail: &str) -> ProviderError {
        self.in_flight.remove(&id);
        let error = ProviderError::new(self.kind(), ErrorKind::Network, detail);
        self.fail(error)
    }

    /// Takes one parsed page in: refuses it if the provider answered another question than the
    /// one asked (merging it would put wrong rows in the result), learns from it what paging
    /// style tells about the page size and where the data ends, and stores its rows.
    fn absorb(&mut self, unit: ServerPage, page: Page<User>) -> Result<(), ProviderError> {
        let asked = unit.offset;
        let unit = placed(unit, &page.paging);
        if unit.offset != asked && self.moved.is_none() {
            self.moved = Some((asked, unit.offset));
        }
        adapters::check_echo(self.kind(), &self.plan.pushed, &page.paging)?;
        if let Some(total) = page.paging.total {
            self.lower_data_end(total);
        }
        let rows = page.items.len() as u64;
        match self.plan.capabilities.paging {
            PagingStyle::FixedPageSize => self.absorb_fixed(unit, &page.paging, rows),
            PagingStyle::PageNumber => self.absorb_numbered(unit, &page.paging, rows)?,
            PagingStyle::Offset => self.absorb_offset(unit, &page.paging, rows),
        }
        self.store(unit.offset, page.items);
        Ok(())
    }

    /// Lowers the known end of the data to `end`. A total and a short or empty page each bound
    /// the data from above, and pages arrive in any order, so the lowest bound seen is the one
    /// that holds.
    fn lower_data_end(&mut self, end: u64) {
        self.data_end = Some(self.data_end.map_or(end, |known| known.min(end)));
    }

    /// A provider that chooses its page size (Pngme): the first page tells the size and the
    /// page count, and the data ends at an empty page, at the last counted page, or, without a
    /// count, at a page shorter than the first.
    fn absorb_fixed(&mut self, unit: ServerPage, paging: &Paging, rows: u64) {
        if unit.number == 1 {
            self.num_pages = paging.num_pages;
            if rows > 0 {
                self.size = Some(rows);
            }
        }
        let last = self.num_pages.is_some_and(|pages| unit.number >= pages);
        let short = self.num_pages.is_none() && self.size.is_some_and(|size| rows < size);
        if rows == 0 || last || short {
            self.lower_data_end(unit.offset.saturating_add(rows));
        }
    }

    /// A provider paged by page number with a page size asked for: if it applied a smaller size
    /// than asked, the page numbers no longer mean the offsets planned, so the execution stops
    /// with the size to configure. Without a total, the end is read from the pages themselves.
    fn absorb_numbered(
        &mut self,
        unit: ServerPage,
        paging: &Paging,
        rows: u64,
    ) -> Result<(), ProviderError> {
        let asked = unit.size.unwrap_or(rows);
        let more_promised = paging
            .total
            .is_some_and(|total| unit.offset.saturating_add(rows) < total);
        if let Some(applied) = paging.limit
            && applied < asked
            && rows <= applied
            && more_promised
        {
            return Err(self.clamped(applied, asked));
        }
        if paging.total.is_none() {
            self.page_end(unit, rows, asked)?;
        }
        Ok(())
    }

    /// A provider paged by offset: offsets stay valid whatever size it applies, so a smaller
    /// applied size (echoed, or seen in a short page that is not the end) only lowers the size
    /// of the pages still to ask for. A short page without more rows promised is the end.
    fn absorb_offset(&mut self, unit: ServerPage, paging: &Paging, rows: u64) {
        let asked = unit.size.unwrap_or(rows);
        if let Some(applied) = paging.limit.filter(|&l| l > 0 && l < asked) {
            self.size = Some(applied);
        }
        let more_promised = paging
            .total
            .is_some_and(|total| unit.offset.saturating_add(rows) < total);
        if rows == 0 && more_promised && self.plan.strategy == Strategy::Direct {
            // Its own total says rows are here: not the end of the data, a contradiction. The
            // view stops asking; an empty page then says so instead of "no users".
            self.empty_under_total = paging.total;
            return;
        }
        if rows == 0 || (rows < asked && !more_promised) {
            self.lower_data_end(unit.offset.saturating_add(rows));
        } else if rows < asked && rows > 0 {
            self.size = Some(self.size.map_or(rows, |size| size.min(rows)));
        }
    }

    /// Stores the rows of the page at `offset`. Rows without an id are keyed by their position,
    /// which an adapter knows only within its page; the absolute position keeps those keys
    /// unique across pages.
    fn store(&mut self, offset: u64, mut items: Vec<User>) {
        for (i, user) in items.iter_mut().enumerate() {
            if user.key.starts_with("row:") {
                user.key = format!("row:{}", offset.saturating_add(i as u64));
            }
        }
        self.rows.insert(offset, items);
    }

    /// Reads where the data ends from a page of a provider without totals: a short page is the
    /// end once the next one is empty; an empty page bounds it.
    fn page_end(&mut self, unit: ServerPage, n: u64, asked: u64) -> Result<(), ProviderError> {
        let previous_short = self
            .short
            .filter(|short| short.number.saturating_add(1) == unit.number);
        if let Some(short) = previous_short
            && n > 0
        {
            return Err(self.clamped(short.rows, asked));
        }
        if n == 0 {
            if let Some(short) = previous_short {
                self.data_end = Some(short.end);
            } else if unit.offset == 0 || self.covered_end(unit.offset - 1) == Some(unit.offset) {
                self.data_end = Some(unit.offset);
            } else {
                self.end_bound = Some(self.end_bound.map_or(unit.offset, |b| b.min(unit.offset)));
            }
        } else if n < asked {
            let next = unit.offset.saturating_add(asked);
            if self.rows.get(&next).is_some_and(|rows| !rows.is_empty()) {
                return Err(self.clamped(n, asked));
            }
            if self.rows.contains_key(&next) {
                self.data_end = Some(unit.offset.saturating_add(n));
            } else {
                self.short = Some(ShortPage {
                    number: unit.number,
                    rows: n,
                    end: unit.offset.saturating_add(n),
                });
            }
        }
        Ok(())
    }

    fn clamped(&self, applied: u64, asked: u64) -> ProviderError {
        ProviderError::new(
            self.kind(),
            ErrorKind::BadRequest { fields: Vec::new() },
            format!(
                "it applied a page size of {applied} instead of {asked}; set this provider's maximum page size to {applied}"
            ),
        )
    }

    /// Takes the absolute rows `[from, to)` out of the received pages; a gap is an error
    /// rather than a silently shorter result.
    fn take_rows(&mut self, from: u64, to: u64) -> Result<Vec<User>, ProviderError> {
        let mut out = Vec::new();
        let mut pos = from;
        while pos < to {
            let Some((&offset, _)) = self
                .rows
                .range(..=pos)
                .rev()
                .find(|(o, v)| o.saturating_add(v.len() as u64) > pos)
            else {
                return Err(ProviderError::malformed(
                    self.kind(),
                    format!(
                        "row {} never arrived; the data may have changed while paging, so try again",
                        pos.saturating_add(1)
                    ),
                ));
            };
            let Some(rows) = self.rows.get_mut(&offset) else {
                break;
            };
            let skip = usize::try_from(pos - offset)
                .unwrap_or(usize::MAX)
                .min(rows.len());
            let stop = usize::try_from(to.saturating_sub(offset))
                .unwrap_or(usize::MAX)
                .min(rows.len());
            let taken = stop.saturating_sub(skip) as u64;
            out.extend(rows.drain(skip..stop.max(skip)));
            rows.truncate(skip);
            if taken == 0 {
                break;
            }
            pos = pos.saturating_add(taken);
        }
        Ok(out)
    }

    /// The rows of `[from, to)` that arrived, in order. A direct view shows these even when some
    /// are missing (a provider whose answers stop short or start elsewhere than asked), and
    /// [`Execution::shortfall`] says how many; rows are never shown at a place they were not
    /// sent for.
    fn present_items(&mut self, from: u64, to: u64) -> Vec<User> {
        let mut out = Vec::new();
        let mut pos = from;
        while pos < to {
            match self.covered_end(pos) {
                Some(covered) => {
                    let stop = covered.min(to);
                    if let Ok(rows) = self.take_rows(pos, stop) {
                        out.extend(rows);
                    }
                    pos = stop;
                }
                None => pos += 1,
            }
        }
        out
    }

    /// The result, once [`Execution::next_fetches`] returned no more requests.
    pub fn finish(mut self) -> Result<Page<User>, ProviderError> {
        if let Some(error) = self.failed.take() {
            return Err(error);
        }
        if !self.is_complete() {
            return Err(ProviderError::malformed(
                self.kind(),
                "the result was read before every page had arrived",
            ));
        }
        let (start, end) = self.target();
        let seen_end = self
            .rows
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(o, v)| o.saturating_add(v.len() as u64))
            .max()
            .unwrap_or(0);
        let available = self.data_end.unwrap_or(seen_end);
        let mut page = match self.plan.strategy {
            Strategy::FullScan => {
                let rows = self.take_rows(0, available)?;
                engine::apply(&self.plan.residual, rows)
            }
            Strategy::Direct => {
                let to = end.min(available);
                let items = self.present_items(start.min(to), to);
                if let Some(total) = self.empty_under_total.filter(|_| items.is_empty()) {
                    return Err(ProviderError::new(
                        self.kind(),
                        ErrorKind::EmptyPage { total },
                        "",
                    ));
                }
                if let Some((asked, echoed)) = self.moved.filter(|_| items.is_empty() && start < to)
                {
                    return Err(ProviderError::malformed(
                        self.kind(),
                        format!(
                            "it answered offset {echoed} when asked for offset {asked}, and no row of this page ever arrived"
                        ),
                    ));
                }
                let total = match (self.data_end, self.num_pages, self.size) {
                    (Some(t), _, _) => Total::Exact(t),
                    (None, Some(n), Some(s)) if n > 0 => Total::Between {
                        at_least: (n - 1).saturating_mul(s).saturating_add(1),
                        at_most: n.saturating_mul(s),
                    },
                    _ => match self.end_bound {
                        Some(at_most) => Total::Between {
                            at_least: seen_end,
                            at_most,
                        },
                        None => Total::AtLeast(to),
                    },
                };
                let size = self.plan.page().size();
                Page {
                    items,
                    total,
                    paging: Paging {
                        total: total.exact(),
                        num_pages: total.exact().map(|t| t.div_ceil(size)),
                        page_number: Some(self.plan.page().index.saturating_add(1)),
                        limit: Some(size),
                        offset: Some(start),
                        applied_sort: None,
                    },
                }
            }
        };
        dedupe_keys(&mut page.items);
        Ok(page)
    }
}

/// Where the rows of an answer go: where the provider says they start. The policy for an
/// offset echo that differs from the offset asked:
///
/// - The rows are placed at the echoed offset, never at the asked one, so no row is ever shown
///   at a position the provider did not give it (a server that ignored `offset` and sent the
///   first page again cannot pass its rows off as page 2).
/// - Rows of the wanted page that are then missing are asked for again, within the view's
///   request cap; if they still do not come, the page shows the rows that arrived and
///   [`Execution::shortfall`] says how many are missing. A page that is right (its rows all
///   arrived, wherever the server put them) never fails.
///
/// Prism sends the spec's example (`Pagination-Offset: 2`) whatever was asked; under this
/// policy its rows show, with the note that the page is short, instead of failing every load.
fn placed(unit: ServerPage, paging: &Paging) -> ServerPage {
    match paging.offset {
        Some(offset) if offset != unit.offset => ServerPage { offset, ..unit },
        _ => unit,
    }
}

/// Makes row keys unique within a result (two PressOne users may share an e-mail), by
/// suffixing repeats with `#2`, `#3`, …
fn dedupe_keys(users: &mut [User]) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for user in users {
        let count = seen.entry(user.key.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            user.key = format!("{}#{count}", user.key);
        }
    }
}

/// Plans and runs `query` synchronously, sending each request through `fetch` (which adds
/// credentials and talks to a provider, a simulator or a stub). The in-process twin of what the
/// console does asynchronously.
pub fn execute_blocking(
    capabilities: &Capabilities,
    config: &PlanConfig,
    query: &Query,
    now: Timestamp,
    mut fetch: impl FnMut(&HttpRequest) -> HttpResponse,
) -> Result<Page<User>, ProviderError> {
    let mut execution = Execution::new(plan(query, capabilities, config));
    loop {
        let batch = execution.next_fetches()?;
        if batch.is_empty() {
            break;
        }
        for Fetch { id, request } in batch {
            let response = fetch(&request);
            execution.accept(id, &response, now)?;
        }
    }
    execution.finish()
}
