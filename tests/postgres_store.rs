//! The PostgreSQL store on a throwaway server (`tests/support/pg`): setup, the same append
//! contract as SQLite's (revisions, command ids, the hash chain), gap-free positions in commit
//! order with several writers at once, a failed transaction leaving no hole, and the errors a
//! terminal sees when the server is away or refuses it. Skipped with a note where no server can
//! be started, unless `BRIGADE_REQUIRE_POSTGRES` is set (as `.ci/run` does).

mod support;

use brigade::store::postgres::PgStore;
use brigade::store::{Append, AppendOutcome, EventStore, Metadata, NewEvent, StoreError};
use support::pg::ADMIN;
use support::pg_store::{append, assert_chain, event, server};

#[test]
fn setup_creates_the_schema_once_and_refuses_a_database_that_holds_something_else() {
    let Some((server, url)) = server("postgres_store::setup") else {
        return;
    };
    let (_, created) = PgStore::setup(&url).unwrap();
    assert!(!created, "a second setup changes nothing");
    server.psql("postgres", "CREATE DATABASE shop").unwrap();
    server
        .psql("shop", "CREATE TABLE customers (id int)")
        .unwrap();
    let err = PgStore::setup(&server.url(ADMIN, "shop")).err().unwrap();
    assert_eq!(err.code(), "NOT_A_BRIGADE_DATABASE", "{err}");
    assert_eq!(
        server.psql(
            "shop",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ),
        Ok("1".into()),
        "setup touched a database that was not its own"
    );
}

#[test]
fn appends_keep_revisions_command_ids_and_the_chain_as_on_sqlite() {
    let Some((_server, url)) = server("postgres_store::contract") else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    assert!(matches!(
        store.append(append("o1", 0, Some("c1"))).unwrap(),
        AppendOutcome::Appended { .. }
    ));
    // The same command id again: the first answer, nothing written.
    assert!(matches!(
        store.append(append("o1", 0, Some("c1"))).unwrap(),
        AppendOutcome::Duplicate { .. }
    ));
    // A stream that moved on.
    assert!(matches!(
        store.append(append("o1", 0, None)),
        Err(StoreError::Conflict { actual: 1, .. })
    ));
    store.append(append("o1", 1, None)).unwrap();
    store.append(append("o2", 0, None)).unwrap();
    assert_eq!(store.head().unwrap(), 3);
    assert_eq!(store.stream_revision("o1").unwrap(), 2);
    let o1 = store.read_stream("o1", 0).unwrap();
    assert_eq!(
        o1.iter().map(|e| e.position).collect::<Vec<_>>(),
        [1, 2],
        "{o1:?}"
    );
    let mut seen = Vec::new();
    store
        .for_each_after(1, &mut |e| {
            seen.push(e.position);
            Ok(true)
        })
        .unwrap();
    assert_eq!(seen, [2, 3]);
    assert_eq!(assert_chain(&url), 3);
    // The log is append-only on the server too.
    let mut client = store.client();
    for sql in [
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
        "DELETE FROM commands",
        "TRUNCATE events",
    ] {
        assert!(client.batch_execute(sql).is_err(), "{sql} was allowed");
    }
}

