//! The order aggregate: a table's (or a takeout customer's) order from opening to payment.
//!
//! Lifecycle: `open` (taking items) → `placed` (sent to the kitchen at least once) → `closed`
//! (paid), or `cancelled` with a reason at any point before payment. Each send turns the lines not
//! yet sent into one kitchen ticket per station and course; a ticket of a later course waits
//! `held` until the course is fired, then moves `new` → `in_progress` → `ready` → `served`.

mod checks;
mod command;
mod decide;
mod event;
mod open;
mod send;
mod state;
mod status;

pub use command::{CustomerInput, OrderCommand};
pub use decide::LINE_SEAT_MAX;
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

/// The order a ticket id belongs to (`o123-t2` → `o123`; `o123-t1.2`, a part of a send from
/// before tickets were per station, → `o123`).
pub fn order_of_ticket(ticket_id: &str) -> Option<&str> {
    let (order, n) = ticket_id.rsplit_once("-t")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let number = match n.split_once('.') {
        Some((n, part)) => digits(n) && digits(part),
        None => digits(n),
    };
    (!order.is_empty() && number).then_some(order)
}

/// The id a line gets: the revision of the event that added it, so ids are unique within an order,
/// stable and derivable from the history alone.
pub fn line_id(revision: u64) -> String {
    format!("l{revision}")
}
