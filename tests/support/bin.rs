//! The `brigade` binary run as a script would: on a database, as someone, with stdin; and its
//! JSON answer.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs `brigade --db DB --as ACTOR ARGS…` with `stdin`, never reading `BRIGADE_DB`.
pub fn brigade_as(db: &Path, actor: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(db)
        .args(["--as", actor])
        .args(args)
        .env_remove("BRIGADE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Its stdout as JSON, having checked it succeeded.
pub fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `brigade verify` on `db` passes, and says the chain is intact.
pub fn assert_verifies(db: &Path) {
    let verify = brigade_as(db, "it", &["verify"], "");
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(said.contains("hash chain intact"), "{said}");
}
