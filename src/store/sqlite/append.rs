//! Appending a command's events: one `BEGIN IMMEDIATE` transaction that checks the expected
//! revision and the command id, chains each event's hash, runs the projector and records the
//! command's result and snapshot.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{parse_time, SqliteStore};
use crate::store::hash::{event_hash, HashInput, GENESIS};
use crate::store::{seal, upcast, Append, AppendOutcome, CommandRecord, RecordedEvent, StoreError};

impl SqliteStore {
    pub(super) fn try_append(&mut self, a: &Append<'_>) -> Result<AppendOutcome, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(command_id) = a.command_id {
            if let Some(done) = command_record(&tx, command_id)? {
                if done.fingerprint != a.fingerprint {
                    return Err(StoreError::CommandIdReused(command_id.to_string()));
                }
                return Ok(AppendOutcome::Duplicate {
                    result: done.result,
                });
            }
        }
        let actual: i64 = tx
            .prepare_cached("SELECT coalesce(max(revision), 0) FROM events WHERE stream_id = ?1")?
            .query_row([a.stream_id], |r| r.get(0))?;
        if actual as u64 != a.expected_revision {
            return Err(StoreError::Conflict {
                stream_id: a.stream_id.to_string(),
                expected: a.expected_revision,
                actual: actual as u64,
            });
        }
        let last: Option<(i64, Vec<u8>, String)> = tx
            .prepare_cached("SELECT position, hash, recorded_at FROM events WHERE position = (SELECT max(position) FROM events)")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let (mut position, mut prev, head_time) =
            last.unwrap_or((0, GENESIS.to_vec(), String::new()));
        let recorded_at = recorded_time(a.recorded_at, &head_time);
        let mut recorded = Vec::with_capacity(a.events.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (position, stream_id, stream_type, revision, event_type, \
                 schema_version, payload, metadata, recorded_at, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for (i, e) in a.events.iter().enumerate() {
                position += 1;
                let revision = a.expected_revision + i as u64 + 1;
                let version = upcast::current_version(e.event_type);
                let metadata = serde_json::to_string(&e.metadata)
                    .expect("metadata is plain data and always serialises");
                let hash = event_hash(
                    &prev,
                    &HashInput {
                        position,
                        stream_id: a.stream_id,
                        stream_type: a.stream_type,
                        revision: revision as i64,
                        event_type: e.event_type,
                        schema_version: version as i64,
                        payload: &e.payload,
                        metadata: &metadata,
                        recorded_at: &recorded_at,
                    },
                );
                let stored = insert.execute(params![
                    position,
                    a.stream_id,
                    a.stream_type,
                    revision as i64,
                    e.event_type,
                    version,
                    e.payload,
                    metadata,
                    recorded_at,
                    &hash[..],
                ])?;
                // A trigger that is not Brigade's can swallow an insert (RAISE(IGNORE)): an
                // event that was not stored is never acknowledged.
                if stored != 1 {
                    return Err(StoreError::Corrupt(format!(
                        "the log did not store the event at position {position} (a trigger \
                         that is not Brigade's?): nothing was written"
                    )));
                }
                prev = hash.to_vec();
                recorded.push(RecordedEvent {
                    position,
                    stream_id: a.stream_id.to_string(),
                    stream_type: a.stream_type.to_string(),
                    revision,
                    event_type: e.event_type.to_string(),
                    stored_version: version,
                    payload: e.payload.clone(),
                    metadata: e.metadata.clone(),
                    recorded_at: parse_time(&recorded_at)?,
                });
            }
        }
        if let Some(projector) = &self.projector {
            projector.project(&tx, &recorded)?;
        }
        let result = a.result.map(|f| f(&recorded));
        if let (Some(command_id), Some(result)) = (a.command_id, &result) {
            let stored = tx
                .prepare_cached(
                    "INSERT INTO commands (command_id, fingerprint, stream_id, position, result) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    command_id,
                    a.fingerprint,
                    a.stream_id,
                    position,
                    result
                ])?;
            if stored != 1 {
                return Err(StoreError::Corrupt(format!(
                    "the command record of {command_id} was not stored (a trigger that is not \
                     Brigade's?): nothing was written"
                )));
            }
        }
        if let Some(s) = &a.snapshot {
            let event_hash: Vec<u8> = tx
                .prepare_cached("SELECT hash FROM events WHERE stream_id = ?1 AND revision = ?2")?
                .query_row(params![s.stream_id, s.revision as i64], |r| r.get(0))?;
            let seal = seal::snapshot_seal(&event_hash, s.schema_version, &s.state);
            tx.prepare_cached(
                "INSERT OR IGNORE INTO snapshots (stream_id, revision, schema_version, state, seal) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                s.stream_id,
                s.revision as i64,
                s.schema_version,
                s.state,
                &seal[..]
            ])?;
        }
        tx.commit()?;
        Ok(AppendOutcome::Appended {
            events: recorded,
            result,
        })
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
/// When an event is recorded: the clock's time, but never earlier than the event before it (a
/// clock stepped back by NTP must not put a new event before an older one). Stored with
/// millisecond precision, so the comparison is made on that form.
fn recorded_time(now: DateTime<Utc>, head: &str) -> String {
    let now = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    match parse_time(head) {
        Ok(head_time) if head_time > parse_time(&now).unwrap_or(head_time) => {
            head_time.to_rfc3339_opts(SecondsFormat::Millis, true)
        }
        _ => now,
    }
}
