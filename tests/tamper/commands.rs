//! Command records (idempotency): deleted, edited or forged ones are caught.

use brigade::app::Brigade;
use rusqlite::Connection;

use super::common::*;

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
