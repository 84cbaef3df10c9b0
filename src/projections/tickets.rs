//! How an order event moves the kitchen's tickets: one view per ticket (a station's lines of
//! one course from one send), with its timers, holds, rush, and the changes made after it
//! reached the station.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::models::{OrderView, TicketLine, TicketView};
use crate::domain::modifier::line_allergens;
use crate::domain::order::{Line, OrderStatus, TicketStatus};
use crate::domain::OrderEvent;

/// Moves the tickets `e` is about; `view` is the order after it.
pub fn update(
    tickets: &mut HashMap<String, TicketView>,
    view: &OrderView,
    e: &OrderEvent,
    at: DateTime<Utc>,
    position: i64,
) {
    let order = &view.order;
    if order.status == OrderStatus::Closed {
        for t in &order.tickets {
            tickets.remove(&t.ticket_id);
        }
        return;
    }
    // Only the tickets the event is about change.
    let line_ticket = |line_id: &str| order.line(line_id).and_then(|l| l.ticket_id.clone());
    let named = |id: &str| -> Vec<String> {
        order
            .tickets_named(id)
            .map(|t| t.ticket_id.clone())
            .collect()
    };
    let affected: Vec<String> = match e {
        OrderEvent::OrderPlaced(p) => p.tickets.iter().flat_map(|t| named(&t.ticket_id)).collect(),
        OrderEvent::CourseFired(f) => f.ticket_ids.clone(),
        OrderEvent::TicketStarted(t) => named(&t.ticket_id),
        OrderEvent::TicketMarkedReady(t) => named(&t.ticket_id),
        OrderEvent::TicketRecalled(t) => named(&t.ticket_id),
        OrderEvent::TicketServed(t) => named(&t.ticket_id),
        OrderEvent::ItemVoided(v) => line_ticket(&v.line_id).into_iter().collect(),
        OrderEvent::ItemQuantityChanged(c) => line_ticket(&c.line_id).into_iter().collect(),
        OrderEvent::ItemSeatChanged(c) => line_ticket(&c.line_id).into_iter().collect(),
        OrderEvent::OrderCancelled(_) | OrderEvent::OrderRushed(_) => {
            order.tickets.iter().map(|t| t.ticket_id.clone()).collect()
        }
        _ => Vec::new(),
    };
    // A send after the order's first: its tickets are add-ons.
    let add_on = match e {
        OrderEvent::OrderPlaced(p) => order
            .tickets
            .iter()
            .any(|t| !p.tickets.iter().any(|n| t.is_named(&n.ticket_id))),
        _ => false,
    };
    for ticket in order
        .tickets
        .iter()
        .filter(|t| affected.contains(&t.ticket_id))
    {
        let previous = tickets.remove(&ticket.ticket_id);
        let before = |line_id: &str| {
            previous
                .as_ref()
                .and_then(|p| p.lines.iter().find(|l| l.line_id == line_id))
        };
        let lines: Vec<TicketLine> = order
            .lines
            .iter()
            .filter(|l| l.ticket_id.as_deref() == Some(&ticket.ticket_id))
            .map(|l| {
                let (void_reasons, changes) = before(&l.line_id)
                    .map(|b| (b.void_reasons.clone(), b.changes.clone()))
                    .unwrap_or_default();
                ticket_line(view, l, void_reasons, changes)
            })
            .collect();
        let fired = ticket.status != TicketStatus::Held;
        let mut t = previous.unwrap_or_else(|| TicketView {
            ticket_id: ticket.ticket_id.clone(),
            order_id: order.order_id.clone(),
            number: ticket.number,
            station: ticket.station.clone(),
            course: ticket.course,
            fired_at: fired.then_some(at),
            fired_position: position,
            rush: order.rush,
            add_on,
            table: order.table.clone(),
            label: order.label(),
            kind: order.kind,
            covers: order.covers,
            server: view.opened_by.clone(),
            status: ticket.status,
            sent_at: at,
            started_at: None,
            ready_at: None,
            sent_position: position,
            ready_position: None,
            lines: Vec::new(),
            changed: false,
            cancelled: false,
            cancel_reason: None,
            void: false,
        });
        // A change counts while the station still has the ticket up (held, new or cooking).
        let up = t.is_open() || t.is_held();
        match e {
            OrderEvent::ItemVoided(_)
            | OrderEvent::OrderCancelled(_)
            | OrderEvent::ItemQuantityChanged(_)
            | OrderEvent::ItemSeatChanged(_)
                if up =>
            {
                t.changed = true
            }
            OrderEvent::CourseFired(_) => {
                t.fired_at = Some(at);
                t.fired_position = position;
            }
            OrderEvent::TicketStarted(_) => t.started_at = Some(at),
            OrderEvent::TicketMarkedReady(_) => {
                t.ready_at = Some(at);
                t.ready_position = Some(position);
            }
            OrderEvent::TicketRecalled(_) => {
                t.ready_at = None;
                t.ready_position = None;
            }
            OrderEvent::OrderRushed(_) => t.rush = true,
            _ => {}
        }
        let old = t.lines.clone();
        t.status = ticket.status;
        t.lines = lines;
        note_change(&mut t, &old, e);
        t.cancelled = order.status == OrderStatus::Cancelled;
        t.cancel_reason = if t.cancelled {
            order.cancel_reason.clone()
        } else {
            None
        };
        // Nothing left to make: the ticket leaves the queue by itself (a cancelled order's
        // ticket stays up, marked, until the kitchen clears it).
        t.void =
            !t.cancelled && !t.lines.is_empty() && t.lines.iter().all(|l| l.voided >= l.quantity);
        tickets.insert(t.ticket_id.clone(), t);
    }
}

