//! What the waiter's commands do: each [`Act`] sends a command to the core or opens the dialog
//! that asks for what it needs.

use super::AddDialog;
use super::{menu_items, selected_line, selected_order, Act, Pane};
use crate::app::request::Request;
use crate::display::{money, safe};
use crate::domain::rejection::codes;
use crate::domain::OrderCommand;
use crate::tui::allowed::{self, check};
use crate::tui::app::{App, Modal};
use crate::tui::effect::{Effect, Then};
use crate::tui::form::{Form, FormKind};

pub(super) fn request(order_id: &str, command: OrderCommand) -> Request {
    Request::order(order_id, command).with_command_id(crate::app::context::new_uuid())
}

/// Opens the add dialog for `item` on order `order_id`.
fn open_add_dialog(app: &mut App, order_id: &str, item: &crate::domain::MenuItem) {
    let dialog = AddDialog::new(order_id, item, &app.data.menu);
    app.modal = Some(Modal::Add(Box::new(dialog)));
}

/// Adds a line (from Enter, or the add dialog).
pub fn add(app: &mut App, order_id: &str, command: OrderCommand, fx: &mut Vec<Effect>) {
    add_line(app, order_id, command, fx);
}

fn add_line(app: &mut App, order_id: &str, command: OrderCommand, fx: &mut Vec<Effect>) {
    let name = match &command {
        OrderCommand::AddItem { item_id, .. } => app
            .data
            .menu
            .item(item_id)
            .map_or_else(|| item_id.clone(), |i| i.name.clone()),
        _ => String::new(),
    };
    app.execute(
        fx,
        request(order_id, command),
        Then::Info(format!("Added {}", safe(&name))),
    );
}

