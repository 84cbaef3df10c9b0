//! The PostgreSQL backend, for terminals on several machines: the same contract as SQLite's
//! (one shared append, [`append_logic`](crate::store::append_logic)) on a server.
//!
//! Positions are gap-free and in commit order: every append locks the one `brigade_head` row
//! first, then reads the stream's revision and the command id (so a writer that waited sees
//! what the one before it committed), writes its events at the positions after the head and
//! moves the head, all in one READ COMMITTED transaction. A transaction the server gives up on
//! (serialization failure, deadlock) is tried again.
//!
//! The `postgres` client is synchronous and must never run inside a tokio runtime: a
//! [`PgStore`] is owned by the thread that opened it (the screens' worker, a CLI command).

mod append;
mod checks;
mod errors;
mod event_store;
mod guards;
mod roles;
pub mod schema;
pub mod sql;
mod tls;
pub mod watch;

pub use append::CHANNEL;
use errors::{causes, connect_error, shown};
pub use errors::{error, shown_url};
pub use event_store::events_after;

use std::time::{Duration, Instant};

use super::StoreError;

/// Keeps read models in step with the log, inside the appending transaction.
pub trait PgProjector: Send {
    fn project(
        &self,
        tx: &mut sql::Tx<'_>,
        events: &[crate::store::RecordedEvent],
    ) -> Result<(), StoreError>;
}

pub struct PgStore {
    projector: Option<Box<dyn PgProjector>>,
    /// Reads take `&self` in [`EventStore`](crate::store::EventStore); the client needs `&mut`.
    /// One thread owns the store, so a `RefCell` is all the sharing there is.
    client: std::cell::RefCell<sql::Conn>,
    /// The server and database, for messages (never the password).
    shown: String,
    /// The URL it was opened with (for the watcher's own connection; never shown).
    url: String,
    /// How it connects (and its TLS), to connect again when the server dropped the connection.
    config: postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    /// The lock wait the owner asked for (`set_busy_timeout`), set again on a new connection.
    lock_timeout: std::cell::Cell<Option<Duration>>,
    /// Every transaction of the session is read-only (`make_read_only`), on a new connection too.
    read_only: std::cell::Cell<bool>,
    /// Inside one snapshot of the database (`consistently`): a connection lost then is not
    /// replaced, or the reads after it would see another database state.
    in_snapshot: std::cell::Cell<bool>,
    /// When the connection was last handed out (see `client`).
    last_used: std::cell::Cell<Instant>,
    /// Why the connection could not be opened again, while it cannot.
    refused: std::cell::RefCell<Option<StoreError>>,
}

/// Whether `db` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

