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

/// One event row as the chain check reads it: the row as the append wrote it.
pub type ChainRow<'a> = crate::store::append_logic::EventRow<'a>;

/// The walk of the chain, the same for every backend: fed every event in position order, it
/// finds gaps in positions and revisions and hashes that do not match. Keeps going after a
/// break (each later event is checked against its own stored predecessor) so that every break
/// is reported.
#[derive(Default)]
pub struct ChainWalk {
    breaks: Vec<Break>,
    prev_hash: Option<Vec<u8>>,
    prev_position: i64,
    revisions: HashMap<String, i64>,
    count: i64,
}

impl ChainWalk {
    pub fn push(&mut self, r: &ChainRow<'_>) {
        self.count += 1;
        let position = r.position;
        if position != self.prev_position + 1 {
            self.breaks.push(Break {
                position,
                message: format!(
                    "events {} to {} are missing",
                    self.prev_position + 1,
                    position - 1
                ),
            });
        }
        let last_rev = self.revisions.entry(r.stream_id.to_string()).or_insert(0);
        if r.revision != *last_rev + 1 {
            self.breaks.push(Break {
                position,
                message: format!(
                    "stream {} jumps from revision {} to {}",
                    r.stream_id, *last_rev, r.revision
                ),
            });
        }
        *last_rev = r.revision;
        let prev = self.prev_hash.as_deref().unwrap_or(&GENESIS);
        let computed = event_hash(
            prev,
            &HashInput {
                position,
                stream_id: r.stream_id,
                stream_type: r.stream_type,
                revision: r.revision,
                event_type: r.event_type,
                schema_version: r.schema_version,
                payload: r.payload,
                metadata: r.metadata,
                recorded_at: r.recorded_at,
            },
        );
        if computed[..] != r.hash[..] {
            self.breaks.push(Break {
                position,
                message: format!(
                    "event {position} ({} revision {}) does not match its hash: \
                     it was changed, or an event before it was",
                    r.stream_id, r.revision
                ),
            });
        }
        self.prev_hash = Some(r.hash.to_vec());
        self.prev_position = position;
    }

    /// The report; `highest` is the highest position the store remembers writing (a shorter
    /// log lost its tail).
    pub fn finish(mut self, highest: Option<i64>) -> ChainReport {
        if let Some(highest) = highest.filter(|h| *h > self.prev_position) {
            self.breaks.push(Break {
                position: self.prev_position + 1,
                message: format!(
                    "events {} to {highest} are missing from the end of the log",
                    self.prev_position + 1
                ),
            });
        }
        ChainReport {
            events: self.count,
            breaks: self.breaks,
        }
    }
}

/// Checks every event of a SQLite log (see [`ChainWalk`]).
pub fn verify_chain(conn: &Connection) -> Result<ChainReport, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT position, stream_id, stream_type, revision, event_type, schema_version, payload, \
         metadata, recorded_at, hash FROM events ORDER BY position",
    )?;
    let mut rows = stmt.query([])?;
    let mut walk = ChainWalk::default();
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
        let (stream_id, stream_type, event_type) = (text(1)?, text(2)?, text(4)?);
        let (payload, metadata, recorded_at) = (text(6)?, text(7)?, text(8)?);
        let hash: Vec<u8> = r.get(9)?;
        walk.push(&ChainRow {
            position: r.get(0)?,
            stream_id: &stream_id,
            stream_type: &stream_type,
            revision: r.get(3)?,
            event_type: &event_type,
            schema_version: r.get(5)?,
            payload: &payload,
            metadata: &metadata,
            recorded_at: &recorded_at,
            hash: &hash,
        });
    }
    // AUTOINCREMENT remembers the highest position ever written: a shorter log lost its tail.
    let highest: Option<i64> = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'events'",
            [],
            |r| r.get(0),
        )
        .ok();
    Ok(walk.finish(highest))
}
