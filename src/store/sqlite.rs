//! The SQLite backend: one file in WAL mode, durable (`synchronous=FULL`) by default.
//!
//! Positions are allocated inside the writing transaction (`BEGIN IMMEDIATE`), so a reader's
//! "everything after my checkpoint" is exact: there are no gaps and no in-flight positions.
//! Read models are updated by the [`Projector`] in the same transaction as the events they
//! follow, with their checkpoint, so a crash can never leave them behind or ahead of the log.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior};

use super::hash::{event_hash, HashInput, GENESIS};
use super::{
    schema, seal, upcast, Append, AppendOutcome, CommandRecord, EachStored, EventStore, Metadata,
    Position, RecordedEvent, Snapshot, StoreError,
};

/// How hard a commit tries to survive a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: an acknowledged command survives a power cut. The default.
    #[default]
    Full,
    /// `synchronous=NORMAL`: faster; a power cut may lose the last commits (never corrupts).
    Fast,
}

/// Keeps read models in step with the log, inside the appending transaction.
pub trait Projector: Send {
    fn project(&self, conn: &Connection, events: &[RecordedEvent]) -> Result<(), StoreError>;
}

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    projector: Option<Box<dyn Projector>>,
}

/// How long one SQLite call waits for a lock held by another process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) const EVENT_COLUMNS: &str = "position, stream_id, stream_type, revision, event_type, \
     schema_version, payload, metadata, recorded_at";

impl SqliteStore {
    /// Opens (creating if needed) the Brigade database at `path`.
    pub fn open(path: &Path, durability: Durability) -> Result<Self, StoreError> {
        let conn = open_connection(path)?;
        let sync = match durability {
            Durability::Full => "FULL",
            Durability::Fast => "NORMAL",
        };
        conn.execute_batch(&format!("PRAGMA synchronous = {sync};"))?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            projector: None,
        })
    }

    /// Opens an existing Brigade database for reading only: nothing in the file or its
    /// directory is written (see [`super::read_only`]); appends fail.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        Ok(SqliteStore {
            conn: super::read_only::open_read_only_connection(path)?,
            path: path.to_path_buf(),
            projector: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for read models stored in the same file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The connection, for whole-database maintenance (rebuilds).
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn set_projector(&mut self, projector: Box<dyn Projector>) {
        self.projector = Some(projector);
    }

    fn try_append(&mut self, a: &Append<'_>) -> Result<AppendOutcome, StoreError> {
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

impl EventStore for SqliteStore {
    fn append(&mut self, append: Append<'_>) -> Result<AppendOutcome, StoreError> {
        // The busy timeout already waits for other writers; a few more rounds cover a writer
        // that holds the lock for very long (a rebuild) without ever surfacing "locked".
        let mut attempts = 0;
        loop {
            match self.try_append(&append) {
                Err(StoreError::Busy) if attempts < 5 => attempts += 1,
                other => return other,
            }
        }
    }

    fn for_each_after(
        &self,
        position: Position,
        each: &mut dyn FnMut(RecordedEvent) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        scan(&self.conn, position, each)
    }

    fn head(&self) -> Result<Position, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(position), 0) FROM events")?
            .query_row([], |r| r.get(0))?)
    }

    fn stream_revision(&self, stream_id: &str) -> Result<u64, StoreError> {
        let rev: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(revision), 0) FROM events WHERE stream_id = ?1")?
            .query_row([stream_id], |r| r.get(0))?;
        Ok(rev as u64)
    }

    fn command_record(&self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        command_record(&self.conn, command_id)
    }

    fn snapshot_at_or_before(
        &self,
        stream_id: &str,
        revision: u64,
    ) -> Result<Option<Snapshot>, StoreError> {
        // Newest first; the first whose seal matches the log as it is now. An edited or
        // unsealed snapshot is passed over (the caller replays instead).
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.revision, s.schema_version, s.state, s.seal, e.hash FROM snapshots s \
             LEFT JOIN events e ON e.stream_id = s.stream_id AND e.revision = s.revision \
             WHERE s.stream_id = ?1 AND s.revision <= ?2 ORDER BY s.revision DESC",
        )?;
        let mut rows = stmt.query(params![stream_id, revision.min(i64::MAX as u64) as i64])?;
        while let Some(r) = rows.next()? {
            // A row of the wrong types (written behind the guards' back) is simply not used.
            let (Ok(rev), Ok(schema_version), Ok(state), Ok(seal), Ok(event_hash)) = (
                r.get::<_, i64>(0),
                r.get::<_, u32>(1),
                r.get::<_, String>(2),
                r.get::<_, Option<Vec<u8>>>(3),
                r.get::<_, Option<Vec<u8>>>(4),
            ) else {
                continue;
            };
            if seal::seal_matches(
                seal.as_deref(),
                event_hash.as_deref(),
                schema_version,
                &state,
            ) {
                return Ok(Some(Snapshot {
                    stream_id: stream_id.to_string(),
                    revision: rev as u64,
                    schema_version,
                    state,
                }));
            }
        }
        Ok(None)
    }

    fn fold_stream(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
        each: &mut EachStored<'_>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT revision, event_type, schema_version, payload FROM events \
             WHERE stream_id = ?1 AND revision > ?2 AND revision <= ?3 ORDER BY revision",
        )?;
        let up_to = up_to.min(i64::MAX as u64) as i64;
        let mut rows = stmt.query(params![stream_id, after_revision as i64, up_to])?;
        while let Some(r) = rows.next()? {
            let revision = r.get::<_, i64>(0)? as u64;
            let text = |i: usize| -> Result<&str, StoreError> {
                r.get_ref(i)?
                    .as_str()
                    .map_err(|e| StoreError::Corrupt(format!("column {i} of an event: {e}")))
            };
            let event_type = text(1)?;
            let version = u32::try_from(r.get::<_, i64>(2)?)
                .map_err(|_| StoreError::Corrupt("a bad schema version".into()))?;
            each(revision, event_type, version, text(3)?)?;
        }
        Ok(())
    }

    fn read_stream_until(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream_id = ?1 AND revision > ?2 \
             AND revision <= ?3 ORDER BY revision"
        ))?;
        let up_to = up_to.min(i64::MAX as u64) as i64;
        let rows = stmt.query_map(params![stream_id, after_revision as i64, up_to], raw_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?.decode()?);
        }
        Ok(out)
    }
}

