//! The terminal role `brigade setup --terminal-role` makes on PostgreSQL: its password stored
//! and sent only as a SCRAM verifier, the rights it has (append and read, never rewrite
//! history), the schema it is granted in, and the existing roles it refuses to touch.

mod support;

use brigade::store::postgres::PgStore;
use brigade::store::EventStore;
use support::pg::{PgServer, ADMIN};
use support::pg_store::{append, assert_chain, server};

/// A role on `server`'s database `brigade` that logs in with a password (the throwaway server
/// trusts everyone else): the role's password is checked by the server, with the verifier it
/// stored.
fn require_password_for(server: &PgServer, role: &str) {
    let hba = server.psql("brigade", "SHOW hba_file").unwrap();
    server
        .psql(
            "brigade",
            &format!(
                "COPY (SELECT l FROM (VALUES (1, 'local all {role} scram-sha-256'), \
                 (2, 'local all all trust')) v(n, l) ORDER BY n) TO '{hba}'; \
                 SELECT pg_reload_conf()"
            ),
        )
        .unwrap();
}

/// `url` as `role` with `password`.
fn as_role(server: &PgServer, role: &str, password: &str) -> String {
    server
        .url(role, "brigade")
        .replacen(&format!("{role}@"), &format!("{role}:{password}@"), 1)
}

#[test]
fn the_terminal_role_s_password_is_sent_and_stored_as_a_scram_verifier_only() {
    let Some((server, url)) = server("postgres_store::role_password") else {
        return;
    };
    // A session that would hash a clear-text password with MD5, and log every DDL statement.
    let owner = format!("{url}&options=-c%20password_encryption%3Dmd5%20-c%20log_statement%3Dddl");
    let (store, _) = PgStore::setup(&owner).unwrap();
    assert!(store.grant_terminal_role("till", "s3cret-pw").unwrap());
    // Again, on the role now there (ALTER ROLE): the same.
    assert!(!store.grant_terminal_role("till", "s3cret-pw").unwrap());
    let stored = server
        .psql(
            "brigade",
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'till'",
        )
        .unwrap();
    assert!(stored.starts_with("SCRAM-SHA-256$"), "{stored}");
    let log = std::fs::read_to_string(server.socket_dir().join("server.log")).unwrap();
    assert!(log.contains("ROLE till"), "the DDL was logged: {log}");
    assert!(!log.contains("s3cret-pw"), "the password reached the log");
    // The server checks the password against that verifier.
    require_password_for(&server, "till");
    PgStore::open(&as_role(&server, "till", "s3cret-pw")).unwrap();
    let err = PgStore::open(&as_role(&server, "till", "wrong"))
        .err()
        .unwrap();
    assert_eq!(err.code(), "DB_AUTH_FAILED", "{err}");
}

#[test]
fn the_terminal_role_may_move_the_head_row_but_not_remove_or_add_one_nor_rewrite_history() {
    let Some((server, url)) = server("postgres_store::role_rights") else {
        return;
    };
    let (owner, _) = PgStore::setup(&url).unwrap();
    owner.grant_terminal_role("till", "pw").unwrap();
    let mut till = PgStore::open(&server.url("till", "brigade")).unwrap();
    till.append(append("o1", 0, Some("c1"))).unwrap();
    till.append(append("o1", 1, None)).unwrap();
    assert_eq!(till.head().unwrap(), 2);
    let mut client =
        postgres::Client::connect(&server.url("till", "brigade"), postgres::NoTls).unwrap();
    for sql in [
        "DELETE FROM brigade_head",
        "INSERT INTO brigade_head VALUES (2, 0, '\\x00', '')",
        "TRUNCATE brigade_head",
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
        "TRUNCATE events",
        "UPDATE commands SET result = '{}'",
        "DELETE FROM commands",
        "TRUNCATE commands",
        "UPDATE snapshots SET state = '{}'",
        "DELETE FROM snapshots",
        "TRUNCATE snapshots",
        "UPDATE brigade_meta SET value = '0'",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "DROP TRIGGER events_are_append_only ON events",
        "CREATE TABLE sneaky (x int)",
    ] {
        // Each in a transaction of its own, rolled back whatever happens.
        let mut tx = client.transaction().unwrap();
        let refused = tx.batch_execute(sql);
        assert!(refused.is_err(), "the till could: {sql}");
        drop(tx);
    }
    drop(client);
    assert_eq!(assert_chain(&url), 2);
}

