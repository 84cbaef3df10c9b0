//! Checks the order's commands share: a ticket in a state, a seat, enough stock.

use super::decide::{clip, LINE_SEAT_MAX};
use super::state::{Order, TicketStatus};
use crate::domain::menu::MenuItem;
use crate::domain::rejection::{codes, Rejection};

pub(super) fn ticket_in(
    order: &Order,
    ticket_id: &str,
    allowed: &[TicketStatus],
    verb: &str,
) -> Result<(), Rejection> {
    let mut named = order.tickets_named(ticket_id).peekable();
    let Some(first) = named.peek().copied() else {
        return Err(Rejection::new(
            codes::TICKET_NOT_FOUND,
            format!("there is no ticket {:?}", clip(ticket_id)),
        ));
    };
    if named.any(|t| allowed.contains(&t.status)) {
        return Ok(());
    }
    let hint = if first.status == TicketStatus::Held {
        "; fire its course first"
    } else {
        ""
    };
    Err(Rejection::new(
        codes::INVALID_TICKET_STATE,
        format!(
            "cannot {verb} ticket {ticket_id} while it is {}{hint}",
            first.status.as_str()
        ),
    ))
}

/// A seat as typed: 0 (shared) to [`LINE_SEAT_MAX`] (`INVALID_SEAT`).
pub(super) fn decide_seat(seat: i64) -> Result<u32, Rejection> {
    if (0..=LINE_SEAT_MAX as i64).contains(&seat) {
        Ok(seat as u32)
    } else {
        Err(Rejection::new(
            codes::INVALID_SEAT,
            format!("a seat is 1 to {LINE_SEAT_MAX}, or 0 for the table, not {seat}"),
        ))
    }
}

/// `ITEM_UNAVAILABLE` when the kitchen counts the item and fewer than `quantity` are left.
pub(super) fn enough_stock(item: &MenuItem, quantity: u32) -> Result<(), Rejection> {
    match item.stock {
        Some(0) => Err(Rejection::new(
            codes::ITEM_UNAVAILABLE,
            format!("{} is 86'd: none left", item.name),
        )),
        Some(left) if left < quantity as i64 => Err(Rejection::new(
            codes::ITEM_UNAVAILABLE,
            format!("only {left} {} left, not {quantity}", item.name),
        )),
        _ => Ok(()),
    }
}
