//! What every tamper test needs: a brigade on a temp file with orders in it, the tamperer's
//! tools (dropping and restoring the guards, re-hashing the chain) and the `brigade` binary.

use std::path::Path;
use std::process::{Command, Output};

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::store::hash::{event_hash, HashInput, GENESIS};
use rusqlite::{params, Connection};

pub fn config(dir: &tempfile::TempDir) -> Config {
    Config::new(dir.path().join("b.db"), "tester")
}

pub fn exec(b: &mut Brigade, line: &str) -> brigade::app::Outcome {
    b.execute(&parse_line(line).unwrap())
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// An order sent to the kitchen: three pizzas, one station and one course, so one ticket.
pub fn served_order(b: &mut Brigade, id: &str) {
    exec(
        b,
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"7","covers":2}}"#),
    );
    for item in ["margherita", "diavola", "funghi"] {
        exec(
            b,
            &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"{item}","quantity":2}}"#),
        );
    }
    exec(b, &format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#));
}

pub const DROP_GUARDS: &str = "DROP TRIGGER events_are_append_only_update; \
     DROP TRIGGER events_are_append_only_delete; \
     DROP TRIGGER snapshots_are_append_only_update; \
     DROP TRIGGER snapshots_are_append_only_delete;";

/// Puts the guards back exactly as they were, so that only the anchors can tell.
pub fn restore_guards(conn: &Connection) {
    for (_, sql) in brigade::store::verify::guards::GUARDS {
        conn.execute_batch(sql).unwrap();
    }
}

/// The raw file with the append-only triggers dropped, as a tamperer would open it.
pub fn tamper(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(DROP_GUARDS).unwrap();
    conn
}

/// An event row as stored, without its hash.
pub type EventRow = (
    i64,
    String,
    String,
    i64,
    String,
    i64,
    String,
    String,
    String,
);

/// Recomputes every hash from `from` on, with the project's own hash function.
pub fn rehash_from(conn: &Connection, from: i64) {
    let mut prev: Vec<u8> = if from <= 1 {
        GENESIS.to_vec()
    } else {
        conn.query_row(
            "SELECT hash FROM events WHERE position = ?1",
            [from - 1],
            |r| r.get(0),
        )
        .unwrap()
    };
    let rows: Vec<EventRow> = conn
        .prepare(
            "SELECT position, stream_id, stream_type, revision, event_type, schema_version, \
             payload, metadata, recorded_at FROM events WHERE position >= ?1 ORDER BY position",
        )
        .unwrap()
        .query_map([from], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (position, stream_id, stream_type, revision, event_type, version, payload, meta, at) in rows
    {
        let h = event_hash(
            &prev,
            &HashInput {
                position,
                stream_id: &stream_id,
                stream_type: &stream_type,
                revision,
                event_type: &event_type,
                schema_version: version,
                payload: &payload,
                metadata: &meta,
                recorded_at: &at,
            },
        );
        conn.execute(
            "UPDATE events SET hash = ?1 WHERE position = ?2",
            params![&h[..], position],
        )
        .unwrap();
        prev = h.to_vec();
    }
}

pub fn bin(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(db)
        .args(["--as", "tamper-test"])
        .args(args)
        .env_remove("BRIGADE_DB")
        .output()
        .unwrap()
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts that the binary's verify fails with `needle` in what it says.
pub fn verify_fails(db: &Path, args: &[&str], needle: &str) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let out = bin(db, &all);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("VERIFY_FAILED"), "{said}");
    assert!(said.contains(needle), "{needle:?} not in: {said}");
}

pub fn verify_passes(db: &Path, args: &[&str]) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let out = bin(db, &all);
    assert!(out.status.success(), "{}", text(&out));
}

pub fn problems(b: &Brigade) -> Vec<String> {
    b.verify(&[]).unwrap().problems
}