impl PgStore {
    /// Connects to an existing Brigade database.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let store = PgStore::connect(url)?;
        schema::check(&mut store.client.borrow_mut(), &store.shown)?;
        Ok(store)
    }

    /// Connects and creates the schema in an empty database (idempotent). Returns the store
    /// and whether the schema was created now.
    pub fn setup(url: &str) -> Result<(Self, bool), StoreError> {
        let store = PgStore::connect(url)?;
        let created = schema::setup(&mut store.client.borrow_mut(), &store.shown)?;
        Ok((store, created))
    }

    fn connect(url: &str) -> Result<Self, StoreError> {
        let tls::Connection { mut config, tls } = tls::parse(url, &shown_url(url))?;
        let shown = shown(&config);
        // Brigade's settings first, so that options given in the URL (a search_path, a
        // shorter lock_timeout) come after them and win.
        let options = format!(
            "-c lock_timeout=10s -c idle_in_transaction_session_timeout=30s {}",
            config.get_options().unwrap_or("")
        );
        // A lock holder that dies or stalls never blocks the others for long.
        tuned(&mut config, "brigade").options(&options);
        let client = config
            .connect(tls.clone())
            .map_err(|e| connect_error(e, &shown))?;
        Ok(PgStore {
            projector: None,
            client: std::cell::RefCell::new(sql::Conn::new(client)),
            shown,
            url: url.to_string(),
            config,
            tls,
            lock_timeout: std::cell::Cell::new(None),
            read_only: std::cell::Cell::new(false),
            in_snapshot: std::cell::Cell::new(false),
            last_used: std::cell::Cell::new(Instant::now()),
            refused: std::cell::RefCell::new(None),
        })
    }

    /// Runs `projector` inside every append from now on.
    pub fn set_projector(&mut self, projector: Box<dyn PgProjector>) {
        self.projector = Some(projector);
    }

    /// The URL it was opened with (it may hold a password: never show it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server and database, for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// `e`, naming this store's server when it says the server cannot be reached.
    /// A lost connection that could not be opened again is told as why it could not (the
    /// server refusing the credentials now, say), not as the closed connection.
    pub fn named(&self, e: StoreError) -> StoreError {
        let refused = match (&e, &*self.refused.borrow()) {
            (StoreError::Unreachable(_), Some(StoreError::AuthFailed(why))) => {
                Some(StoreError::AuthFailed(why.clone()))
            }
            (StoreError::Unreachable(_), Some(StoreError::Tls(why))) => {
                Some(StoreError::Tls(why.clone()))
            }
            (StoreError::Unreachable(_), Some(StoreError::Open { path, reason })) => {
                Some(StoreError::Open {
                    path: path.clone(),
                    reason: reason.clone(),
                })
            }
            (StoreError::Unreachable(_), Some(StoreError::Unreachable(why))) => {
                Some(StoreError::Unreachable(why.clone()))
            }
            _ => None,
        };
        let e = refused.unwrap_or(e);
        match e {
            StoreError::Unreachable(why) if !why.starts_with(&self.shown) => {
                StoreError::Unreachable(format!("{} ({why})", self.shown))
            }
            other => other,
        }
    }

    /// From now on, this session writes nothing: the server refuses any write in it (for the
    /// read-only commands: `verify`, `events`, `history`, `query`, `anchor`).
    pub fn make_read_only(&self) -> Result<(), StoreError> {
        self.read_only.set(true);
        self.client().batch_execute(READ_ONLY_SQL).map_err(error)
    }

    /// The client, for the read models and checks that live beside the store. A connection
    /// the server dropped (restarted, cut, unreachable for a while) is opened again here;
    /// while it cannot be, calls fail `DB_UNREACHABLE` and nothing is queued.
    pub fn client(&self) -> std::cell::RefMut<'_, sql::Conn> {
        let mut client = self.client.borrow_mut();
        let idle = self.last_used.replace(Instant::now()).elapsed() >= IDLE_CHECK;
        // A connection idle for a while may have been cut meanwhile (the server restarted):
        // asked first, with one empty query, so that a till's next command is not the one
        // that finds out.
        let lost = client.is_closed() || (idle && client.is_valid(IDLE_CHECK_WAIT).is_err());
        if lost && !self.in_snapshot.get() {
            match self.config.connect(self.tls.clone()) {
                Ok(fresh) => {
                    // A new connection: the statements prepared on the old one are gone with
                    // it, and so is the session's lock wait.
                    *client = sql::Conn::new(fresh);
                    if let Some(wait) = self.lock_timeout.get() {
                        let _ = client.batch_execute(&lock_timeout_sql(wait));
                    }
                    if self.read_only.get() {
                        let _ = client.batch_execute(READ_ONLY_SQL);
                    }
                    self.refused.replace(None);
                }
                // Why, for the errors of the calls that now fail on the closed connection.
                Err(e) => {
                    self.refused.replace(Some(connect_error(e, &self.shown)));
                }
            }
        }
        client
    }
}

/// A connection unused for this long is checked before it is used again.
const IDLE_CHECK: Duration = Duration::from_secs(2);
/// How long that check waits for the server's answer.
const IDLE_CHECK_WAIT: Duration = Duration::from_secs(5);

/// The statement that makes every transaction of a session read-only.
const READ_ONLY_SQL: &str = "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY";

/// The statement that makes a session wait `wait` for a lock, then fail `DB_BUSY`.
fn lock_timeout_sql(wait: Duration) -> String {
    format!("SET lock_timeout = {}", wait.as_millis().max(1))
}

/// `config` with the timeouts every Brigade connection has: a server that does not answer
/// the connect in 5 s is unreachable; a link that died under a connection is noticed in about
/// 10 s, whether it is idle (keepalives: 5 s idle, then 3 probes 2 s apart) or waiting for an
/// answer (data unacknowledged for 10 s), not after the kernel's 15 minutes of retransmits.
pub(crate) fn tuned<'c>(
    config: &'c mut postgres::Config,
    application: &str,
) -> &'c mut postgres::Config {
    config
        .application_name(application)
        .connect_timeout(Duration::from_secs(5))
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(5))
        .keepalives_interval(Duration::from_secs(2))
        .keepalives_retries(3)
        .tcp_user_timeout(Duration::from_secs(10))
}

/// A plain client for `url`, with the same TLS as the store's (for tools beside the store:
/// the benchmarks' floors and scratch schemas). Errors as the store's.
pub fn raw_client(url: &str) -> Result<postgres::Client, StoreError> {
    let tls::Connection { config, tls } = tls::parse(url, &shown_url(url))?;
    let shown = shown(&config);
    config.connect(tls).map_err(|e| connect_error(e, &shown))
}