#[test]
fn the_terminal_role_is_granted_in_the_schema_the_database_uses() {
    let Some((server, _)) = server("postgres_store::role_schema") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    server.psql("floor", "CREATE SCHEMA service").unwrap();
    let path = "&options=-c%20search_path%3Dservice";
    let (owner, created) =
        PgStore::setup(&format!("{}{path}", server.url(ADMIN, "floor"))).unwrap();
    assert!(created);
    assert_eq!(
        server.psql(
            "floor",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'service'"
        ),
        Ok("10".into())
    );
    owner.grant_terminal_role("till", "pw").unwrap();
    let mut till = PgStore::open(&format!("{}{path}", server.url("till", "floor"))).unwrap();
    till.append(append("o1", 0, Some("c1"))).unwrap();
    assert_eq!(till.head().unwrap(), 1);
    assert!(
        till.client()
            .batch_execute("DELETE FROM brigade_head")
            .is_err(),
        "the till could delete the head row"
    );
}

#[test]
fn an_existing_role_that_is_more_than_a_terminal_is_refused_and_left_as_it_was() {
    let Some((server, url)) = server("postgres_store::role_refused") else {
        return;
    };
    let (owner, _) = PgStore::setup(&url).unwrap();
    server
        .psql(
            "brigade",
            "CREATE ROLE boss LOGIN SUPERUSER PASSWORD 'boss-pw'; \
             CREATE ROLE keeper; CREATE SCHEMA kept AUTHORIZATION keeper; \
             CREATE ROLE staff; CREATE ROLE waiter LOGIN; GRANT staff TO waiter; \
             CREATE ROLE quiet LOGIN; ALTER ROLE quiet SET session_replication_role = replica",
        )
        .unwrap();
    let attributes = "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, \
         rolreplication, rolpassword FROM pg_authid ORDER BY rolname";
    let before = server.psql("brigade", attributes).unwrap();
    for (role, why) in [
        (ADMIN, "is the role running setup"),
        ("boss", "is a superuser"),
        ("keeper", "owns objects"),
        ("waiter", "is a member of other roles"),
        ("quiet", "has settings of its own"),
        ("Bad-Name", "a role name is"),
        ("public", "keeps for itself"),
        ("pg_signal_backend", "keeps for itself"),
        ("current_user", "keeps for itself"),
    ] {
        let err = owner.grant_terminal_role(role, "new-pw").unwrap_err();
        assert_eq!(err.code(), "ROLE_REFUSED", "{role}: {err}");
        assert!(err.to_string().contains(why), "{role}: {err}");
    }
    assert_eq!(
        server.psql("brigade", attributes).unwrap(),
        before,
        "a refused role was changed"
    );
    // A plain existing role with rights a terminal has no use for is made a terminal's: they
    // are taken away.
    server
        .psql(
            "brigade",
            "CREATE ROLE old_till LOGIN CREATEDB CREATEROLE BYPASSRLS REPLICATION",
        )
        .unwrap();
    assert!(!owner.grant_terminal_role("old_till", "pw").unwrap());
    assert_eq!(
        server.psql(
            "brigade",
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication, rolcanlogin \
             FROM pg_roles WHERE rolname = 'old_till'"
        ),
        Ok("f|f|f|f|f|t".into())
    );
}

#[test]
fn an_owner_who_is_not_a_superuser_makes_a_terminal_role_but_not_of_itself() {
    let Some((server, _)) = server("postgres_store::role_owner") else {
        return;
    };
    server
        .psql("postgres", "CREATE ROLE keeper LOGIN CREATEROLE")
        .unwrap();
    server
        .psql("postgres", "CREATE DATABASE kept OWNER keeper")
        .unwrap();
    server
        .psql("kept", "ALTER SCHEMA public OWNER TO keeper")
        .unwrap();
    let (owner, _) = PgStore::setup(&server.url("keeper", "kept")).unwrap();
    let err = owner.grant_terminal_role("keeper", "pw").unwrap_err();
    assert_eq!(err.code(), "ROLE_REFUSED", "{err}");
    assert!(err.to_string().contains("running setup"), "{err}");
    assert!(owner.grant_terminal_role("till", "pw").unwrap());
    assert!(!owner.grant_terminal_role("till", "pw2").unwrap());
    let mut till = PgStore::open(&server.url("till", "kept")).unwrap();
    till.append(append("o1", 0, None)).unwrap();
    assert_eq!(
        server.psql(
            "kept",
            "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = 'keeper'"
        ),
        Ok("f|t".into()),
        "the owner kept what it had"
    );
}

