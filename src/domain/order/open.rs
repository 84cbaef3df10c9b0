//! Opening an order: a table (with covers) or a takeout or delivery customer.

use super::command::CustomerInput;
use super::decide::clip;
use super::event::*;
use super::state::{Order, OrderKind, OrderStatus};
use crate::domain::rejection::{codes, Rejection};
use crate::domain::text;

pub(super) fn open(
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
