//! Tamper evidence against someone who can write the database file: each test does what such
//! an attacker would (open the file with SQLite, drop the append-only triggers, edit, re-hash
//! with the project's own hash function, adjust `sqlite_sequence`, rebuild) and checks that
//! `brigade verify` — the real binary or the app's verify — fails and names the problem.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::store::hash::{event_hash, HashInput, GENESIS};
use brigade::store::verify::Anchor;
use brigade::store::EventStore;
use rusqlite::{params, Connection};

fn config(dir: &tempfile::TempDir) -> Config {
    Config::new(dir.path().join("b.db"), "tester")
}

fn exec(b: &mut Brigade, line: &str) -> brigade::app::Outcome {
    b.execute(&parse_line(line).unwrap())
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn served_order(b: &mut Brigade, id: &str) {
    exec(
        b,
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"7","covers":2}}"#),
    );
    for item in ["margherita", "lemonade", "tiramisu"] {
        exec(
            b,
            &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"{item}","quantity":2}}"#),
        );
    }
    exec(b, &format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#));
}

const DROP_GUARDS: &str = "DROP TRIGGER events_are_append_only_update; \
     DROP TRIGGER events_are_append_only_delete; \
     DROP TRIGGER snapshots_are_append_only_update; \
     DROP TRIGGER snapshots_are_append_only_delete;";

/// Puts the guards back exactly as they were, so that only the anchors can tell.
fn restore_guards(conn: &Connection) {
    for (_, sql) in brigade::store::verify::guards::GUARDS {
        conn.execute_batch(sql).unwrap();
    }
}

/// The raw file with the append-only triggers dropped, as a tamperer would open it.
fn tamper(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(DROP_GUARDS).unwrap();
    conn
}

/// An event row as stored, without its hash.
type EventRow = (
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
fn rehash_from(conn: &Connection, from: i64) {
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

fn bin(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(db)
        .args(["--as", "tamper-test"])
        .args(args)
        .env_remove("BRIGADE_DB")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts that the binary's verify fails with `needle` in what it says.
fn verify_fails(db: &Path, args: &[&str], needle: &str) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let out = bin(db, &all);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("VERIFY_FAILED"), "{said}");
    assert!(said.contains(needle), "{needle:?} not in: {said}");
}

fn verify_passes(db: &Path, args: &[&str]) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let out = bin(db, &all);
    assert!(out.status.success(), "{}", text(&out));
}

fn problems(b: &Brigade) -> Vec<String> {
    b.verify(&[]).unwrap().problems
}

