//! The SQLite backend: one file in WAL mode, durable (`synchronous=FULL`) by default.
//!
//! Positions are allocated inside the writing transaction (`BEGIN IMMEDIATE`), so a reader's
//! "everything after my checkpoint" is exact: there are no gaps and no in-flight positions.
//! Read models are updated by the [`Projector`] in the same transaction as the events they
//! follow, with their checkpoint, so a crash can never leave them behind or ahead of the log.
//!
//! This module holds the store's types and how it is opened; [`open`] makes connections,
//! [`append`] writes commands' events, [`event_store`] implements [`EventStore`](super::EventStore) on it and
//! [`read`] scans the log.

mod append;
mod event_store;
mod open;
mod read;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::{RecordedEvent, StoreError};

pub use open::{open_connection, open_existing_connection};
pub use read::{parse_time, scan, scan_raw, RawRef};

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
}
