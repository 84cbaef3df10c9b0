//! The query side: what screens and `brigade query` ask of the read models.

use rusqlite::Connection;

use crate::projections::models::{OrderView, Popularity, TicketView};
use crate::projections::rows::parse;
use crate::projections::{queue, StockView};
use crate::store::StoreError;

/// Orders neither paid nor cancelled, oldest first.
pub fn open_orders(conn: &Connection) -> Result<Vec<OrderView>, StoreError> {
    docs(
        conn,
        "SELECT doc FROM order_views WHERE status IN ('open', 'placed') ORDER BY opened_at, order_id",
        [],
    )
}

/// The most recently opened orders of any status, newest first (for picking one to audit).
pub fn recent_orders(conn: &Connection, limit: usize) -> Result<Vec<OrderView>, StoreError> {
    docs(
        conn,
        "SELECT doc FROM order_views ORDER BY opened_at DESC, order_id DESC LIMIT ?1",
        [limit as i64],
    )
}

/// A station's screen (see [`queue::kitchen`]). A ticket whose lines were all voided is not
/// listed (its status is `void`).
pub fn kitchen(conn: &Connection, station: Option<&str>) -> Result<Vec<TicketView>, StoreError> {
    Ok(queue::kitchen(by_status(conn, queue::KITCHEN)?, station))
}

/// The expeditor's screen (see [`queue::expo`]).
pub fn expo(conn: &Connection) -> Result<Vec<TicketView>, StoreError> {
    Ok(queue::expo(by_status(conn, queue::EXPO)?))
}

/// The ticket bumped last at `station` (by log position, never by recorded time) that is still
/// waiting to be served.
pub fn last_bumped(
    conn: &Connection,
    station: Option<&str>,
) -> Result<Option<TicketView>, StoreError> {
    Ok(recently_bumped(conn, station, None, 1)?.into_iter().next())
}

/// Recall's list (see [`queue::recently_bumped`]).
pub fn recently_bumped(
    conn: &Connection,
    station: Option<&str>,
    since: Option<chrono::DateTime<chrono::Utc>>,
    limit: usize,
) -> Result<Vec<TicketView>, StoreError> {
    Ok(queue::recently_bumped(
        by_status(conn, &["ready"])?,
        station,
        since,
        limit,
    ))
}

/// The tickets whose status column is one of `statuses`.
fn by_status(conn: &Connection, statuses: &[&str]) -> Result<Vec<TicketView>, StoreError> {
    let list = statuses
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    docs(
        conn,
        &format!(
            "SELECT doc FROM kitchen_tickets WHERE status IN ({list}) ORDER BY sent_at, ticket_id"
        ),
        [],
    )
}

/// Every counted item's stock, by item id.
pub fn stock(conn: &Connection) -> Result<Vec<StockView>, StoreError> {
    let mut out: Vec<StockView> = docs(conn, "SELECT doc FROM item_stock ORDER BY item_id", [])?;
    out.sort_by(|a, b| a.item_id.cmp(&b.item_id));
    Ok(out)
}

/// Items by units sent to the kitchen (voids taken off), most first.
pub fn popularity(conn: &Connection) -> Result<Vec<Popularity>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, name, quantity, orders FROM item_popularity WHERE quantity > 0 \
         ORDER BY quantity DESC, item_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Popularity {
            item_id: r.get(0)?,
            name: r.get(1)?,
            quantity: r.get(2)?,
            orders: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn docs<T: serde::de::DeserializeOwned, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    p: P,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(p, |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for doc in rows {
        out.push(parse(&doc?)?);
    }
    Ok(out)
}