#[test]
fn writers_on_several_connections_get_gap_free_positions_in_commit_order() {
    let Some((_server, url)) = server("postgres_store::concurrent") else {
        return;
    };
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = PgStore::open(&url).unwrap();
                for i in 0..25u64 {
                    // Each writer its own stream, and all of them one shared stream.
                    store.append(append(&format!("w{w}"), i, None)).unwrap();
                    loop {
                        let rev = store.stream_revision("shared").unwrap();
                        match store.append(append("shared", rev, None)) {
                            Ok(_) => break,
                            Err(StoreError::Conflict { .. }) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(assert_chain(&url), 200);
    let store = PgStore::open(&url).unwrap();
    let shared = store.read_stream("shared", 0).unwrap();
    assert_eq!(
        shared.iter().map(|e| e.revision).collect::<Vec<_>>(),
        (1..=100).collect::<Vec<u64>>()
    );
}

#[test]
fn a_transaction_that_fails_after_taking_the_lock_leaves_no_hole() {
    let Some((_server, url)) = server("postgres_store::no_hole") else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    store.append(append("o1", 0, None)).unwrap();
    // A payload PostgreSQL refuses (a NUL character in text) fails the insert after the head
    // was locked: nothing of it stays, and the next append takes the very next position.
    let mut bad = append("o2", 0, None);
    bad.events = vec![event("{\"order_id\":\"o2\u{0}\"}")];
    assert!(store.append(bad).is_err());
    store.append(append("o2", 0, None)).unwrap();
    assert_eq!(assert_chain(&url), 2);
}

#[test]
fn a_server_that_is_away_or_refuses_the_role_gets_its_own_code() {
    let Some((server, url)) = server("postgres_store::errors") else {
        return;
    };
    let nobody = server.url("nobody", "brigade");
    let err = PgStore::open(&nobody).err().unwrap();
    assert_eq!(err.code(), "DB_AUTH_FAILED", "{err}");
    server.kill().unwrap();
    let err = PgStore::open(&url).err().unwrap();
    assert_eq!(err.code(), "DB_UNREACHABLE", "{err}");
    assert!(
        err.to_string()
            .contains(&server.socket_dir().display().to_string()),
        "the message names where it looked: {err}"
    );
}

#[test]
fn read_models_move_inside_each_append_and_a_rebuild_gives_the_same() {
    use brigade::domain::order::{OrderDecider, OrderEvent};
    use brigade::domain::{Decider, OrderCommand};
    use brigade::projections::postgres::PgProjections;
    use brigade::projections::ReadModelStore;
    let Some((_server, url)) = server("postgres_store::read_models") else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    store.set_projector(Box::new(PgProjections));
    // A table's steak and lager, decided by the domain against the default menu.
    let menu = brigade::app::menu_file::default_menu().unwrap();
    let mut m = brigade::domain::Menu::default();
    for spec in &menu.items {
        let e = brigade::domain::menu::MenuDecider::decide(
            &m,
            &brigade::domain::MenuCommand::AddMenuItem(spec.clone()),
            (),
        )
        .unwrap();
        m = brigade::domain::menu::MenuDecider::fold_from(Some(m), &e);
    }
    let mut order = brigade::domain::Order::default();
    let commands = [
        OrderCommand::OpenOrder {
            order_id: "t1".into(),
            table: Some("4".into()),
            covers: Some(2),
            customer: None,
        },
        OrderCommand::AddItem {
            item_id: "steak".into(),
            quantity: 1,
            note: None,
            modifiers: vec!["medium-rare".into()],
            seat: Some(1),
            course: None,
        },
        OrderCommand::AddItem {
            item_id: "lager".into(),
            quantity: 2,
            note: None,
            modifiers: vec![],
            seat: None,
            course: None,
        },
        OrderCommand::PlaceOrder { fire_all: false },
    ];
    for command in &commands {
        let events: Vec<OrderEvent> = OrderDecider::decide(&order, command, &m).unwrap();
        let new: Vec<NewEvent> = events
            .iter()
            .map(|e| NewEvent {
                event_type: e.event_type(),
                payload: e.payload_json(),
                metadata: Metadata {
                    event_id: uuid::Uuid::now_v7().to_string(),
                    actor: "ana".into(),
                    ..Default::default()
                },
            })
            .collect();
        store
            .append(Append {
                stream_id: "t1",
                stream_type: "order",
                expected_revision: order.revision,
                events: new,
                recorded_at: chrono::Utc::now(),
                command_id: None,
                fingerprint: "f",
                result: None,
                snapshot: None,
            })
            .unwrap();
        order = OrderDecider::fold_from(Some(order), &events);
    }
    let stations: Vec<String> = store
        .kitchen(None)
        .unwrap()
        .iter()
        .map(|t| format!("{} {} {}", t.ticket_id, t.station, t.status.as_str()))
        .collect();
    assert_eq!(stations, ["t1-t1 grill new", "t1-t2 bar new"]);
    assert_eq!(store.kitchen(Some("bar")).unwrap().len(), 1);
    assert_eq!(store.open_orders().unwrap()[0].order.lines.len(), 2);
    assert_eq!(store.check_read_models().unwrap(), Vec::<String>::new());
    let live = store.kitchen(None).unwrap();
    store.rebuild_read_models().unwrap();
    assert_eq!(store.kitchen(None).unwrap(), live);
}

#[test]
fn a_listener_wakes_on_another_connection_s_commit_and_catches_up_after_being_cut_off() {
    use brigade::store::postgres::watch::PgWatcher;
    use std::time::{Duration, Instant};
    let Some((server, url)) = server("postgres_store::listen") else {
        return;
    };
    let mut watcher = PgWatcher::open(&url).unwrap();
    assert!(
        !watcher.wait(Duration::from_millis(50)).unwrap(),
        "nothing yet"
    );
    let mut writer = PgStore::open(&url).unwrap();
    writer.append(append("o1", 0, None)).unwrap();
    // Woken by the notification (or the head read at the timeout, whichever comes first).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !watcher.wait(Duration::from_secs(5)).unwrap() {
        assert!(Instant::now() < deadline, "the commit was never seen");
    }
    // The server cuts the listener's connection; a commit lands meanwhile (its notification
    // is lost with the connection); the next waits reconnect and see it by the head.
    server
        .psql(
            "brigade",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = 'brigade-watch'",
        )
        .unwrap();
    writer.append(append("o1", 1, None)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match watcher.wait(Duration::from_millis(200)) {
            Ok(true) => break,
            Ok(false) | Err(_) => {
                assert!(Instant::now() < deadline, "never caught up after the cut");
            }
        }
    }
    assert!(!watcher.wait(Duration::from_millis(50)).unwrap());
}

#[test]
fn a_store_whose_server_went_away_refuses_then_reconnects_and_a_retry_applies_once() {
    let Some((server, url)) = server("postgres_store::reconnect") else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    store.append(append("o1", 0, Some("c1"))).unwrap();
    server.kill().unwrap();
    // While it is away: refused at once, nothing queued.
    let err = store.append(append("o1", 1, Some("c2"))).unwrap_err();
    assert_eq!(err.code(), "DB_UNREACHABLE", "{err}");
    assert_eq!(store.head().unwrap_err().code(), "DB_UNREACHABLE");
    server.restart().unwrap();
    // Back: the store connects again by itself; the till's retry of c2 applies once.
    store.append(append("o1", 1, Some("c2"))).unwrap();
    assert!(matches!(
        store.append(append("o1", 1, Some("c2"))).unwrap(),
        AppendOutcome::Duplicate { .. }
    ));
    assert_eq!(store.head().unwrap(), 2);
    assert_eq!(assert_chain(&url), 2);
}

#[test]
fn a_stalled_lock_holder_blocks_the_others_only_briefly_and_is_cut_off() {
    use std::time::{Duration, Instant};
    let Some((_server, url)) = server("postgres_store::stall") else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    store.append(append("o1", 0, None)).unwrap();
    // Another terminal's connection takes the head row's lock and stalls (a frozen process
    // holding an open transaction); the server cuts it off after its idle timeout.
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    holder
        .batch_execute(
            "SET idle_in_transaction_session_timeout = '3s'; BEGIN; \
             SELECT 1 FROM brigade_head WHERE id = 1 FOR UPDATE;",
        )
        .unwrap();
    // A terminal that waits at most 300 ms for the lock is refused (busy), and writes nothing.
    let impatient_url = format!("{url}&options=-c%20lock_timeout%3D300ms");
    let mut impatient = PgStore::open(&impatient_url).unwrap();
    // (Were the wait not bounded, this would wait for the holder to be cut off and succeed.)
    let err = impatient.append(append("o1", 1, None)).unwrap_err();
    assert_eq!(err.code(), "DB_BUSY", "{err}");
    assert_eq!(store.head().unwrap(), 1, "nothing written");
    // Once the stalled holder is cut off, appends go through again, with no hole.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match impatient.append(append("o1", 1, None)) {
            Ok(_) => break,
            Err(e) => {
                assert_eq!(e.code(), "DB_BUSY", "{e}");
                assert!(
                    Instant::now() < deadline,
                    "the stalled holder was never cut off"
                );
            }
        }
    }
    assert!(
        holder.simple_query("SELECT 1").is_err(),
        "the holder was cut off"
    );
    assert_eq!(store.head().unwrap(), 2);
    assert_eq!(assert_chain(&url), 2);
}