#[test]
fn a_role_of_another_database_on_the_server_is_refused_and_keeps_its_password() {
    let Some((server, url)) = server("postgres_roles::elsewhere") else {
        return;
    };
    let (owner, _) = PgStore::setup(&url).unwrap();
    assert!(owner.grant_terminal_role("till", "first-pw").unwrap());
    // A second restaurant's database on the same server: its setup may not take `till` over
    // (a new password would lock the first restaurant's tills out).
    server.psql("postgres", "CREATE DATABASE terrace").unwrap();
    let (terrace, _) = PgStore::setup(&server.url(ADMIN, "terrace")).unwrap();
    let err = terrace
        .grant_terminal_role("till", "second-pw")
        .unwrap_err();
    assert_eq!(err.code(), "ROLE_REFUSED", "{err}");
    assert!(err.to_string().contains("another database"), "{err}");
    require_password_for(&server, "till");
    PgStore::open(&as_role(&server, "till", "first-pw")).unwrap();
    // A role of its own is made as usual; and the first database's setup still renews `till`.
    assert!(terrace.grant_terminal_role("terrace_till", "pw").unwrap());
    assert!(!owner.grant_terminal_role("till", "first-pw").unwrap());
}

#[test]
fn setup_with_a_terminal_role_runs_on_several_machines_at_once() {
    let Some((_server, url)) = server("postgres_roles::at_once") else {
        return;
    };
    let tills: Vec<_> = (0..6)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
                .args(["--db", &url, "setup", "--terminal-role", "till"])
                .env("BRIGADE_ROLE_PASSWORD", "s3cret")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for till in tills {
        let out = till.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_url_without_the_password_the_server_asks_for_is_an_authentication_failure() {
    let Some((server, url)) = server("postgres_roles::no_password") else {
        return;
    };
    let (owner, _) = PgStore::setup(&url).unwrap();
    owner.grant_terminal_role("till", "s3cret").unwrap();
    require_password_for(&server, "till");
    let err = PgStore::open(&server.url("till", "brigade")).err().unwrap();
    assert_eq!(err.code(), "DB_AUTH_FAILED", "{err}");
}

#[test]
fn a_terminal_whose_role_is_refused_on_reconnecting_is_told_so() {
    use brigade::app::request::parse_line;
    use brigade::app::{Brigade, Config};
    use std::time::{Duration, Instant};
    let Some((server, url)) = server("postgres_roles::refused_later") else {
        return;
    };
    let (owner, _) = PgStore::setup(&url).unwrap();
    owner.grant_terminal_role("till", "pw").unwrap();
    let mut b = Brigade::open(&Config::new(server.url("till", "brigade"), "ana")).unwrap();
    let open = parse_line(r#"{"type":"OpenOrder","order_id":"r1","table":"2"}"#).unwrap();
    b.execute(&open).unwrap();
    // The manager locks the till's role out and its session is cut.
    server
        .psql(
            "brigade",
            "ALTER ROLE till NOLOGIN; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'till'",
        )
        .unwrap();
    let add = parse_line(r#"{"type":"AddItem","order_id":"r1","item_id":"fries"}"#).unwrap();
    // The first command finds the connection cut; from the reconnection on, the till is told
    // it is refused, not that the server cannot be reached.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let err = b.execute(&add).unwrap_err();
        if err.code() == "DB_AUTH_FAILED" {
            break;
        }
        assert_eq!(err.code(), "DB_UNREACHABLE", "{}", err.message());
        assert!(Instant::now() < deadline, "never told: {}", err.message());
    }
}
