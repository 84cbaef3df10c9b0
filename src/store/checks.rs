//! What `brigade verify` and the screens' banners ask of the log, behind a backend-neutral
//! trait: the guards, the hash chain, anchors, command records and stored snapshots, in plain
//! data. The application layer checks through [`LogChecks`] and never sees a connection; a
//! second backend implements it beside its [`EventStore`](super::EventStore).

use std::time::Duration;

use super::sqlite::SqliteStore;
use super::verify::anchors::{check_anchor, head_anchor};
use super::verify::commands::check_command_records;
use super::verify::guards::missing_guards;
use super::verify::{verify_chain, Anchor, ChainReport};
use super::{seal, StoreError};

/// A stored snapshot, as the snapshot check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRecord {
    pub stream_id: String,
    pub revision: u64,
    pub schema_version: u32,
    pub state: String,
    /// It carries a seal that does not match the event it claims to follow (snapshots written
    /// before sealing carry none: they are never loaded, and are not counted here).
    pub unsealed: bool,
}

/// The log's own checks, in plain data.
pub trait LogChecks {
    /// The append-only guards that are missing or replaced, one line each.
    fn missing_guards(&self) -> Result<Vec<String>, StoreError>;
    /// Every event against its hash and its predecessor's.
    fn verify_chain(&self) -> Result<ChainReport, StoreError>;
    /// What is wrong with the log at `anchor`, if anything.
    fn check_anchor(&self, anchor: &Anchor) -> Result<Option<String>, StoreError>;
    /// The newest event as an anchor.
    fn head_anchor(&self) -> Result<Anchor, StoreError>;
    /// Command-id records that do not match their events, one line each.
    fn check_command_records(&self) -> Result<Vec<String>, StoreError>;
    /// Every stored snapshot, by stream then revision.
    fn snapshot_records(&self) -> Result<Vec<SnapshotRecord>, StoreError>;
    /// Runs `f` with every read it makes seeing the same state of the database, so that writers
    /// meanwhile can never show it half of a command.
    fn consistently<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError>;
    /// How long one call waits for another process's lock before it counts as busy.
    fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError>;
}

impl LogChecks for SqliteStore {
    fn missing_guards(&self) -> Result<Vec<String>, StoreError> {
        missing_guards(self.connection())
    }

    fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        verify_chain(self.connection())
    }

    fn check_anchor(&self, anchor: &Anchor) -> Result<Option<String>, StoreError> {
        check_anchor(self.connection(), anchor)
    }

    fn head_anchor(&self) -> Result<Anchor, StoreError> {
        head_anchor(self.connection())
    }

    fn check_command_records(&self) -> Result<Vec<String>, StoreError> {
        check_command_records(self.connection())
    }

    fn snapshot_records(&self) -> Result<Vec<SnapshotRecord>, StoreError> {
        let mut stmt = self.connection().prepare(
            "SELECT s.stream_id, s.revision, s.schema_version, s.state, s.seal, e.hash \
             FROM snapshots s LEFT JOIN events e \
             ON e.stream_id = s.stream_id AND e.revision = s.revision \
             ORDER BY s.stream_id, s.revision",
        )?;
        let rows = stmt.query_map([], |r| {
            let seal: Option<Vec<u8>> = r.get(4)?;
            let event_hash: Option<Vec<u8>> = r.get(5)?;
            let schema_version: u32 = r.get(2)?;
            let state: String = r.get(3)?;
            let unsealed = seal.is_some()
                && !seal::seal_matches(
                    seal.as_deref(),
                    event_hash.as_deref(),
                    schema_version,
                    &state,
                );
            Ok(SnapshotRecord {
                stream_id: r.get(0)?,
                revision: r.get::<_, i64>(1)? as u64,
                schema_version,
                state,
                unsealed,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn consistently<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        let conn = self.connection();
        // A deferred transaction: the first read fixes the snapshot every later read sees.
        conn.execute_batch("BEGIN DEFERRED")?;
        let out = f();
        let _ = conn.execute_batch("ROLLBACK");
        Ok(out)
    }

    fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError> {
        Ok(self.connection().busy_timeout(wait)?)
    }
}