#[test]
fn a_terminal_that_lost_its_server_names_it() {
    use brigade::app::request::parse_line;
    use brigade::app::{Brigade, Config};
    let Some((server, url)) = server("postgres_store::named") else {
        return;
    };
    let mut b = Brigade::open(&Config::new(&url, "ana")).unwrap();
    let open = parse_line(r#"{"type":"OpenOrder","order_id":"n1","table":"2"}"#).unwrap();
    b.execute(&open).unwrap();
    server.kill().unwrap();
    let add = parse_line(r#"{"type":"AddItem","order_id":"n1","item_id":"fries"}"#).unwrap();
    let err = b.execute(&add).unwrap_err();
    assert_eq!(err.code(), "DB_UNREACHABLE", "{}", err.message());
    let dir = server.socket_dir().display().to_string();
    assert!(
        err.message().contains(&dir),
        "the server is named: {}",
        err.message()
    );
}

#[test]
fn a_database_made_before_the_head_checks_gets_them_from_setup() {
    use support::bin::brigade_as;
    let Some((server, url)) = server("postgres_store::head_checks") else {
        return;
    };
    let mut store = PgStore::open(&url).unwrap();
    store.append(append("o1", 0, None)).unwrap();
    // As an earlier build made it: no head checks.
    server
        .psql(
            "brigade",
            "DROP TRIGGER events_keep_the_head ON events; \
             DROP TRIGGER head_keeps_the_log ON brigade_head; \
             DROP FUNCTION brigade_head_matches_log(); \
             DROP TRIGGER events_chain ON events; \
             DROP FUNCTION brigade_event_chains()",
        )
        .unwrap();
    let verify = brigade_as(std::path::Path::new(&url), "it", &["verify"], "");
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(!verify.status.success(), "{said}");
    for missing in ["events_keep_the_head on events", "events_chain on events"] {
        assert!(said.contains(&format!("{missing} is missing")), "{said}");
    }
    // Setup by the owner adds them, and says nothing was created.
    let (_, created) = PgStore::setup(&url).unwrap();
    assert!(!created);
    support::bin::assert_verifies(std::path::Path::new(&url));
    store.append(append("o1", 1, None)).unwrap();
    assert_eq!(assert_chain(&url), 2);
}