#[test]
fn anchor_prints_the_newest_event_and_verify_holds_the_log_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    let out = bin(b.path(), &["anchor"]);
    assert!(out.status.success(), "{}", text(&out));
    let line = String::from_utf8(out.stdout).unwrap();
    assert_eq!(line.lines().count(), 1);
    let anchor: Anchor = line.trim().parse().unwrap();
    assert_eq!(anchor.position, b.store().head().unwrap());
    verify_passes(b.path(), &["--anchor", line.trim()]);
    // More events later: the old anchor still holds, beside a new one.
    served_order(&mut b, "o2");
    let newer = b.anchor().unwrap().to_string();
    verify_passes(b.path(), &["--anchor", line.trim(), "--anchor", &newer]);
    // A malformed anchor is a malformed command line.
    let out = bin(b.path(), &["verify", "--anchor", "12:nothex"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn a_rehashed_chain_after_an_edit_is_caught_by_an_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    let anchor = b.anchor().unwrap().to_string();
    served_order(&mut b, "o2");
    let later = b.anchor().unwrap().to_string();
    // An item's price in the middle of the log, then the whole chain re-hashed.
    let conn = tamper(b.path());
    let target: i64 = conn
        .query_row(
            "SELECT position FROM events WHERE stream_id = 'o1' AND event_type = 'ItemAddedToOrder' \
             ORDER BY position LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE events SET payload = replace(payload, '\"price_cents\":1200', '\"price_cents\":1') \
         WHERE position = ?1",
        [target],
    )
    .unwrap();
    rehash_from(&conn, target);
    restore_guards(&conn);
    drop(conn);
    b.rebuild().unwrap();
    // Without anchors a consistent rewrite cannot be told from the truth…
    verify_passes(b.path(), &[]);
    // …with one taken before (or after) the edited event, it can.
    verify_fails(
        b.path(),
        &["--anchor", &anchor],
        &format!("anchor {anchor}"),
    );
    verify_fails(b.path(), &["--anchor", &later], "is not the one anchored");
}

#[test]
fn a_cut_tail_with_every_counter_adjusted_is_caught_by_an_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&dir);
    cfg.snapshot_every = 3;
    let mut b = Brigade::open(&cfg).unwrap();
    served_order(&mut b, "o1");
    let cut = b.store().head().unwrap();
    exec(
        &mut b,
        r#"{"type":"OpenOrder","order_id":"o2","table":"9","command_id":"c-open"}"#,
    );
    for i in 0..4 {
        exec(
            &mut b,
            &format!(
                r#"{{"type":"AddItem","order_id":"o2","item_id":"soup","command_id":"c-add-{i}"}}"#
            ),
        );
    }
    let anchor = b.anchor().unwrap().to_string();
    verify_passes(b.path(), &["--anchor", &anchor]);
    // Delete the newest events and everything that would give them away, then rebuild.
    let conn = tamper(b.path());
    conn.execute("DELETE FROM events WHERE position > ?1", [cut])
        .unwrap();
    conn.execute(
        "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'events'",
        [cut],
    )
    .unwrap();
    conn.execute("DELETE FROM commands WHERE position > ?1", [cut])
        .unwrap();
    conn.execute("DELETE FROM snapshots WHERE stream_id = 'o2'", [])
        .unwrap();
    restore_guards(&conn);
    drop(conn);
    bin(b.path(), &["rebuild"]);
    verify_passes(b.path(), &[]);
    verify_fails(b.path(), &["--anchor", &anchor], "no event at position");
}

#[test]
fn dropped_guards_are_reported_by_verify_and_on_the_screens() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    assert!(b.missing_guards().unwrap().is_empty());
    let mut app = brigade::tui::app::App::new(
        brigade::tui::app::Screen::Kitchen,
        "cook",
        chrono::Utc::now(),
    );
    app.reload(&mut b);
    assert_eq!(app.guards_missing, None);
    Connection::open(b.path())
        .unwrap()
        .execute_batch("DROP TRIGGER events_are_append_only_delete;")
        .unwrap();
    verify_fails(b.path(), &[], "events_are_append_only_delete is missing");
    // A trigger of the same name that guards nothing is no guard either.
    Connection::open(b.path())
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events \
             WHEN 0 BEGIN SELECT 1; END;",
        )
        .unwrap();
    verify_fails(b.path(), &[], "was replaced");
    app.reload(&mut b);
    assert!(app.guards_missing.is_some());
    assert_eq!(app.db_error, None, "the screens keep working");
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|f| brigade::tui::chrome::draw(f, &app))
        .unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("TAMPERING"), "{screen}");
    assert!(
        screen.contains("Margherita"),
        "the tickets are still shown: {screen}"
    );
}

#[test]
fn a_deleted_command_record_is_caught_before_and_after_the_retry_applies_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    let add = r#"{"type":"AddItem","order_id":"o1","item_id":"soup","command_id":"till-7"}"#;
    exec(&mut b, add);
    assert!(problems(&b).is_empty(), "{:?}", problems(&b));
    Connection::open(b.path())
        .unwrap()
        .execute("DELETE FROM commands WHERE command_id = 'till-7'", [])
        .unwrap();
    let p = problems(&b);
    assert!(
        p.iter()
            .any(|p| p.contains("till-7") && p.contains("has no record")),
        "{p:?}"
    );
    // The till re-sends: with the record gone the soup is added twice.
    exec(&mut b, add);
    let p = problems(&b);
    assert!(
        p.iter()
            .any(|p| p.contains("till-7") && p.contains("applied twice")),
        "{p:?}"
    );
    verify_fails(b.path(), &[], "applied twice");
}

