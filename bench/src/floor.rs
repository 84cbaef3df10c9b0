//! The floors: bare rusqlite doing the same I/O as Brigade, on a file with the same settings,
//! so that every figure can be reported as a ratio to what SQLite itself costs here.

use std::path::Path;
use std::time::Instant;

use rusqlite::{params, Connection};

use brigade::store::Durability;

/// A payload and metadata of the size Brigade writes for an `ItemAddedToOrder`.
pub const PAYLOAD: &str = r#"{"order_id":"o1234abcd","line_id":"l12","item_id":"margherita","name":"Margherita","station":"kitchen","price_cents":1200,"quantity":2,"note":"no basil"}"#;
pub const METADATA: &str = r#"{"event_id":"0193a8f2-7c4e-7a51-9d3e-2b8f6c1d4e5a","command_id":"0193a8f2-7c4e-7a51-9d3e-2b8f6c1d4e5b","correlation_id":"0193a8f2-7c4e-7a51-9d3e-2b8f6c1d4e5b","causation_id":"0193a8f2-7c4e-7a51-9d3e-2b8f6c1d4e5b","actor":"ana","terminal":"waiter"}"#;

fn open(path: &Path, durability: Durability) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    let sync = match durability {
        Durability::Full => "FULL",
        Durability::Fast => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync};
         CREATE TABLE IF NOT EXISTS events (
            position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL,
            stream_type TEXT NOT NULL, revision INTEGER NOT NULL, event_type TEXT NOT NULL,
            schema_version INTEGER NOT NULL, payload TEXT NOT NULL, metadata TEXT NOT NULL,
            recorded_at TEXT NOT NULL, hash BLOB NOT NULL, UNIQUE (stream_id, revision));"
    ))?;
    Ok(conn)
}

/// Inserts `n` event-shaped rows, one transaction each, spread over `streams` streams.
/// Returns rows per second.
pub fn insert_one_per_transaction(
    path: &Path,
    durability: Durability,
    n: u64,
    streams: u64,
) -> rusqlite::Result<f64> {
    let conn = open(path, durability)?;
    let hash = [7u8; 32];
    // Go on after the rows of an earlier round.
    let already: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    let start = Instant::now();
    for i in already as u64..already as u64 + n {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        conn.prepare_cached(
            "INSERT INTO events (stream_id, stream_type, revision, event_type, schema_version, \
             payload, metadata, recorded_at, hash) VALUES (?1, 'order', ?2, 'ItemAddedToOrder', 2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            format!("s{}", i % streams.max(1)),
            (i / streams.max(1)) as i64 + 1,
            PAYLOAD,
            METADATA,
            "2026-11-27T12:00:00.000Z",
            &hash[..]
        ])?;
        conn.execute_batch("COMMIT")?;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Reads every event of a Brigade database back and parses its payload and metadata JSON.
/// Returns events per second.
pub fn read_and_parse(path: &Path) -> rusqlite::Result<(u64, f64)> {
    let conn = Connection::open(path)?;
    let start = Instant::now();
    let mut stmt = conn.prepare("SELECT payload, metadata FROM events ORDER BY position")?;
    let mut rows = stmt.query([])?;
    let mut n = 0u64;
    while let Some(r) = rows.next()? {
        let payload = r.get_ref(0)?.as_str()?;
        let metadata = r.get_ref(1)?.as_str()?;
        let p: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
        let m: serde_json::Value = serde_json::from_str(metadata).unwrap_or_default();
        std::hint::black_box((p, m));
        n += 1;
    }
    Ok((n, n as f64 / start.elapsed().as_secs_f64()))
}

/// Reads one stream's events and parses their payload and metadata JSON (what an audit trail
/// shows: what happened, who, when). Returns seconds.
pub fn read_stream(path: &Path, stream_id: &str) -> rusqlite::Result<f64> {
    read_stream_range(path, stream_id, 1, i64::MAX)
}

/// Like [`read_stream`], for revisions `first..=last`.
pub fn read_stream_range(
    path: &Path,
    stream_id: &str,
    first: i64,
    last: i64,
) -> rusqlite::Result<f64> {
    let conn = Connection::open(path)?;
    let start = Instant::now();
    let mut stmt = conn.prepare(
        "SELECT payload, metadata, recorded_at FROM events \
         WHERE stream_id = ?1 AND revision >= ?2 AND revision <= ?3 ORDER BY revision",
    )?;
    let mut rows = stmt.query(rusqlite::params![stream_id, first, last])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<serde_json::Value> {
            Ok(serde_json::from_str(r.get_ref(i)?.as_str()?).unwrap_or_default())
        };
        let at: String = r.get(2)?;
        std::hint::black_box((text(0)?, text(1)?, at));
    }
    Ok(start.elapsed().as_secs_f64())
}

/// Opens the file and reads the kitchen's rows (what a kitchen screen must read at start).
/// Returns seconds.
pub fn open_and_read_kitchen(path: &Path) -> rusqlite::Result<f64> {
    let start = Instant::now();
    let conn = Connection::open(path)?;
    let mut stmt = conn.prepare(
        "SELECT doc FROM kitchen_tickets WHERE status IN ('queued', 'in_progress') ORDER BY sent_at",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v: serde_json::Value =
            serde_json::from_str(r.get_ref(0)?.as_str()?).unwrap_or_default();
        std::hint::black_box(v);
    }
    Ok(start.elapsed().as_secs_f64())
}
