//! The counted items' stock: how many portions the kitchen set, and how many were ordered
//! since. A line counts its item down when it is added; removing it, lowering its quantity, or
//! voiding it before the kitchen started it counts back up. A new count starts afresh: lines
//! counted against an older count no longer move it.
//!
//! The menu's stream holds the count as set; this read model holds what was ordered since, and
//! the application takes one from the other before deciding (see `Menu::with_stock_used`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::models::OrderView;
use crate::domain::order::LineStatus;
use crate::domain::{MenuEvent, OrderEvent};

/// One counted item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockView {
    pub item_id: String,
    /// Portions as last set.
    pub count: u32,
    /// Portions ordered since (never below 0).
    pub used: i64,
    /// Log position of the count: lines counted against it carry it.
    pub since: i64,
}

impl StockView {
    /// Portions left now.
    pub fn left(&self) -> i64 {
        (self.count as i64 - self.used).max(0)
    }
}

/// What one line took off a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub item_id: String,
    pub since: i64,
    pub quantity: u32,
}

/// Follows a menu event: a count set starts afresh; an item no longer counted (or removed) is
/// dropped.
pub fn follow_menu(stock: &mut HashMap<String, StockView>, e: &MenuEvent, position: i64) {
    match e {
        MenuEvent::ItemStockSet(s) => match s.count {
            Some(count) => {
                stock.insert(
                    s.item_id.clone(),
                    StockView {
                        item_id: s.item_id.clone(),
                        count,
                        used: 0,
                        since: position,
                    },
                );
            }
            None => {
                stock.remove(&s.item_id);
            }
        },
        MenuEvent::MenuItemRemoved(r) => {
            stock.remove(&r.item_id);
        }
        _ => {}
    }
}

/// Follows an order event, before it is folded into `view` (the order as it was).
pub fn follow_order(stock: &mut HashMap<String, StockView>, view: &mut OrderView, e: &OrderEvent) {
    // Sets what `line_id` takes off its count to `quantity`, when it counts against the
    // item's current count.
    let mut recount = |view: &mut OrderView, line_id: &str, quantity: u32| {
        let Some(c) = view.counted.get_mut(line_id) else {
            return;
        };
        if let Some(s) = stock.get_mut(&c.item_id).filter(|s| s.since == c.since) {
            s.used = (s.used + quantity as i64 - c.quantity as i64).max(0);
        }
        c.quantity = quantity;
        if quantity == 0 {
            view.counted.remove(line_id);
        }
    };
    // Before the kitchen started it, a line can still go back on the shelf.
    let uncooked = |status: LineStatus| {
        matches!(
            status,
            LineStatus::Pending | LineStatus::Held | LineStatus::Sent
        )
    };
    match e {
        OrderEvent::ItemAddedToOrder(a) => {
            if let Some(s) = stock.get_mut(&a.item_id) {
                s.used += a.quantity as i64;
                view.counted.insert(
                    a.line_id.clone(),
                    Counted {
                        item_id: a.item_id.clone(),
                        since: s.since,
                        quantity: a.quantity,
                    },
                );
            }
        }
        OrderEvent::ItemQuantityChanged(c) => recount(view, &c.line_id, c.quantity),
        OrderEvent::ItemRemovedFromOrder(r) => recount(view, &r.line_id, 0),
        OrderEvent::ItemVoided(v) => {
            let line = view.order.line(&v.line_id).map(|l| l.status);
            let counted = view.counted.get(&v.line_id).map(|c| c.quantity);
            if let (Some(status), Some(q)) = (line, counted) {
                if uncooked(status) {
                    recount(view, &v.line_id, q.saturating_sub(v.quantity));
                }
            }
        }
        OrderEvent::OrderCancelled(_) => {
            let back: Vec<(String, u32)> = view
                .order
                .lines
                .iter()
                .filter(|l| uncooked(l.status) && view.counted.contains_key(&l.line_id))
                .map(|l| {
                    let q = view.counted[&l.line_id].quantity;
                    (l.line_id.clone(), q.saturating_sub(l.live_quantity()))
                })
                .collect();
            for (line_id, q) in back {
                recount(view, &line_id, q);
            }
        }
        _ => {}
    }
}

/// A counted item that `after` takes below nothing where `before` did not (its id).
pub fn oversold(
    before: &HashMap<String, StockView>,
    after: &HashMap<String, StockView>,
) -> Option<String> {
    after
        .values()
        .find(|s| {
            s.used > s.count as i64
                && before
                    .get(&s.item_id)
                    .is_some_and(|b| b.since == s.since && b.used < s.used)
        })
        .map(|s| s.item_id.clone())
}
