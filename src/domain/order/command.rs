//! What people ask of an order. Inputs are as loose as people type them (quantities as signed
//! integers, optional text); the decider validates them.

/// A takeout or delivery customer, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum OrderCommand {
    /// Open an order for a table (with covers) or for a takeout/delivery customer.
    OpenOrder {
        order_id: String,
        table: Option<String>,
        covers: Option<i64>,
        customer: Option<CustomerInput>,
    },
    AddItem {
        item_id: String,
        quantity: i64,
        note: Option<String>,
    },
    RemoveItem {
        line_id: String,
    },
    ChangeItemQuantity {
        line_id: String,
        quantity: i64,
    },
    ChangeItemNote {
        line_id: String,
        note: Option<String>,
    },
    /// Send every line not yet sent to the kitchen as one ticket.
    PlaceOrder,
    StartTicket {
        ticket_id: String,
    },
    /// The kitchen marks a ticket ready.
    BumpTicket {
        ticket_id: String,
    },
    RecallTicket {
        ticket_id: String,
    },
    /// The waiter has served a ready ticket; without an id, every ready ticket.
    ServeTicket {
        ticket_id: Option<String>,
    },
    /// Void all (or `quantity`) of a line already sent to the kitchen.
    VoidItem {
        line_id: String,
        quantity: Option<i64>,
        reason: Option<String>,
    },
    CancelOrder {
        reason: Option<String>,
    },
    /// Paid: only once nothing is left unserved.
    CloseOrder {
        payment: Option<String>,
    },
}

impl OrderCommand {
    /// The command's name as it appears in `brigade exec` input.
    pub fn name(&self) -> &'static str {
        match self {
            OrderCommand::OpenOrder { .. } => "OpenOrder",
            OrderCommand::AddItem { .. } => "AddItem",
            OrderCommand::RemoveItem { .. } => "RemoveItem",
            OrderCommand::ChangeItemQuantity { .. } => "ChangeItemQuantity",
            OrderCommand::ChangeItemNote { .. } => "ChangeItemNote",
            OrderCommand::PlaceOrder => "PlaceOrder",
            OrderCommand::StartTicket { .. } => "StartTicket",
            OrderCommand::BumpTicket { .. } => "BumpTicket",
            OrderCommand::RecallTicket { .. } => "RecallTicket",
            OrderCommand::ServeTicket { .. } => "ServeTicket",
            OrderCommand::VoidItem { .. } => "VoidItem",
            OrderCommand::CancelOrder { .. } => "CancelOrder",
            OrderCommand::CloseOrder { .. } => "CloseOrder",
        }
    }
}
