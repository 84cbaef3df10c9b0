//! Learning cheaply that another connection (any process) committed something.
//!
//! `PRAGMA data_version` changes whenever *another* connection commits to the file; it costs a
//! few microseconds to ask. A [`Watcher`] owns a dedicated connection so that it also notices the
//! commits of its own process's writer connection.

use std::path::Path;

use rusqlite::Connection;

use super::{sqlite::open_existing_connection, StoreError};

pub struct Watcher {
    conn: Connection,
    last: i64,
}

impl Watcher {
    /// Watches an existing database (it is never created here).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = open_existing_connection(path)?;
        let last = data_version(&conn)?;
        Ok(Watcher { conn, last })
    }

    /// True when something was committed since the last call (or since opening).
    pub fn changed(&mut self) -> Result<bool, StoreError> {
        let now = data_version(&self.conn)?;
        let changed = now != self.last;
        self.last = now;
        Ok(changed)
    }
}

fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?)
}
