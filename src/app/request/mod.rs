//! The command contract of `brigade exec`: one JSON object per line, `{"type": …, …fields}`,
//! parsed strictly (unknown types and unknown fields are refused, not guessed at).

mod fields;

use serde_json::Value;

use super::error::AppError;
use crate::domain::{MenuCommand, OrderCommand};
use fields::Fields;

/// A command for one of the aggregates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum AppCommand {
    /// `order_id` is `None` only for an `OpenOrder` that lets Brigade pick the id.
    Order {
        order_id: Option<String>,
        command: OrderCommand,
    },
    Menu(MenuCommand),
}

/// A command with its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub command_id: Option<String>,
    pub correlation_id: Option<String>,
    pub command: AppCommand,
}

impl Request {
    pub fn new(command: AppCommand) -> Self {
        Request {
            command_id: None,
            correlation_id: None,
            command,
        }
    }
    pub fn order(order_id: &str, command: OrderCommand) -> Self {
        Request::new(AppCommand::Order {
            order_id: Some(order_id.to_string()),
            command,
        })
    }
    pub fn with_command_id(mut self, id: impl Into<String>) -> Self {
        self.command_id = Some(id.into());
        self
    }

    /// A digest of what the command asks (not of its ids): a command id may be repeated only
    /// with the same command. Computed from the command's canonical JSON (see
    /// [`super::fingerprint`]).
    pub fn fingerprint(&self) -> String {
        super::fingerprint::canonical(&self.command)
    }
}

/// Every command type `brigade exec` accepts.
pub const COMMAND_TYPES: &[&str] = &[
    "OpenOrder",
    "AddItem",
    "RemoveItem",
    "ChangeItemQuantity",
    "ChangeItemNote",
    "ChangeItemSeat",
    "PlaceOrder",
    "FireCourse",
    "RushOrder",
    "StartTicket",
    "BumpTicket",
    "RecallTicket",
    "ServeTicket",
    "VoidItem",
    "CancelOrder",
    "CloseOrder",
    "AddMenuItem",
    "ChangeMenuItem",
    "RemoveMenuItem",
    "MarkItemUnavailable",
    "MarkItemAvailable",
    "SetItemStock",
    "SetCategoryCourse",
];

/// Longest input line `brigade exec` reads (a line is one command).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Parses one line of `brigade exec` input.
pub fn parse_line(line: &str) -> Result<Request, AppError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(AppError::invalid(
            "LINE_TOO_LONG",
            format!("a command line may be at most {MAX_LINE_BYTES} bytes"),
        ));
    }
    // A leading byte-order mark (some editors and Windows tools write one) is not content.
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let value: Value = super::strict_json::parse(line)
        .map_err(|e| AppError::invalid("BAD_JSON", format!("not valid JSON: {e}")))?;
    parse_value(value)
}

