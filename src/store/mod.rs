//! The event store: one append-only SQLite table of events, behind a narrow interface.
//!
//! - [`EventStore`] is what the rest of Brigade needs from any backend: append with an expected
//!   revision (atomic per command, idempotent per command id), read a stream, read everything
//!   after a global position, and learn cheaply that something new was committed.
//! - [`sqlite::SqliteStore`] implements it on one SQLite file in WAL mode, durable by default.
//! - [`hash`] chains every event to the one before it; [`verify`] walks the chain and checks
//!   everything else a tamperer could touch; [`seal`] ties snapshots to the chain.
//! - [`upcast`] (the domain's [`codec`](crate::domain::codec), beside the events) reads events
//!   stored with an older schema version as the current one.

pub mod append_logic;
pub mod checks;
pub mod error;
pub mod hash;
pub mod postgres;
pub mod read_only;
pub mod schema;
pub mod seal;
pub mod sqlite;
pub mod stored;
pub use crate::domain::codec as upcast;
pub mod verify;
pub mod watch;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use checks::{LogChecks, SnapshotRecord};
pub use error::StoreError;
pub use sqlite::{Durability, SqliteStore};

/// A global position in the log: 1 for the first event, never reused, never skipped.
pub type Position = i64;

/// Who and what caused an event. Stored as JSON beside the payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub event_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<String>,
    pub actor: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub terminal: String,
}

/// An event about to be appended.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: &'static str,
    pub payload: String,
    pub metadata: Metadata,
}

/// An event as read back from the log, its payload upcast to the current schema version.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedEvent {
    pub position: Position,
    pub stream_id: String,
    pub stream_type: String,
    /// 1 for a stream's first event.
    pub revision: u64,
    pub event_type: String,
    /// The schema version the event was stored with (the payload is always current).
    pub stored_version: u32,
    pub payload: String,
    pub metadata: Metadata,
    pub recorded_at: DateTime<Utc>,
}

/// A serialised aggregate state at a revision, tagged with the shape it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub stream_id: String,
    pub revision: u64,
    pub schema_version: u32,
    pub state: String,
}

/// Called with `(revision, event_type, schema_version, payload)` for each event as stored.
pub type EachStored<'a> = dyn FnMut(u64, &str, u32, &str) -> Result<(), StoreError> + 'a;

/// Builds a command's stored result from its events as recorded.
pub type ResultBuilder<'a> = dyn Fn(&[RecordedEvent]) -> String + 'a;

/// One command's events, appended atomically if the stream is still at `expected_revision`.
pub struct Append<'a> {
    pub stream_id: &'a str,
    pub stream_type: &'a str,
    /// The revision the decision was made against (0: the stream must not exist yet).
    pub expected_revision: u64,
    pub events: Vec<NewEvent>,
    pub recorded_at: DateTime<Utc>,
    /// Recorded with the events so that the same command is never applied twice.
    pub command_id: Option<&'a str>,
    /// What the command was (a digest): the same id with another fingerprint is refused.
    pub fingerprint: &'a str,
    /// Builds the result stored for `command_id` (and returned to a repeat), given the events
    /// as recorded.
    pub result: Option<&'a ResultBuilder<'a>>,
    /// A snapshot to store in the same transaction.
    pub snapshot: Option<Snapshot>,
}

/// What a command id was used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub fingerprint: String,
    pub result: String,
}

/// What an append did.
#[derive(Debug, Clone, PartialEq)]
pub enum AppendOutcome {
    Appended {
        events: Vec<RecordedEvent>,
        result: Option<String>,
    },
    /// The command id was already recorded: nothing was written; here is the first result.
    Duplicate { result: String },
}

/// The narrow interface every backend offers.
pub trait EventStore {
    /// Appends one command's events atomically, or fails with [`StoreError::Conflict`] when the
    /// stream has moved past `expected_revision`.
    fn append(&mut self, append: Append<'_>) -> Result<AppendOutcome, StoreError>;
    /// The events of one stream with a revision above `after_revision`, in order.
    fn read_stream(
        &self,
        stream_id: &str,
        after_revision: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_stream_until(stream_id, after_revision, i64::MAX as u64)
    }
    /// Calls `each` for every event after `position`, in order, until it returns false.
    fn for_each_after(
        &self,
        position: Position,
        each: &mut dyn FnMut(RecordedEvent) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError>;
    /// The position of the newest event (0 when the log is empty).
    fn head(&self) -> Result<Position, StoreError>;
    /// The current revision of a stream (0 when it does not exist).
    fn stream_revision(&self, stream_id: &str) -> Result<u64, StoreError>;
    /// The stored result and fingerprint of a command already applied.
    fn command_record(&self, command_id: &str) -> Result<Option<CommandRecord>, StoreError>;
    /// The newest snapshot of a stream at or before `revision`, if any.
    fn snapshot_at_or_before(
        &self,
        stream_id: &str,
        revision: u64,
    ) -> Result<Option<Snapshot>, StoreError>;
    /// The newest snapshot of a stream, if any.
    fn snapshot(&self, stream_id: &str) -> Result<Option<Snapshot>, StoreError> {
        self.snapshot_at_or_before(stream_id, i64::MAX as u64)
    }
    /// Calls `each(revision, event_type, schema_version, payload)` for the events of one stream
    /// with revisions in `after_revision + 1 ..= up_to`, as stored (decode them with
    /// [`crate::domain::codec`]): for folding an aggregate, which needs neither metadata nor
    /// times.
    fn fold_stream(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
        each: &mut EachStored<'_>,
    ) -> Result<(), StoreError> {
        for e in self.read_stream_until(stream_id, after_revision, up_to)? {
            let version = upcast::current_version(&e.event_type);
            each(e.revision, &e.event_type, version, &e.payload)?;
        }
        Ok(())
    }
    /// The events of one stream with revisions in `after_revision + 1 ..= up_to`, in order.
    fn read_stream_until(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError>;
}
