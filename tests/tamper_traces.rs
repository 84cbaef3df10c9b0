//! Attacks a second tester found past `brigade verify`, each done as the attacker did it:
//! a trigger that swallows events, a doctored snapshot used to close an order for less and then
//! put back, and read models made to look older so that they would not be compared.

use std::path::Path;
use std::process::{Command, Output};

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use rusqlite::{params, Connection};

fn exec(b: &mut Brigade, line: &str) -> brigade::app::Outcome {
    b.execute(&parse_line(line).unwrap())
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn verify(db: &Path) -> (Option<i32>, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(db)
        .arg("verify")
        .env_remove("BRIGADE_DB")
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), said)
}

/// An order sent to the kitchen: three pizzas, one station and one course, so one ticket.
fn placed_order(b: &mut Brigade, id: &str) {
    exec(
        b,
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"7"}}"#),
    );
    for item in ["margherita", "diavola", "funghi"] {
        exec(
            b,
            &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"{item}","quantity":2}}"#),
        );
    }
    exec(b, &format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#));
}

#[test]
fn a_trigger_that_swallows_events_is_reported_and_nothing_is_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut b = Brigade::open(&Config::new(&path, "ana")).unwrap();
    placed_order(&mut b, "o1");
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER zz BEFORE INSERT ON events WHEN NEW.event_type = 'ItemVoided' \
             BEGIN SELECT RAISE(IGNORE); END;",
        )
        .unwrap();
    let (code, said) = verify(&path);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("a trigger that is not Brigade's is on events: zz"),
        "{said}"
    );
    let head = b
        .store()
        .connection()
        .query_row("SELECT max(position) FROM events", [], |r| {
            r.get::<_, i64>(0)
        });
    let err = b
        .execute(
            &parse_line(r#"{"type":"VoidItem","order_id":"o1","line_id":"l2","reason":"x"}"#)
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "DB_CORRUPT", "{err}");
    let after = b
        .store()
        .connection()
        .query_row("SELECT max(position) FROM events", [], |r| {
            r.get::<_, i64>(0)
        });
    assert_eq!(head.unwrap(), after.unwrap(), "something was written");
}

#[test]
fn a_doctored_snapshot_put_back_after_closing_for_less_is_still_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut cfg = Config::new(&path, "ana");
    cfg.snapshot_every = 5;
    let mut b = Brigade::open(&cfg).unwrap();
    placed_order(&mut b, "s");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER snapshots_are_append_only_update; \
         DROP TRIGGER snapshots_are_append_only_delete;",
    )
    .unwrap();
    let (state, seal, hash): (String, Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT s.state, s.seal, e.hash FROM snapshots s JOIN events e \
             ON e.stream_id = s.stream_id AND e.revision = s.revision WHERE s.stream_id = 's'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    // The margherita at 1 cent, sealed with the public formula.
    let forged = state.replace("\"price_cents\":1200", "\"price_cents\":1");
    assert_ne!(forged, state);
    let version = brigade::app::ORDER_SNAPSHOT_VERSION;
    let forged_seal = brigade::store::seal::snapshot_seal(&hash, version, &forged);
    conn.execute(
        "UPDATE snapshots SET state = ?1, seal = ?2 WHERE stream_id = 's'",
        params![forged, &forged_seal[..]],
    )
    .unwrap();
    for line in [
        r#"{"type":"BumpTicket","ticket_id":"s-t1"}"#,
        r#"{"type":"ServeTicket","ticket_id":"s-t1"}"#,
        r#"{"type":"CloseOrder","order_id":"s"}"#,
    ] {
        exec(&mut b, line);
    }
    // The snapshot goes back as it was, and the guards with it.
    conn.execute(
        "UPDATE snapshots SET state = ?1, seal = ?2 WHERE stream_id = 's'",
        params![state, seal],
    )
    .unwrap();
    for (_, sql) in brigade::store::verify::guards::GUARDS {
        let _ = conn.execute_batch(sql);
    }
    let (code, said) = verify(&path);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("OrderClosed says it was paid")
            && said.contains("cents, but its lines come to"),
        "{said}"
    );
}

#[test]
fn read_models_made_to_look_older_are_still_compared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut b = Brigade::open(&Config::new(&path, "ana")).unwrap();
    placed_order(&mut b, "o1");
    drop(b);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE kitchen_tickets SET status = 'ready' WHERE ticket_id = 'o1-t1'; \
             DELETE FROM projection_checkpoints WHERE name = 'read_model_version';",
        )
        .unwrap();
    let (code, said) = verify(&path);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("kitchen ticket o1-t1"), "{said}");
}
