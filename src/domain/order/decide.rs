//! `decide`: the rules of an order. Each command is checked against the order's state (and the
//! menu, for items) and either becomes events or is refused with a stable code.

use super::command::{CustomerInput, OrderCommand};
use super::event::*;
use super::state::{LineStatus, Order, OrderKind, OrderStatus, TicketStatus};
use crate::domain::rejection::{codes, Rejection};
use crate::domain::{text, Menu};

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
        } => {
            active(order)?;
            let quantity = text::quantity(*quantity)?;
            let note = text::optional("note", note.as_deref(), text::NOTE_MAX)?;
            let item = menu.item(item_id).ok_or_else(|| {
                Rejection::new(
                    codes::ITEM_NOT_FOUND,
                    format!("there is no menu item {:?}", clip(item_id)),
                )
            })?;
            if !item.available {
                return Err(Rejection::new(
                    codes::ITEM_UNAVAILABLE,
                    format!("{} is 86'd (unavailable) right now", item.name),
                ));
            }
            OrderEvent::ItemAddedToOrder(ItemAddedToOrder {
                order_id: id,
                line_id: super::line_id(order.revision + 1),
                item_id: item.id.clone(),
                name: item.name.clone(),
                station: item.station.clone(),
                price_cents: item.price_cents,
                quantity,
                note,
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
            let line = pending_line(order, line_id)?;
            let quantity = text::quantity(*quantity)?;
            if line.quantity == quantity {
                return Err(Rejection::new(
                    codes::NO_CHANGE,
                    format!("{} is already ×{quantity}", line.name),
                ));
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
        OrderCommand::PlaceOrder => {
            active(order)?;
            let line_ids: Vec<String> = order.pending_lines().map(|l| l.line_id.clone()).collect();
            if line_ids.is_empty() {
                return Err(Rejection::new(
                    codes::NOTHING_TO_SEND,
                    "every line has already gone to the kitchen; add something first",
                ));
            }
            let unavailable = order.unavailable_lines(menu);
            if !unavailable.is_empty() {
                let lines: Vec<String> = unavailable
                    .iter()
                    .map(|l| {
                        let why = if menu.item(&l.item_id).is_some() {
                            "is 86'd (unavailable) right now"
                        } else {
                            "is no longer on the menu"
                        };
                        // Numbered as the waiter sees them (1, 2, 3), with the id for scripts.
                        let number = order
                            .lines
                            .iter()
                            .position(|x| x.line_id == l.line_id)
                            .map_or(0, |i| i + 1);
                        format!("line {number} ({}, id {}) {why}", l.name, l.line_id)
                    })
                    .collect();
                return Err(Rejection::new(
                    codes::ITEM_UNAVAILABLE,
                    format!(
                        "nothing was sent: {}; remove it or wait until it is back",
                        lines.join("; ")
                    ),
                ));
            }
            let number = order.tickets.len() as u32 + 1;
            OrderEvent::OrderPlaced(OrderPlaced {
                ticket_id: super::ticket_id(&id, number),
                order_id: id,
                ticket_number: number,
                line_ids,
            })
        }
        OrderCommand::StartTicket { ticket_id } => {
            active(order)?;
            ticket_in(order, ticket_id, &[TicketStatus::Queued], "start")?;
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
            ticket_in(
                order,
                ticket_id,
                &[TicketStatus::Queued, TicketStatus::InProgress],
                "bump",
            )?;
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

fn open(
    order: &Order,
    order_id: &str,
    table: Option<&str>,
    covers: Option<i64>,
    customer: Option<&CustomerInput>,
) -> Result<Vec<OrderEvent>, Rejection> {
    if order.status != OrderStatus::New {
        return Err(Rejection::new(
            codes::ORDER_ALREADY_EXISTS,
            format!("order {} already exists", clip(order_id)),
        ));
    }
    text::identifier("order id", order_id)
        .map_err(|r| Rejection::new(codes::INVALID_ORDER, r.message))?;
    let table = text::optional("table", table, text::TABLE_MAX)?;
    let customer = match customer {
        None => None,
        Some(c) => {
            let name = text::optional("customer name", c.name.as_deref(), text::NAME_MAX)?;
            let phone = text::optional("phone", c.phone.as_deref(), text::PHONE_MAX)?;
            let address = text::optional("address", c.address.as_deref(), text::ADDRESS_MAX)?;
            match name {
                Some(name) => Some(Customer {
                    name,
                    phone,
                    address,
                }),
                None if phone.is_none() && address.is_none() => None,
                None => {
                    return Err(Rejection::new(
                        codes::INVALID_ORDER,
                        "a takeout or delivery customer needs a name",
                    ))
                }
            }
        }
    };
    let covers = match covers {
        None => None,
        Some(c) if (1..=text::COVERS_MAX as i64).contains(&c) => Some(c as u32),
        Some(c) => {
            return Err(Rejection::new(
                codes::INVALID_COVERS,
                format!("covers must be between 1 and {}, not {c}", text::COVERS_MAX),
            ))
        }
    };
    let kind = match (&table, &customer) {
        (Some(_), _) => OrderKind::DineIn,
        (None, Some(c)) if c.address.is_some() => OrderKind::Delivery,
        (None, Some(_)) => OrderKind::Takeout,
        (None, None) => {
            return Err(Rejection::new(
                codes::INVALID_ORDER,
                "an order needs a table or a customer name",
            ))
        }
    };
    if kind != OrderKind::DineIn && covers.is_some() {
        return Err(Rejection::new(
            codes::INVALID_COVERS,
            "covers are for table orders",
        ));
    }
    Ok(vec![OrderEvent::OrderOpened(OrderOpened {
        order_id: order_id.to_string(),
        kind,
        table,
        covers,
        customer,
    })])
}

fn active(order: &Order) -> Result<(), Rejection> {
    if order.status.is_active() {
        Ok(())
    } else {
        Err(Rejection::new(
            codes::ORDER_NOT_OPEN,
            format!("order {} is {}", order.order_id, order.status.as_str()),
        ))
    }
}

fn no_line(line_id: &str) -> Rejection {
    Rejection::new(
        codes::LINE_NOT_FOUND,
        format!("the order has no line {:?}", clip(line_id)),
    )
}

fn pending_line<'o>(order: &'o Order, line_id: &str) -> Result<&'o super::Line, Rejection> {
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

fn ticket_in(
    order: &Order,
    ticket_id: &str,
    allowed: &[TicketStatus],
    verb: &str,
) -> Result<(), Rejection> {
    let ticket = order.ticket(ticket_id).ok_or_else(|| {
        Rejection::new(
            codes::TICKET_NOT_FOUND,
            format!("there is no ticket {:?}", clip(ticket_id)),
        )
    })?;
    if allowed.contains(&ticket.status) {
        Ok(())
    } else {
        Err(Rejection::new(
            codes::INVALID_TICKET_STATE,
            format!(
                "cannot {verb} ticket {} while it is {}",
                ticket.ticket_id,
                ticket.status.as_str()
            ),
        ))
    }
}

/// Ids typed by people are echoed in messages; keep them short.
fn clip(s: &str) -> String {
    s.chars().take(50).collect()
}
