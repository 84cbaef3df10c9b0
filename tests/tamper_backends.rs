//! The same attacks on both backends, caught by the same `verify`: an attacker with full
//! rights (the raw SQLite file, or the PostgreSQL server's superuser) edits, deletes, reorders
//! or forges rows, puts the guards back as they were, and `verify` still names what was done.
//! Each test runs on SQLite and on a throwaway PostgreSQL server (`on_both_backends!`).

mod support;

use std::path::PathBuf;

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use support::backends::{current, database, rehash_from, superuser_sql, tamper_sql, Backend};

fn exec(b: &mut Brigade, line: &str) -> brigade::app::Outcome {
    b.execute(&parse_line(line).unwrap())
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// A database with one order sent to the kitchen (three pizzas), and its path or URL.
fn served(dir: &tempfile::TempDir) -> (Brigade, PathBuf) {
    let db = database(dir.path());
    let mut b = Brigade::open(&Config::new(&db, "tester")).unwrap();
    exec(
        &mut b,
        r#"{"type":"OpenOrder","order_id":"o1","table":"7"}"#,
    );
    for item in ["margherita", "diavola", "funghi"] {
        exec(
            &mut b,
            &format!(
                r#"{{"type":"AddItem","order_id":"o1","item_id":"{item}","quantity":2,"command_id":"add-{item}"}}"#
            ),
        );
    }
    exec(&mut b, r#"{"type":"PlaceOrder","order_id":"o1"}"#);
    (b, db)
}

fn head(b: &Brigade) -> i64 {
    b.events().head().unwrap()
}

/// What `verify` finds, from a fresh read-only opening (as `brigade verify` does).
fn problems(db: &PathBuf) -> Vec<String> {
    let b = Brigade::open_read_only(&Config::new(db, "auditor")).unwrap();
    b.verify(&[]).unwrap().problems
}

fn assert_found(problems: &[String], what: &str) {
    assert!(
        problems.iter().any(|p| p.contains(what)),
        "verify on {:?} did not report {what:?}; it reported {problems:#?}",
        current()
    );
}

on_both_backends!(an_untouched_service_verifies);
fn an_untouched_service_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (_b, db) = served(&dir);
    assert_eq!(problems(&db), Vec::<String>::new());
}

on_both_backends!(an_edited_event_is_named_by_its_position);
fn an_edited_event_is_named_by_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let (b, db) = served(&dir);
    let target = head(&b) - 2;
    tamper_sql(
        &db,
        &format!(
            "UPDATE events SET payload = replace(payload, '\"quantity\":2', '\"quantity\":1') \
             WHERE position = {target}"
        ),
    );
    assert_found(&problems(&db), &format!("position {target}:"));
}

on_both_backends!(a_deleted_event_in_the_middle_or_at_the_end_is_found);
fn a_deleted_event_in_the_middle_or_at_the_end_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (b, db) = served(&dir);
    let head = head(&b);
    tamper_sql(
        &db,
        &format!("DELETE FROM events WHERE position = {}", head - 2),
    );
    assert_found(&problems(&db), &format!("position {}:", head - 1));
    tamper_sql(&db, &format!("DELETE FROM events WHERE position = {head}"));
    assert_found(&problems(&db), "missing from the end");
}

on_both_backends!(two_events_swapped_in_place_are_found);
fn two_events_swapped_in_place_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (b, db) = served(&dir);
    let (x, y) = (head(&b) - 2, head(&b) - 1);
    tamper_sql(
        &db,
        &format!(
            "CREATE TEMP TABLE a AS SELECT * FROM events WHERE position IN ({x}, {y}); \
             DELETE FROM events WHERE position IN ({x}, {y}); \
             INSERT INTO events SELECT CASE position WHEN {x} THEN {y} ELSE {x} END, stream_id, \
               stream_type, revision, event_type, schema_version, payload, metadata, \
               recorded_at, hash FROM a"
        ),
    );
    assert_found(&problems(&db), &format!("position {x}:"));
}

