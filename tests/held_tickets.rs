//! Held courses at the edges of an order's life: a cancelled order's held ticket stays up,
//! marked, until the kitchen clears it (it will never be fired); a held ticket cannot be
//! started or bumped while the order goes on.
//! Each test runs on SQLite and on a throwaway PostgreSQL server (`on_both_backends!`).

mod support;

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::store::Durability;

fn open(dir: &tempfile::TempDir) -> Brigade {
    let mut cfg = Config::new(support::backends::database(dir.path()), "tester");
    cfg.durability = Durability::Fast;
    Brigade::open(&cfg).unwrap()
}

fn run(b: &mut Brigade, line: &str) -> Result<(), String> {
    b.execute(&parse_line(line).unwrap())
        .map(|_| ())
        .map_err(|e| e.code().to_string())
}

on_both_backends!(a_cancelled_order_s_held_course_stays_up_marked_until_the_kitchen_clears_it);
fn a_cancelled_order_s_held_course_stays_up_marked_until_the_kitchen_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = open(&dir);
    for line in [
        r#"{"type":"OpenOrder","order_id":"c","table":"3"}"#,
        r#"{"type":"AddItem","order_id":"c","item_id":"soup"}"#,
        r#"{"type":"AddItem","order_id":"c","item_id":"tiramisu"}"#,
        r#"{"type":"PlaceOrder","order_id":"c"}"#,
    ] {
        run(&mut b, line).unwrap();
    }
    // The soup (starters, course 1) fired; the tiramisu (desserts, course 3) is held.
    let held = || r#"{"type":"BumpTicket","ticket_id":"c-t2"}"#;
    assert_eq!(
        run(&mut b, r#"{"type":"StartTicket","ticket_id":"c-t2"}"#),
        Err("INVALID_TICKET_STATE".into())
    );
    assert_eq!(run(&mut b, held()), Err("INVALID_TICKET_STATE".into()));
    run(
        &mut b,
        r#"{"type":"CancelOrder","order_id":"c","reason":"walked out"}"#,
    )
    .unwrap();
    let kitchen = b.kitchen(None).unwrap();
    let t2 = kitchen.iter().find(|t| t.ticket_id == "c-t2").unwrap();
    assert!(t2.cancelled && t2.is_held(), "{t2:?}");
    run(&mut b, held()).unwrap();
    assert!(b
        .kitchen(None)
        .unwrap()
        .iter()
        .all(|t| t.ticket_id != "c-t2"));
}
