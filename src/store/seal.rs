//! Snapshots are tied to the chain: each carries a seal, sha256 over the hash of the event at
//! its revision, its schema version and its state. A snapshot is used only when its seal
//! matches the log as it is now; an edited (or unsealed, older) snapshot is passed over and the
//! order is replayed from its events instead. Verify also replays every snapshot, so even a
//! forger who recomputes the seal is caught there.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::StoreError;

/// The seal of a snapshot taken right after the event whose stored hash is `event_hash`.
pub fn snapshot_seal(event_hash: &[u8], schema_version: u32, state: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"brigade snapshot seal v1");
    h.update((event_hash.len() as u64).to_be_bytes());
    h.update(event_hash);
    h.update(schema_version.to_be_bytes());
    h.update((state.len() as u64).to_be_bytes());
    h.update(state.as_bytes());
    h.finalize().into()
}

/// A stored snapshot row, with the hash of the event at its revision (none: no such event).
pub struct SealedRow {
    pub revision: i64,
    pub schema_version: u32,
    pub state: String,
    pub seal: Option<Vec<u8>>,
    pub event_hash: Option<Vec<u8>>,
}

/// Of `rows` (newest first), the first whose seal matches the log as it is now, as a snapshot
/// of `stream_id`: an edited or unsealed snapshot is passed over (the caller replays instead).
/// The same rule for every backend.
pub fn first_trusted(
    stream_id: &str,
    rows: impl IntoIterator<Item = SealedRow>,
) -> Option<super::Snapshot> {
    rows.into_iter()
        .find(|r| {
            seal_matches(
                r.seal.as_deref(),
                r.event_hash.as_deref(),
                r.schema_version,
                &r.state,
            )
        })
        .map(|r| super::Snapshot {
            stream_id: stream_id.to_string(),
            revision: r.revision as u64,
            schema_version: r.schema_version,
            state: r.state,
        })
}

/// Whether a stored seal is the one the snapshot and the log call for.
pub fn seal_matches(
    seal: Option<&[u8]>,
    event_hash: Option<&[u8]>,
    schema_version: u32,
    state: &str,
) -> bool {
    match (seal, event_hash) {
        (Some(seal), Some(hash)) => seal[..] == snapshot_seal(hash, schema_version, state)[..],
        _ => false,
    }
}

/// Adds the `seal` column to a database written before snapshots were sealed. Old rows keep a
/// NULL seal: they are never trusted when loading (the order is replayed) but still checked by
/// verify. Idempotent; cheap once done.
pub fn migrate(conn: &Connection) -> Result<(), StoreError> {
    if has_seal_column(conn)? {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        // Another process may have added it while we waited for the lock.
        if !has_seal_column(conn)? {
            conn.execute_batch("ALTER TABLE snapshots ADD COLUMN seal BLOB")?;
        }
        Ok::<_, StoreError>(())
    })();
    match result {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// On a read-only connection to a database written before snapshots were sealed (which must
/// not be migrated: a read-only command never writes), a temporary view shadows `snapshots`
/// with a NULL `seal`, so the same queries read it: its snapshots are unsealed, so replayed.
/// The view lives in memory, in this connection's own temp schema.
pub fn shadow_missing_column(conn: &Connection) -> Result<(), StoreError> {
    if has_seal_column(conn)? {
        return Ok(());
    }
    conn.execute_batch(
        "PRAGMA temp_store = MEMORY;
         CREATE TEMP VIEW snapshots AS SELECT *, NULL AS seal FROM main.snapshots;",
    )?;
    Ok(())
}

fn has_seal_column(conn: &Connection) -> Result<bool, StoreError> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('snapshots') WHERE name = 'seal'",
        [],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
