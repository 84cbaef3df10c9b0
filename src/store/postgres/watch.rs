//! Learning that another machine committed something: `LISTEN brigade_log` as the wake-up,
//! always followed by a read of the head (a notification says only "look"), and that read
//! also done every time the wait times out — the safety net for notifications sent while the
//! connection was down, or for a half-open connection that looks alive. A dropped connection
//! is opened again on the next wait; until it is, the wait fails `DB_UNREACHABLE`.
//!
//! The connection is this watcher's own, owned by the thread that waits on it (the `postgres`
//! client must never run inside a tokio runtime).

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;

use super::append::CHANNEL;
use super::error;
use crate::store::StoreError;

pub struct PgWatcher {
    config: postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    client: Option<postgres::Client>,
    /// The head position seen last, and when it was read.
    last: i64,
    read_at: Instant,
}

/// Without a notification, the head is read again this often: the safety net for
/// notifications lost while the connection was down, or a half-open connection.
pub const SAFETY_NET: Duration = Duration::from_secs(1);

impl PgWatcher {
    /// Watches the database at `url`, from its head now.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let super::tls::Connection { mut config, tls } =
            super::tls::parse(url, &super::shown_url(url))?;
        super::tuned(&mut config, "brigade-watch");
        let mut watcher = PgWatcher {
            config,
            tls,
            client: None,
            last: 0,
            read_at: Instant::now(),
        };
        watcher.last = watcher.head()?;
        Ok(watcher)
    }

    fn connected(&mut self) -> Result<&mut postgres::Client, StoreError> {
        if self.client.as_ref().is_none_or(|c| c.is_closed()) {
            let mut client = self
                .config
                .connect(self.tls.clone())
                .map_err(|e| StoreError::Unreachable(e.to_string()))?;
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .map_err(error)?;
            self.client = Some(client);
        }
        Ok(self.client.as_mut().expect("connected above"))
    }

    fn head(&mut self) -> Result<i64, StoreError> {
        self.read_at = Instant::now();
        let result = self
            .connected()?
            .query_one("SELECT position FROM brigade_head WHERE id = 1", &[]);
        match result {
            Ok(row) => Ok(row.get(0)),
            Err(e) => {
                // The connection is gone (terminated, server restarted): the next wait opens
                // a new one and catches up by position.
                self.client = None;
                Err(error(e))
            }
        }
    }

    /// Waits up to `timeout` for a commit; true when the log's head moved since the last
    /// call. The head is read when a notification came, and otherwise at most every
    /// [`SAFETY_NET`] (so a screen polling with a zero timeout costs the server one small
    /// query a second, not one a poll).
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, StoreError> {
        let woken = {
            let client = self.connected()?;
            let mut notifications = client.notifications();
            let mut waiting = notifications.timeout_iter(timeout);
            waiting.next()
        };
        let notified = matches!(woken, Ok(Some(_)));
        if woken.is_err() {
            self.client = None;
        }
        if !notified && self.client.is_some() && self.read_at.elapsed() < SAFETY_NET {
            return Ok(false);
        }
        // Drain what else came meanwhile, before the read: the read answers them all, and a
        // notification arriving after it stays for the next wait.
        if let Some(client) = self.client.as_mut() {
            let _ = client.notifications().iter().count();
        }
        let head = self.head()?;
        let moved = head != self.last;
        self.last = head;
        Ok(moved)
    }
}
