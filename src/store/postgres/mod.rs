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
mod event_store;
mod guards;
mod roles;
pub use append::CHANNEL;
pub mod schema;
pub mod sql;
mod tls;
pub mod watch;

use std::time::Duration;

use postgres::error::SqlState;

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
        let tls::Connection { mut config, tls } = tls::parse(url, &redact(url))?;
        let shown = shown(&config);
        // Brigade's settings first, so that options given in the URL (a search_path, a
        // shorter lock_timeout) come after them and win.
        let options = format!(
            "-c lock_timeout=10s -c idle_in_transaction_session_timeout=30s {}",
            config.get_options().unwrap_or("")
        );
        config
            .application_name("brigade")
            .connect_timeout(Duration::from_secs(5))
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(10))
            // A lock holder that dies or stalls never blocks the others for long.
            .options(&options);
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
    pub fn named(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Unreachable(why) if !why.starts_with(&self.shown) => {
                StoreError::Unreachable(format!("{} ({why})", self.shown))
            }
            other => other,
        }
    }

    /// The client, for the read models and checks that live beside the store. A connection
    /// the server dropped (restarted, cut, unreachable for a while) is opened again here;
    /// while it cannot be, calls fail `DB_UNREACHABLE` and nothing is queued.
    pub fn client(&self) -> std::cell::RefMut<'_, sql::Conn> {
        let mut client = self.client.borrow_mut();
        if client.is_closed() {
            if let Ok(fresh) = self.config.connect(self.tls.clone()) {
                // A new connection: the statements prepared on the old one are gone with it.
                *client = sql::Conn::new(fresh);
            }
        }
        client
    }
}

/// A plain client for `url`, with the same TLS as the store's (for tools beside the store:
/// the benchmarks' floors and scratch schemas). Errors as the store's.
pub fn raw_client(url: &str) -> Result<postgres::Client, StoreError> {
    let tls::Connection { config, tls } = tls::parse(url, &redact(url))?;
    let shown = shown(&config);
    config.connect(tls).map_err(|e| connect_error(e, &shown))
}

/// `host[:port]/dbname` (or the socket directory), without user or password.
fn shown(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let host = if hosts.is_empty() {
        "localhost".to_string()
    } else {
        hosts.join(",")
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{host}:{port}/{}",
        config.get_dbname().unwrap_or("(default database)")
    )
}

/// A URL as it may be shown: the password replaced.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn connect_error(e: postgres::Error, shown: &str) -> StoreError {
    match e.code() {
        Some(c)
            if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            StoreError::AuthFailed(shown.to_string())
        }
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => StoreError::Open {
            path: shown.to_string(),
            reason: "no such database on the server".into(),
        },
        Some(_) => error(e),
        None if tls::is_tls_failure(&e) => StoreError::Tls(format!("{shown} ({})", causes(&e))),
        None => StoreError::Unreachable(format!("{shown} ({})", causes(&e))),
    }
}

/// An error and what caused it, as one line ("error performing TLS handshake: invalid peer
/// certificate: UnknownIssuer").
fn causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// A server error as a store error: conflicts to retry, lost connections, the rest.
pub fn error(e: postgres::Error) -> StoreError {
    match e.code() {
        Some(c)
            if *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::LOCK_NOT_AVAILABLE =>
        {
            StoreError::Retry(e.to_string())
        }
        Some(_) => StoreError::Server(
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_string()),
        ),
        // Named by the store that saw it (see `PgStore::named`).
        None => StoreError::Unreachable(causes(&e)),
    }
}
