//! The read models' columns that queries filter and sort on (`status`, `opened_at`, `sent_at`,
//! `ready_at`, the ids, the position) are checked against a fresh fold, row by row, not only
//! the JSON documents: a ticket whose `status` column is edited vanishes from every kitchen
//! screen while its document still looks right.

use std::collections::HashSet;

use rusqlite::Connection;

use crate::display::safe;
use crate::projections::models::ReadModels;
use crate::projections::rows::time;
use crate::store::StoreError;

/// Each stored row whose columns differ from the fold (or that the fold has no row for).
/// With `tickets` false (read models of an older shape) the kitchen's rows are left out.
pub fn check(
    conn: &Connection,
    fresh: &ReadModels,
    tickets: bool,
) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("SELECT order_id, status, opened_at, position FROM order_views")?;
    let mut rows = stmt.query([])?;
    let mut seen = HashSet::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let (status, opened_at, position): (String, String, i64) =
            (r.get(1)?, r.get(2)?, r.get(3)?);
        if !seen.insert(id.clone()) {
            problems.push(format!("order view {} is stored twice", safe(&id)));
            continue;
        }
        match fresh.orders.get(&id) {
            None => problems.push(format!("order view {} has no order in the log", safe(&id))),
            Some(v)
                if status != v.order.status.as_str()
                    || opened_at != time(&v.opened_at)
                    || position != v.position =>
            {
                problems.push(format!(
                    "order view {}: its columns (status {}, opened_at, position) differ from \
                     its events",
                    safe(&id),
                    safe(&status)
                ));
            }
            Some(_) => {}
        }
    }
    if !tickets {
        return Ok(problems);
    }
    let mut stmt =
        conn.prepare("SELECT ticket_id, order_id, status, sent_at, ready_at FROM kitchen_tickets")?;
    let mut rows = stmt.query([])?;
    let mut seen = HashSet::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let (order_id, status, sent_at, ready_at): (String, String, String, Option<String>) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        if !seen.insert(id.clone()) {
            problems.push(format!("kitchen ticket {} is stored twice", safe(&id)));
            continue;
        }
        match fresh.tickets.get(&id) {
            None => problems.push(format!(
                "kitchen ticket {} has no ticket in the log",
                safe(&id)
            )),
            Some(t)
                if order_id != t.order_id
                    || status != t.queue_status()
                    || sent_at != time(&t.sent_at)
                    || ready_at != t.ready_at.as_ref().map(time) =>
            {
                problems.push(format!(
                    "kitchen ticket {}: its columns (status {}, order_id, sent_at, ready_at) \
                     differ from its events",
                    safe(&id),
                    safe(&status)
                ));
            }
            Some(_) => {}
        }
    }
    Ok(problems)
}
