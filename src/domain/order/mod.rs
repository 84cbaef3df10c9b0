//! The order aggregate: a table's (or a takeout customer's) order from opening to payment.
//!
//! Lifecycle: `open` (taking items) → `placed` (sent to the kitchen at least once) → `closed`
//! (paid), or `cancelled` with a reason at any point before payment. Each send turns the lines not
//! yet sent into one kitchen ticket, which moves `queued` → `in_progress` → `ready` → `served`.

mod command;
mod decide;
mod event;
mod state;

pub use command::{CustomerInput, OrderCommand};
pub use event::*;
pub use state::{Line, LineStatus, Order, OrderKind, OrderStatus, Ticket, TicketStatus};

use super::{Decider, Menu, Rejection};

/// The order's decider; decisions about items are checked against the menu passed in.
pub struct OrderDecider;

impl Decider for OrderDecider {
    type State = Order;
    type Command = OrderCommand;
    type Event = OrderEvent;
    type Context<'a> = &'a Menu;

    fn decide(
        state: &Order,
        command: &OrderCommand,
        menu: &Menu,
    ) -> Result<Vec<OrderEvent>, Rejection> {
        decide::decide(state, command, menu)
    }

    fn evolve(state: Order, event: &OrderEvent) -> Order {
        state::evolve(state, event)
    }
}

/// The id of the ticket made by the `number`th send of an order.
pub fn ticket_id(order_id: &str, number: u32) -> String {
    format!("{order_id}-t{number}")
}

/// The order a ticket id belongs to (`o123-t2` → `o123`).
pub fn order_of_ticket(ticket_id: &str) -> Option<&str> {
    let (order, n) = ticket_id.rsplit_once("-t")?;
    (!order.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(order)
}

/// The id a line gets: the revision of the event that added it, so ids are unique within an order,
/// stable and derivable from the history alone.
pub fn line_id(revision: u64) -> String {
    format!("l{revision}")
}
