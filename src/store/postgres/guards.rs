//! The guards of a Brigade database on PostgreSQL, as `verify` checks them: each append-only
//! trigger present, firing in every session (enabled `O`rigin or `A`lways: not disabled, and
//! not `R`eplica-only, which ordinary sessions skip), on what it should (before UPDATE, DELETE
//! and TRUNCATE, per statement; no `WHEN` condition, no `UPDATE OF` column list, no arguments)
//! and calling Brigade's function, whose body is still the one `setup` wrote (a function
//! replaced by one that lets everything by would leave the trigger looking fine); no other
//! trigger, no rewrite rule and no row-level security (which could hide rows from terminals)
//! on the log's tables; the server's checks on appends ([`schema::HEAD_CHECKS`]: every event
//! chains to the one before it, the log and its head move together) present, firing, and
//! calling their functions as written; no `session_replication_role` set for the database or a role (which
//! would skip the guards in those sessions).

use postgres::GenericClient;

use super::{error, schema};
use crate::store::StoreError;

/// The append-only triggers, and their tables.
pub const GUARDS: &[(&str, &str)] = &[
    ("events_are_append_only", "events"),
    ("commands_are_append_only", "commands"),
    ("snapshots_are_append_only", "snapshots"),
];

/// The tables no trigger or rule but Brigade's may touch.
const LOG_TABLES: &[&str] = &["events", "commands", "snapshots", "brigade_head"];

/// `pg_trigger.tgtype` of BEFORE (2) DELETE (8) OR UPDATE (16) OR TRUNCATE (32), per statement.
const GUARD_TYPE: i16 = 2 | 8 | 16 | 32;

const FUNCTION: &str = "brigade_append_only";

/// The function's body as `setup` wrote it (between its `$$`).
fn function_body() -> &'static str {
    schema::body_of(
        schema::DDL,
        "brigade_append_only() RETURNS trigger LANGUAGE plpgsql AS $$",
    )
}

/// The trigger `trigger` on `table` in this schema: its state, type, function's name and body,
/// whether it has a condition, a column list, arguments (in that order).
fn trigger_row(
    c: &mut impl GenericClient,
    trigger: &str,
    table: &str,
) -> Result<Option<postgres::Row>, StoreError> {
    c.query_opt(
        "SELECT t.tgenabled::text, t.tgtype, p.proname::text, p.prosrc, \
           t.tgqual IS NOT NULL, coalesce(array_length(t.tgattr::int2[], 1), 0) > 0, \
           t.tgnargs::int4 \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         JOIN pg_proc p ON p.oid = t.tgfoid \
         WHERE t.tgname = $1 AND c.relname = $2 AND c.relnamespace = current_schema()::regnamespace",
        &[&trigger, &table],
    )
    .map_err(error)
}

