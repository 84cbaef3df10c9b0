//! Learning cheaply that another connection (any process, any machine) committed something.
//!
//! On SQLite, `PRAGMA data_version` changes whenever *another* connection commits to the file;
//! it costs a few microseconds to ask. A [`Watcher`] owns a dedicated connection so that it also
//! notices the commits of its own process's writer connection. On PostgreSQL the watcher is a
//! [`PgWatcher`]: LISTEN as the wake-up, a read of the head as the answer and the safety net.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::postgres::watch::PgWatcher;
use super::{sqlite::open_existing_connection, StoreError};

pub enum Watcher {
    Sqlite {
        conn: Connection,
        last: i64,
    },
    /// Boxed: the server's watcher is larger than the file's.
    Postgres(Box<PgWatcher>),
}

impl Watcher {
    /// Watches an existing SQLite database (it is never created here).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = open_existing_connection(path)?;
        let last = data_version(&conn)?;
        Ok(Watcher::Sqlite { conn, last })
    }

    /// Watches the PostgreSQL database at `url`.
    pub fn postgres(url: &str) -> Result<Self, StoreError> {
        Ok(Watcher::Postgres(Box::new(PgWatcher::open(url)?)))
    }

    /// Whether [`wait`](Self::wait) can block until a commit (a server's LISTEN) rather
    /// than being polled (a file's `data_version`).
    pub fn can_wait(&self) -> bool {
        matches!(self, Watcher::Postgres(_))
    }

    /// Waits up to `timeout` for a commit; true when something was committed since the last
    /// call. A file's watcher cannot wait: it answers at once, as [`changed`](Self::changed).
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, StoreError> {
        match self {
            Watcher::Postgres(w) => w.wait(timeout),
            Watcher::Sqlite { .. } => self.changed(),
        }
    }

    /// True when something was committed since the last call (or since opening).
    pub fn changed(&mut self) -> Result<bool, StoreError> {
        match self {
            Watcher::Sqlite { conn, last } => {
                let now = data_version(conn)?;
                let changed = now != *last;
                *last = now;
                Ok(changed)
            }
            // Does not block: a notification already in, or the head read, answers.
            Watcher::Postgres(w) => w.wait(Duration::ZERO),
        }
    }
}

fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("PRAGMA data_version")?
        .query_row([], |r| r.get(0))?)
}
