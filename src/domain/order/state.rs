//! The order's state, as folded from its events, and `evolve`.

use serde::{Deserialize, Serialize};

use super::event::*;
use crate::domain::Menu;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    #[default]
    DineIn,
    Takeout,
    Delivery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// No such order yet (the state before `OrderOpened`).
    #[default]
    New,
    /// Taking items; nothing sent yet.
    Open,
    /// Sent to the kitchen at least once.
    Placed,
    Closed,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::Open => "open",
            OrderStatus::Placed => "placed",
            OrderStatus::Closed => "closed",
            OrderStatus::Cancelled => "cancelled",
        }
    }
    /// Still being worked on (neither paid nor cancelled).
    pub fn is_active(self) -> bool {
        matches!(self, OrderStatus::Open | OrderStatus::Placed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Not sent to the kitchen yet: can still be changed or removed.
    Pending,
    /// On a ticket the kitchen has not started.
    Sent,
    InProgress,
    Ready,
    Served,
    /// All of its quantity was voided.
    Voided,
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Pending => "pending",
            LineStatus::Sent => "sent",
            LineStatus::InProgress => "in_progress",
            LineStatus::Ready => "ready",
            LineStatus::Served => "served",
            LineStatus::Voided => "voided",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Queued,
    InProgress,
    Ready,
    Served,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Queued => "queued",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::Ready => "ready",
            TicketStatus::Served => "served",
        }
    }
    fn line_status(self) -> LineStatus {
        match self {
            TicketStatus::Queued => LineStatus::Sent,
            TicketStatus::InProgress => LineStatus::InProgress,
            TicketStatus::Ready => LineStatus::Ready,
            TicketStatus::Served => LineStatus::Served,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub line_id: String,
    pub item_id: String,
    pub name: String,
    pub station: String,
    pub price_cents: i64,
    /// As ordered; voids do not change it (see `voided`).
    pub quantity: u32,
    #[serde(default)]
    pub voided: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub status: LineStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<String>,
}

impl Line {
    /// The quantity still to be made and charged.
    pub fn live_quantity(&self) -> u32 {
        self.quantity.saturating_sub(self.voided)
    }
    pub fn total_cents(&self) -> i64 {
        self.price_cents * self.live_quantity() as i64
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub ticket_id: String,
    pub number: u32,
    pub line_ids: Vec<String>,
    pub status: TicketStatus,
}

/// An order as its history made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: String,
    pub status: OrderStatus,
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    pub lines: Vec<Line>,
    pub tickets: Vec<Ticket>,
    /// How many events made this state (the stream's revision).
    pub revision: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_cents: Option<i64>,
}

impl Order {
    pub fn line(&self, line_id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.line_id == line_id)
    }
    pub fn ticket(&self, ticket_id: &str) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.ticket_id == ticket_id)
    }
    /// What the order costs now: every line's live quantity at its price.
    pub fn total_cents(&self) -> i64 {
        self.lines.iter().map(Line::total_cents).sum()
    }
    /// What `event` claims that this state (the order just before it) contradicts, for
    /// `brigade verify`: events copy some figures from the state they were decided on (a paid
    /// total), so a state forged while deciding (a doctored snapshot) leaves its trace in them.
    pub fn contradiction(&self, event: &OrderEvent) -> Option<String> {
        match event {
            OrderEvent::OrderClosed(c) if c.total_cents != self.total_cents() => Some(format!(
                "OrderClosed says it was paid {} cents, but its lines come to {} cents",
                c.total_cents,
                self.total_cents()
            )),
            _ => None,
        }
    }
    /// Lines not yet sent to the kitchen.
    pub fn pending_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines
            .iter()
            .filter(|l| l.status == LineStatus::Pending)
    }
    /// The unsent lines that cannot go to the kitchen as the menu stands: their item was
    /// removed from the menu or is 86'd. `PlaceOrder` refuses while any is left
    /// (`ITEM_UNAVAILABLE`); the waiter's screen flags them.
    pub fn unavailable_lines<'a>(&'a self, menu: &Menu) -> Vec<&'a Line> {
        self.pending_lines()
            .filter(|l| !menu.item(&l.item_id).is_some_and(|i| i.available))
            .collect()
    }
    /// A short label for people: the table, or the customer's name.
    pub fn label(&self) -> String {
        match (&self.table, &self.customer) {
            (Some(t), _) => format!("Table {t}"),
            (None, Some(c)) => c.name.clone(),
            (None, None) => self.order_id.clone(),
        }
    }

    fn line_mut(&mut self, line_id: &str) -> Option<&mut Line> {
        self.lines.iter_mut().find(|l| l.line_id == line_id)
    }

    fn set_ticket_status(&mut self, ticket_id: &str, status: TicketStatus) {
        let Some(ticket) = self.tickets.iter_mut().find(|t| t.ticket_id == ticket_id) else {
            return;
        };
        ticket.status = status;
        let line_ids = ticket.line_ids.clone();
        for line in self.lines.iter_mut() {
            if line_ids.contains(&line.line_id) && line.status != LineStatus::Voided {
                line.status = status.line_status();
            }
        }
    }
}

