//! Reading the log: scans after a position (decoded, or raw and borrowed), rows as stored and
//! their decoding (upcasting), and stored timestamps.

use rusqlite::{Connection, Row};

use super::EVENT_COLUMNS;
pub(crate) use crate::store::stored::RawEvent;
use crate::store::{Position, RecordedEvent, StoreError};

/// Calls `each` for every event after `position` on `conn`, in order, until it returns false.
pub fn scan(
    conn: &Connection,
    position: Position,
    each: &mut dyn FnMut(RecordedEvent) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE position > ?1 ORDER BY position"
    ))?;
    let mut rows = stmt.query([position])?;
    while let Some(row) = rows.next()? {
        if !each(raw_row(row)?.decode()?)? {
            break;
        }
    }
    Ok(())
}

/// An event row as stored, borrowed from SQLite's row buffer (no copies, no parsing).
#[derive(Debug, Clone, Copy)]
pub struct RawRef<'a> {
    pub position: i64,
    pub stream_id: &'a str,
    pub stream_type: &'a str,
    pub revision: i64,
    pub event_type: &'a str,
    pub schema_version: i64,
    pub payload: &'a str,
    pub metadata: &'a str,
    pub recorded_at: &'a str,
}

/// Like [`scan`], with the rows as stored and borrowed: for whole-log folds that decode only
/// what they need.
pub fn scan_raw(
    conn: &Connection,
    position: Position,
    each: &mut dyn FnMut(RawRef<'_>) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE position > ?1 ORDER BY position"
    ))?;
    let mut rows = stmt.query([position])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> Result<&str, StoreError> {
            r.get_ref(i)?
                .as_str()
                .map_err(|e| StoreError::Corrupt(format!("column {i} of an event: {e}")))
        };
        let row = RawRef {
            position: r.get(0)?,
            stream_id: text(1)?,
            stream_type: text(2)?,
            revision: r.get(3)?,
            event_type: text(4)?,
            schema_version: r.get(5)?,
            payload: text(6)?,
            metadata: text(7)?,
            recorded_at: text(8)?,
        };
        if !each(row)? {
            break;
        }
    }
    Ok(())
}

pub(crate) fn raw_row(r: &Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok(RawEvent {
        position: r.get(0)?,
        stream_id: r.get(1)?,
        stream_type: r.get(2)?,
        revision: r.get(3)?,
        event_type: r.get(4)?,
        schema_version: r.get(5)?,
        payload: r.get(6)?,
        metadata: r.get(7)?,
        recorded_at: r.get(8)?,
    })
}

pub use crate::store::append_logic::parse_time;