#[test]
fn an_edited_or_forged_command_record_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    exec(
        &mut b,
        r#"{"type":"AddItem","order_id":"o1","item_id":"soup","command_id":"till-8"}"#,
    );
    exec(
        &mut b,
        r#"{"type":"AddItem","order_id":"o1","item_id":"soup","command_id":"till-9"}"#,
    );
    let conn = Connection::open(b.path()).unwrap();
    // A forged answer to a retry: another line id.
    conn.execute(
        "UPDATE commands SET result = json_set(result, '$.line_id', 'l2') \
         WHERE command_id = 'till-8'",
        [],
    )
    .unwrap();
    // A record pointing somewhere else.
    conn.execute(
        "UPDATE commands SET position = position - 1 WHERE command_id = 'till-9'",
        [],
    )
    .unwrap();
    // A record for a command that never happened.
    conn.execute(
        "INSERT INTO commands (command_id, fingerprint, stream_id, position, result) \
         VALUES ('ghost', 'x', 'o1', 3, '{\"ok\":true}')",
        [],
    )
    .unwrap();
    let p = problems(&b);
    assert!(
        p.iter()
            .any(|p| p.contains("till-8") && p.contains("result")),
        "{p:?}"
    );
    assert!(p.iter().any(|p| p.contains("till-9")), "{p:?}");
    assert!(p.iter().any(|p| p.contains("ghost")), "{p:?}");
    verify_fails(b.path(), &[], "command records:");
}

#[test]
fn an_edited_status_column_that_hides_a_ticket_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    served_order(&mut b, "o2");
    assert_eq!(b.kitchen(None).unwrap().len(), 2);
    let conn = Connection::open(b.path()).unwrap();
    conn.execute(
        "UPDATE kitchen_tickets SET status = 'served' WHERE ticket_id = 'o1-t1'",
        [],
    )
    .unwrap();
    assert_eq!(b.kitchen(None).unwrap().len(), 1, "gone from every screen");
    verify_fails(b.path(), &[], "kitchen ticket o1-t1");
    // The same for an order that no longer shows as open.
    b.rebuild().unwrap();
    assert!(problems(&b).is_empty());
    conn.execute(
        "UPDATE order_views SET status = 'closed' WHERE order_id = 'o2'",
        [],
    )
    .unwrap();
    verify_fails(b.path(), &[], "order view o2");
    conn.execute(
        "UPDATE order_views SET status = 'placed', opened_at = '2000-01-01T00:00:00.000Z' \
         WHERE order_id = 'o2'",
        [],
    )
    .unwrap();
    verify_fails(b.path(), &[], "order view o2");
}

#[test]
fn an_edited_snapshot_is_ignored_when_loading_and_reported_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&dir);
    cfg.snapshot_every = 5;
    let mut b = Brigade::open(&cfg).unwrap();
    served_order(&mut b, "s");
    for _ in 0..2 {
        exec(
            &mut b,
            r#"{"type":"AddItem","order_id":"s","item_id":"margherita","quantity":1}"#,
        );
    }
    exec(&mut b, r#"{"type":"PlaceOrder","order_id":"s"}"#);
    let truth = b.replay_order("s").unwrap();
    assert!(
        b.store().snapshot("s").unwrap().is_some(),
        "a sealed snapshot is used"
    );
    // Every margherita for a cent, sealed into the snapshot behind the trigger's back.
    tamper(b.path())
        .execute(
            "UPDATE snapshots SET state = replace(state, '\"price_cents\":1200', '\"price_cents\":1')",
            [],
        )
        .unwrap();
    assert!(
        b.store().snapshot("s").unwrap().is_none(),
        "an edited snapshot is not used"
    );
    assert_eq!(b.load_order("s").unwrap(), truth);
    for t in ["s-t1", "s-t2"] {
        exec(
            &mut b,
            &format!(r#"{{"type":"BumpTicket","ticket_id":"{t}"}}"#),
        );
    }
    exec(&mut b, r#"{"type":"ServeTicket","order_id":"s"}"#);
    let closed = exec(&mut b, r#"{"type":"CloseOrder","order_id":"s"}"#).value();
    let total = closed["events"][0]["payload"]["total_cents"]
        .as_i64()
        .unwrap();
    assert_eq!(total, b.replay_order("s").unwrap().total_cents());
    assert!(total > 4 * 1200, "the real prices were charged: {total}");
    verify_fails(b.path(), &[], "snapshots: the snapshot of s at revision 5");
}

#[test]
fn verify_while_others_write_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&dir);
    let b = Brigade::open(&cfg).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (cfg, stop) = (cfg.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut w = Brigade::open(&cfg).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) || n < 40 {
                served_order(&mut w, &format!("w{n}"));
                n += 1;
            }
            n
        })
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut runs = 0;
    while runs < 25 && Instant::now() < deadline {
        let report = b.verify(&[]).unwrap();
        assert!(
            report.problems.is_empty(),
            "run {runs}: {:?}",
            report.problems
        );
        runs += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written >= 40);
    assert!(b.verify(&[]).unwrap().problems.is_empty());
}

