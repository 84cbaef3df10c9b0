//! The read models' version: bumped whenever what they hold or how they are stored changes, so
//! that a newer Brigade opening a database whose read models an older one wrote rebuilds them
//! from the log (the events are the truth; read models are only derived).
//!
//! Stored as a row of `projection_checkpoints` (name `read_model_version`), so that no schema
//! change is needed; a database made before versions existed has no row and counts as 0.

use rusqlite::{params, Connection, OptionalExtension};

use crate::store::StoreError;

/// The version of the read models this build writes. 1: the kitchen's tickets carry allergens,
/// void reasons and log positions, and a ticket whose lines were all voided reads `void`.
/// 2: a ticket per station and course (`held`, `new`…), with seats, modifiers, rush, firing
/// times and changes; counted items' stock (`item_stock`).
pub const READ_MODEL_VERSION: i64 = 2;

/// The first version whose tickets and order views have today's shape: older ones can only be
/// checked by their order columns, counts and popularity.
pub const SHAPE_SINCE: i64 = 2;

const ROW: &str = "read_model_version";

/// The version of the read models stored in `conn` (0 when none was recorded).
pub fn stored(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT position FROM projection_checkpoints WHERE name = ?1")?
        .query_row([ROW], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Records that the read models are of this build's version (inside the writing transaction).
pub fn set_current(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO projection_checkpoints (name, position) VALUES (?1, ?2) \
         ON CONFLICT (name) DO UPDATE SET position = excluded.position",
    )?
    .execute(params![ROW, READ_MODEL_VERSION])?;
    Ok(())
}

/// Rebuilds the read models when an older Brigade wrote them, telling `progress` what it does.
/// An empty log only gets the version recorded. Read models of a *newer* version are left
/// alone (they are derived: this build reads what it understands, and `brigade rebuild` with
/// the newer build puts them right). Returns whether a rebuild ran.
pub fn upgrade(conn: &mut Connection, progress: &mut dyn FnMut(&str)) -> Result<bool, StoreError> {
    let found = stored(conn)?;
    if found >= READ_MODEL_VERSION {
        return Ok(false);
    }
    let head: i64 = conn.query_row("SELECT coalesce(max(position), 0) FROM events", [], |r| {
        r.get(0)
    })?;
    if head == 0 {
        set_current(conn)?;
        return Ok(false);
    }
    progress(&format!(
        "rebuilding the read models (version {found} -> {READ_MODEL_VERSION}) from {head} events…"
    ));
    match super::rebuild_if_older(conn)? {
        Some(stats) => {
            progress(&format!(
                "read models rebuilt: {} events, {} orders, {} tickets",
                stats.events, stats.orders, stats.tickets
            ));
            Ok(true)
        }
        None => {
            progress("read models rebuilt by another process");
            Ok(false)
        }
    }
}

/// Whether any stored row already has today's shape (a ticket with a firing position, a line
/// or ticket with a course), whatever the version row says: read models made to look older than they are (the version row deleted to have verify
/// compare less) are still compared in full.
pub fn rows_of_current_shape(conn: &Connection) -> Result<bool, StoreError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM kitchen_tickets \
         WHERE doc LIKE '%\"fired_position\":%' \
         UNION ALL SELECT 1 FROM order_views WHERE doc LIKE '%\"course\":%' LIMIT 1)",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