fn command_record(
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

/// Opens a connection to a Brigade database with the shared settings (WAL, busy timeout),
/// refusing directories, foreign files and newer schemas with a clear error.
pub fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    open_connection_with(path, true)
}

/// Like [`open_connection`], but never creates the file: for connections opened after the
/// first (a screen's watcher reconnecting must not leave an empty database where the real one
/// was moved away).
pub fn open_existing_connection(path: &Path) -> Result<Connection, StoreError> {
    open_connection_with(path, false)
}

fn open_connection_with(path: &Path, create: bool) -> Result<Connection, StoreError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(StoreError::IsDirectory(shown));
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(64);
    // Identify the file before changing anything in it.
    schema::prepare(&conn, &shown)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Open {
            path: shown,
            reason: format!("cannot use write-ahead logging (journal mode is {mode})"),
        });
    }
    seal::migrate(&conn)?;
    Ok(conn)
}

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

/// A row as stored, before upcasting.
pub(crate) struct RawEvent {
    pub position: i64,
    pub stream_id: String,
    pub stream_type: String,
    pub revision: i64,
    pub event_type: String,
    pub schema_version: i64,
    pub payload: String,
    pub metadata: String,
    pub recorded_at: String,
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

impl RawEvent {
    pub(crate) fn decode(self) -> Result<RecordedEvent, StoreError> {
        let stored_version = u32::try_from(self.schema_version).map_err(|_| {
            StoreError::Corrupt(format!("event {} has a bad schema version", self.position))
        })?;
        let payload = upcast::upcast(
            &self.event_type,
            stored_version,
            self.payload,
            self.revision as u64,
        )?;
        let metadata: Metadata = serde_json::from_str(&self.metadata).map_err(|e| {
            StoreError::Corrupt(format!(
                "event {} has unreadable metadata: {e}",
                self.position
            ))
        })?;
        Ok(RecordedEvent {
            position: self.position,
            stream_id: self.stream_id,
            stream_type: self.stream_type,
            revision: self.revision as u64,
            event_type: self.event_type,
            stored_version,
            payload,
            metadata,
            recorded_at: parse_time(&self.recorded_at)?,
        })
    }
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

pub fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("bad timestamp {s:?}: {e}")))
}