fn ticket_line(
    view: &OrderView,
    l: &Line,
    void_reasons: Vec<String>,
    changes: Vec<String>,
) -> TicketLine {
    let item = view
        .line_allergens
        .get(&l.line_id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    TicketLine {
        line_id: l.line_id.clone(),
        item_id: l.item_id.clone(),
        name: l.name.clone(),
        station: l.station.clone(),
        quantity: l.quantity,
        voided: l.voided,
        note: l.note.clone(),
        allergens: line_allergens(item, &l.modifiers),
        void_reasons,
        seat: l.seat,
        modifiers: l.modifiers.clone(),
        changes,
    }
}

/// Writes what changed on a line after it reached the station, to be shown highlighted.
fn note_change(t: &mut TicketView, old: &[TicketLine], e: &OrderEvent) {
    let line_id = match e {
        OrderEvent::ItemVoided(v) => &v.line_id,
        OrderEvent::ItemQuantityChanged(c) => &c.line_id,
        OrderEvent::ItemSeatChanged(c) => &c.line_id,
        _ => return,
    };
    let was = old.iter().find(|l| &l.line_id == line_id);
    let Some(line) = t.lines.iter_mut().find(|l| &l.line_id == line_id) else {
        return;
    };
    match (e, was) {
        // A void shows as the line's void reason (and its struck-through quantity).
        (OrderEvent::ItemVoided(v), _) => line.void_reasons.push(v.reason.clone()),
        (OrderEvent::ItemQuantityChanged(_), Some(was)) => {
            line.changes
                .push(format!("×{} → ×{}", was.quantity, line.quantity));
        }
        (OrderEvent::ItemSeatChanged(_), Some(was)) => {
            line.changes.push(format!(
                "seat {} → {}",
                seat_name(was.seat),
                seat_name(line.seat)
            ));
        }
        _ => {}
    }
}

/// How a seat reads on a ticket: its number, or "table" for shared.
pub fn seat_name(seat: u32) -> String {
    if seat == 0 {
        "table".into()
    } else {
        seat.to_string()
    }
}
