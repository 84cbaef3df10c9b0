//! Everything that can happen to an order: the event contract. Payload fields are snake_case;
//! the seed's four events (`OrderOpened`, `ItemAddedToOrder`, `ItemRemovedFromOrder`,
//! `OrderPlaced`) keep their meaning. A field may be added with a default; anything else is a new
//! schema version with an upcaster (see `store::upcast`).

use serde::{Deserialize, Serialize};

use super::state::OrderKind;
use crate::domain::modifier::ChosenModifier;

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

/// An item was added: name, station, price and the chosen modifiers are copied from the menu at
/// that moment, so the order keeps the price it was sold at whatever the menu says later.
/// `price_cents` is one unit's: the item's price plus its options'. Schema v3 added
/// `modifiers`, `seat` (0: shared) and `course` (0: goes with the send).
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<ChosenModifier>,
    #[serde(default)]
    pub seat: u32,
    #[serde(default)]
    pub course: u32,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSeatChanged {
    pub order_id: String,
    pub line_id: String,
    pub seat: u32,
}

/// Sent to the kitchen: the unsent lines became tickets, one per station and course. Schema v2;
/// v1 (one ticket for the whole send) is upcast to a single ticket without a station, which
/// the order reads as one ticket per station (see `state::evolve`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPlaced {
    pub order_id: String,
    pub tickets: Vec<PlacedTicket>,
}

/// One ticket of a send: the lines of one station and course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedTicket {
    pub ticket_id: String,
    pub ticket_number: u32,
    /// `None` only for sends recorded before tickets were per station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
    #[serde(default)]
    pub course: u32,
    pub line_ids: Vec<String>,
    /// A later course: the kitchen sees it but does not cook it until it is fired.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
}

/// A held course was fired: its tickets are to be cooked now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFired {
    pub order_id: String,
    pub course: u32,
    pub ticket_ids: Vec<String>,
}

/// The order's tickets go first on every kitchen screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRushed {
    pub order_id: String,
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
        ItemSeatChanged,
        OrderPlaced,
        CourseFired,
        OrderRushed,
        TicketStarted,
        TicketMarkedReady,
        TicketRecalled,
        TicketServed,
        ItemVoided,
        OrderCancelled,
        OrderClosed,
    }
}