/// What is wrong with the guards (nothing: all in place).
pub fn problems(c: &mut impl GenericClient) -> Result<Vec<String>, StoreError> {
    let mut found = Vec::new();
    for (trigger, table) in GUARDS {
        let row = trigger_row(c, trigger, table)?;
        let Some(row) = row else {
            found.push(format!("the trigger {trigger} on {table} is missing"));
            continue;
        };
        let (enabled, kind, function, body): (String, i16, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let (conditional, some_columns, arguments): (bool, bool, i32) =
            (row.get(4), row.get(5), row.get(6));
        match enabled.as_str() {
            "O" | "A" => {}
            "D" => found.push(format!("the trigger {trigger} on {table} is disabled")),
            "R" => found.push(format!(
                "the trigger {trigger} on {table} is enabled for replica sessions only: it does not fire in ordinary ones"
            )),
            other => found.push(format!(
                "the trigger {trigger} on {table} is not enabled for every session (state {other})"
            )),
        }
        if conditional {
            found.push(format!(
                "the trigger {trigger} on {table} has a WHEN condition: it may not fire"
            ));
        }
        if some_columns {
            found.push(format!(
                "the trigger {trigger} on {table} fires only on UPDATE OF some columns"
            ));
        }
        if arguments != 0 {
            found.push(format!(
                "the trigger {trigger} on {table} is given arguments, which setup never gives it"
            ));
        }
        if kind != GUARD_TYPE {
            found.push(format!(
                "the trigger {trigger} on {table} no longer fires before every UPDATE, DELETE and TRUNCATE"
            ));
        }
        if function != FUNCTION {
            found.push(format!(
                "the trigger {trigger} on {table} calls {function}, not {FUNCTION}"
            ));
        } else if body != function_body() {
            found.push(format!(
                "the function {FUNCTION} the trigger {trigger} calls was changed: it may let rows be rewritten"
            ));
        }
    }
    for (trigger, table, expected) in schema::LOG_CHECKS {
        let row = trigger_row(c, trigger, table)?;
        let Some(row) = row else {
            found.push(format!(
                "the trigger {trigger} on {table} is missing (a database made before it: `brigade setup` by its owner adds it)"
            ));
            continue;
        };
        let (enabled, function, body, conditional): (String, String, String, bool) =
            (row.get(0), row.get(2), row.get(3), row.get(4));
        if !matches!(enabled.as_str(), "O" | "A") || conditional {
            found.push(format!(
                "the trigger {trigger} on {table} does not fire in every session"
            ));
        }
        if function != *expected || body != schema::check_body(expected) {
            found.push(format!(
                "the trigger {trigger} on {table} no longer calls {expected} as setup wrote it (an earlier build's: `brigade setup` by the owner replaces it)"
            ));
        }
    }
    let others = c
        .query(
            "SELECT t.tgname::text, c.relname::text FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE NOT t.tgisinternal AND c.relname = ANY($1) \
             AND c.relnamespace = current_schema()::regnamespace \
             AND NOT (t.tgname = ANY($2)) ORDER BY 2, 1",
            &[
                &LOG_TABLES,
                &GUARDS
                    .iter()
                    .map(|(t, _)| *t)
                    .chain(schema::LOG_CHECKS.iter().map(|(t, _, _)| *t))
                    .collect::<Vec<_>>(),
            ],
        )
        .map_err(error)?;
    for r in others {
        let (name, table): (String, String) = (r.get(0), r.get(1));
        found.push(format!(
            "a trigger that is not Brigade's, {name}, is on {table}"
        ));
    }
    let rules = c
        .query(
            "SELECT rulename::text, tablename::text FROM pg_rules \
             WHERE schemaname = current_schema() AND tablename = ANY($1) ORDER BY 2, 1",
            &[&LOG_TABLES],
        )
        .map_err(error)?;
    for r in rules {
        let (name, table): (String, String) = (r.get(0), r.get(1));
        found.push(format!("a rewrite rule, {name}, is on {table}"));
    }
    let secured = c
        .query(
            "SELECT relname::text FROM pg_class \
             WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1) \
             AND (relrowsecurity OR relforcerowsecurity) ORDER BY 1",
            &[&LOG_TABLES],
        )
        .map_err(error)?;
    for r in secured {
        let table: String = r.get(0);
        found.push(format!(
            "row-level security is on for {table}: its policies could hide rows from terminals"
        ));
    }
    // `session_replication_role = replica` skips every ordinary trigger: set for a database
    // or a role (only a superuser can), the guards stop firing in its sessions.
    let replica = c
        .query(
            "SELECT coalesce(d.datname::text, 'every database'),                coalesce(r.rolname::text, 'every role')              FROM pg_db_role_setting s              LEFT JOIN pg_database d ON d.oid = s.setdatabase              LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) AS c(setting)              WHERE (s.setdatabase = 0 OR d.datname = current_database())              AND lower(c.setting) LIKE 'session_replication_role=%'              AND lower(c.setting) <> 'session_replication_role=origin' ORDER BY 1, 2",
            &[],
        )
        .map_err(error)?;
    for r in replica {
        let (database, role): (String, String) = (r.get(0), r.get(1));
        found.push(format!(
            "session_replication_role is set for {role} on {database}: the guards do not fire in those sessions"
        ));
    }
    Ok(found)
}
