//! The throwaway PostgreSQL server the PostgreSQL tests run against (`tests/support/pg.rs`):
//! it starts from the machine's server binaries, answers, survives being killed and started
//! again with its data, and is gone afterwards. Skipped with a note where no server can be
//! started, unless `BRIGADE_REQUIRE_POSTGRES` is set (as `.ci/run` does).

mod support;

use support::pg::PgServer;

#[test]
fn a_throwaway_server_starts_answers_survives_a_kill_and_is_removed() {
    let Some(server) = PgServer::start_or_skip("postgres_server") else {
        return;
    };
    assert_eq!(server.psql("postgres", "SELECT 40 + 2").unwrap(), "42");
    server
        .psql(
            "postgres",
            "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)",
        )
        .unwrap();
    server.kill().unwrap();
    assert!(
        server.psql("postgres", "SELECT 1").is_err(),
        "a killed server answered"
    );
    server.restart().unwrap();
    assert_eq!(server.psql("postgres", "SELECT n FROM kept").unwrap(), "7");
    let dir = server.socket_dir().to_path_buf();
    drop(server);
    assert!(!dir.exists(), "the server's directory was left behind");
}