on_both_backends!(a_forged_command_record_is_found);
fn a_forged_command_record_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_b, db) = served(&dir);
    // The till's answer to "add the diavola" rewritten to claim another line.
    tamper_sql(
        &db,
        "UPDATE commands SET result = replace(result, '\"line_id\":\"l3\"', '\"line_id\":\"l9\"') \
         WHERE command_id = 'add-diavola'",
    );
    assert_found(&problems(&db), "command records:");
}

on_both_backends!(a_read_model_edited_behind_the_log_s_back_is_found);
fn a_read_model_edited_behind_the_log_s_back_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_b, db) = served(&dir);
    tamper_sql(&db, "DELETE FROM kitchen_tickets");
    assert_found(&problems(&db), "read models:");
}

on_both_backends!(a_disabled_or_hollowed_guard_is_found);
fn a_disabled_or_hollowed_guard_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_b, db) = served(&dir);
    match current() {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch("DROP TRIGGER events_are_append_only_update")
                .unwrap();
            assert_found(&problems(&db), "guards:");
        }
        Backend::Postgres => {
            superuser_sql(
                &db,
                "ALTER TABLE events DISABLE TRIGGER events_are_append_only",
            );
            assert_found(&problems(&db), "guards:");
            superuser_sql(
                &db,
                "ALTER TABLE events ENABLE TRIGGER events_are_append_only",
            );
            assert_eq!(problems(&db), Vec::<String>::new());
            // The trigger left in place and enabled, its function made to let everything by.
            superuser_sql(
                &db,
                "CREATE OR REPLACE FUNCTION brigade_append_only() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
            );
            assert_found(&problems(&db), "guards:");
            // A trigger of the attacker's own, quietly rewriting what is appended.
            let dir2 = tempfile::tempdir().unwrap();
            let (_b2, db2) = served(&dir2);
            assert_eq!(problems(&db2), Vec::<String>::new());
            superuser_sql(
                &db2,
                "CREATE FUNCTION sneaky() RETURNS trigger LANGUAGE plpgsql AS $$                  BEGIN NEW.payload := NEW.payload; RETURN NEW; END $$;                  CREATE TRIGGER sneaky BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION sneaky()",
            );
            assert_found(&problems(&db2), "not Brigade's, sneaky");
            superuser_sql(
                &db2,
                "DROP TRIGGER sneaky ON events;                  CREATE RULE keep_quiet AS ON UPDATE TO brigade_head DO INSTEAD NOTHING",
            );
            assert_found(&problems(&db2), "rewrite rule, keep_quiet");
        }
    }
}

on_both_backends!(a_log_rewritten_and_rechained_is_caught_only_by_an_anchor_kept_elsewhere);
fn a_log_rewritten_and_rechained_is_caught_only_by_an_anchor_kept_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let (b, db) = served(&dir);
    let anchor = b.anchor().unwrap();
    // Who added the funghi rewritten: the blame moved to someone else.
    let target = head(&b) - 1;
    tamper_sql(
        &db,
        &format!(
            "UPDATE events SET metadata = replace(metadata, '\"actor\":\"tester\"', '\"actor\":\"mallory\"') \
             WHERE position = {target}"
        ),
    );
    rehash_from(&db, target);
    let reader = Brigade::open_read_only(&Config::new(&db, "auditor")).unwrap();
    let mut actor = String::new();
    reader
        .events()
        .for_each_after(target - 1, &mut |e| {
            actor = e.metadata.actor.clone();
            Ok(false)
        })
        .unwrap();
    assert_eq!(actor, "mallory", "the log now blames someone else");
    // Without an anchor a consistent rewrite cannot be told from the truth…
    assert_eq!(
        problems(&db),
        Vec::<String>::new(),
        "the rewrite is consistent"
    );
    // …with the anchor written down before, it is caught.
    let found = reader.verify(&[anchor]).unwrap().problems;
    assert_found(&found, "anchor");
}

