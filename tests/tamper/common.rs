//! What every tamper test needs: a brigade on a temp file with orders in it, the tamperer's
//! tools (dropping and restoring the guards, re-hashing the chain) and the `brigade` binary.

use std::path::Path;
use std::process::{Command, Output};

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use rusqlite::Connection;

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
