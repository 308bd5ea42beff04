//! Which rows of a long, fixed-height table are in the DOM: the ones in view plus a margin, never
//! more than [`MAX_DOM_ROWS`], with spacer heights standing in for the rest. Decided here so
//! the limits and the keyboard moves are tested natively, whatever the row count.

/// The most rows rendered at once, whatever the viewport (the console's promise is 80 `<tr>`,
/// including the two spacers and the heading row).
pub const MAX_DOM_ROWS: usize = 64;

/// Rows rendered beyond each edge of the viewport, so fast scrolling shows no blank band.
pub const OVERSCAN: usize = 3;

/// The rendered slice of a virtualised table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first rendered row (0-based).
    pub start: usize,
    /// One past the last rendered row.
    pub end: usize,
    /// Height of the spacer above the rendered rows, in pixels.
    pub before_px: u64,
    /// Height of the spacer below them.
    pub after_px: u64,
}

impl Window {
    /// How many rows are rendered: the number of row slots the table keeps in the DOM.
    pub fn rows(&self) -> usize {
        self.end - self.start
    }
}

/// The rows to render for a viewport of `viewport_px` scrolled to `scroll_px` over `total`
/// rows of `row_px` each.
pub fn window(scroll_px: u64, viewport_px: u64, row_px: u64, total: usize) -> Window {
    let row_px = row_px.max(1);
    let first_visible = usize::try_from(scroll_px / row_px).unwrap_or(usize::MAX);
    let visible = usize::try_from(viewport_px.div_ceil(row_px))
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let wanted = visible
        .saturating_add(2 * OVERSCAN)
        .min(MAX_DOM_ROWS)
        .min(total);
    let start = first_visible
        .saturating_sub(OVERSCAN)
        .min(total.saturating_sub(wanted));
    let end = start.saturating_add(wanted).min(total);
    Window {
        start,
        end,
        before_px: start as u64 * row_px,
        after_px: (total - end) as u64 * row_px,
    }
}

/// A key press on a row of the table, as far as the table moves focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// One row up (`ArrowUp`).
    Up,
    /// One row down (`ArrowDown`).
    Down,
    /// A viewport up (`PageUp`).
    PageUp,
    /// A viewport down (`PageDown`).
    PageDown,
    /// The first row (`Home`).
    First,
    /// The last row (`End`).
    Last,
}

impl Move {
    /// The move for a `KeyboardEvent.key`, or `None` for keys the table leaves alone.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "ArrowUp" => Move::Up,
            "ArrowDown" => Move::Down,
            "PageUp" => Move::PageUp,
            "PageDown" => Move::PageDown,
            "Home" => Move::First,
            "End" => Move::Last,
            _ => return None,
        })
    }
}

/// The row focused after `step` from row `at` of `total`, moving `page_rows` for a page.
pub fn moved(at: usize, step: Move, page_rows: usize, total: usize) -> usize {
    let last = total.saturating_sub(1);
    let page = page_rows.max(1);
    match step {
        Move::Up => at.saturating_sub(1),
        Move::Down => at.saturating_add(1).min(last),
        Move::PageUp => at.saturating_sub(page),
        Move::PageDown => at.saturating_add(page).min(last),
        Move::First => 0,
        Move::Last => last,
    }
}

/// The scroll position that brings row `at` into a viewport of `viewport_px` scrolled to
/// `scroll_px`, scrolling as little as possible (unchanged when it is already in view).
pub fn reveal(at: usize, scroll_px: u64, viewport_px: u64, row_px: u64) -> u64 {
    let top = at as u64 * row_px;
    let bottom = top + row_px;
    if top < scroll_px {
        top
    } else if bottom > scroll_px + viewport_px {
        bottom.saturating_sub(viewport_px)
    } else {
        scroll_px
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_more_than_the_limit_whatever_the_viewport() {
        for total in [0, 1, 79, 80, 2_000, 100_000] {
            for viewport in [0, 300, 720, 10_000, u64::MAX / 4] {
                for scroll in [0, 1, 5_000, 3_000_000, u64::MAX / 2] {
                    let w = window(scroll, viewport, 36, total);
                    assert!(w.rows() <= MAX_DOM_ROWS, "{total} {viewport} {scroll}");
                    assert!(w.start <= w.end && w.end <= total);
                    assert_eq!(
                        w.before_px + (w.end - w.start) as u64 * 36 + w.after_px,
                        total as u64 * 36
                    );
                }
            }
        }
    }

    #[test]
    fn the_rows_in_view_are_rendered() {
        let w = window(36 * 1_000, 720, 36, 100_000);
        assert!(w.start <= 1_000 && w.end >= 1_021, "{w:?}");
        let end = window(36 * 100_000, 720, 36, 100_000);
        assert_eq!(end.end, 100_000, "the last row is reachable");
        assert_eq!(end.after_px, 0);
        let top = window(0, 720, 36, 100_000);
        assert_eq!((top.start, top.before_px), (0, 0));
        assert_eq!(
            window(0, 720, 36, 5),
            Window {
                start: 0,
                end: 5,
                before_px: 0,
                after_px: 0
            }
        );
    }

    #[test]
    fn keys_move_within_the_rows() {
        assert_eq!(Move::from_key("End"), Some(Move::Last));
        assert_eq!(Move::from_key("a"), None);
        assert_eq!(moved(0, Move::Up, 20, 2_000), 0);
        assert_eq!(moved(0, Move::Down, 20, 2_000), 1);
        assert_eq!(moved(1_990, Move::PageDown, 20, 2_000), 1_999);
        assert_eq!(moved(5, Move::PageUp, 20, 2_000), 0);
        assert_eq!(moved(5, Move::Last, 20, 2_000), 1_999);
        assert_eq!(moved(5, Move::First, 20, 2_000), 0);
        assert_eq!(moved(0, Move::Last, 20, 0), 0);
    }

    #[test]
    fn reveal_scrolls_as_little_as_possible() {
        assert_eq!(reveal(10, 0, 720, 36), 0);
        assert_eq!(reveal(30, 0, 720, 36), 31 * 36 - 720);
        assert_eq!(reveal(2, 720, 720, 36), 72);
    }
}