/// The append-only triggers left in place, but made not to fire (or not on everything), by
/// the server's superuser: each is named by `verify`, and it passes again once put back.
/// PostgreSQL only (SQLite's triggers have no such switches).
#[test]
fn a_guard_made_not_to_fire_in_ordinary_sessions_is_found() {
    support::backends::run(
        Backend::Postgres,
        "a_guard_made_not_to_fire_in_ordinary_sessions_is_found",
        a_guard_made_not_to_fire,
    );
}

/// `sql` with `%I` as this database's name (ALTER DATABASE takes no expression).
fn in_this_database(sql: &str) -> String {
    format!("DO $$ BEGIN EXECUTE format('{sql}', current_database()); END $$")
}

fn a_guard_made_not_to_fire() {
    let dir = tempfile::tempdir().unwrap();
    let (_b, db) = served(&dir);
    let guard = |table: &str, how: &str| {
        format!(
            "DROP TRIGGER {table}_are_append_only ON {table}; \
             CREATE TRIGGER {table}_are_append_only {how} ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION brigade_append_only()"
        )
    };
    let as_set_up = "BEFORE UPDATE OR DELETE OR TRUNCATE";
    let attacks = [
        (
            // Fires only where session_replication_role = replica: never for a terminal.
            "ALTER TABLE events ENABLE REPLICA TRIGGER events_are_append_only".to_string(),
            "events_are_append_only on events is enabled for replica sessions only",
            "ALTER TABLE events ENABLE TRIGGER events_are_append_only".to_string(),
        ),
        (
            "DROP TRIGGER commands_are_append_only ON commands; \
             CREATE TRIGGER commands_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE \
             ON commands FOR EACH STATEMENT WHEN (false) EXECUTE FUNCTION brigade_append_only()"
                .to_string(),
            "commands_are_append_only on commands has a WHEN condition",
            guard("commands", as_set_up),
        ),
        (
            guard("snapshots", "BEFORE UPDATE OF seal OR DELETE OR TRUNCATE"),
            "snapshots_are_append_only on snapshots fires only on UPDATE OF some columns",
            guard("snapshots", as_set_up),
        ),
        (
            "DROP TRIGGER events_are_append_only ON events; \
             CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events \
             FOR EACH STATEMENT EXECUTE FUNCTION brigade_append_only('quiet')"
                .to_string(),
            "events_are_append_only on events is given arguments",
            guard("events", as_set_up),
        ),
        (
            "ALTER TABLE events ENABLE ROW LEVEL SECURITY; \
             CREATE POLICY recent ON events USING (position > 1)"
                .to_string(),
            "row-level security is on for events",
            "DROP POLICY recent ON events; ALTER TABLE events DISABLE ROW LEVEL SECURITY"
                .to_string(),
        ),
        (
            // Every new session on this database skips ordinary triggers.
            in_this_database("ALTER DATABASE %I SET session_replication_role = replica"),
            "session_replication_role is set for every role on",
            in_this_database("ALTER DATABASE %I RESET session_replication_role"),
        ),
        (
            // …or only the sessions of one role (the database's owner, here).
            in_this_database(
                "ALTER ROLE CURRENT_USER IN DATABASE %I SET session_replication_role = replica",
            ),
            "session_replication_role is set for brigade_admin on",
            in_this_database(
                "ALTER ROLE CURRENT_USER IN DATABASE %I RESET session_replication_role",
            ),
        ),
    ];
    // Every attack tried (each undone before the next), then the ones not caught named.
    let mut missed = Vec::new();
    for (attack, named, undo) in attacks {
        superuser_sql(&db, &attack);
        let found = problems(&db);
        if !found
            .iter()
            .any(|p| p.starts_with("guards:") && p.contains(named))
        {
            missed.push(format!(
                "{attack}: not reported ({named:?}); found {found:?}"
            ));
        }
        superuser_sql(&db, &undo);
        assert_eq!(problems(&db), Vec::<String>::new(), "after {undo}");
    }
    assert!(missed.is_empty(), "{missed:#?}");
}