/// Applies one event. Events are facts: evolve never refuses one.
pub fn evolve(mut order: Order, event: &OrderEvent) -> Order {
    order.revision += 1;
    match event {
        OrderEvent::OrderOpened(e) => {
            order.order_id = e.order_id.clone();
            order.status = OrderStatus::Open;
            order.kind = e.kind;
            order.table = e.table.clone();
            order.covers = e.covers;
            order.customer = e.customer.clone();
        }
        OrderEvent::ItemAddedToOrder(e) => order.lines.push(Line {
            line_id: e.line_id.clone(),
            item_id: e.item_id.clone(),
            name: e.name.clone(),
            station: e.station.clone(),
            price_cents: e.price_cents,
            quantity: e.quantity,
            voided: 0,
            note: e.note.clone(),
            status: LineStatus::Pending,
            ticket_id: None,
        }),
        OrderEvent::ItemRemovedFromOrder(e) => order.lines.retain(|l| l.line_id != e.line_id),
        OrderEvent::ItemQuantityChanged(e) => {
            if let Some(l) = order.line_mut(&e.line_id) {
                l.quantity = e.quantity;
            }
        }
        OrderEvent::ItemNoteChanged(e) => {
            if let Some(l) = order.line_mut(&e.line_id) {
                l.note = e.note.clone();
            }
        }
        OrderEvent::OrderPlaced(e) => {
            for id in &e.line_ids {
                if let Some(l) = order.line_mut(id) {
                    l.status = LineStatus::Sent;
                    l.ticket_id = Some(e.ticket_id.clone());
                }
            }
            order.tickets.push(Ticket {
                ticket_id: e.ticket_id.clone(),
                number: e.ticket_number,
                line_ids: e.line_ids.clone(),
                status: TicketStatus::Queued,
            });
            if order.status == OrderStatus::Open {
                order.status = OrderStatus::Placed;
            }
        }
        OrderEvent::TicketStarted(e) => {
            order.set_ticket_status(&e.ticket_id, TicketStatus::InProgress)
        }
        OrderEvent::TicketMarkedReady(e) => {
            order.set_ticket_status(&e.ticket_id, TicketStatus::Ready)
        }
        OrderEvent::TicketRecalled(e) => {
            order.set_ticket_status(&e.ticket_id, TicketStatus::InProgress)
        }
        OrderEvent::TicketServed(e) => order.set_ticket_status(&e.ticket_id, TicketStatus::Served),
        OrderEvent::ItemVoided(e) => {
            if let Some(l) = order.line_mut(&e.line_id) {
                l.voided = l.voided.saturating_add(e.quantity).min(l.quantity);
                if l.voided == l.quantity {
                    l.status = LineStatus::Voided;
                }
            }
        }
        OrderEvent::OrderCancelled(e) => {
            order.status = OrderStatus::Cancelled;
            order.cancel_reason = Some(e.reason.clone());
            for l in order.lines.iter_mut() {
                if l.status != LineStatus::Served {
                    l.voided = l.quantity;
                    l.status = LineStatus::Voided;
                }
            }
        }
        OrderEvent::OrderClosed(e) => {
            order.status = OrderStatus::Closed;
            order.paid_cents = Some(e.total_cents);
        }
    }
    order
}
