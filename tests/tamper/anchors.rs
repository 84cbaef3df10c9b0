//! Anchors: `brigade anchor` prints the head, and `verify --anchor` catches a re-hashed chain
//! or a cut tail that nothing else can.

use brigade::app::Brigade;
use brigade::store::verify::Anchor;
use brigade::store::EventStore;

use super::common::*;

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
    restore_guards(&conn);
    drop(conn);
    crate::support::backends::rehash_from(b.path(), target);
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
fn anchor_refuses_a_database_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nope.db");
    let out = bin(&db, &["anchor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("DB_NOT_FOUND"), "{}", text(&out));
    assert!(!db.exists());
}
