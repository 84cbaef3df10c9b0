//! The query side: what screens and `brigade query` ask of the read models.

use rusqlite::Connection;

use super::tables::parse;
use crate::projections::models::{OrderView, Popularity, TicketView};
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

/// Tickets the kitchen still has to make, in the order they were sent (by log position, never
/// by recorded time); with a station, only the lines of that
/// station (and only tickets that have any not voided). A ticket whose lines were all voided is
/// not listed (its status is `void`).
pub fn kitchen(conn: &Connection, station: Option<&str>) -> Result<Vec<TicketView>, StoreError> {
    let mut tickets: Vec<TicketView> = docs(
        conn,
        "SELECT doc FROM kitchen_tickets WHERE status IN ('queued', 'in_progress') \
         ORDER BY sent_at, ticket_id",
        [],
    )?;
    tickets.sort_by(|a, b| (a.sent_position, &a.ticket_id).cmp(&(b.sent_position, &b.ticket_id)));
    if let Some(station) = station {
        for t in tickets.iter_mut() {
            t.lines.retain(|l| l.station == station);
        }
        // Lines of that station all voided: nothing for it to make.
        tickets.retain(|t| {
            !t.lines.is_empty() && (t.cancelled || t.lines.iter().any(|l| l.voided < l.quantity))
        });
    }
    Ok(tickets)
}

/// The ticket bumped last (by log position, never by recorded time) that is still waiting to be
/// served (what "recall" brings back).
pub fn last_bumped(
    conn: &Connection,
    station: Option<&str>,
) -> Result<Option<TicketView>, StoreError> {
    let mut tickets: Vec<TicketView> = docs(
        conn,
        "SELECT doc FROM kitchen_tickets WHERE status = 'ready' ORDER BY ready_at DESC, ticket_id DESC",
        [],
    )?;
    tickets.sort_by(|a, b| (b.ready_position, &b.ticket_id).cmp(&(a.ready_position, &a.ticket_id)));
    // A cancelled order's ticket was cleared, not cooked: there is nothing to recall.
    Ok(tickets
        .into_iter()
        .find(|t| !t.cancelled && station.is_none_or(|s| t.lines.iter().any(|l| l.station == s))))
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
