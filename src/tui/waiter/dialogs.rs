//! The waiter's dialogs: what each form sends when it is submitted.

use super::{request, Pane};
use crate::app::request::{AppCommand, Request};
use crate::app::Outcome;
use crate::display::safe;
use crate::domain::order::CustomerInput;
use crate::domain::OrderCommand;
use crate::tui::app::App;
use crate::tui::effect::{Effect, Then};
use crate::tui::form::{Form, FormKind};

/// Submits a waiter form: its command goes out (or a confirmation opens); `Err` brings the
/// form back with the message.
pub fn submit(app: &mut App, form: &Form, fx: &mut Vec<Effect>) -> Result<(), String> {
    let int = |s: &str, what: &str| -> Result<Option<i64>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{what} must be a number"))
    };
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let (request, done) = match &form.kind {
        FormKind::NewOrder | FormKind::ConfirmSecondOrder { .. } => {
            let (table, covers, name) = match &form.kind {
                FormKind::ConfirmSecondOrder {
                    table,
                    covers,
                    customer,
                } => (text(table), covers.clone(), text(customer)),
                _ => (
                    text(form.value(0)),
                    form.value(1).to_string(),
                    text(form.value(2)),
                ),
            };
            let covers = int(&covers, "Covers")?;
            if form.kind == FormKind::NewOrder {
                if let Some(existing) = table.as_deref().and_then(|t| open_on_table(app, t)) {
                    // A second open order on a table is allowed, but only when meant.
                    let table = table.unwrap_or_default();
                    app.open_form(
                        Form::new(
                            FormKind::ConfirmSecondOrder {
                                table: form.value(0).to_string(),
                                covers: form.value(1).to_string(),
                                customer: form.value(2).to_string(),
                            },
                            format!("A second order for table {}?", safe(&table)),
                        )
                        .text(format!(
                            "Table {} already has an open order ({}). Open a second one?",
                            safe(&table),
                            safe(&existing)
                        )),
                    );
                    return Ok(());
                }
            }
            let r = Request::new(AppCommand::Order {
                order_id: None,
                command: OrderCommand::OpenOrder {
                    order_id: String::new(),
                    table: table.clone(),
                    covers,
                    customer: name.clone().map(|n| CustomerInput {
                        name: Some(n),
                        ..Default::default()
                    }),
                },
            });
            let label = table
                .map(|t| format!("table {t}"))
                .or(name)
                .unwrap_or_default();
            (r, format!("Opened an order for {label}"))
        }
        FormKind::AddItem { order_id, item_id } => (
            request(
                order_id,
                OrderCommand::AddItem {
                    item_id: item_id.clone(),
                    quantity: int(form.value(0), "Quantity")?.unwrap_or(1),
                    note: text(form.value(1)),
                    modifiers: Vec::new(),
                    seat: None,
                    course: None,
                },
            ),
            "Added".to_string(),
        ),
        FormKind::Note { order_id, line_id } => (
            request(
                order_id,
                OrderCommand::ChangeItemNote {
                    line_id: line_id.clone(),
                    note: text(form.value(0)),
                },
            ),
            "Note saved".to_string(),
        ),
        FormKind::Void { order_id, line_id } => (
            request(
                order_id,
                OrderCommand::VoidItem {
                    line_id: line_id.clone(),
                    quantity: int(form.value(0), "Quantity")?,
                    reason: text(form.value(1)),
                },
            ),
            "Voided: the kitchen sees it".to_string(),
        ),
        FormKind::Seat { order_id, line_id } => {
            let seat = int(form.value(0), "Seat")?
                .ok_or_else(|| "Type a seat: 0 for the table, 1-99".to_string())?;
            let done = match seat {
                0 => "Moved to the table".to_string(),
                s => format!("Moved to seat {s}"),
            };
            (
                request(
                    order_id,
                    OrderCommand::ChangeItemSeat {
                        line_id: line_id.clone(),
                        seat,
                    },
                ),
                done,
            )
        }
        FormKind::Cancel { order_id } => (
            request(
                order_id,
                OrderCommand::CancelOrder {
                    reason: text(form.value(0)),
                },
            ),
            "Order cancelled".to_string(),
        ),
        FormKind::Close { order_id } => (
            request(
                order_id,
                OrderCommand::CloseOrder {
                    payment: text(form.value(0)),
                },
            ),
            "Paid and closed".to_string(),
        ),
        FormKind::OpenHistory | FormKind::StockCount { .. } => return Ok(()),
    };
    let then = Then::Form {
        form: form.clone(),
        done,
    };
    app.execute(fx, request, then);
    Ok(())
}

/// A submitted form's command went through.
pub fn submitted(app: &mut App, form: &Form, done: String, outcome: &Outcome) {
    app.info(done);
    if matches!(
        form.kind,
        FormKind::NewOrder | FormKind::ConfirmSecondOrder { .. }
    ) {
        app.waiter.order_id = outcome.order_id().map(str::to_string);
        app.waiter.pane = Pane::Menu;
        app.waiter.filtering = true;
        app.waiter.menu_armed = false;
        app.waiter.line = 0;
    }
}

/// The id of an open order already on `table` (same label, ignoring case and spaces), if any.
fn open_on_table(app: &App, table: &str) -> Option<String> {
    let wanted = table.trim().to_lowercase();
    app.data
        .orders
        .iter()
        .find(|o| {
            o.order.status.is_active()
                && o.order
                    .table
                    .as_deref()
                    .is_some_and(|t| t.trim().to_lowercase() == wanted)
        })
        .map(|o| o.order.order_id.clone())
}
