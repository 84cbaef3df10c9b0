//! Opening connections to a Brigade database with the shared settings (WAL, busy timeout),
//! refusing directories, foreign files and newer schemas.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::BUSY_TIMEOUT;
use crate::store::{schema, seal, StoreError};

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
    schema::add_later_tables(&conn)?;
    Ok(conn)
}
