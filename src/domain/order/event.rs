//! Everything that can happen to an order: the event contract. Payload fields are snake_case;
//! the seed's four events (`OrderOpened`, `ItemAddedToOrder`, `ItemRemovedFromOrder`,
//! `OrderPlaced`) keep their meaning. A field may be added with a default; anything else is a new
//! schema version with an upcaster (see `store::upcast`).

use serde::{Deserialize, Serialize};

use super::state::OrderKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderOpened {
    pub order_id: String,
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
}

/// An item was added: name, station and price are copied from the menu at that moment, so the
/// order keeps the price it was sold at whatever the menu says later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAddedToOrder {
    pub order_id: String,
    pub line_id: String,
    pub item_id: String,
    pub name: String,
    pub station: String,
    pub price_cents: i64,
    pub quantity: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRemovedFromOrder {
    pub order_id: String,
    pub line_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemQuantityChanged {
    pub order_id: String,
    pub line_id: String,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemNoteChanged {
    pub order_id: String,
    pub line_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Sent to the kitchen: the listed lines became ticket `ticket_id`, the order's `ticket_number`th.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub order_id: String,
    pub ticket_id: String,
    pub ticket_number: u32,
    pub line_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketStarted {
    pub order_id: String,
    pub ticket_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMarkedReady {
    pub order_id: String,
    pub ticket_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRecalled {
    pub order_id: String,
    pub ticket_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketServed {
    pub order_id: String,
    pub ticket_id: String,
}

/// A compensating event: `quantity` of a sent line will not be made (or charged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVoided {
    pub order_id: String,
    pub line_id: String,
    pub quantity: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCancelled {
    pub order_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderClosed {
    pub order_id: String,
    pub total_cents: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<String>,
}

crate::event_enum! {
    /// Everything that can happen to an order.
    pub enum OrderEvent {
        OrderOpened,
        ItemAddedToOrder,
        ItemRemovedFromOrder,
        ItemQuantityChanged,
        ItemNoteChanged,
        OrderPlaced,
        TicketStarted,
        TicketMarkedReady,
        TicketRecalled,
        TicketServed,
        ItemVoided,
        OrderCancelled,
        OrderClosed,
    }
}
