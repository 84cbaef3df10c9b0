//! The all-day panel: every item still to make across the tickets on screen, most first. When
//! the list is longer than the panel, the last row says how many items (and portions) did not
//! fit (they are on the tickets themselves): the panel never drops an item silently.

use std::collections::BTreeMap;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::display::{clip, safe};
use crate::projections::TicketView;
use crate::tui::app::App;

/// Items still to make, `(name, portions)`, most first, ties by name. Held courses are not
/// counted: they are not to be cooked yet.
pub fn counts(tickets: &[TicketView]) -> Vec<(String, u32)> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for ticket in tickets.iter().filter(|t| !t.is_held()) {
        for l in &ticket.lines {
            let live = l.quantity.saturating_sub(l.voided);
            if live > 0 {
                *counts.entry(l.name.clone()).or_default() += live;
            }
        }
    }
    let mut rows: Vec<(String, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

/// The panel's text rows for `height` rows of `width` columns: every item when they fit, else
/// as many as fit less one, and a last row counting the rest.
pub fn rows(items: &[(String, u32)], width: usize, height: usize) -> Vec<String> {
    let w = width.saturating_sub(4);
    let row = |(name, n): &(String, u32)| format!("{n:>3} {}", clip(&safe(name), w));
    if items.len() <= height {
        return items.iter().map(row).collect();
    }
    let shown = height.saturating_sub(1);
    let (rest_items, rest_portions) = items[shown..]
        .iter()
        .fold((0, 0), |(i, p), (_, n)| (i + 1, p + n));
    let mut out: Vec<String> = items[..shown].iter().map(row).collect();
    out.push(clip(
        &format!(" +{rest_items} more ({rest_portions} to make)"),
        width,
    ));
    out
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, tickets: &[TicketView]) {
    let t = &app.theme;
    let items = counts(tickets);
    let inner_w = area.width.saturating_sub(2) as usize;
    let inner_h = area.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = rows(&items, inner_w, inner_h)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            if items.len() > inner_h && i + 1 == inner_h {
                Line::styled(r, t.warn())
            } else {
                Line::from(r)
            }
        })
        .collect();
    let title = match &app.kitchen.station {
        Some(s) => format!(" All day · {} ", clip(&safe(s), 10)),
        None => " All day ".to_string(),
    };
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(t.dim())
                .title(Span::styled(title, t.title())),
        ),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: u32) -> Vec<(String, u32)> {
        (1..=n).map(|i| (format!("Dish {i:02}"), i)).collect()
    }

    #[test]
    fn every_item_shows_when_they_fit() {
        let rows = rows(&items(5), 22, 5);
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|r| !r.contains("more")));
    }

    #[test]
    fn what_does_not_fit_is_counted_on_the_last_row() {
        let all = items(24);
        let rows = rows(&all, 22, 20);
        assert_eq!(rows.len(), 20);
        // 19 shown, 5 counted: items 20..=24 with 20+21+22+23+24 portions.
        assert_eq!(rows[19], " +5 more (110 to make)", "{rows:?}");
        assert!(rows[..19].iter().all(|r| !r.contains("more")));
    }
}
