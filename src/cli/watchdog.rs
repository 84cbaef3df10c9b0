//! A command line on a server that hangs: a PostgreSQL server whose processes are stopped, or
//! a link that swallows everything, fails no call — the call never returns, and a till's
//! script would wait forever. Every command arms this watchdog while it connects, and `exec`
//! around each command it runs; one that has not returned within [`limit`] ends the process with
//! `DB_UNREACHABLE`. Its outcome is then unknown, as after a crash: the server rolls back a
//! transaction it had not committed, and the same command id sent again is applied at most once.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Far more than a healthy command takes, waits for a lock included (10 s at most); a till
/// may set another in `BRIGADE_COMMAND_TIMEOUT` (seconds, 1 to 3600).
pub const LIMIT: Duration = Duration::from_secs(30);

/// The limit: `BRIGADE_COMMAND_TIMEOUT`, else [`LIMIT`]; `CONFIG_INVALID` for a value that is
/// not a number of seconds from 1 to 3600.
pub fn limit() -> Result<Duration, super::Failure> {
    match std::env::var("BRIGADE_COMMAND_TIMEOUT").map(|t| t.trim().to_string()) {
        Err(_) => Ok(LIMIT),
        // Set but empty: as if unset (as BRIGADE_DB).
        Ok(text) if text.is_empty() => Ok(LIMIT),
        Ok(text) => match text.parse::<u64>() {
            Ok(secs @ 1..=3600) => Ok(Duration::from_secs(secs)),
            _ => Err(super::Failure::new(
                "CONFIG_INVALID",
                format!(
                    "BRIGADE_COMMAND_TIMEOUT is {:?}: a number of seconds from 1 to 3600",
                    crate::display::safe(&text)
                ),
            )),
        },
    }
}

/// The watchdog's end of the line: arm before a call, disarm after it.
pub struct Watchdog {
    tx: mpsc::Sender<bool>,
}

impl Watchdog {
    /// Starts the watchdog (disarmed): a call armed for longer than `limit` ends the process,
    /// naming `server` on stderr (and, with `json`, in `exec`'s JSON line on stdout).
    pub fn start(server: String, limit: Duration, json: bool) -> Watchdog {
        let (tx, rx) = mpsc::channel::<bool>();
        let spawned = std::thread::Builder::new()
            .name("brigade-watchdog".into())
            .spawn(move || {
                let mut armed: Option<Instant> = None;
                loop {
                    let wait = armed.map_or(Duration::from_secs(3600), |at| {
                        limit.saturating_sub(at.elapsed())
                    });
                    match rx.recv_timeout(wait) {
                        Ok(true) => armed = Some(Instant::now()),
                        Ok(false) => armed = None,
                        Err(RecvTimeoutError::Disconnected) => return,
                        Err(RecvTimeoutError::Timeout) if armed.is_some() => {
                            give_up(&server, limit, json)
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                    }
                }
            });
        // Without a thread there is no watchdog, and the command runs as it would have.
        let _ = spawned;
        Watchdog { tx }
    }

    /// Armed from now until it is dropped (the connection's watch: dropped once open).
    pub fn armed(self) -> Watchdog {
        self.arm();
        self
    }

    pub fn arm(&self) {
        let _ = self.tx.send(true);
    }

    pub fn disarm(&self) {
        let _ = self.tx.send(false);
    }
}

fn give_up(server: &str, limit: Duration, json: bool) -> ! {
    // A command under way may have been done or not; a connection or a read changed nothing.
    let message = if json {
        format!(
            "the database server at {server} has not answered for {} s; the command's outcome \
             is unknown: send it again with the same command id",
            limit.as_secs()
        )
    } else {
        format!(
            "the database server at {server} has not answered for {} s",
            limit.as_secs()
        )
    };
    let line = serde_json::json!({
        "ok": false,
        "error": { "code": "DB_UNREACHABLE", "message": message },
    });
    if json {
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
    eprintln!("brigade: DB_UNREACHABLE: {message}");
    std::process::exit(1)
}
