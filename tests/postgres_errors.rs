//! What a terminal on PostgreSQL is told when things go wrong, and what its session keeps:
//! a password in the URL never reaches a message; a server's answer that breaks the schema's
//! promise is `DB_ERROR`, not a lost server; a read-only command's session writes nothing; a
//! lock wait set by the terminal survives a reconnect; and a rebuild racing an append keeps
//! the appended event. On the throwaway server of `tests/support/pg`.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::store::postgres::PgStore;
use brigade::store::LogChecks;
use support::bin::brigade_as;
use support::pg::{fresh_database, shared};

/// A fresh Brigade database on the shared server: its URL and its name.
fn database(test: &str) -> Option<(String, String)> {
    let url = fresh_database(test)?;
    brigade::app::setup::setup(&Config::new(&url, "setup"), None).expect("setup");
    let name = url.split('/').nth(3)?.split('?').next()?.to_string();
    Some((url, name))
}

fn exec(url: &str, line: &str) -> std::process::Output {
    brigade_as(Path::new(url), "ana", &["exec"], &format!("{line}\n"))
}

#[test]
fn a_password_in_the_url_never_reaches_a_message() {
    // Refused before any connection: a bad sslmode, a port that is no number.
    for url in [
        "postgres://till:s3cret@127.0.0.1:1/brigade?sslmode=bogus",
        "postgres://till@127.0.0.1:1/brigade?password=s3cret&sslmode=bogus",
        "postgres://till@127.0.0.1:notaport/brigade?password=s3cret",
    ] {
        let out = brigade_as(Path::new(url), "ana", &["verify"], "");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}: {said}");
        assert!(said.contains("brigade: DB_"), "a code: {said}");
        assert!(!said.contains("s3cret"), "the password is shown: {said}");
    }
    // A damaged event on a server: DB_CORRUPT names the database, without the password.
    let Some((url, name)) = database("postgres_errors::password") else {
        return;
    };
    let out = exec(&url, r#"{"type":"OpenOrder","order_id":"p1","table":"4"}"#);
    assert!(out.status.success(), "{out:?}");
    let server = shared("postgres_errors::password").unwrap();
    server
        .psql(
            &name,
            "ALTER TABLE events DISABLE TRIGGER USER; \
             UPDATE events SET payload = '{not json' WHERE position = (SELECT max(position) FROM events); \
             ALTER TABLE events ENABLE TRIGGER USER;",
        )
        .unwrap();
    let with_password = format!("{url}&password=s3cret");
    let out = brigade_as(Path::new(&with_password), "ana", &["events"], "");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("DB_CORRUPT"), "{said}");
    assert!(
        said.contains("password=***"),
        "the database is named: {said}"
    );
    assert!(!said.contains("s3cret"), "the password is shown: {said}");
}

#[test]
fn a_missing_head_row_is_a_database_error_not_a_lost_server() {
    let Some((url, name)) = database("postgres_errors::head") else {
        return;
    };
    shared("postgres_errors::head")
        .unwrap()
        .psql(&name, "DELETE FROM brigade_head")
        .unwrap();
    let out = exec(&url, r#"{"type":"OpenOrder","order_id":"h1","table":"4"}"#);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(said.contains("DB_ERROR"), "{said}");
    assert!(!said.contains("DB_UNREACHABLE"), "{said}");
}

#[test]
fn a_read_only_session_writes_nothing() {
    let Some((url, _)) = database("postgres_errors::read_only") else {
        return;
    };
    let mut b = Brigade::open_read_only(&Config::new(&url, "ana")).unwrap();
    let open = parse_line(r#"{"type":"OpenOrder","order_id":"r1","table":"2"}"#).unwrap();
    let err = b.execute(&open).unwrap_err();
    assert!(
        err.message().contains("read-only"),
        "the server refused the write: {}",
        err.message()
    );
    assert_eq!(
        PgStore::open(&url)
            .unwrap()
            .client()
            .query_one("SELECT count(*) FROM events WHERE stream_id = 'r1'", &[])
            .unwrap()
            .get::<_, i64>(0),
        0
    );
}

#[test]
fn a_lock_wait_set_by_the_terminal_survives_a_reconnect() {
    let Some((url, _)) = database("postgres_errors::reconnect") else {
        return;
    };
    let store = PgStore::open(&url).unwrap();
    store.set_busy_timeout(Duration::from_millis(1500)).unwrap();
    let shown = |store: &PgStore| -> String {
        store
            .client()
            .query_one("SHOW lock_timeout", &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(shown(&store), "1500ms");
    let pid: i32 = store
        .client()
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    // The next call finds the connection closed and opens another.
    let deadline = Instant::now() + Duration::from_secs(30);
    while store.client().query_one("SELECT 1", &[]).is_err() {
        assert!(Instant::now() < deadline, "the store never reconnected");
    }
    let now: i32 = store
        .client()
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    assert_ne!(now, pid, "a new connection");
    assert_eq!(shown(&store), "1500ms", "the wait was set again");
}

/// Backends of this database waiting for a lock.
fn waiting(admin: &mut postgres::Client, name: &str) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
            &[&name],
        )
        .unwrap()
        .get(0)
}

fn wait_for(admin: &mut postgres::Client, name: &str, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while waiting(admin, name) < n {
        assert!(Instant::now() < deadline, "never {n} waiting for the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_rebuild_keeps_an_event_appended_while_it_folded() {
    let Some((url, name)) = database("postgres_errors::rebuild") else {
        return;
    };
    let out = exec(&url, r#"{"type":"OpenOrder","order_id":"b1","table":"4"}"#);
    assert!(out.status.success(), "{out:?}");
    // The head's lock held, so that the order of what follows is the test's, not the
    // scheduler's: an append queues for the lock; then a rebuild folds the log (without the
    // queued append's event) and queues behind it.
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    holder
        .batch_execute("BEGIN; SELECT 1 FROM brigade_head WHERE id = 1 FOR UPDATE")
        .unwrap();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let append = {
        let url = url.clone();
        std::thread::spawn(move || {
            exec(
                &url,
                r#"{"type":"AddItem","order_id":"b1","item_id":"fries"}"#,
            )
        })
    };
    wait_for(&mut admin, &name, 1);
    let rebuild = {
        let url = url.clone();
        std::thread::spawn(move || brigade_as(Path::new(&url), "it", &["rebuild"], ""))
    };
    wait_for(&mut admin, &name, 2);
    // Released: the append commits first, then the rebuild takes the lock.
    holder.batch_execute("ROLLBACK").unwrap();
    let appended = append.join().unwrap();
    assert!(appended.status.success(), "{appended:?}");
    let rebuilt = rebuild.join().unwrap();
    assert!(rebuilt.status.success(), "{rebuilt:?}");
    // With no append after it, the read models hold the event the rebuild did not fold.
    let shown = brigade_as(Path::new(&url), "it", &["query", "open-orders"], "");
    let said = String::from_utf8_lossy(&shown.stdout).to_lowercase();
    assert!(
        said.contains("fries"),
        "the added line is in the read models: {said}"
    );
    support::bin::assert_verifies(Path::new(&url));
}
