//! `brigade query …`: read models as JSON arrays, and the plain summary printed when Brigade
//! runs without a terminal.

use super::{json_out, out, Failure, QueryWhat};
use crate::app::Brigade;
use crate::display::{money, safe};

pub fn run(brigade: &mut Brigade, what: QueryWhat, station: Option<&str>) -> Result<i32, Failure> {
    brigade.current_read_models_in_memory()?;
    match what {
        QueryWhat::Menu => json_out(&brigade.menu_with_stock()?.items)?,
        QueryWhat::OpenOrders => json_out(&brigade.open_orders()?)?,
        QueryWhat::Kitchen => json_out(&brigade.kitchen(station)?)?,
        QueryWhat::Popularity => json_out(&brigade.popularity()?)?,
    }
    Ok(0)
}

/// The open orders as text, with a hint of what else there is.
pub fn summary(brigade: &Brigade) -> Result<i32, Failure> {
    let orders = brigade.open_orders()?;
    out(&format!(
        "Brigade — {} open order(s) in {}",
        orders.len(),
        crate::display::safe(&brigade.path().display().to_string())
    ))?;
    for o in &orders {
        out(&format!(
            "  {:<12} {:<20} {:<8} {:>3} line(s) {:>9}",
            o.order.order_id,
            safe(&o.order.label()),
            o.order.status.as_str(),
            o.order.lines.len(),
            money(o.total_cents)
        ))?;
    }
    out("Run in a terminal for the waiter's screen; or: brigade kitchen | history | exec | query | simulate | verify (brigade --help)")?;
    Ok(0)
}
