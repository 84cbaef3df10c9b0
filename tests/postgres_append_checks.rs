//! The server's own checks on appends, against a terminal's credentials (see
//! `store::postgres::schema::HEAD_CHECKS`): the head moved past the log, an event slipped in
//! behind the head, an event that does not chain to the one before it, and each of those with
//! the checks' reads shadowed by the till's temporary tables. Each is refused, and appends go
//! on with no hole.

mod support;

use brigade::store::hash::{event_hash, HashInput};
use brigade::store::postgres::PgStore;
use brigade::store::EventStore;
use support::pg::PgServer;
use support::pg_store::{append, assert_chain, server};

/// A database with one event, a till's store and a till's own plain session.
fn till(test: &str) -> Option<(PgServer, String, PgStore, postgres::Client)> {
    let (server, url) = server(test)?;
    let (owner, _) = PgStore::setup(&url).unwrap();
    owner.grant_terminal_role("till", "pw").unwrap();
    let till_url = server.url("till", "brigade");
    let mut store = PgStore::open(&till_url).unwrap();
    store.append(append("o1", 0, Some("c1"))).unwrap();
    let client = postgres::Client::connect(&till_url, postgres::NoTls).unwrap();
    Some((server, url, store, client))
}

/// Why the server refused `sql` (which must fail); the session is usable again after.
fn refusal(client: &mut postgres::Client, sql: &str) -> String {
    let err = client.batch_execute(sql).unwrap_err();
    let _ = client.batch_execute("ROLLBACK");
    err.as_db_error()
        .map_or(err.to_string(), |d| d.message().to_string())
}

/// Temporary tables come first in a session's search path: named like the log and its head,
/// and agreeing with each other, they would answer unqualified reads.
const SHADOW: &str = "CREATE TEMP TABLE brigade_head (id int, position bigint, hash bytea) \
     ON COMMIT DROP; \
     CREATE TEMP TABLE events (position bigint, hash bytea) ON COMMIT DROP; \
     INSERT INTO pg_temp.brigade_head VALUES (1, 1, '\\x00'); \
     INSERT INTO pg_temp.events VALUES (1, '\\x00');";

/// The head moved past the log (the next append would leave a hole that looks like deleted
/// history), and an event at the next position with the head left behind (every later append
/// would fail on its key).
const ALONE: [&str; 2] = [
    "UPDATE public.brigade_head SET position = position + 5",
    "INSERT INTO public.events SELECT position + 1, 'o9', stream_type, 0, event_type, \
     schema_version, payload, metadata, recorded_at, hash FROM public.events \
     ORDER BY position DESC LIMIT 1",
];

#[test]
fn a_terminal_cannot_move_the_head_or_the_log_alone_nor_break_the_chain() {
    let Some((_server, url, mut store, mut client)) = till("postgres_append_checks::alone") else {
        return;
    };
    for sql in ALONE {
        let said = refusal(&mut client, sql);
        assert!(
            said.contains("disagree") || said.contains("does not chain"),
            "{sql}: {said}"
        );
    }
    // An event of its own at the next position and the head moved to it: the log and the
    // head agree, but the event does not chain to the one before it (so `verify` would fail
    // from then on).
    let said = refusal(
        &mut client,
        "BEGIN; \
         INSERT INTO events SELECT position + 1, 'o9', stream_type, 0, event_type, \
         schema_version, payload, metadata, recorded_at, '\\x00' FROM events \
         ORDER BY position DESC LIMIT 1; \
         UPDATE brigade_head SET position = position + 1, hash = '\\x00'; COMMIT",
    );
    assert!(said.contains("does not chain"), "{said}");
    store.append(append("o1", 1, None)).unwrap();
    assert_eq!(assert_chain(&url), 2);
}

#[test]
fn a_terminal_cannot_hide_the_log_or_its_head_from_the_checks_behind_temporary_tables() {
    let Some((_server, url, mut store, mut client)) = till("postgres_append_checks::shadowed")
    else {
        return;
    };
    for sql in ALONE {
        let said = refusal(&mut client, &format!("BEGIN; {SHADOW} {sql}; COMMIT"));
        assert!(
            said.contains("disagree") || said.contains("does not chain"),
            "{sql}: {said}"
        );
    }
    // The chain check's read of the event before, shadowed: an event hashed onto the
    // temporary table's "previous" hash, the head moved to it.
    let forged = event_hash(
        &[0u8],
        &HashInput {
            position: 2,
            stream_id: "o9",
            stream_type: "order",
            revision: 1,
            event_type: "OrderOpened",
            schema_version: 1,
            payload: "{}",
            metadata: "{}",
            recorded_at: "2026-01-01T00:00:00.000Z",
        },
    );
    let hex: String = forged.iter().map(|b| format!("{b:02x}")).collect();
    let said = refusal(
        &mut client,
        &format!(
            "BEGIN; CREATE TEMP TABLE events (position bigint, hash bytea) ON COMMIT DROP; \
             INSERT INTO pg_temp.events VALUES (1, '\\x00'); \
             INSERT INTO public.events VALUES (2, 'o9', 'order', 1, 'OrderOpened', 1, '{{}}', \
             '{{}}', '2026-01-01T00:00:00.000Z', '\\x{hex}'); \
             UPDATE public.brigade_head SET position = 2, hash = '\\x{hex}'; COMMIT"
        ),
    );
    assert!(said.contains("does not chain"), "{said}");
    store.append(append("o1", 1, None)).unwrap();
    assert_eq!(assert_chain(&url), 2);
}
