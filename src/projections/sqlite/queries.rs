//! The query side: what screens and `brigade query` ask of the read models.

use rusqlite::Connection;

use super::tables::parse;
use crate::projections::models::{OrderView, Popularity, TicketView};
use crate::projections::StockView;
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

/// A station's screen (or every station's, with `None`): the tickets still to make and those
/// held for a later course. Rushed orders first; then in the order they were fired (by log
/// position, never by recorded time); held tickets after them all, in the order they were sent. A
/// ticket whose lines were all voided is not listed (its status is `void`).
pub fn kitchen(conn: &Connection, station: Option<&str>) -> Result<Vec<TicketView>, StoreError> {
    let mut tickets: Vec<TicketView> = docs(
        conn,
        "SELECT doc FROM kitchen_tickets WHERE status IN ('held', 'new', 'in_progress') \
         ORDER BY sent_at, ticket_id",
        [],
    )?;
    if let Some(station) = station {
        tickets.retain(|t| t.station == station);
    }
    tickets.sort_by(|a, b| queue_key(a).cmp(&queue_key(b)));
    Ok(tickets)
}

/// Where a ticket stands in a queue: held ones last (they are not to be cooked yet), rushed
/// ones first among the rest, else by firing (held ones by sending).
fn queue_key(t: &TicketView) -> (bool, bool, i64, &str) {
    let held = t.is_held();
    let at = if held {
        t.sent_position
    } else {
        t.fired_position
    };
    (held, !t.rush, at, &t.ticket_id)
}

/// The expeditor's screen: every fired ticket of every order not yet served (held ones are not
/// the expeditor's yet), whatever its station; rushed orders first, then by firing.
pub fn expo(conn: &Connection) -> Result<Vec<TicketView>, StoreError> {
    let mut tickets: Vec<TicketView> = docs(
        conn,
        "SELECT doc FROM kitchen_tickets WHERE status IN ('new', 'in_progress', 'ready') \
         ORDER BY sent_at, ticket_id",
        [],
    )?;
    tickets.retain(|t| !t.cancelled);
    tickets.sort_by(|a, b| queue_key(a).cmp(&queue_key(b)));
    Ok(tickets)
}

/// The ticket bumped last at `station` (by log position, never by recorded time) that is still
/// waiting to be served.
pub fn last_bumped(
    conn: &Connection,
    station: Option<&str>,
) -> Result<Option<TicketView>, StoreError> {
    Ok(recently_bumped(conn, station, None, 1)?.into_iter().next())
}

/// Up to `limit` tickets bumped at `station` (or anywhere) and not yet served, newest bump
/// first; with `since`, only those bumped at or after it (recall's list: the last 15 minutes).
/// A cancelled order's ticket was cleared, not cooked: there is nothing to recall.
pub fn recently_bumped(
    conn: &Connection,
    station: Option<&str>,
    since: Option<chrono::DateTime<chrono::Utc>>,
    limit: usize,
) -> Result<Vec<TicketView>, StoreError> {
    let mut tickets: Vec<TicketView> = docs(
        conn,
        "SELECT doc FROM kitchen_tickets WHERE status = 'ready' ORDER BY ready_at DESC, ticket_id DESC",
        [],
    )?;
    tickets.retain(|t| {
        !t.cancelled
            && station.is_none_or(|s| t.station == s)
            && since.is_none_or(|since| t.ready_at.is_some_and(|r| r >= since))
    });
    tickets.sort_by(|a, b| (b.ready_position, &b.ticket_id).cmp(&(a.ready_position, &a.ticket_id)));
    tickets.truncate(limit);
    Ok(tickets)
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
