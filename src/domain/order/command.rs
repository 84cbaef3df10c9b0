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
    /// Add an item with its chosen modifier options (by option id), for a seat (0: shared) and
    /// a course (absent: the item's category's).
    AddItem {
        item_id: String,
        quantity: i64,
        note: Option<String>,
        modifiers: Vec<String>,
        seat: Option<i64>,
        course: Option<i64>,
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
    /// Move a line to another seat (before or after it was sent).
    ChangeItemSeat {
        line_id: String,
        seat: i64,
    },
    /// Send every line not yet sent: one ticket per station and course. The lowest course not
    /// yet fired fires now and later ones wait, held; `fire_all` fires everything (takeout).
    PlaceOrder {
        fire_all: bool,
    },
    /// Fire the next held course, or the one named.
    FireCourse {
        course: Option<i64>,
    },
    /// The order's tickets go first on every kitchen screen.
    RushOrder,
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
            OrderCommand::ChangeItemSeat { .. } => "ChangeItemSeat",
            OrderCommand::PlaceOrder { .. } => "PlaceOrder",
            OrderCommand::FireCourse { .. } => "FireCourse",
            OrderCommand::RushOrder => "RushOrder",
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
