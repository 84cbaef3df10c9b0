//! The expeditor's screen (`--station expo`, or `f` to it): every order with fired tickets, its
//! tickets from every station together, each with a done mark; an order whose every fired
//! ticket is ready turns green, and bumping it here serves it. Laid out as cards like the
//! stations' (one card an order), so nothing is cut: a long order continues.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::card::{wrap, Row, RowKind};
use crate::display::{age, safe};
use crate::domain::order::TicketStatus;
use crate::projections::TicketView;
use crate::tui::app::App;

/// The station name that shows the expeditor's screen.
pub const EXPO: &str = crate::domain::menu::EXPO_STATION;

pub fn is_expo(app: &App) -> bool {
    app.kitchen.station.as_deref() == Some(EXPO)
}

/// The fired tickets by order, orders in queue order (rushed first, then by firing).
pub fn groups(app: &App) -> Vec<Vec<TicketView>> {
    let mut order: Vec<String> = Vec::new();
    let mut by_order: BTreeMap<String, Vec<TicketView>> = BTreeMap::new();
    for t in &app.data.expo {
        if !by_order.contains_key(&t.order_id) {
            order.push(t.order_id.clone());
        }
        by_order
            .entry(t.order_id.clone())
            .or_default()
            .push(t.clone());
    }
    order
        .into_iter()
        .filter_map(|id| by_order.remove(&id))
        .collect()
}

/// One ticket standing for each order (its first): what the board lays out and picks.
pub fn representatives(app: &App) -> Vec<TicketView> {
    groups(app).into_iter().map(|mut g| g.remove(0)).collect()
}

/// The tickets of `order_id` on the expeditor's screen.
pub fn group_of(app: &App, order_id: &str) -> Vec<TicketView> {
    app.data
        .expo
        .iter()
        .filter(|t| t.order_id == order_id)
        .cloned()
        .collect()
}

/// Every station has bumped its ticket.
pub fn done(group: &[TicketView]) -> bool {
    !group.is_empty() && group.iter().all(|t| t.status == TicketStatus::Ready)
}

/// The stations still cooking (or not started) for an order, each once.
pub fn waiting(group: &[TicketView]) -> Vec<String> {
    let mut w: Vec<String> = group
        .iter()
        .filter(|t| t.status != TicketStatus::Ready)
        .map(|t| t.station.clone())
        .collect();
    w.dedup();
    w
}

fn mark(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::Ready => "✓",
        TicketStatus::InProgress => "…",
        _ => "○",
    }
}

/// An order's card: a header (ready count, RUSH, age of its first firing), then each station's
/// ticket with its done mark and its lines, seats and options, every text in full.
pub fn rows(group: &[TicketView], max: usize, now: DateTime<Utc>) -> Vec<Row> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut push = |text: String, kind| out.push(Row { text, kind });
    let ready = group
        .iter()
        .filter(|t| t.status == TicketStatus::Ready)
        .count();
    let mut head = if done(group) {
        "ALL READY".to_string()
    } else {
        format!("{ready}/{} ready", group.len())
    };
    if group.iter().any(|t| t.rush) {
        head.push_str(" RUSH");
    }
    for r in wrap(&head, "", "", max) {
        push(r, RowKind::Header);
    }
    for t in group {
        let mut title = format!("{} {}", mark(t.status), safe(&t.station));
        if t.course > 0 {
            title.push_str(&format!(" C{}", t.course));
        }
        if let Some(f) = t.fired_at {
            title.push_str(&format!(" {}", age((now - f).num_seconds())));
        }
        for r in wrap(&title, "", "  ", max) {
            push(r, RowKind::Divider);
        }
        for l in &t.lines {
            let live = l.quantity.saturating_sub(l.voided);
            let mut text = format!("{live} {}", safe(&l.name));
            if l.seat > 0 {
                text.push_str(&format!(" · seat {}", l.seat));
            }
            let kind = if live == 0 {
                RowKind::Void
            } else {
                RowKind::Item
            };
            for r in wrap(&text, "  ", "    ", max) {
                push(r, kind);
            }
            for m in &l.modifiers {
                for r in wrap(&safe(&m.name), "     + ", "       ", max) {
                    push(r, RowKind::Modifier);
                }
            }
        }
    }
    out
}
