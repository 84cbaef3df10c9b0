//! The database's tables, its identity (`application_id`) and its schema version (`user_version`).

use rusqlite::Connection;

use super::StoreError;

/// "BRGD": marks a SQLite file as a Brigade database.
pub const APPLICATION_ID: i64 = 0x4252_4744;
/// The newest schema this build knows. A database with a higher one was written by a newer
/// Brigade and is refused rather than misread.
pub const SCHEMA_VERSION: i64 = 1;

const DDL: &str = r#"
CREATE TABLE events (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id      TEXT    NOT NULL,
    stream_type    TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    hash           BLOB    NOT NULL,
    UNIQUE (stream_id, revision)
);
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- What each command id did: a repeat of the same command returns `result`; the same id for
-- a different command (another `fingerprint`) is refused.
CREATE TABLE commands (
    command_id  TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    stream_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    result      TEXT NOT NULL
) WITHOUT ROWID;

-- Every snapshot is kept (one per so many events of a stream), so that the state at any
-- revision is a snapshot and a short tail away: the audit trail loads a window of history.
CREATE TABLE snapshots (
    stream_id      TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state          TEXT NOT NULL
);
CREATE UNIQUE INDEX snapshots_by_stream ON snapshots (stream_id, revision);
CREATE TRIGGER snapshots_are_append_only_update BEFORE UPDATE ON snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshots_are_append_only_delete BEFORE DELETE ON snapshots
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;

CREATE TABLE projection_checkpoints (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
) WITHOUT ROWID;

-- Read models are rowid tables updated in place, so that a document larger than an index
-- cell never spills into overflow pages and an update rewrites one leaf page. Their indexes
-- are on columns that rarely change (status) or never do (ids, opening time), so that most
-- updates write no index page.
CREATE TABLE order_views (
    order_id   TEXT NOT NULL,
    status     TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    position   INTEGER NOT NULL,
    doc        TEXT NOT NULL
);
CREATE UNIQUE INDEX order_views_by_id ON order_views (order_id);
CREATE INDEX order_views_by_status ON order_views (status, opened_at);
CREATE INDEX order_views_by_opened ON order_views (opened_at);

CREATE TABLE kitchen_tickets (
    ticket_id TEXT NOT NULL,
    order_id  TEXT NOT NULL,
    status    TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    ready_at  TEXT,
    doc       TEXT NOT NULL
);
CREATE UNIQUE INDEX kitchen_tickets_by_id ON kitchen_tickets (ticket_id);
CREATE INDEX kitchen_tickets_by_status ON kitchen_tickets (status, sent_at);
CREATE INDEX kitchen_tickets_by_order ON kitchen_tickets (order_id);

CREATE TABLE item_popularity (
    item_id  TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    orders   INTEGER NOT NULL
) WITHOUT ROWID;
"#;

/// Read-model tables added after the first release: created by a writable open when missing
/// (read models are derived, so adding one is safe; the version bump then fills it), and
/// shadowed by an empty temporary table on a read-only connection.
pub const LATER_READ_MODEL_TABLES: &[(&str, &str)] = &[(
    "item_stock",
    "CREATE TABLE IF NOT EXISTS item_stock (item_id TEXT PRIMARY KEY, doc TEXT NOT NULL) \
     WITHOUT ROWID",
)];

/// Creates the read-model tables a database from an older release lacks.
pub fn add_later_tables(conn: &Connection) -> Result<(), StoreError> {
    for (name, create) in LATER_READ_MODEL_TABLES {
        if !has_table(conn, "main", name)? {
            conn.execute_batch(create)?;
        }
    }
    Ok(())
}

/// On a read-only connection to an older database: an empty temporary table stands in for each
/// missing one, so the same queries read it (as empty).
pub fn shadow_later_tables(conn: &Connection) -> Result<(), StoreError> {
    for (name, create) in LATER_READ_MODEL_TABLES {
        if !has_table(conn, "main", name)? {
            conn.execute_batch(&create.replace("CREATE TABLE IF NOT EXISTS", "CREATE TEMP TABLE"))?;
        }
    }
    Ok(())
}

fn has_table(conn: &Connection, schema: &str, name: &str) -> Result<bool, StoreError> {
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?1"),
        [name],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// The read models' indexes: a rebuild drops them, writes every row, and builds them again
/// (one sort each, instead of a B-tree insert per row).
pub const READ_MODEL_INDEXES: &[(&str, &str)] = &[
    (
        "order_views_by_id",
        "CREATE UNIQUE INDEX order_views_by_id ON order_views (order_id)",
    ),
    (
        "order_views_by_status",
        "CREATE INDEX order_views_by_status ON order_views (status, opened_at)",
    ),
    (
        "order_views_by_opened",
        "CREATE INDEX order_views_by_opened ON order_views (opened_at)",
    ),
    (
        "kitchen_tickets_by_id",
        "CREATE UNIQUE INDEX kitchen_tickets_by_id ON kitchen_tickets (ticket_id)",
    ),
    (
        "kitchen_tickets_by_status",
        "CREATE INDEX kitchen_tickets_by_status ON kitchen_tickets (status, sent_at)",
    ),
    (
        "kitchen_tickets_by_order",
        "CREATE INDEX kitchen_tickets_by_order ON kitchen_tickets (order_id)",
    ),
];

/// Checks that `conn` is a Brigade database this build can read, creating the schema in an empty
/// file.
pub fn prepare(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_a_db(e, path))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| not_a_db(e, path))?;
    if app_id == 0 && tables == 0 {
        return create(conn, path);
    }
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotBrigade(path.to_string()));
    }
    check_version(conn, path)
}

/// Checks that `conn` is a Brigade database this build can read, changing nothing (for
/// read-only connections): a file without tables is refused, not given a schema.
pub fn check(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| not_a_db(e, path))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| not_a_db(e, path))?;
    if app_id == 0 && tables == 0 {
        return Err(StoreError::Empty(path.to_string()));
    }
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotBrigade(path.to_string()));
    }
    check_version(conn, path)
}

fn check_version(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

fn create(conn: &Connection, path: &str) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        // Another process may have created it while we waited for the lock.
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables == 0 {
            conn.execute_batch(DDL)?;
            conn.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            ))?;
        }
        Ok::<_, StoreError>(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotBrigade(path.to_string()));
    }
    check_version(conn, path)
}

fn not_a_db(e: rusqlite::Error, path: &str) -> StoreError {
    match StoreError::from(e) {
        StoreError::NotADatabase(_) => StoreError::NotADatabase(path.to_string()),
        other => other,
    }
}
