//! One suite, both backends: a test function marked `on_both_backends!(name)` runs as
//! `name::sqlite` and `name::postgres`; [`database`] gives it a fresh database on the backend of
//! the thread it runs on — a file in the test's directory, or a new database (set up) on the
//! test binary's one throwaway PostgreSQL server ([`super::pg::shared`]). Where no server can
//! be started, the PostgreSQL half says so and passes, unless `BRIGADE_REQUIRE_POSTGRES` is set.

use std::cell::Cell;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

thread_local! {
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Sqlite) };
}

/// Runs `test` on `backend` (this thread's databases are made there).
pub fn run(backend: Backend, name: &str, test: fn()) {
    if backend == Backend::Postgres && super::pg::shared(name).is_none() {
        return;
    }
    BACKEND.with(|b| b.set(backend));
    test();
}

/// The backend this test thread runs on.
pub fn current() -> Backend {
    BACKEND.with(|b| b.get())
}

/// A fresh, empty Brigade database on this thread's backend: `dir/b.db`, or a new database on
/// the shared server, set up.
pub fn database(dir: &Path) -> PathBuf {
    match current() {
        Backend::Sqlite => dir.join("b.db"),
        Backend::Postgres => {
            let url = super::pg::fresh_database("backends").expect("the shared server was checked");
            let config = brigade::app::Config::new(&url, "setup");
            brigade::app::setup::setup(&config, None).expect("setup");
            PathBuf::from(url)
        }
    }
}

/// Runs `sql` on the database as an attacker with full rights would: on SQLite with the raw
/// file, the append-only triggers dropped first and put back exactly as they were after; on
/// PostgreSQL as the server's superuser, the tables' triggers disabled around it. Only what
/// the chain, the anchors and the checks can see is left behind.
pub fn tamper_sql(db: &Path, sql: &str) {
    match current() {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(db).unwrap();
            for (name, _) in brigade::store::verify::guards::GUARDS {
                conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}"))
                    .unwrap();
            }
            conn.execute_batch(sql).unwrap();
            for (_, create) in brigade::store::verify::guards::GUARDS {
                conn.execute_batch(create).unwrap();
            }
        }
        Backend::Postgres => {
            let tables = ["events", "commands", "snapshots"];
            let off: String = tables
                .iter()
                .map(|t| format!("ALTER TABLE {t} DISABLE TRIGGER USER; "))
                .collect();
            let on: String = tables
                .iter()
                .map(|t| format!("ALTER TABLE {t} ENABLE TRIGGER USER; "))
                .collect();
            superuser_sql(db, &format!("{off}{sql}; {on}"));
        }
    }
}

/// What the chain hashes of one stored event.
type Row = (
    i64,
    String,
    String,
    i64,
    String,
    i64,
    String,
    String,
    String,
);

/// Recomputes every event's hash from position `from` on with the project's own function (and,
/// on PostgreSQL, the head row's), as an attacker who rewrote history and wants the chain to
/// hold would. The guards are bypassed as in [`tamper_sql`].
pub fn rehash_from(db: &Path, from: i64) {
    use brigade::store::hash::{event_hash, HashInput, GENESIS};
    const SELECT: &str = "SELECT position, stream_id, stream_type, revision, event_type, \
        schema_version, payload, metadata, recorded_at FROM events ORDER BY position";
    let rows: Vec<Row> = match current() {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(db).unwrap();
            let mut stmt = conn.prepare(SELECT).unwrap();
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows
        }
        Backend::Postgres => superuser_client(db)
            .query(SELECT, &[])
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    r.get(7),
                    r.get(8),
                )
            })
            .collect(),
    };
    let mut prev = GENESIS.to_vec();
    let mut sql = String::new();
    for (position, stream_id, stream_type, revision, event_type, version, payload, meta, at) in rows
    {
        let h = event_hash(
            &prev,
            &HashInput {
                position,
                stream_id: &stream_id,
                stream_type: &stream_type,
                revision,
                event_type: &event_type,
                schema_version: version,
                payload: &payload,
                metadata: &meta,
                recorded_at: &at,
            },
        );
        let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
        if position >= from {
            let literal = match current() {
                Backend::Sqlite => format!("x'{hex}'"),
                Backend::Postgres => format!("'\\x{hex}'::bytea"),
            };
            sql.push_str(&format!(
                "UPDATE events SET hash = {literal} WHERE position = {position};\n"
            ));
            if current() == Backend::Postgres {
                sql.push_str(&format!("UPDATE brigade_head SET hash = {literal};\n"));
            }
        }
        prev = h.to_vec();
    }
    tamper_sql(db, &sql);
}

/// A connection to the database `url` names, as the shared server's superuser.
fn superuser_client(url: &Path) -> postgres::Client {
    let server = super::pg::shared("backends").expect("the shared server was checked");
    postgres::Client::connect(
        &server.url(super::pg::ADMIN, database_name(url)),
        postgres::NoTls,
    )
    .unwrap()
}

/// Runs `sql` with full rights but the guards in place (the raw SQLite file; the server's
/// superuser); why it failed.
pub fn plain_sql(db: &Path, sql: &str) -> Result<(), String> {
    match current() {
        Backend::Sqlite => rusqlite::Connection::open(db)
            .and_then(|c| c.execute_batch(sql))
            .map_err(|e| e.to_string()),
        Backend::Postgres => super::pg::shared("backends")
            .expect("the shared server was checked")
            .psql(database_name(db), sql)
            .map(drop),
    }
}

fn database_name(url: &Path) -> &str {
    let url = url.to_str().expect("a URL");
    let before_query = url.split('?').next().expect("a URL");
    before_query.rsplit('/').next().expect("a database name")
}

/// Runs `sql` as the PostgreSQL server's superuser on the database `url` names; its output.
pub fn superuser_sql(url: &Path, sql: &str) -> String {
    super::pg::shared("backends")
        .expect("the shared server was checked")
        .psql(database_name(url), sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs the test function once per backend, as `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                $crate::support::backends::run(
                    $crate::support::backends::Backend::Sqlite,
                    stringify!($name),
                    super::$name,
                );
            }
            #[test]
            fn postgres() {
                $crate::support::backends::run(
                    $crate::support::backends::Backend::Postgres,
                    stringify!($name),
                    super::$name,
                );
            }
        }
    };
}
