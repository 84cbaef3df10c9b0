//! The statuses of an order, its lines and its tickets, with their stable names.

use serde::{Deserialize, Serialize};

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
    /// Sent with a later course that has not been fired: the kitchen sees it, does not cook it.
    Held,
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
            LineStatus::Held => "held",
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
    /// A later course, waiting to be fired.
    Held,
    /// To be cooked, not started (written `queued` before tickets could be held).
    #[serde(alias = "queued")]
    New,
    InProgress,
    Ready,
    Served,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Held => "held",
            TicketStatus::New => "new",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::Ready => "ready",
            TicketStatus::Served => "served",
        }
    }
    pub(super) fn line_status(self) -> LineStatus {
        match self {
            TicketStatus::Held => LineStatus::Held,
            TicketStatus::New => LineStatus::Sent,
            TicketStatus::InProgress => LineStatus::InProgress,
            TicketStatus::Ready => LineStatus::Ready,
            TicketStatus::Served => LineStatus::Served,
        }
    }
}
