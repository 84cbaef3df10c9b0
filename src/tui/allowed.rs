//! What the screens may offer, asked of the domain: each question is a dry run of
//! [`OrderDecider::decide`] on the order as last read (pure and cheap: no I/O, nothing kept),
//! so the rules of an order live once, in `src/domain`, and a key is offered exactly when the
//! command it sends would be accepted.
//!
//! Commands that need text people type (a void's or a cancellation's reason) are tried with a
//! placeholder: the question is whether the order allows them at all, the text is checked when
//! the real command is decided.

use crate::domain::order::{Line, Order, OrderCommand, OrderDecider};
use crate::domain::rejection::codes;
use crate::domain::{Decider, Menu, MenuItem, Rejection};

/// Stands for text the person will type (a reason), in a dry run.
const SOME_TEXT: &str = "?";

/// The domain's answer to `command` on `order`, with nothing written.
pub fn check(order: &Order, command: &OrderCommand, menu: &Menu) -> Result<(), Rejection> {
    OrderDecider::decide(order, command, menu).map(|_| ())
}

fn ok(order: &Order, command: OrderCommand, menu: &Menu) -> bool {
    check(order, &command, menu).is_ok()
}

/// Adding `item` (the highlighted one, if any) is offered: the order takes items. An item the
/// domain refuses on its own account (86'd, gone) is still offered, and pressing the key shows
/// that refusal; with no item at hand, any item of the menu stands for it.
pub fn add_item(order: &Order, item: Option<&MenuItem>, menu: &Menu) -> bool {
    let item_id = match item.or_else(|| menu.items.iter().find(|i| i.available)) {
        Some(i) => i.id.clone(),
        None => return false,
    };
    let add = OrderCommand::AddItem {
        item_id,
        quantity: 1,
        note: None,
        modifiers: Vec::new(),
        seat: None,
        course: None,
    };
    match check(order, &add, menu) {
        Ok(()) => true,
        // The add dialog asks for a required choice; the refusal of an 86'd or gone item is
        // shown when the key is pressed.
        Err(r) => [
            codes::ITEM_UNAVAILABLE,
            codes::ITEM_NOT_FOUND,
            codes::MODIFIER_REQUIRED,
        ]
        .contains(&r.code),
    }
}

/// One more of `line`.
pub fn more(order: &Order, line: &Line, menu: &Menu) -> bool {
    let more = OrderCommand::ChangeItemQuantity {
        line_id: line.line_id.clone(),
        quantity: line.quantity as i64 + 1,
    };
    ok(order, more, menu)
}

/// One fewer of `line`: offered while the line can change; at one, the domain refuses a
/// quantity of nought and the key says to remove the line instead (see [`less_refusal`]).
pub fn less(order: &Order, line: &Line, menu: &Menu) -> bool {
    ok(order, less_command(line), menu) || remove(order, line, menu)
}

fn less_command(line: &Line) -> OrderCommand {
    OrderCommand::ChangeItemQuantity {
        line_id: line.line_id.clone(),
        quantity: line.quantity as i64 - 1,
    }
}

/// Why one fewer of `line` is refused, if it is.
pub fn less_refusal(order: &Order, line: &Line, menu: &Menu) -> Option<Rejection> {
    check(order, &less_command(line), menu).err()
}

/// Some other note on `line` would be taken.
pub fn note(order: &Order, line: &Line, menu: &Menu) -> bool {
    let other = match line.note {
        Some(_) => None,
        None => Some(SOME_TEXT.to_string()),
    };
    let note = OrderCommand::ChangeItemNote {
        line_id: line.line_id.clone(),
        note: other,
    };
    ok(order, note, menu)
}

pub fn remove(order: &Order, line: &Line, menu: &Menu) -> bool {
    let remove = OrderCommand::RemoveItem {
        line_id: line.line_id.clone(),
    };
    ok(order, remove, menu)
}

/// Voiding `line` (all of it, with a reason to be typed).
pub fn void(order: &Order, line: &Line, menu: &Menu) -> bool {
    let void = OrderCommand::VoidItem {
        line_id: line.line_id.clone(),
        quantity: None,
        reason: Some(SOME_TEXT.to_string()),
    };
    ok(order, void, menu)
}

/// Sending is offered when the domain would send, and also when it refuses only because a line's
/// item is 86'd or gone: the key then shows that refusal (the lines are flagged on screen).
pub fn send(order: &Order, menu: &Menu) -> bool {
    match check(order, &OrderCommand::PlaceOrder { fire_all: false }, menu) {
        Ok(()) => true,
        Err(r) => r.code == codes::ITEM_UNAVAILABLE,
    }
}

/// Moving `line` to another seat (the seat is typed afterwards).
pub fn seat(order: &Order, line: &Line, menu: &Menu) -> bool {
    let other = if line.seat == 1 { 2 } else { 1 };
    let seat = OrderCommand::ChangeItemSeat {
        line_id: line.line_id.clone(),
        seat: other,
    };
    ok(order, seat, menu)
}

/// Firing the next held course.
pub fn fire(order: &Order, menu: &Menu) -> bool {
    ok(order, OrderCommand::FireCourse { course: None }, menu)
}

/// Rushing the order.
pub fn rush(order: &Order, menu: &Menu) -> bool {
    ok(order, OrderCommand::RushOrder, menu)
}

/// Every ready ticket served.
pub fn serve(order: &Order, menu: &Menu) -> bool {
    ok(order, OrderCommand::ServeTicket { ticket_id: None }, menu)
}

/// Closing and paying (the payment is typed afterwards; none is allowed too).
pub fn pay(order: &Order, menu: &Menu) -> bool {
    ok(order, OrderCommand::CloseOrder { payment: None }, menu)
}

/// Cancelling (with a reason to be typed).
pub fn cancel(order: &Order, menu: &Menu) -> bool {
    let cancel = OrderCommand::CancelOrder {
        reason: Some(SOME_TEXT.to_string()),
    };
    ok(order, cancel, menu)
}

/// The kitchen starting ticket `ticket_id` of `order`.
pub fn start_ticket(order: &Order, ticket_id: &str, menu: &Menu) -> bool {
    let start = OrderCommand::StartTicket {
        ticket_id: ticket_id.to_string(),
    };
    ok(order, start, menu)
}

/// The kitchen bumping (or, for a cancelled order, clearing) ticket `ticket_id` of `order`.
pub fn bump_ticket(order: &Order, ticket_id: &str, menu: &Menu) -> bool {
    let bump = OrderCommand::BumpTicket {
        ticket_id: ticket_id.to_string(),
    };
    ok(order, bump, menu)
}

/// A menu command the kitchen's 86 pane offers (a dry run of the menu's decide).
pub fn menu(menu: &Menu, command: &crate::domain::MenuCommand) -> bool {
    use crate::domain::Decider;
    crate::domain::menu::MenuDecider::decide(menu, command, ()).is_ok()
}