/// Parses a command given as a JSON value.
pub fn parse_value(value: Value) -> Result<Request, AppError> {
    let Value::Object(map) = value else {
        return Err(AppError::invalid(
            "BAD_COMMAND",
            "a command is a JSON object with a \"type\"",
        ));
    };
    let mut f = Fields::new(map);
    let kind = f
        .req_str("type")
        .map_err(|_| AppError::invalid("BAD_COMMAND", "a command needs a \"type\" (a string)"))?;
    let command_id = f.opt_str("command_id")?;
    let correlation_id = f.opt_str("correlation_id")?;
    let order = |order_id: String, command| AppCommand::Order {
        order_id: Some(order_id),
        command,
    };
    let command = match kind.as_str() {
        "OpenOrder" => {
            let customer = f.customer()?;
            AppCommand::Order {
                order_id: f.opt_str("order_id")?,
                command: OrderCommand::OpenOrder {
                    order_id: String::new(),
                    table: f.opt_text("table")?,
                    covers: f.opt_int("covers")?,
                    customer,
                },
            }
        }
        "AddItem" => order(
            f.req_str("order_id")?,
            OrderCommand::AddItem {
                item_id: f.req_str("item_id")?,
                quantity: f.opt_int("quantity")?.unwrap_or(1),
                note: f.opt_str("note")?,
                modifiers: f.strings("modifiers")?.unwrap_or_default(),
                seat: f.opt_int("seat")?,
                course: f.opt_int("course")?,
            },
        ),
        "ChangeItemSeat" => order(
            f.req_str("order_id")?,
            OrderCommand::ChangeItemSeat {
                line_id: f.req_str("line_id")?,
                seat: f.req_int("seat")?,
            },
        ),
        "RemoveItem" => order(
            f.req_str("order_id")?,
            OrderCommand::RemoveItem {
                line_id: f.req_str("line_id")?,
            },
        ),
        "ChangeItemQuantity" => order(
            f.req_str("order_id")?,
            OrderCommand::ChangeItemQuantity {
                line_id: f.req_str("line_id")?,
                quantity: f.req_int("quantity")?,
            },
        ),
        "ChangeItemNote" => order(
            f.req_str("order_id")?,
            OrderCommand::ChangeItemNote {
                line_id: f.req_str("line_id")?,
                note: f.opt_str("note")?,
            },
        ),
        "PlaceOrder" => order(
            f.req_str("order_id")?,
            OrderCommand::PlaceOrder {
                fire_all: f.opt_bool("fire_all")?.unwrap_or(false),
            },
        ),
        "FireCourse" => order(
            f.req_str("order_id")?,
            OrderCommand::FireCourse {
                course: f.opt_int("course")?,
            },
        ),
        "RushOrder" => order(f.req_str("order_id")?, OrderCommand::RushOrder),
        "StartTicket" | "BumpTicket" | "RecallTicket" => {
            let ticket_id = f.req_str("ticket_id")?;
            let order_id = f.ticket_order(&ticket_id)?;
            let command = match kind.as_str() {
                "StartTicket" => OrderCommand::StartTicket { ticket_id },
                "BumpTicket" => OrderCommand::BumpTicket { ticket_id },
                _ => OrderCommand::RecallTicket { ticket_id },
            };
            order(order_id, command)
        }
        "ServeTicket" => {
            let ticket_id = f.opt_str("ticket_id")?;
            let order_id = match &ticket_id {
                Some(t) => f.ticket_order(t)?,
                None => f.req_str("order_id")?,
            };
            order(order_id, OrderCommand::ServeTicket { ticket_id })
        }
        "VoidItem" => order(
            f.req_str("order_id")?,
            OrderCommand::VoidItem {
                line_id: f.req_str("line_id")?,
                quantity: f.opt_int("quantity")?,
                reason: f.opt_str("reason")?,
            },
        ),
        "CancelOrder" => order(
            f.req_str("order_id")?,
            OrderCommand::CancelOrder {
                reason: f.opt_str("reason")?,
            },
        ),
        "CloseOrder" => order(
            f.req_str("order_id")?,
            OrderCommand::CloseOrder {
                payment: f.opt_str("payment")?,
            },
        ),
        "AddMenuItem" => AppCommand::Menu(MenuCommand::AddMenuItem(f.menu_item()?)),
        "ChangeMenuItem" => AppCommand::Menu(MenuCommand::ChangeMenuItem(f.menu_change()?)),
        "RemoveMenuItem" => AppCommand::Menu(MenuCommand::RemoveMenuItem {
            item_id: f.req_str("item_id")?,
        }),
        "MarkItemUnavailable" => AppCommand::Menu(MenuCommand::MarkItemUnavailable {
            item_id: f.req_str("item_id")?,
        }),
        "MarkItemAvailable" => AppCommand::Menu(MenuCommand::MarkItemAvailable {
            item_id: f.req_str("item_id")?,
        }),
        "SetItemStock" => AppCommand::Menu(MenuCommand::SetItemStock {
            item_id: f.req_str("item_id")?,
            count: f.int_or_null("count")?,
        }),
        "SetCategoryCourse" => AppCommand::Menu(MenuCommand::SetCategoryCourse {
            category: f.req_str("category")?,
            course: f.int_or_null("course")?,
        }),
        other => {
            return Err(AppError::invalid(
                "UNKNOWN_COMMAND",
                format!(
                    "unknown command type {:?}; known types: {}",
                    other.chars().take(50).collect::<String>(),
                    COMMAND_TYPES.join(", ")
                ),
            ))
        }
    };
    f.no_extra()?;
    Ok(Request {
        command_id,
        correlation_id,
        command,
    })
}
