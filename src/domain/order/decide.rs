//! `decide`: the rules of an order. Each command is checked against the order's state (and the
//! menu, for items) and either becomes events or is refused with a stable code.

use super::checks::{decide_seat, enough_stock, ticket_in};
use super::command::OrderCommand;
use super::event::*;
use super::open::open;
use super::send;
use super::state::{LineStatus, Order, OrderStatus, TicketStatus};
use crate::domain::menu::decide_course;
use crate::domain::rejection::{codes, Rejection};
use crate::domain::{modifier, text, Menu};

/// Highest seat number.
pub const LINE_SEAT_MAX: u32 = 99;

pub(super) fn decide(
    order: &Order,
    command: &OrderCommand,
    menu: &Menu,
) -> Result<Vec<OrderEvent>, Rejection> {
    if let OrderCommand::OpenOrder {
        order_id,
        table,
        covers,
        customer,
    } = command
    {
        return open(
            order,
            order_id,
            table.as_deref(),
            *covers,
            customer.as_ref(),
        );
    }
    if order.status == OrderStatus::New {
        return Err(Rejection::new(
            codes::ORDER_NOT_FOUND,
            "there is no such order",
        ));
    }
    let id = order.order_id.clone();
    let event = match command {
        OrderCommand::OpenOrder { .. } => unreachable!("handled above"),
        OrderCommand::AddItem {
            item_id,
            quantity,
            note,
            modifiers,
            seat,
            course,
        } => {
            active(order)?;
            let quantity = text::quantity(*quantity)?;
            let note = text::optional("note", note.as_deref(), text::NOTE_MAX)?;
            let seat = seat.map_or(Ok(0), decide_seat)?;
            let item = menu.item(item_id).ok_or_else(|| {
                Rejection::new(
                    codes::ITEM_NOT_FOUND,
                    format!("there is no menu item {:?}", clip(item_id)),
                )
            })?;
            let course = match course {
                Some(c) => decide_course(*c)?,
                None => menu.default_course(item),
            };
            if !item.available {
                return Err(Rejection::new(
                    codes::ITEM_UNAVAILABLE,
                    format!("{} is 86'd (unavailable) right now", item.name),
                ));
            }
            enough_stock(item, quantity)?;
            let modifiers = modifier::choose(item, modifiers)?;
            let price_cents =
                item.price_cents + modifiers.iter().map(|m| m.price_cents).sum::<i64>();
            OrderEvent::ItemAddedToOrder(ItemAddedToOrder {
                order_id: id,
                line_id: super::line_id(order.revision + 1),
                item_id: item.id.clone(),
                name: item.name.clone(),
                station: item.station.clone(),
                price_cents,
                quantity,
                note,
                modifiers,
                seat,
                course,
            })
        }
        OrderCommand::RemoveItem { line_id } => {
            active(order)?;
            pending_line(order, line_id)?;
            OrderEvent::ItemRemovedFromOrder(ItemRemovedFromOrder {
                order_id: id,
                line_id: line_id.clone(),
            })
        }
        OrderCommand::ChangeItemQuantity { line_id, quantity } => {
            active(order)?;
            // A held course is not being cooked yet: its quantities can still change.
            let line = order.line(line_id).ok_or_else(|| no_line(line_id))?;
            if line.status != LineStatus::Held || line.voided > 0 {
                pending_line(order, line_id)?;
            }
            let quantity = text::quantity(*quantity)?;
            if line.quantity == quantity {
                return Err(Rejection::new(
                    codes::NO_CHANGE,
                    format!("{} is already ×{quantity}", line.name),
                ));
            }
            if quantity > line.quantity {
                if let Some(item) = menu.item(&line.item_id) {
                    enough_stock(item, quantity - line.quantity)?;
                }
            }
            OrderEvent::ItemQuantityChanged(ItemQuantityChanged {
                order_id: id,
                line_id: line_id.clone(),
                quantity,
            })
        }
        OrderCommand::ChangeItemNote { line_id, note } => {
            active(order)?;
            let line = pending_line(order, line_id)?;
            let note = text::optional("note", note.as_deref(), text::NOTE_MAX)?;
            if line.note == note {
                return Err(Rejection::new(
                    codes::NO_CHANGE,
                    "the note is already exactly that",
                ));
            }
            OrderEvent::ItemNoteChanged(ItemNoteChanged {
                order_id: id,
                line_id: line_id.clone(),
                note,
            })
        }
        OrderCommand::ChangeItemSeat { line_id, seat } => {
            active(order)?;
            let line = order.line(line_id).ok_or_else(|| no_line(line_id))?;
            let seat = decide_seat(*seat)?;
            if matches!(line.status, LineStatus::Served | LineStatus::Voided) {
                return Err(Rejection::new(
                    codes::LINE_ALREADY_SENT,
                    format!("{} is {}; its seat stays", line.name, line.status.as_str()),
                ));
            }
            if line.seat == seat {
                return Err(Rejection::new(
                    codes::NO_CHANGE,
                    format!("{} is already for seat {seat}", line.name),
                ));
            }
            OrderEvent::ItemSeatChanged(ItemSeatChanged {
                order_id: id,
                line_id: line_id.clone(),
                seat,
            })
        }
        OrderCommand::PlaceOrder { fire_all } => {
            active(order)?;
            return send::place(order, menu, *fire_all);
        }
        OrderCommand::FireCourse { course } => {
            active(order)?;
            return send::fire(order, *course);
        }
        OrderCommand::RushOrder => {
            active(order)?;
            if order.rush {
                return Err(Rejection::new(
                    codes::NO_CHANGE,
                    format!("{} is already rushed", order.label()),
                ));
            }
            OrderEvent::OrderRushed(OrderRushed { order_id: id })
        }
        OrderCommand::StartTicket { ticket_id } => {
            active(order)?;
            ticket_in(order, ticket_id, &[TicketStatus::New], "start")?;
            OrderEvent::TicketStarted(TicketStarted {
                order_id: id,
                ticket_id: ticket_id.clone(),
            })
        }
        OrderCommand::BumpTicket { ticket_id } => {
            // A cancelled order's tickets may still be bumped: the kitchen clears them off.
            if order.status == OrderStatus::Closed {
                active(order)?;
            }
            // A held ticket of a cancelled order is cleared the same way (it will never fire).
            let clearable: &[TicketStatus] = if order.status == OrderStatus::Cancelled {
                &[
                    TicketStatus::New,
                    TicketStatus::InProgress,
                    TicketStatus::Held,
                ]
            } else {
                &[TicketStatus::New, TicketStatus::InProgress]
            };
            ticket_in(order, ticket_id, clearable, "bump")?;
            OrderEvent::TicketMarkedReady(TicketMarkedReady {
                order_id: id,
                ticket_id: ticket_id.clone(),
            })
        }
        OrderCommand::RecallTicket { ticket_id } => {
            active(order)?;
            ticket_in(order, ticket_id, &[TicketStatus::Ready], "recall")?;
            OrderEvent::TicketRecalled(TicketRecalled {
                order_id: id,
                ticket_id: ticket_id.clone(),
            })
        }
        OrderCommand::ServeTicket { ticket_id } => {
            active(order)?;
            let ids: Vec<String> = match ticket_id {
                Some(t) => {
                    ticket_in(order, t, &[TicketStatus::Ready], "serve")?;
                    vec![t.clone()]
                }
                None => order
                    .tickets
                    .iter()
                    .filter(|t| t.status == TicketStatus::Ready)
                    .map(|t| t.ticket_id.clone())
                    .collect(),
            };
            if ids.is_empty() {
                return Err(Rejection::new(
                    codes::INVALID_TICKET_STATE,
                    "nothing is ready to serve",
                ));
            }
            return Ok(ids
                .into_iter()
                .map(|ticket_id| {
                    OrderEvent::TicketServed(TicketServed {
                        order_id: id.clone(),
                        ticket_id,
                    })
                })
                .collect());
        }
        OrderCommand::VoidItem {
            line_id,
            quantity,
            reason,
        } => {
            active(order)?;
            let line = order.line(line_id).ok_or_else(|| no_line(line_id))?;
            if line.status == LineStatus::Pending {
                return Err(Rejection::new(
                    codes::LINE_NOT_SENT,
                    format!(
                        "{} has not gone to the kitchen; remove it instead of voiding it",
                        line.name
                    ),
                ));
            }
            let live = line.live_quantity();
            if live == 0 {
                return Err(Rejection::new(
                    codes::LINE_ALREADY_VOIDED,
                    format!("{} is already voided", line.name),
                ));
            }
            let quantity = match quantity {
                None => live,
                Some(q) if (1..=live as i64).contains(q) => *q as u32,
                Some(q) => {
                    return Err(Rejection::new(
                        codes::INVALID_QUANTITY,
                        format!("can void 1 to {live} of {}, not {q}", line.name),
                    ))
                }
            };
            let reason = text::required(
                "reason",
                reason.as_deref(),
                text::REASON_MAX,
                codes::REASON_REQUIRED,
            )?;
            OrderEvent::ItemVoided(ItemVoided {
                order_id: id,
                line_id: line_id.clone(),
                quantity,
                reason,
            })
        }
        OrderCommand::CancelOrder { reason } => {
            active(order)?;
            let reason = text::required(
                "reason",
                reason.as_deref(),
                text::REASON_MAX,
                codes::REASON_REQUIRED,
            )?;
            OrderEvent::OrderCancelled(OrderCancelled {
                order_id: id,
                reason,
            })
        }
        OrderCommand::CloseOrder { payment } => {
            active(order)?;
            if order.pending_lines().next().is_some() {
                return Err(Rejection::new(
                    codes::UNSENT_ITEMS,
                    "some lines were never sent to the kitchen: send or remove them first",
                ));
            }
            let waiting = order
                .lines
                .iter()
                .filter(|l| l.live_quantity() > 0 && l.status != LineStatus::Served)
                .count();
            if waiting > 0 {
                return Err(Rejection::new(
                    codes::ITEMS_NOT_SERVED,
                    format!("{waiting} line(s) are not served yet"),
                ));
            }
            if order.lines.iter().all(|l| l.live_quantity() == 0) {
                return Err(Rejection::new(
                    codes::ORDER_EMPTY,
                    "there is nothing to pay for; cancel the order instead",
                ));
            }
            let payment = text::optional("payment", payment.as_deref(), text::NAME_MAX)?;
            OrderEvent::OrderClosed(OrderClosed {
                order_id: id,
                total_cents: order.total_cents(),
                payment,
            })
        }
    };
    Ok(vec![event])
}

pub(super) fn active(order: &Order) -> Result<(), Rejection> {
    if order.status.is_active() {
        Ok(())
    } else {
        Err(Rejection::new(
            codes::ORDER_NOT_OPEN,
            format!("order {} is {}", order.order_id, order.status.as_str()),
        ))
    }
}

pub(super) fn no_line(line_id: &str) -> Rejection {
    Rejection::new(
        codes::LINE_NOT_FOUND,
        format!("the order has no line {:?}", clip(line_id)),
    )
}

pub(super) fn pending_line<'o>(
    order: &'o Order,
    line_id: &str,
) -> Result<&'o super::Line, Rejection> {
    let line = order.line(line_id).ok_or_else(|| no_line(line_id))?;
    if line.status != LineStatus::Pending {
        return Err(Rejection::new(
            codes::LINE_ALREADY_SENT,
            format!(
                "{} has gone to the kitchen; void it with a reason instead",
                line.name
            ),
        ));
    }
    Ok(line)
}

/// Ids typed by people are echoed in messages; keep them short.
pub(super) fn clip(s: &str) -> String {
    s.chars().take(50).collect()
}