pub fn perform(app: &mut App, act: Act, fx: &mut Vec<Effect>) {
    let order = selected_order(app).map(|o| o.order.clone());
    let line = selected_line(app).cloned();
    let oid = order
        .as_ref()
        .map(|o| o.order_id.clone())
        .unwrap_or_default();
    match act {
        Act::NewOrder => app.open_form(
            Form::new(FormKind::NewOrder, "New order")
                .field("Table (leave empty for takeout)", "", 16)
                .field("Covers", "", 2)
                .field("Takeout: customer name", "", 80),
        ),
        Act::Filter => {
            if app.waiter.pane != Pane::Menu {
                app.waiter.menu_armed = false;
            }
            app.waiter.pane = Pane::Menu;
            app.waiter.filtering = true;
        }
        Act::StopFilter => {
            // The filter and the choice go together: the highlighted row now points into the
            // whole menu, at something nobody chose, so Enter must not add it.
            app.waiter.filtering = false;
            app.waiter.filter.clear();
            app.waiter.menu = 0;
            app.waiter.menu_armed = false;
        }
        Act::AddItem => {
            if !app.waiter.menu_armed {
                app.info("Pick the item first: type to filter, or move to it with ↑↓");
                return;
            }
            let Some(item) = menu_items(app).get(app.waiter.menu).map(|i| (*i).clone()) else {
                return;
            };
            // An item with a choice to make (a steak's temperature) walks it in the dialog.
            if item.needs_modifiers() && item.orderable() {
                open_add_dialog(app, &oid, &item);
                return;
            }
            let add = OrderCommand::AddItem {
                item_id: item.id.clone(),
                quantity: 1,
                note: None,
                modifiers: Vec::new(),
                seat: None,
                course: None,
            };
            // The domain's refusal (an 86'd item, say) is shown without asking the database.
            if let Some(Err(r)) = order.as_ref().map(|o| check(o, &add, &app.data.menu)) {
                app.error(format!("{}: {}", r.code, safe(&r.message)));
                return;
            }
            add_line(app, &oid, add, fx);
        }
        Act::AddWith => {
            // Like Enter: only an item the waiter chose (typed for, or moved to).
            if !app.waiter.menu_armed {
                app.info("Pick the item first: type to filter, or move to it with ↑↓");
                return;
            }
            if let Some(item) = menu_items(app).get(app.waiter.menu).map(|i| (*i).clone()) {
                if let Some(Err(r)) = order.as_ref().filter(|_| !item.orderable()).map(|o| {
                    check(
                        o,
                        &OrderCommand::AddItem {
                            item_id: item.id.clone(),
                            quantity: 1,
                            note: None,
                            modifiers: Vec::new(),
                            seat: None,
                            course: None,
                        },
                        &app.data.menu,
                    )
                }) {
                    app.error(format!("{}: {}", r.code, safe(&r.message)));
                    return;
                }
                open_add_dialog(app, &oid, &item);
            }
        }
        Act::More | Act::Less => {
            let Some(line) = line else { return };
            let q = line.quantity as i64 + if act == Act::More { 1 } else { -1 };
            let refused = order
                .as_ref()
                .and_then(|o| allowed::less_refusal(o, &line, &app.data.menu));
            if act == Act::Less && refused.is_some_and(|r| r.code == codes::INVALID_QUANTITY) {
                app.error("Already 1: press d to remove the line");
                return;
            }
            let r = request(
                &oid,
                OrderCommand::ChangeItemQuantity {
                    line_id: line.line_id.clone(),
                    quantity: q,
                },
            );
            app.execute(fx, r, Then::Info(format!("{} ×{q}", line.name)));
        }
        Act::Note => {
            if let Some(line) = line {
                app.open_form(
                    Form::new(
                        FormKind::Note {
                            order_id: oid,
                            line_id: line.line_id.clone(),
                        },
                        format!("Note on {}", safe(&line.name)),
                    )
                    .field(
                        "Note for the kitchen",
                        line.note.as_deref().unwrap_or(""),
                        140,
                    ),
                );
            }
        }
        Act::Seat => {
            if let Some(line) = line {
                app.open_form(
                    Form::new(
                        FormKind::Seat {
                            order_id: oid,
                            line_id: line.line_id.clone(),
                        },
                        format!("Seat for {}", safe(&line.name)),
                    )
                    .text(match line.seat {
                        0 => "Now shared by the table".to_string(),
                        s => format!("Now at seat {s}"),
                    })
                    .field("Seat (0 = the table, 1-99)", "", 2),
                );
            }
        }
        Act::Remove => {
            if let Some(line) = line {
                let r = request(
                    &oid,
                    OrderCommand::RemoveItem {
                        line_id: line.line_id.clone(),
                    },
                );
                app.execute(fx, r, Then::Info(format!("Removed {}", line.name)));
            }
        }
        Act::Void => {
            if let Some(line) = line {
                app.open_form(
                    Form::new(
                        FormKind::Void {
                            order_id: oid,
                            line_id: line.line_id.clone(),
                        },
                        format!("Void {} (the kitchen sees it)", safe(&line.name)),
                    )
                    .field("Quantity to void", &line.live_quantity().to_string(), 2)
                    .field("Reason (required)", "", 200),
                );
            }
        }
        Act::Send => {
            // Takeout and delivery go out at once; a table's later courses wait to be fired.
            let fire_all = order
                .as_ref()
                .is_some_and(|o| o.kind != crate::domain::order::OrderKind::DineIn);
            let r = request(&oid, OrderCommand::PlaceOrder { fire_all });
            app.execute(fx, r, Then::Sent);
        }
        Act::Fire => {
            let course = order.as_ref().and_then(|o| o.next_course_to_fire());
            let r = request(&oid, OrderCommand::FireCourse { course: None });
            let done = course.map_or("Fired".to_string(), |c| format!("Fired course {c}"));
            app.execute(fx, r, Then::Info(done));
        }
        Act::Rush => {
            let r = request(&oid, OrderCommand::RushOrder);
            app.execute(fx, r, Then::Info("Rushed: its tickets go first".into()));
        }
        Act::Serve => {
            let r = request(&oid, OrderCommand::ServeTicket { ticket_id: None });
            app.execute(fx, r, Then::Info("Marked served".into()));
        }
        Act::Pay => {
            let total = order.as_ref().map_or(0, |o| o.total_cents());
            app.open_form(
                Form::new(
                    FormKind::Close { order_id: oid },
                    format!("Close and pay {}", money(total)),
                )
                .field("Payment (card, cash…)", "card", 30),
            );
        }
        Act::Cancel => app.open_form(
            Form::new(
                FormKind::Cancel { order_id: oid },
                format!(
                    "Cancel {}",
                    order
                        .as_ref()
                        .map_or(String::new(), |o| safe(&o.label()).into_owned())
                ),
            )
            .field("Reason (required)", "", 200),
        ),
    }
}
