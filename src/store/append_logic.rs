//! The append, one implementation for every backend. Inside one transaction that the backend
//! has opened (and, on a server, in which it has locked the log's head first), it checks the
//! command id, then the stream's revision, chains each event's hash to the head, stores the
//! events, moves the read models, records the command's result and stores a sealed snapshot.
//! A backend supplies the primitive reads and writes through [`AppendTx`]; the order of the
//! steps, the hash chain, the clock that never goes back and every refusal live here.

use chrono::{DateTime, SecondsFormat, Utc};

use super::hash::{event_hash, HashInput, GENESIS};
use super::{
    seal, upcast, Append, AppendOutcome, CommandRecord, RecordedEvent, Snapshot, StoreError,
};

/// One event row as stored.
pub struct EventRow<'a> {
    pub position: i64,
    pub stream_id: &'a str,
    pub stream_type: &'a str,
    pub revision: i64,
    pub event_type: &'a str,
    pub schema_version: i64,
    pub payload: &'a str,
    pub metadata: &'a str,
    pub recorded_at: &'a str,
    pub hash: &'a [u8],
}

/// The newest event of the log: where the next one goes and what it chains to.
pub struct Head {
    pub position: i64,
    pub hash: Vec<u8>,
    pub recorded_at: String,
}

/// What a backend does inside an append's transaction.
pub trait AppendTx {
    fn command_record(&mut self, command_id: &str) -> Result<Option<CommandRecord>, StoreError>;
    /// The stream's revision, read after the head was locked (a writer that waited for the lock
    /// must see what the one before it wrote).
    fn stream_revision(&mut self, stream_id: &str) -> Result<u64, StoreError>;
    /// The newest event (`None`: an empty log).
    fn head(&mut self) -> Result<Option<Head>, StoreError>;
    /// Stores one event; returns how many rows were stored (1, unless something swallowed it).
    fn insert_event(&mut self, row: &EventRow<'_>) -> Result<usize, StoreError>;
    /// Moves the read models (and their checkpoint) by the events just stored.
    fn project(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError>;
    /// Records a command's result; returns how many rows were stored.
    fn insert_command(
        &mut self,
        command_id: &str,
        fingerprint: &str,
        stream_id: &str,
        position: i64,
        result: &str,
    ) -> Result<usize, StoreError>;
    /// The hash of the event at `revision` of `stream_id`.
    fn event_hash_at(&mut self, stream_id: &str, revision: u64) -> Result<Vec<u8>, StoreError>;
    /// Stores a snapshot unless one is already stored at its revision.
    fn insert_snapshot(&mut self, snapshot: &Snapshot, seal: &[u8]) -> Result<(), StoreError>;
    /// Records the new head, for a backend that keeps it in a row of its own.
    fn set_head(&mut self, head: &Head) -> Result<(), StoreError>;
}

/// Appends `a` through `tx`; the caller commits when this returns `Appended`, and rolls back
/// otherwise (a duplicate writes nothing either way).
pub fn append(tx: &mut dyn AppendTx, a: &Append<'_>) -> Result<AppendOutcome, StoreError> {
    if let Some(command_id) = a.command_id {
        if let Some(done) = tx.command_record(command_id)? {
            if done.fingerprint != a.fingerprint {
                return Err(StoreError::CommandIdReused(command_id.to_string()));
            }
            return Ok(AppendOutcome::Duplicate {
                result: done.result,
            });
        }
    }
    let actual = tx.stream_revision(a.stream_id)?;
    if actual != a.expected_revision {
        return Err(StoreError::Conflict {
            stream_id: a.stream_id.to_string(),
            expected: a.expected_revision,
            actual,
        });
    }
    let head = tx.head()?.unwrap_or(Head {
        position: 0,
        hash: GENESIS.to_vec(),
        recorded_at: String::new(),
    });
    let recorded_at = recorded_time(a.recorded_at, &head.recorded_at);
    let at = parse_time(&recorded_at)?;
    let (mut position, mut prev) = (head.position, head.hash);
    let mut recorded = Vec::with_capacity(a.events.len());
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
        let stored = tx.insert_event(&EventRow {
            position,
            stream_id: a.stream_id,
            stream_type: a.stream_type,
            revision: revision as i64,
            event_type: e.event_type,
            schema_version: version as i64,
            payload: &e.payload,
            metadata: &metadata,
            recorded_at: &recorded_at,
            hash: &hash,
        })?;
        // Something that is not Brigade's (a trigger, a rule) can swallow an insert: an event
        // that was not stored is never acknowledged.
        if stored != 1 {
            return Err(StoreError::Corrupt(format!(
                "the log did not store the event at position {position} (a trigger that is not \
                 Brigade's?): nothing was written"
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
            recorded_at: at,
        });
    }
    tx.set_head(&Head {
        position,
        hash: prev,
        recorded_at: recorded_at.clone(),
    })?;
    tx.project(&recorded)?;
    let result = a.result.map(|f| f(&recorded));
    if let (Some(command_id), Some(result)) = (a.command_id, &result) {
        let stored = tx.insert_command(command_id, a.fingerprint, a.stream_id, position, result)?;
        if stored != 1 {
            return Err(StoreError::Corrupt(format!(
                "the command record of {command_id} was not stored (a trigger that is not \
                 Brigade's?): nothing was written"
            )));
        }
    }
    if let Some(s) = &a.snapshot {
        let event_hash = tx.event_hash_at(&s.stream_id, s.revision)?;
        let seal = seal::snapshot_seal(&event_hash, s.schema_version, &s.state);
        tx.insert_snapshot(s, &seal)?;
    }
    Ok(AppendOutcome::Appended {
        events: recorded,
        result,
    })
}

/// When an event is recorded: the clock's time, but never earlier than the event before it (a
/// clock stepped back by NTP must not put a new event before an older one). Stored with
/// millisecond precision, so the comparison is made on that form.
pub fn recorded_time(now: DateTime<Utc>, head: &str) -> String {
    let now = now.to_rfc3339_opts(SecondsFormat::Millis, true);
    match parse_time(head) {
        Ok(head_time) if head_time > parse_time(&now).unwrap_or(head_time) => {
            head_time.to_rfc3339_opts(SecondsFormat::Millis, true)
        }
        _ => now,
    }
}

/// A stored timestamp (RFC 3339, UTC).
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("bad timestamp {s:?}: {e}")))
}
