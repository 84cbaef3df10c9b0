//! The order's state, as folded from its events, and `evolve`.

use serde::{Deserialize, Serialize};

use super::event::*;
use crate::domain::modifier::ChosenModifier;
use crate::domain::Menu;

pub use super::status::{LineStatus, OrderKind, OrderStatus, TicketStatus};

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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<ChosenModifier>,
    /// 0: shared by the table.
    #[serde(default)]
    pub seat: u32,
    /// 0: goes with the send (drinks).
    #[serde(default)]
    pub course: u32,
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
    /// The station that makes its lines.
    #[serde(default)]
    pub station: String,
    #[serde(default)]
    pub course: u32,
    /// A send from before tickets were per station, split into one ticket per station: its
    /// old id, which still names all of them (the old release's ticket events use it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Ticket {
    /// Whether `id` names this ticket: its own id, or the old send it is part of.
    pub fn is_named(&self, id: &str) -> bool {
        self.ticket_id == id || self.group.as_deref() == Some(id)
    }
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
    /// Its tickets go first on every kitchen screen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rush: bool,
    /// The courses fired so far, ascending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fired: Vec<u32>,
}

impl Order {
    pub fn line(&self, line_id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.line_id == line_id)
    }
    pub fn ticket(&self, ticket_id: &str) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.ticket_id == ticket_id)
    }
    /// The tickets `id` names: one, or the parts of an old send.
    pub fn tickets_named<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Ticket> + 'a {
        self.tickets.iter().filter(move |t| t.is_named(id))
    }
    /// The held courses, ascending, each once.
    pub fn held_courses(&self) -> Vec<u32> {
        let mut c: Vec<u32> = self
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Held)
            .map(|t| t.course)
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    }
    /// The course the fire key fires next: the lowest held one.
    pub fn next_course_to_fire(&self) -> Option<u32> {
        self.held_courses().first().copied()
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
        let mut line_ids = Vec::new();
        for ticket in self.tickets.iter_mut().filter(|t| t.is_named(ticket_id)) {
            ticket.status = status;
            line_ids.extend(ticket.line_ids.iter().cloned());
        }
        for line in self.lines.iter_mut() {
            if line_ids.contains(&line.line_id) && line.status != LineStatus::Voided {
                line.status = status.line_status();
            }
        }
    }

    fn mark_fired(&mut self, course: u32) {
        if course > 0 && !self.fired.contains(&course) {
            self.fired.push(course);
            self.fired.sort_unstable();
        }
    }

    /// Files one ticket of a send. A send from before tickets were per station (no station)
    /// becomes one ticket per station among its lines: the old id alone when they share one,
    /// else `ID.1`, `ID.2`… each named by the old id too.
    fn file_ticket(&mut self, placed: &PlacedTicket) {
        let status = if placed.held {
            TicketStatus::Held
        } else {
            TicketStatus::New
        };
        let parts: Vec<(String, Vec<String>)> = match &placed.station {
            Some(station) => vec![(station.clone(), placed.line_ids.clone())],
            None => {
                let mut parts: Vec<(String, Vec<String>)> = Vec::new();
                for id in &placed.line_ids {
                    let station = self.line(id).map_or("kitchen", |l| l.station.as_str());
                    match parts.iter_mut().find(|(s, _)| s == station) {
                        Some((_, ids)) => ids.push(id.clone()),
                        None => parts.push((station.to_string(), vec![id.clone()])),
                    }
                }
                parts
            }
        };
        let split = parts.len() > 1;
        for (k, (station, line_ids)) in parts.into_iter().enumerate() {
            let ticket_id = if split {
                format!("{}.{}", placed.ticket_id, k + 1)
            } else {
                placed.ticket_id.clone()
            };
            for id in &line_ids {
                if let Some(l) = self.line_mut(id) {
                    l.status = status.line_status();
                    l.ticket_id = Some(ticket_id.clone());
                }
            }
            self.tickets.push(Ticket {
                ticket_id,
                number: placed.ticket_number,
                line_ids,
                status,
                station,
                course: placed.course,
                group: split.then(|| placed.ticket_id.clone()),
            });
        }
        if !placed.held {
            self.mark_fired(placed.course);
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
            modifiers: e.modifiers.clone(),
            seat: e.seat,
            course: e.course,
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
        OrderEvent::ItemSeatChanged(e) => {
            if let Some(l) = order.line_mut(&e.line_id) {
                l.seat = e.seat;
            }
        }
        OrderEvent::OrderPlaced(e) => {
            for placed in &e.tickets {
                order.file_ticket(placed);
            }
            if order.status == OrderStatus::Open {
                order.status = OrderStatus::Placed;
            }
        }
        OrderEvent::CourseFired(e) => {
            for id in &e.ticket_ids {
                if order
                    .ticket(id)
                    .is_some_and(|t| t.status == TicketStatus::Held)
                {
                    order.set_ticket_status(id, TicketStatus::New);
                }
            }
            order.mark_fired(e.course);
        }
        OrderEvent::OrderRushed(_) => order.rush = true,
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
