//! One throwaway server per test binary, shared by its tests (each in a database of its own),
//! and stopped by a watcher process once the binary has exited.

use std::process::Command;

use super::{PgServer, ADMIN};

/// One server for every test of a test binary that asks for [`shared`]: started on first use,
/// stopped and removed by a watcher process once the test binary has exited (a static is
/// never dropped).
static SHARED: std::sync::OnceLock<Option<PgServer>> = std::sync::OnceLock::new();

/// The test binary's shared server (`None`, with the note, when none can be started and
/// PostgreSQL is not required).
#[allow(dead_code)] // not every test binary shares a server
pub fn shared(test: &str) -> Option<&'static PgServer> {
    SHARED
        .get_or_init(|| {
            let server = PgServer::or_skip(test, PgServer::start())?;
            server.stop_when_process_ends();
            Some(server)
        })
        .as_ref()
}

/// A fresh, empty database on the shared server; its URL.
#[allow(dead_code)]
pub fn fresh_database(test: &str) -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = shared(test)?;
    let name = format!("t{}", NEXT.fetch_add(1, Ordering::SeqCst));
    server
        .psql("postgres", &format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("{test}: {e}"));
    Some(server.url(ADMIN, &name))
}

impl PgServer {
    /// A detached watcher that stops the server and removes its directory when this process
    /// has gone (however it ended).
    fn stop_when_process_ends(&self) {
        // Paths go to the shell as arguments, never spliced into its script.
        let script = r#"pid=$1; dir=$2; shift 2
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
"$@"; rm -rf "$dir""#;
        let mut stop: Vec<std::ffi::OsString> = Vec::new();
        if let Some(u) = &self.as_user {
            stop.extend(["runuser".into(), "-u".into(), u.into(), "--".into()]);
        }
        stop.push(self.bin.join("pg_ctl").into());
        stop.extend(["-D".into(), self.data().into(), "stop".into()]);
        stop.extend(["-m".into(), "immediate".into()]);
        let _ = Command::new("sh")
            .args(["-c", script, "sh"])
            .arg(std::process::id().to_string())
            .arg(self.dir.path())
            .args(&stop)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}
