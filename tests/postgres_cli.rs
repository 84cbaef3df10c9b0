//! `brigade setup --db postgres://…` on a throwaway server: it creates the schema once and
//! says so, refuses a database that holds something else (`NOT_A_BRIGADE_DATABASE`), names
//! the server it could not reach (`DB_UNREACHABLE`) and the credentials it refused
//! (`DB_AUTH_FAILED`); every other command on a PostgreSQL URL is refused plainly for now
//! (`DB_UNSUPPORTED`), never taken for a file name. Skipped with a note where no server can be
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

    // Not yet: the commands and screens on PostgreSQL. Refused, and no file is made.
    let (code, _, err) = run(&url, &["query", "open-orders"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("DB_UNSUPPORTED"), "{err}");
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
