//! Reading one command object's fields strictly: each read is remembered so that the fields
//! nobody read are refused (`UNKNOWN_FIELD`), and each wrong type gets the field's own code.

use serde_json::{Map, Value};

use crate::app::error::AppError;
use crate::domain::menu::{MenuItemChange, MenuItemSpec, ModifierGroup};
use crate::domain::order::{order_of_ticket, CustomerInput};

/// The fields of one command object, remembering which were read so that the rest can be
/// refused.
pub(super) struct Fields {
    map: Map<String, Value>,
    used: Vec<&'static str>,
}

impl Fields {
    pub(super) fn new(map: Map<String, Value>) -> Self {
        Fields { map, used: vec![] }
    }

    pub(super) fn opt_bool(&mut self, key: &'static str) -> Result<Option<bool>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(AppError::invalid(
                "INVALID_FIELD",
                format!("{key} must be true or false"),
            )),
        }
    }

    /// A whole number that must be given but may be `null` (a stock count, a course).
    pub(super) fn int_or_null(&mut self, key: &'static str) -> Result<Option<i64>, AppError> {
        if !self.map.contains_key(key) {
            return Err(AppError::invalid(
                "MISSING_FIELD",
                format!("{key} is required (a number, or null)"),
            ));
        }
        self.opt_int(key)
    }

    /// A list of strings (modifier option ids).
    pub(super) fn strings(&mut self, key: &'static str) -> Result<Option<Vec<String>>, AppError> {
        match self.get(key).cloned() {
            None => Ok(None),
            Some(Value::Array(a)) => a
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(AppError::invalid(
                        "INVALID_FIELD",
                        format!("{key} must be a list of strings"),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(AppError::invalid(
                "INVALID_FIELD",
                format!("{key} must be a list of strings"),
            )),
        }
    }

    /// Modifier groups as the menu's contract writes them; checked by the domain.
    fn modifier_groups(&mut self) -> Result<Option<Vec<ModifierGroup>>, AppError> {
        match self.get("modifier_groups").cloned() {
            None => Ok(None),
            Some(v) => serde_json::from_value(v).map(Some).map_err(|e| {
                AppError::invalid("INVALID_MODIFIER_GROUP", format!("modifier_groups: {e}"))
            }),
        }
    }
    pub(super) fn get(&mut self, key: &'static str) -> Option<&Value> {
        self.used.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(super) fn opt_str(&mut self, key: &'static str) -> Result<Option<String>, AppError> {
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
    pub(super) fn opt_text(&mut self, key: &'static str) -> Result<Option<String>, AppError> {
        match self.get(key) {
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            _ => self.opt_str(key),
        }
    }

    pub(super) fn req_str(&mut self, key: &'static str) -> Result<String, AppError> {
        self.opt_str(key)?
            .ok_or_else(|| AppError::invalid("MISSING_FIELD", format!("{key} is required")))
    }

    pub(super) fn opt_int(&mut self, key: &'static str) -> Result<Option<i64>, AppError> {
        let code = match key {
            "quantity" => "INVALID_QUANTITY",
            "covers" => "INVALID_COVERS",
            "seat" => "INVALID_SEAT",
            "course" => "INVALID_COURSE",
            "count" => "INVALID_STOCK",
            _ => "INVALID_FIELD",
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

    pub(super) fn req_int(&mut self, key: &'static str) -> Result<i64, AppError> {
        self.opt_int(key)?
            .ok_or_else(|| AppError::invalid("MISSING_FIELD", format!("{key} is required")))
    }

    pub(super) fn ticket_order(&mut self, ticket_id: &str) -> Result<String, AppError> {
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

    pub(super) fn customer(&mut self) -> Result<Option<CustomerInput>, AppError> {
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
                let mut inner = Fields::new(c);
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

    pub(super) fn allergens(&mut self) -> Result<Option<Vec<String>>, AppError> {
        self.strings("allergens")
    }

    pub(super) fn price(&mut self) -> Result<Option<i64>, AppError> {
        self.opt_int("price_cents").map_err(|e| match e {
            AppError::Invalid {
                code: "INVALID_FIELD",
                message,
            } => AppError::invalid("INVALID_PRICE", message),
            e => e,
        })
    }

    pub(super) fn menu_item(&mut self) -> Result<MenuItemSpec, AppError> {
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
            modifier_groups: self.modifier_groups()?.unwrap_or_default(),
        })
    }

    /// A `ChangeMenuItem`: only `item_id` is required; a field left out keeps its value.
    pub(super) fn menu_change(&mut self) -> Result<MenuItemChange, AppError> {
        Ok(MenuItemChange {
            allergens: self.allergens()?,
            id: self.req_str("item_id")?,
            name: self.opt_str("name")?,
            category: self.opt_str("category")?,
            price_cents: self.price()?,
            station: self.opt_str("station")?,
            modifier_groups: self.modifier_groups()?,
        })
    }

    pub(super) fn no_extra(&self) -> Result<(), AppError> {
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