#[test]
fn a_forged_snapshot_with_a_recomputed_seal_is_still_caught_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&dir);
    cfg.snapshot_every = 5;
    let mut b = Brigade::open(&cfg).unwrap();
    served_order(&mut b, "s");
    let conn = tamper(b.path());
    let (state, hash): (String, Vec<u8>) = conn
        .query_row(
            "SELECT s.state, e.hash FROM snapshots s JOIN events e \
             ON e.stream_id = s.stream_id AND e.revision = s.revision WHERE s.stream_id = 's'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let forged = state.replace("\"price_cents\":1200", "\"price_cents\":1");
    assert_ne!(forged, state);
    let version = brigade::app::ORDER_SNAPSHOT_VERSION;
    let seal = brigade::store::seal::snapshot_seal(&hash, version, &forged);
    conn.execute(
        "UPDATE snapshots SET state = ?1, seal = ?2 WHERE stream_id = 's'",
        params![forged, &seal[..]],
    )
    .unwrap();
    restore_guards(&conn);
    verify_fails(
        b.path(),
        &[],
        "the snapshot of s at revision 5 does not match",
    );
}

#[test]
fn an_old_release_snapshot_without_a_seal_is_replayed_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-0.1.0.db");
    std::fs::copy(src, &db).unwrap();
    let b = Brigade::open(&Config::new(&db, "upgrade")).unwrap();
    // The schema was migrated on open; the old row is kept, without a seal.
    let (rows, sealed): (i64, i64) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*), count(seal) FROM snapshots WHERE stream_id = 'fx-long'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, sealed), (1, 0));
    assert!(b.store().snapshot("fx-long").unwrap().is_none());
    assert_eq!(
        b.load_order("fx-long").unwrap(),
        b.replay_order("fx-long").unwrap()
    );
    assert!(problems(&b).is_empty(), "{:?}", problems(&b));
    let anchor = b.anchor().unwrap().to_string();
    verify_passes(&db, &["--anchor", &anchor]);
}

#[test]
fn anchor_refuses_a_database_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nope.db");
    let out = bin(&db, &["anchor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("DB_NOT_FOUND"), "{}", text(&out));
    assert!(!db.exists());
}

#[test]
fn a_snapshot_row_of_the_wrong_types_is_passed_over_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&dir);
    cfg.snapshot_every = 5;
    let mut b = Brigade::open(&cfg).unwrap();
    served_order(&mut b, "s");
    tamper(b.path())
        .execute(
            "UPDATE snapshots SET seal = 'not a blob', schema_version = -1",
            [],
        )
        .unwrap();
    assert!(b.store().snapshot("s").unwrap().is_none());
    assert_eq!(b.load_order("s").unwrap(), b.replay_order("s").unwrap());
    exec(&mut b, r#"{"type":"BumpTicket","ticket_id":"s-t1"}"#);
}

#[test]
fn verify_while_simulate_writes_from_another_process_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    assert!(bin(&db, &["query", "menu"]).status.success());
    let mut writer = Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(&db)
        .args(["--as", "sim", "simulate", "--orders", "400", "--seed", "3"])
        .env_remove("BRIGADE_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut runs = 0;
    loop {
        let done = writer.try_wait().unwrap().is_some();
        let out = bin(&db, &["verify"]);
        assert!(out.status.success(), "run {runs}: {}", text(&out));
        runs += 1;
        if done || Instant::now() > deadline {
            break;
        }
    }
    let status = writer.wait().unwrap();
    assert!(status.success());
    assert!(runs >= 1);
}
