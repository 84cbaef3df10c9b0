//! The read models as plain data, and how one event changes them. Pure: the same code folds a
//! whole log in memory (rebuild) and moves a single order's rows forward (live).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::order::{LineStatus, OrderDecider, OrderKind, OrderStatus, TicketStatus};
use crate::domain::{Decider, Order, OrderEvent};
use crate::store::{RecordedEvent, StoreError};

/// An order as the floor sees it: its state plus when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    #[serde(flatten)]
    pub order: Order,
    pub total_cents: i64,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub updated_at: DateTime<Utc>,
    /// Global position of the order's newest event.
    pub position: i64,
}

/// A line as the kitchen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLine {
    pub line_id: String,
    pub item_id: String,
    pub name: String,
    pub station: String,
    pub quantity: u32,
    pub voided: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A kitchen ticket: one send of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub ticket_id: String,
    pub order_id: String,
    /// 1 for the first send; later sends are add-ons.
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    pub label: String,
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<u32>,
    pub server: String,
    pub status: TicketStatus,
    pub sent_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<DateTime<Utc>>,
    pub lines: Vec<TicketLine>,
    /// Something on it changed after it was sent (a void, a cancellation).
    pub changed: bool,
    /// The order was cancelled: nothing on it should be made.
    pub cancelled: bool,
}

impl TicketView {
    /// Still to be made (on the kitchen screen).
    pub fn is_open(&self) -> bool {
        matches!(self.status, TicketStatus::Queued | TicketStatus::InProgress)
    }
}

/// How much of an item is on orders sent to the kitchen (voids taken off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Popularity {
    pub item_id: String,
    pub name: String,
    pub quantity: i64,
    pub orders: i64,
}

/// A set of read models: the whole of them (rebuild) or the rows one event touches (live).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ReadModels {
    pub orders: HashMap<String, OrderView>,
    pub tickets: HashMap<String, TicketView>,
    /// Changes to popularity; applied as increments so that a partial set can be written back.
    pub popularity: HashMap<String, Popularity>,
}

impl ReadModels {
    /// Applies one recorded event (events of other streams than orders are ignored).
    pub fn apply(&mut self, event: &RecordedEvent) -> Result<(), StoreError> {
        if event.stream_type != "order" {
            return Ok(());
        }
        let order_event = OrderEvent::from_payload(&event.event_type, &event.payload)?;
        self.apply_order_event(event, &order_event);
        Ok(())
    }

    pub fn apply_order_event(&mut self, event: &RecordedEvent, e: &OrderEvent) {
        let at = event.recorded_at;
        let before = self.orders.remove(&event.stream_id);
        let before_order = before.as_ref().map(|v| v.order.clone()).unwrap_or_default();
        let order = OrderDecider::evolve(before_order.clone(), e);
        let view = match before {
            Some(v) => OrderView {
                total_cents: order.total_cents(),
                order,
                updated_at: at,
                position: event.position,
                ..v
            },
            None => OrderView {
                total_cents: order.total_cents(),
                order,
                opened_at: at,
                opened_by: event.metadata.actor.clone(),
                updated_at: at,
                position: event.position,
            },
        };
        self.count_popularity(&before_order, &view.order);
        self.update_tickets(&view, e, at);
        self.orders.insert(event.stream_id.clone(), view);
    }

    fn count_popularity(&mut self, before: &Order, after: &Order) {
        let mut items: Vec<(&str, &str)> = after
            .lines
            .iter()
            .chain(before.lines.iter())
            .map(|l| (l.item_id.as_str(), l.name.as_str()))
            .collect();
        items.sort_unstable();
        items.dedup_by_key(|(id, _)| *id);
        for (item_id, name) in items {
            let was = sent_quantity(before, item_id);
            let is = sent_quantity(after, item_id);
            if was == is {
                continue;
            }
            let p = self
                .popularity
                .entry(item_id.to_string())
                .or_insert_with(|| Popularity {
                    item_id: item_id.to_string(),
                    name: name.to_string(),
                    ..Default::default()
                });
            p.name = name.to_string();
            p.quantity += is - was;
            p.orders += i64::from(is > 0) - i64::from(was > 0);
        }
    }

    fn update_tickets(&mut self, view: &OrderView, e: &OrderEvent, at: DateTime<Utc>) {
        let order = &view.order;
        if order.status == OrderStatus::Closed {
            self.tickets.retain(|_, t| t.order_id != order.order_id);
            return;
        }
        for ticket in &order.tickets {
            let previous = self.tickets.remove(&ticket.ticket_id);
            let lines = order
                .lines
                .iter()
                .filter(|l| l.ticket_id.as_deref() == Some(&ticket.ticket_id))
                .map(|l| TicketLine {
                    line_id: l.line_id.clone(),
                    item_id: l.item_id.clone(),
                    name: l.name.clone(),
                    station: l.station.clone(),
                    quantity: l.quantity,
                    voided: l.voided,
                    note: l.note.clone(),
                })
                .collect();
            let mut t = previous.unwrap_or_else(|| TicketView {
                ticket_id: ticket.ticket_id.clone(),
                order_id: order.order_id.clone(),
                number: ticket.number,
                table: order.table.clone(),
                label: order.label(),
                kind: order.kind,
                covers: order.covers,
                server: view.opened_by.clone(),
                status: ticket.status,
                sent_at: at,
                started_at: None,
                ready_at: None,
                lines: Vec::new(),
                changed: false,
                cancelled: false,
            });
            let touched = match e {
                OrderEvent::ItemVoided(v) => t.lines.iter().any(|l| l.line_id == v.line_id),
                OrderEvent::OrderCancelled(_) => true,
                _ => false,
            };
            if touched && t.is_open() {
                t.changed = true;
            }
            match e {
                OrderEvent::TicketStarted(s) if s.ticket_id == t.ticket_id => {
                    t.started_at = Some(at)
                }
                OrderEvent::TicketMarkedReady(s) if s.ticket_id == t.ticket_id => {
                    t.ready_at = Some(at);
                    t.changed = false;
                }
                OrderEvent::TicketRecalled(s) if s.ticket_id == t.ticket_id => t.ready_at = None,
                _ => {}
            }
            t.status = ticket.status;
            t.lines = lines;
            t.cancelled = order.status == OrderStatus::Cancelled;
            self.tickets.insert(t.ticket_id.clone(), t);
        }
    }
}

/// Units of `item_id` sent to the kitchen and not voided.
fn sent_quantity(order: &Order, item_id: &str) -> i64 {
    order
        .lines
        .iter()
        .filter(|l| l.item_id == item_id && l.status != LineStatus::Pending)
        .map(|l| l.live_quantity() as i64)
        .sum()
}
