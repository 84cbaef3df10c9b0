//! `brigade setup --db postgres://…` on a throwaway server: it creates the schema once and
//! says so, refuses a database that holds something else (`NOT_A_BRIGADE_DATABASE`), names
//! the server it could not reach (`DB_UNREACHABLE`) and the credentials it refused
//! (`DB_AUTH_FAILED`); and the command line's contract — exec, query, simulate, verify,
//! anchor, rebuild, events — runs on it as on SQLite. Skipped with a note where no server can be
//! started, unless `BRIGADE_REQUIRE_POSTGRES` is set (as `.ci/run` does).

mod support;

use std::path::Path;

use support::bin::brigade_as;
use support::pg::{PgServer, ADMIN};

fn run(db: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = brigade_as(Path::new(db), "it", args, "");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn setup_prepares_an_empty_database_once_and_refuses_what_it_cannot_use() {
    let Some(server) = PgServer::start_or_skip("postgres_cli") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let url = server.url(ADMIN, "floor");
    let (code, out, err) = run(&url, &["setup"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["backend"].as_str(), v["created"].as_bool()),
        (Some("postgres"), Some(true))
    );
    assert!(!out.contains(ADMIN), "no user or password shown: {out}");
    let (_, again, _) = run(&url, &["setup"]);
    assert!(again.contains("\"created\": false"), "{again}");
    assert_eq!(
        server.psql("floor", "SELECT count(*) FROM events"),
        Ok("0".into())
    );

    server.psql("postgres", "CREATE DATABASE shop").unwrap();
    server
        .psql("shop", "CREATE TABLE customers (id int)")
        .unwrap();
    let (code, _, err) = run(&server.url(ADMIN, "shop"), &["setup"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("NOT_A_BRIGADE_DATABASE"), "{err}");

    let (code, _, err) = run(&server.url("nobody", "floor"), &["setup"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("DB_AUTH_FAILED"), "{err}");

    // A read-only command on the server: answers, and no file named like the URL is made.
    let (code, out, err) = run(&url, &["query", "open-orders"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), "[]");
    assert!(!Path::new("postgres:").exists());

    server.kill().unwrap();
    let (code, _, err) = run(&url, &["setup"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("DB_UNREACHABLE"), "{err}");
    assert!(
        err.contains(&server.socket_dir().display().to_string()),
        "{err}"
    );
}

#[test]
fn a_terminal_s_role_appends_and_reads_but_cannot_rewrite_history() {
    use brigade::projections::postgres::PgProjections;
    use brigade::projections::ReadModelStore;
    use brigade::store::postgres::PgStore;
    use brigade::store::{Append, EventStore, Metadata, NewEvent};
    let Some(server) = PgServer::start_or_skip("postgres_cli::role") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let owner = server.url(ADMIN, "floor");
    // Without its password the role is refused; with it, set up.
    let (code, _, err) = run(&owner, &["setup", "--terminal-role", "till"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("BRIGADE_ROLE_PASSWORD"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .args(["--db", &owner, "setup", "--terminal-role", "till"])
        .env("BRIGADE_ROLE_PASSWORD", "s3cret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("s3cret"));

    // The till appends through the store (events, command record, read models) and reads.
    let mut till = PgStore::open(&server.url("till", "floor")).unwrap();
    till.set_projector(Box::new(PgProjections));
    let answer = |_: &[brigade::store::RecordedEvent]| "{}".to_string();
    till.append(Append {
        stream_id: "o1",
        stream_type: "order",
        expected_revision: 0,
        events: vec![NewEvent {
            event_type: "OrderOpened",
            payload: r#"{"order_id":"o1","kind":"dine_in","table":"4"}"#.into(),
            metadata: Metadata {
                event_id: "e1".into(),
                actor: "till".into(),
                ..Default::default()
            },
        }],
        recorded_at: chrono::Utc::now(),
        command_id: Some("c1"),
        fingerprint: "f",
        result: Some(&answer),
        snapshot: None,
    })
    .unwrap();
    assert_eq!(till.open_orders().unwrap().len(), 1);
    // But history cannot be rewritten with the till's credentials, not even by dropping the
    // guards: it owns nothing.
    let mut client = till.client();
    for sql in [
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
        "TRUNCATE events",
        "UPDATE commands SET result = '{}'",
        "DELETE FROM commands",
        "DELETE FROM snapshots",
        "DROP TRIGGER events_are_append_only ON events",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "CREATE TABLE sneaky (x int)",
    ] {
        let refused = client.batch_execute(sql);
        assert!(refused.is_err(), "the till could: {sql}");
    }
    drop(client);
    assert_eq!(till.head().unwrap(), 1);
}

#[test]
fn a_service_runs_through_the_command_line_on_the_server() {
    let Some(server) = PgServer::start_or_skip("postgres_cli::service") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let url = server.url(ADMIN, "floor");
    let (code, _, err) = run(&url, &["setup"]);
    assert_eq!(code, Some(0), "{err}");
    let lines = [
        r#"{"type":"OpenOrder","order_id":"t4","table":"4"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"steak","modifiers":["medium-rare"],"seat":2}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"lager","command_id":"tap-1"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"lager","command_id":"tap-1"}"#,
        r#"{"type":"PlaceOrder","order_id":"t4"}"#,
    ]
    .join("\n");
    let out = brigade_as(Path::new(&url), "ana", &["exec"], &(lines + "\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        results[2], results[3],
        "the same command id answers the first result"
    );
    let (_, kitchen, _) = run(&url, &["query", "kitchen"]);
    let kitchen: serde_json::Value = serde_json::from_str(&kitchen).unwrap();
    let stations: Vec<&str> = kitchen
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["station"].as_str().unwrap())
        .collect();
    assert_eq!(stations, ["bar", "grill"]);
    let (code, _, err) = run(&url, &["simulate", "--orders", "20", "--seed", "3"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, said, err) = run(&url, &["verify"]);
    assert_eq!(code, Some(0), "{said}{err}");
    assert!(said.contains("hash chain intact"), "{said}");
    let (_, anchor, _) = run(&url, &["anchor"]);
    let (code, _, err) = run(&url, &["rebuild"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, said, _) = run(&url, &["verify", "--anchor", anchor.trim()]);
    assert_eq!(code, Some(0), "{said}");
    let (_, events, _) = run(&url, &["events", "--after", "0"]);
    assert!(events.lines().count() > 100);

    // The owner, guards switched off behind Brigade's back, edits a command's stored result:
    // verify finds it (the command records are checked against their events on the server
    // too) and the switched-off guard as well.
    server
        .psql(
            "floor",
            "ALTER TABLE commands DISABLE TRIGGER commands_are_append_only; \
             UPDATE commands SET result = '{\"ok\":true}' WHERE command_id = 'tap-1'",
        )
        .unwrap();
    let (code, said, _) = run(&url, &["verify"]);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("command tap-1 does not match its events"),
        "{said}"
    );
    assert!(said.contains("commands_are_append_only"), "{said}");
}
