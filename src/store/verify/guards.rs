//! The append-only guards: triggers that refuse UPDATE and DELETE on the events and the
//! snapshots. Anyone who can write the file can drop them; verify (and the screens' banner)
//! says so instead of trusting that they are there.

use rusqlite::Connection;

use crate::store::StoreError;

/// Each guard's name and the statement that creates it (exactly as in the schema).
pub const GUARDS: &[(&str, &str)] = &[
    (
        "events_are_append_only_update",
        "CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events\n\
         BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    ),
    (
        "events_are_append_only_delete",
        "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events\n\
         BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    ),
    (
        "snapshots_are_append_only_update",
        "CREATE TRIGGER snapshots_are_append_only_update BEFORE UPDATE ON snapshots\n\
         BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END",
    ),
    (
        "snapshots_are_append_only_delete",
        "CREATE TRIGGER snapshots_are_append_only_delete BEFORE DELETE ON snapshots\n\
         BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END",
    ),
];

/// One line per guard that is missing or was replaced by something else (empty: all there).
pub fn missing_guards(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
    let mut problems = Vec::new();
    for (name, sql) in GUARDS {
        let found: Vec<Option<String>> = stmt
            .query_map([name], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match found.first() {
            None => problems.push(format!("the append-only guard {name} is missing")),
            Some(stored) if stored.as_deref().map(words) != Some(words(sql)) => problems.push(
                format!("the append-only guard {name} was replaced by another trigger"),
            ),
            Some(_) => {}
        }
    }
    // Brigade creates no other trigger: any other one (on the log, its records or the read
    // models) can swallow or change what is written, so it is reported by name.
    let mut others = conn.prepare_cached(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    )?;
    let found: Vec<(String, String)> = others
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, table) in found {
        if !GUARDS.iter().any(|(guard, _)| *guard == name) {
            problems.push(format!(
                "a trigger that is not Brigade's is on {}: {}",
                crate::display::safe(&table),
                crate::display::safe(&name)
            ));
        }
    }
    Ok(problems)
}

/// The statement with its whitespace runs made single spaces.
fn words(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}
