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
