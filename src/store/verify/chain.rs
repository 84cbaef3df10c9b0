//! The hash chain: walks every event and says exactly where the chain breaks.

use rusqlite::Connection;
use std::collections::HashMap;

use crate::store::hash::{event_hash, HashInput, GENESIS};
use crate::store::StoreError;

/// Where the log stops being what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The position at which the problem shows.
    pub position: i64,
    pub message: String,
}

/// What a walk of the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub events: i64,
    pub breaks: Vec<Break>,
}

/// Checks every event: positions without gaps, per-stream revisions without gaps, and each hash
/// against the event's stored bytes and its predecessor's hash. Keeps going after a break (each
/// later event is checked against its own stored predecessor) so that every break is reported.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT position, stream_id, stream_type, revision, event_type, schema_version, payload, \
         metadata, recorded_at, hash FROM events ORDER BY position",
    )?;
    let mut rows = stmt.query([])?;
    let mut breaks = Vec::new();
    let mut prev_hash = GENESIS.to_vec();
    let mut prev_position = 0i64;
    let mut revisions: HashMap<String, i64> = HashMap::new();
    let mut count = 0;
    while let Some(r) = rows.next()? {
        count += 1;
        let position: i64 = r.get(0)?;
        let stream_id: String = r.get(1)?;
        let revision: i64 = r.get(3)?;
        let stored: Vec<u8> = r.get(9)?;
        let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
        if position != prev_position + 1 {
            breaks.push(Break {
                position,
                message: format!(
                    "events {} to {} are missing",
                    prev_position + 1,
                    position - 1
                ),
            });
        }
        let last_rev = revisions.entry(stream_id.clone()).or_insert(0);
        if revision != *last_rev + 1 {
            breaks.push(Break {
                position,
                message: format!(
                    "stream {stream_id} jumps from revision {} to {revision}",
                    *last_rev
                ),
            });
        }
        *last_rev = revision;
        let computed = event_hash(
            &prev_hash,
            &HashInput {
                position,
                stream_id: &stream_id,
                stream_type: &text(2)?,
                revision,
                event_type: &text(4)?,
                schema_version: r.get(5)?,
                payload: &text(6)?,
                metadata: &text(7)?,
                recorded_at: &text(8)?,
            },
        );
        if computed[..] != stored[..] {
            breaks.push(Break {
                position,
                message: format!(
                    "event {position} ({stream_id} revision {revision}) does not match its hash: \
                     it was changed, or an event before it was"
                ),
            });
        }
        prev_hash = stored;
        prev_position = position;
    }
    // AUTOINCREMENT remembers the highest position ever written: a shorter log lost its tail.
    let highest: Option<i64> = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'events'",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(highest) = highest {
        if highest > prev_position {
            breaks.push(Break {
                position: prev_position + 1,
                message: format!(
                    "events {} to {highest} are missing from the end of the log",
                    prev_position + 1
                ),
            });
        }
    }
    Ok(ChainReport {
        events: count,
        breaks,
    })
}
