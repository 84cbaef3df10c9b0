//! Databases outlive releases: a database written by the previous release
//! (`tests/fixtures/release-0.1.0.db`, made by `brigade simulate` and `exec`
//! with release 0.1.0) opens, answers queries, takes new commands and
//! verifies with this build.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use support::bin::{brigade_as, ok_json};

/// A private copy of the fixture: the committed file is never written.
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-0.1.0.db");
    std::fs::copy(src, &db).unwrap();
    (dir, db)
}

fn brigade(db: &Path, args: &[&str], stdin: &str) -> Output {
    brigade_as(db, "upgrade-test", args, stdin)
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
        text.contains("note: the read models are version 0"),
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

#[test]
fn read_models_of_an_older_version_are_rebuilt_on_open_with_progress_on_stderr() {
    let (_d, db) = fixture_copy();
    {
        // Release 0.1.0 recorded no read-model version; make its read models visibly stale.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let version: Option<i64> = conn
            .query_row(
                "SELECT position FROM projection_checkpoints WHERE name = 'read_model_version'",
                [],
                |r| r.get(0),
            )
            .ok();
        assert_eq!(version, None, "the fixture predates read-model versions");
        conn.execute("DELETE FROM order_views", []).unwrap();
    }
    // A writable open (here `exec` with nothing to do) rebuilds them; `query` is read-only.
    let first = brigade(&db, &["exec"], "");
    let stderr = String::from_utf8_lossy(&first.stderr).to_string();
    assert!(
        stderr.contains("rebuilding the read models") && stderr.contains("read models rebuilt"),
        "no progress on stderr: {stderr}"
    );
    assert!(first.status.success());
    let orders = ok_json(&brigade(&db, &["query", "open-orders"], ""));
    let ids: Vec<&str> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"fx-open"), "not rebuilt: {ids:?}");
    // Once rebuilt, the version is current: the next open does not rebuild again.
    let again = brigade(&db, &["exec"], "");
    assert!(again.status.success());
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("rebuilding"),
        "rebuilt twice"
    );
    let verify = brigade(&db, &["verify"], "");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn a_retry_of_a_command_recorded_by_the_previous_release_is_recognised() {
    let (_d, db) = fixture_copy();
    let head = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT max(position) FROM events", [], |r| r.get(0))
            .unwrap()
    };
    // fx-c2 was recorded by 0.1.0 with the digest of the command's Debug text.
    let before = head(&db);
    let retry = r#"{"type":"AddItem","order_id":"fx-open","item_id":"margherita","quantity":2,"note":"well done","command_id":"fx-c2"}"#;
    let out = ok_json(&brigade(&db, &["exec"], retry));
    assert_eq!(out["revision"], 2, "the first result: {out}");
    assert_eq!(out["line_id"], "l2");
    assert_eq!(head(&db), before, "a retry writes nothing");
    // The same id for another command is still refused.
    let other = r#"{"type":"AddItem","order_id":"fx-open","item_id":"margherita","quantity":3,"command_id":"fx-c2"}"#;
    let out = brigade(&db, &["exec"], other);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("COMMAND_ID_REUSED"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_command_s_fingerprint_is_the_digest_of_its_canonical_json() {
    use brigade::app::fingerprint;
    use brigade::app::request::parse_line;
    let line = r#"{"note":"no onions","type":"AddItem","quantity":2,"item_id":"burger","order_id":"t1","command_id":"c1"}"#;
    let request = parse_line(line).unwrap();
    assert_eq!(
        fingerprint::canonical_json(&request.command),
        r#"{"Order":{"command":{"AddItem":{"item_id":"burger","note":"no onions","quantity":2}},"order_id":"t1"}}"#
    );
    use sha2::Digest;
    let digest = sha2::Sha256::digest(fingerprint::canonical_json(&request.command).as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(request.fingerprint(), hex);
    // Field order in the input does not matter; the ids of the envelope are not part of it.
    let reordered = parse_line(
        r#"{"type":"AddItem","order_id":"t1","item_id":"burger","quantity":2,"note":"no onions","command_id":"other"}"#,
    )
    .unwrap();
    assert_eq!(reordered.fingerprint(), request.fingerprint());
}

/// The shape of a stored order snapshot is pinned: a change to `Order` that alters it must bump
/// `ORDER_SNAPSHOT_VERSION` (older snapshots are then ignored, never misread) and re-pin the
/// file (`BRIGADE_PIN_SNAPSHOT=1 cargo test --test upgrade`).
#[test]
fn the_order_snapshot_shape_is_pinned() {
    use brigade::app::request::parse_line;
    use brigade::app::{Brigade, Config, ORDER_SNAPSHOT_VERSION};
    let dir = tempfile::tempdir().unwrap();
    // Its own menu, so that a change to the default menu does not move the pin.
    let mut config = Config::new(dir.path().join("pin.db"), "pin");
    config.seed_menu = false;
    let mut b = Brigade::open(&config).unwrap();
    for line in [
        r#"{"type":"AddMenuItem","item_id":"margherita","name":"Margherita","category":"Pizza","price_cents":1200,"modifier_groups":[{"group_id":"size","name":"Size","min":1,"max":1,"options":[{"option_id":"small","name":"Small","price_cents":0},{"option_id":"large","name":"Large","price_cents":300,"allergens":["milk"]}]}]}"#,
        r#"{"type":"AddMenuItem","item_id":"fries","name":"Fries","category":"Sides","price_cents":450,"station":"fryer"}"#,
        r#"{"type":"SetCategoryCourse","category":"Pizza","course":1}"#,
        r#"{"type":"SetCategoryCourse","category":"Sides","course":2}"#,
        r#"{"type":"OpenOrder","order_id":"pin","table":"12","covers":4}"#,
        r#"{"type":"AddItem","order_id":"pin","item_id":"margherita","quantity":2,"note":"well done","modifiers":["large"],"seat":1}"#,
        r#"{"type":"AddItem","order_id":"pin","item_id":"fries","seat":2}"#,
        r#"{"type":"PlaceOrder","order_id":"pin"}"#,
        r#"{"type":"StartTicket","ticket_id":"pin-t1"}"#,
        r#"{"type":"VoidItem","order_id":"pin","line_id":"l2","quantity":1,"reason":"dropped"}"#,
        r#"{"type":"BumpTicket","ticket_id":"pin-t1"}"#,
        r#"{"type":"RushOrder","order_id":"pin"}"#,
        r#"{"type":"FireCourse","order_id":"pin"}"#,
        r#"{"type":"AddItem","order_id":"pin","item_id":"fries","quantity":3}"#,
    ] {
        b.execute(&parse_line(line).unwrap())
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let state = serde_json::to_string_pretty(&b.load_order("pin").unwrap()).unwrap() + "\n";
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "tests/fixtures/order_snapshot_v{ORDER_SNAPSHOT_VERSION}.json"
    ));
    if std::env::var_os("BRIGADE_PIN_SNAPSHOT").is_some() {
        std::fs::write(&pinned, &state).unwrap();
    }
    let expected = std::fs::read_to_string(&pinned).unwrap_or_default();
    assert_eq!(
        state, expected,
        "the stored shape of an order changed: bump ORDER_SNAPSHOT_VERSION and pin the new shape"
    );
    // And the pinned shape still reads back as the same order.
    let read: brigade::domain::Order = serde_json::from_str(&expected).unwrap();
    assert_eq!(read, b.load_order("pin").unwrap());
}
