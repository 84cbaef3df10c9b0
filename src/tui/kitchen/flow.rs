//! How cards flow onto the kitchen screen, as pure functions: the card area is cut into
//! equal slots, numbered column by column; a ticket takes as many slots as its rows need (each
//! part but the last keeps its bottom row for a "continued" marker), and its parts take
//! consecutive slots. A ticket that does not fit in what is left of a page starts the next page
//! (if it would fit on a page of its own; otherwise it runs on across pages): nothing is ever cut.

use std::ops::Range;

use ratatui::layout::Rect;

/// The width a slot needs at least; a card area narrower than that is one slot wide.
pub const SLOT_WIDTH: u16 = 26;
/// The height a slot needs at least.
pub const SLOT_HEIGHT: u16 = 10;

/// One part of a ticket in one slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Which ticket (an index into the list that was flowed).
    pub ticket: usize,
    /// 0 for the first part.
    pub part: usize,
    pub parts: usize,
    /// Which of the ticket's rows this part shows.
    pub rows: Range<usize>,
    pub cell: Rect,
    /// The slot's number on its page, from 1 (what a digit key picks).
    pub slot: usize,
}

/// The slots of `area`, column by column (down the first column, then the next).
pub fn cells(area: Rect) -> Vec<Rect> {
    let cols = (area.width / SLOT_WIDTH).max(1);
    let rows = (area.height / SLOT_HEIGHT).max(1);
    let w = area.width / cols;
    let h = area.height / rows;
    let mut cells = Vec::new();
    for c in 0..cols {
        for r in 0..rows {
            cells.push(Rect::new(area.x + c * w, area.y + r * h, w, h));
        }
    }
    cells
}

/// `rows` rows cut into parts for slots with `inner` rows each: every part but the last leaves
/// its last row for the "continued" marker.
pub fn split(rows: usize, inner: usize) -> Vec<Range<usize>> {
    let step = inner.saturating_sub(1).max(1);
    let mut parts = Vec::new();
    let mut start = 0;
    while rows - start > inner.max(1) {
        parts.push(start..start + step);
        start += step;
    }
    parts.push(start..rows);
    parts
}

/// Tickets of `row_counts[i]` rows each, in order, flowed into pages of `cells`.
/// There is always at least one page (empty when there are no tickets).
pub fn pages(row_counts: &[usize], cells: &[Rect]) -> Vec<Vec<Part>> {
    let mut pages: Vec<Vec<Part>> = vec![Vec::new()];
    if cells.is_empty() {
        return pages;
    }
    let per = cells.len();
    let inner = cells[0].height.saturating_sub(2) as usize;
    for (ticket, &count) in row_counts.iter().enumerate() {
        let ranges = split(count, inner);
        let parts = ranges.len();
        let used = pages.last().map_or(0, Vec::len);
        // Do not start a ticket that would run off this page if a page of its own holds it.
        if used > 0 && parts > per - used && parts <= per {
            pages.push(Vec::new());
        }
        for (part, rows) in ranges.into_iter().enumerate() {
            if pages.last().map_or(0, Vec::len) == per {
                pages.push(Vec::new());
            }
            let page = pages.last_mut().expect("there is always a page");
            let slot = page.len();
            page.push(Part {
                ticket,
                part,
                parts,
                rows,
                cell: cells[slot],
                slot: slot + 1,
            });
        }
    }
    pages
}

/// The page on which ticket `ticket` starts.
pub fn page_of(pages: &[Vec<Part>], ticket: usize) -> Option<usize> {
    pages
        .iter()
        .position(|p| p.iter().any(|c| c.ticket == ticket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_down_each_column_first() {
        let c = cells(Rect::new(0, 0, 56, 22));
        assert_eq!(c.len(), 4);
        assert_eq!((c[0].x, c[0].y), (0, 0));
        assert_eq!((c[1].x, c[1].y), (0, 11));
        assert_eq!((c[2].x, c[2].y), (28, 0));
    }

    #[test]
    fn a_long_ticket_is_split_with_room_for_the_marker_and_nothing_lost() {
        assert_eq!(split(5, 9), vec![0..5]);
        assert_eq!(split(9, 9), vec![0..9]);
        assert_eq!(split(10, 9), vec![0..8, 8..10]);
        assert_eq!(split(20, 9), vec![0..8, 8..16, 16..20]);
        for n in 0..60 {
            let parts = split(n, 9);
            assert_eq!(parts.first().unwrap().start, 0);
            assert_eq!(parts.last().unwrap().end, n);
            for w in parts.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
        }
    }

    #[test]
    fn a_ticket_that_does_not_fit_what_is_left_starts_the_next_page() {
        let c = cells(Rect::new(0, 0, 56, 22)); // 4 slots of 9 rows
                                                // 1 slot, then 2 (fits in 3 left), then 3 (only 1 left: next page).
        let p = pages(&[3, 12, 20], &c);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].iter().map(|x| x.ticket).collect::<Vec<_>>(), [0, 1, 1]);
        assert_eq!(p[1].iter().map(|x| x.ticket).collect::<Vec<_>>(), [2, 2, 2]);
        assert_eq!(p[1][0].slot, 1);
        // Longer than a whole page: it runs on across pages, every part placed.
        let p = pages(&[3, 60], &c);
        let placed: usize = p.iter().flatten().filter(|x| x.ticket == 1).count();
        assert_eq!(placed, split(60, 9).len());
        assert_eq!(page_of(&p, 1), Some(0));
    }
}
