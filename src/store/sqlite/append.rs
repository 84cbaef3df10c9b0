//! Appending a command's events on SQLite: one `BEGIN IMMEDIATE` transaction (SQLite's one
//! writer lock serialises appends) in which the shared append
//! ([`append_logic`](crate::store::append_logic)) runs over this file's tables.

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{Projector, SqliteStore};
use crate::store::append_logic::{self, AppendTx, EventRow, Head};
use crate::store::{Append, AppendOutcome, CommandRecord, RecordedEvent, Snapshot, StoreError};

impl SqliteStore {
    pub(super) fn try_append(&mut self, a: &Append<'_>) -> Result<AppendOutcome, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = append_logic::append(
            &mut SqliteTx {
                tx: &tx,
                projector: self.projector.as_deref(),
            },
            a,
        )?;
        if matches!(outcome, AppendOutcome::Appended { .. }) {
            tx.commit()?;
        }
        Ok(outcome)
    }
}

/// The append's transaction on this file.
struct SqliteTx<'t> {
    tx: &'t Transaction<'t>,
    projector: Option<&'t dyn Projector>,
}

impl AppendTx for SqliteTx<'_> {
    fn command_record(&mut self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        command_record(self.tx, command_id)
    }

    fn stream_revision(&mut self, stream_id: &str) -> Result<u64, StoreError> {
        let actual: i64 = self
            .tx
            .prepare_cached("SELECT coalesce(max(revision), 0) FROM events WHERE stream_id = ?1")?
            .query_row([stream_id], |r| r.get(0))?;
        Ok(actual as u64)
    }

    fn head(&mut self) -> Result<Option<Head>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT position, hash, recorded_at FROM events \
                 WHERE position = (SELECT max(position) FROM events)",
            )?
            .query_row([], |r| {
                Ok(Head {
                    position: r.get(0)?,
                    hash: r.get(1)?,
                    recorded_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn insert_event(&mut self, e: &EventRow<'_>) -> Result<usize, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "INSERT INTO events (position, stream_id, stream_type, revision, event_type, \
                 schema_version, payload, metadata, recorded_at, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                e.position,
                e.stream_id,
                e.stream_type,
                e.revision,
                e.event_type,
                e.schema_version,
                e.payload,
                e.metadata,
                e.recorded_at,
                e.hash,
            ])?)
    }

    fn project(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError> {
        match self.projector {
            Some(p) => p.project(self.tx, events),
            None => Ok(()),
        }
    }

    fn insert_command(
        &mut self,
        command_id: &str,
        fingerprint: &str,
        stream_id: &str,
        position: i64,
        result: &str,
    ) -> Result<usize, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "INSERT INTO commands (command_id, fingerprint, stream_id, position, result) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                command_id,
                fingerprint,
                stream_id,
                position,
                result
            ])?)
    }

    fn event_hash_at(&mut self, stream_id: &str, revision: u64) -> Result<Vec<u8>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT hash FROM events WHERE stream_id = ?1 AND revision = ?2")?
            .query_row(params![stream_id, revision as i64], |r| r.get(0))?)
    }

    fn insert_snapshot(&mut self, s: &Snapshot, seal: &[u8]) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO snapshots (stream_id, revision, schema_version, state, seal) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                s.stream_id,
                s.revision as i64,
                s.schema_version,
                s.state,
                seal
            ])?;
        Ok(())
    }

    /// SQLite reads the head off the log itself (`max(position)`): nothing to move.
    fn set_head(&mut self, _: &Head) -> Result<(), StoreError> {
        Ok(())
    }
}

pub(super) fn command_record(
    conn: &Connection,
    command_id: &str,
) -> Result<Option<CommandRecord>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT result, fingerprint FROM commands WHERE command_id = ?1")?
        .query_row([command_id], |r| {
            Ok(CommandRecord {
                result: r.get(0)?,
                fingerprint: r.get(1)?,
            })
        })
        .optional()?)
}
