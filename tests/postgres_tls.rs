//! TLS to the server (rustls; no OpenSSL in the terminal): on a throwaway server that takes
//! TCP connections only over TLS, `sslmode=require` works end to end (setup, a command, a
//! query, verify); `verify-full` against the authority that signed the server's certificate
//! works; a plain connection is refused by the server; a certificate from another authority
//! or for another name fails `DB_TLS_FAILED`. Skipped with a note where no server (or no
//! `openssl` to make its certificate) is there, unless `BRIGADE_REQUIRE_POSTGRES` is set.

mod support;

use std::path::Path;

use support::bin::brigade_as;
use support::pg::{PgServer, ADMIN};

fn run(db: &str, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let out = brigade_as(Path::new(db), "it", args, stdin);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn terminals_reach_a_tls_only_server_and_refuse_one_they_cannot_trust() {
    let Some(server) = PgServer::or_skip("postgres_tls", PgServer::start_tls()) else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let ca = server.ca_file().display().to_string();

    // Encrypted, not verified (libpq's `require`): the whole path works.
    let require = format!(
        "{}sslmode=require",
        server.tcp_url(ADMIN, "127.0.0.1", "floor")
    );
    let (code, _, err) = run(&require, &["setup"], "");
    assert_eq!(code, Some(0), "setup over TLS: {err}");
    let open = r#"{"type":"OpenOrder","order_id":"t1","table":"12"}"#;
    let (code, _, err) = run(&require, &["exec"], &format!("{open}\n"));
    assert_eq!(code, Some(0), "exec over TLS: {err}");
    let (code, out, err) = run(&require, &["query", "open-orders"], "");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"t1\""), "{out}");
    // (The server takes TCP over TLS only — the plain attempt below is refused — so these
    // went over TLS.)

    // Verified: the authority that signed it, for the name in the URL.
    let full = format!(
        "{}sslmode=verify-full&sslrootcert={ca}",
        server.tcp_url(ADMIN, "localhost", "floor")
    );
    let (code, out, err) = run(&full, &["verify"], "");
    assert_eq!(code, Some(0), "verify-full: {err}");
    assert!(out.starts_with("ok:"), "{out}");

    // Without TLS the server refuses (its rules take TCP over TLS only).
    let plain = format!(
        "{}sslmode=disable",
        server.tcp_url(ADMIN, "127.0.0.1", "floor")
    );
    let (code, _, err) = run(&plain, &["query", "open-orders"], "");
    assert_eq!(code, Some(1));
    assert!(err.contains("DB_AUTH_FAILED"), "{err}");

    // Another authority: not trusted.
    let other = server.socket_dir().join("other-ca.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=Someone else", "-keyout"])
        .arg(server.socket_dir().join("other-ca.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let untrusted = format!(
        "{}sslmode=verify-full&sslrootcert={}",
        server.tcp_url(ADMIN, "localhost", "floor"),
        other.display()
    );
    let (code, _, err) = run(&untrusted, &["query", "open-orders"], "");
    assert_eq!(code, Some(1));
    assert!(err.contains("DB_TLS_FAILED"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("UnknownIssuer"), "the reason is shown: {err}");

    // The right authority, the wrong name: verify-full refuses, verify-ca accepts.
    // (`hostaddr` reaches the server while the URL names a host its certificate lacks.)
    let wrong_name = format!(
        "{}sslmode=verify-full&sslrootcert={ca}&hostaddr=127.0.0.1",
        server.tcp_url(ADMIN, "brigade.invalid", "floor")
    );
    let (code, _, err) = run(&wrong_name, &["query", "open-orders"], "");
    assert_eq!(code, Some(1), "a certificate for another name was accepted");
    assert!(err.contains("DB_TLS_FAILED"), "{err}");
    assert!(
        err.contains("not valid for name"),
        "the reason is shown: {err}"
    );
    let chain_only = wrong_name.replace("verify-full", "verify-ca");
    let (code, _, err) = run(&chain_only, &["query", "open-orders"], "");
    assert_eq!(code, Some(0), "verify-ca checks the chain only: {err}");
}
