//! Snapshots: edited, forged, unsealed or ill-typed rows are never trusted when loading and
//! are reported by verify.

use std::path::Path;

use brigade::app::{Brigade, Config};
use brigade::store::EventStore;
use rusqlite::{params, Connection};

use super::common::*;

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
