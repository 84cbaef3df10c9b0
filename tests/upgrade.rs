//! Databases outlive releases: a database written by the previous release
//! (`tests/fixtures/release-0.1.0.db`, made by `brigade simulate` and `exec`
//! with release 0.1.0) opens, answers queries, takes new commands and
//! verifies with this build.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_brigade")
}

/// A private copy of the fixture: the committed file is never written.
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-0.1.0.db");
    std::fs::copy(src, &db).unwrap();
    (dir, db)
}

fn brigade(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(["--as", "upgrade-test"])
        .args(args)
        .env_remove("BRIGADE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn previous_release_database_verifies_as_it_was_left() {
    let (_d, db) = fixture_copy();
    let out = brigade(&db, &["verify"], "");
    assert!(
        out.status.success(),
        "verify failed on the old database: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn previous_release_database_answers_queries() {
    let (_d, db) = fixture_copy();
    let orders = ok_json(&brigade(&db, &["query", "open-orders"], ""));
    let ids: Vec<&str> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    for id in ["fx-open", "fx-takeout", "fx-long"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let kitchen = ok_json(&brigade(&db, &["query", "kitchen"], ""));
    assert!(kitchen
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["ticket_id"] == "fx-open-t1"));
    let menu = ok_json(&brigade(&db, &["query", "menu"], ""));
    let soup = menu
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "soup")
        .expect("soup on the menu");
    assert_eq!(soup["name"], "Soup of the Day");
    assert_eq!(soup["price_cents"], 850);
}

#[test]
fn previous_release_database_takes_new_commands_on_old_orders() {
    let (_d, db) = fixture_copy();
    // fx-long has a snapshot written by the old release; fx-open has an unsent add-on.
    let input = r#"{"type":"AddItem","order_id":"fx-long","item_id":"cola"}
{"type":"PlaceOrder","order_id":"fx-open"}
{"type":"ServeTicket","ticket_id":"fx-takeout-t1"}
{"type":"CloseOrder","order_id":"fx-takeout"}
{"type":"OpenOrder","order_id":"fx-new","table":"5"}
{"type":"AddItem","order_id":"fx-new","item_id":"soup"}
"#;
    let out = brigade(&db, &["exec"], input);
    let results: Vec<Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), 6);
    for r in &results {
        assert_eq!(r["ok"], true, "{r}");
    }
    assert_eq!(
        results[0]["revision"], 113,
        "fx-long continues after its 112 events"
    );
    assert_eq!(results[5]["events"][0]["payload"]["price_cents"], 850);

    let orders = ok_json(&brigade(&db, &["query", "open-orders"], ""));
    assert!(!orders
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["order_id"] == "fx-takeout"));
    let out = brigade(&db, &["verify"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn previous_release_database_history_reads_old_orders() {
    let (_d, db) = fixture_copy();
    let trail = ok_json(&brigade(&db, &["history", "fx-long", "--json"], ""));
    let trail = trail.as_array().unwrap();
    assert_eq!(trail.len(), 112);
    let last = trail.last().unwrap();
    assert_eq!(last["type"], "OrderPlaced");
}

#[test]
fn verifying_an_old_database_writes_nothing_and_says_what_it_did_not_compare() {
    let (_d, db) = fixture_copy();
    let before = std::fs::read(&db).unwrap();
    let out = brigade(&db, &["verify"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note: the read models are version 1"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "verify changed the file"
    );
    let wal = db.with_extension("db-wal");
    assert!(!wal.exists(), "verify created {}", wal.display());
    // A writable open rebuilds them; then verify compares them too.
    let out = brigade(&db, &["rebuild"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = brigade(&db, &["verify"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("note:"), "{text}");
    assert!(text.contains("read models and snapshots match"), "{text}");
}
