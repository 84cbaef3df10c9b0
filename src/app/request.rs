//! The command contract of `brigade exec`: one JSON object per line, `{"type": …, …fields}`,
//! parsed strictly (unknown types and unknown fields are refused, not guessed at).

use serde_json::{Map, Value};

use super::error::AppError;
use crate::domain::menu::{MenuItemChange, MenuItemSpec};
use crate::domain::order::{order_of_ticket, CustomerInput};
use crate::domain::{MenuCommand, OrderCommand};

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
    "PlaceOrder",
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
    let mut f = Fields { map, used: vec![] };
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
        "PlaceOrder" => order(f.req_str("order_id")?, OrderCommand::PlaceOrder),
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

/// The fields of one command object, remembering which were read so that the rest can be
/// refused.
struct Fields {
    map: Map<String, Value>,
    used: Vec<&'static str>,
}

impl Fields {
    fn get(&mut self, key: &'static str) -> Option<&Value> {
        self.used.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn opt_str(&mut self, key: &'static str) -> Result<Option<String>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(AppError::invalid(
                "INVALID_FIELD",
                format!("{key} must be a string"),
            )),
        }
    }

    /// Text that may also be typed as a number (`"table": 12`).
    fn opt_text(&mut self, key: &'static str) -> Result<Option<String>, AppError> {
        match self.get(key) {
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            _ => self.opt_str(key),
        }
    }

    fn req_str(&mut self, key: &'static str) -> Result<String, AppError> {
        self.opt_str(key)?
            .ok_or_else(|| AppError::invalid("MISSING_FIELD", format!("{key} is required")))
    }

    fn opt_int(&mut self, key: &'static str) -> Result<Option<i64>, AppError> {
        let code = if key == "quantity" {
            "INVALID_QUANTITY"
        } else if key == "covers" {
            "INVALID_COVERS"
        } else {
            "INVALID_FIELD"
        };
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Ok(Some(i)),
                (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Err(AppError::invalid(
                    code,
                    format!(
                        "{key} must be written as a whole number without a decimal point ({}, not {n})",
                        f as i64
                    ),
                )),
                (None, Some(f)) if f.fract() != 0.0 && f.abs() < 1e15 => Err(AppError::invalid(
                    code,
                    format!("{key} must be a whole number, not {n}"),
                )),
                _ => Err(AppError::invalid(
                    code,
                    format!("{key} is far out of range: {n}"),
                )),
            },
            Some(_) => Err(AppError::invalid(code, format!("{key} must be a number"))),
        }
    }

    fn req_int(&mut self, key: &'static str) -> Result<i64, AppError> {
        self.opt_int(key)?
            .ok_or_else(|| AppError::invalid("MISSING_FIELD", format!("{key} is required")))
    }

    fn ticket_order(&mut self, ticket_id: &str) -> Result<String, AppError> {
        match self.opt_str("order_id")? {
            Some(o) => Ok(o),
            None => order_of_ticket(ticket_id)
                .map(str::to_string)
                .ok_or_else(|| {
                    AppError::invalid(
                        "TICKET_NOT_FOUND",
                        format!(
                            "{:?} is not a ticket id (tickets look like ORDER-t1)",
                            ticket_id.chars().take(50).collect::<String>()
                        ),
                    )
                }),
        }
    }

    fn customer(&mut self) -> Result<Option<CustomerInput>, AppError> {
        let direct = CustomerInput {
            name: self.opt_str("customer_name")?,
            phone: self.opt_str("phone")?,
            address: self.opt_str("address")?,
        };
        let given = self.get("customer").cloned();
        // Two fields that say the same thing differently: refused, not one silently ignored.
        let conflict = match &given {
            Some(Value::String(_)) => direct.name.is_some().then_some("customer_name"),
            Some(Value::Object(_)) => [
                ("customer_name", &direct.name),
                ("phone", &direct.phone),
                ("address", &direct.address),
            ]
            .into_iter()
            .find_map(|(k, v)| v.is_some().then_some(k)),
            _ => None,
        };
        if let Some(flat) = conflict {
            return Err(AppError::invalid(
                "INVALID_FIELD",
                format!("customer and {flat} both say who the customer is; give one or the other"),
            ));
        }
        match given {
            None => Ok((direct != CustomerInput::default()).then_some(direct)),
            Some(Value::String(name)) => Ok(Some(CustomerInput {
                name: Some(name),
                ..direct
            })),
            Some(Value::Object(c)) => {
                let mut inner = Fields {
                    map: c,
                    used: vec![],
                };
                let customer = CustomerInput {
                    name: inner.opt_str("name")?,
                    phone: inner.opt_str("phone")?,
                    address: inner.opt_str("address")?,
                };
                inner.no_extra()?;
                Ok(Some(customer))
            }
            Some(_) => Err(AppError::invalid(
                "INVALID_FIELD",
                "customer must be a name or an object {name, phone, address}",
            )),
        }
    }

    fn allergens(&mut self) -> Result<Option<Vec<String>>, AppError> {
        Ok(Some(match self.get("allergens").cloned() {
            None => return Ok(None),
            Some(Value::Array(a)) => a
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(AppError::invalid(
                        "INVALID_FIELD",
                        "allergens must be strings",
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(AppError::invalid(
                    "INVALID_FIELD",
                    "allergens must be a list of strings",
                ))
            }
        }))
    }

    fn price(&mut self) -> Result<Option<i64>, AppError> {
        self.opt_int("price_cents").map_err(|e| match e {
            AppError::Invalid {
                code: "INVALID_FIELD",
                message,
            } => AppError::invalid("INVALID_PRICE", message),
            e => e,
        })
    }

    fn menu_item(&mut self) -> Result<MenuItemSpec, AppError> {
        let allergens = self.allergens()?.unwrap_or_default();
        Ok(MenuItemSpec {
            id: self.req_str("item_id")?,
            name: self.req_str("name")?,
            category: self.req_str("category")?,
            price_cents: self
                .price()?
                .ok_or_else(|| AppError::invalid("MISSING_FIELD", "price_cents is required"))?,
            station: self.opt_str("station")?.unwrap_or_else(|| "kitchen".into()),
            allergens,
        })
    }

    /// A `ChangeMenuItem`: only `item_id` is required; a field left out keeps its value.
    fn menu_change(&mut self) -> Result<MenuItemChange, AppError> {
        Ok(MenuItemChange {
            allergens: self.allergens()?,
            id: self.req_str("item_id")?,
            name: self.opt_str("name")?,
            category: self.opt_str("category")?,
            price_cents: self.price()?,
            station: self.opt_str("station")?,
        })
    }

    fn no_extra(&self) -> Result<(), AppError> {
        let mut extra: Vec<&String> = self
            .map
            .keys()
            .filter(|k| !self.used.contains(&k.as_str()))
            .collect();
        if extra.is_empty() {
            return Ok(());
        }
        extra.sort();
        Err(AppError::invalid(
            "UNKNOWN_FIELD",
            format!(
                "unknown field(s): {}",
                extra
                    .iter()
                    .map(|k| k.chars().take(40).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}
