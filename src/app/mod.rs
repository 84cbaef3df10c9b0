//! The application layer: the command path (load, decide, append with the expected revision,
//! retry on conflict) and the queries, over one database file. By role: `command.rs` the
//! command path, `load.rs` loading and snapshots, `queries.rs` the queries and audit windows,
//! `verify.rs` verification (with the snapshot check), `outcome.rs` a command's result; here
//! the configuration and opening.
//!
//! [`Brigade`] is what the CLI and the TUI hold. It never lets SQLite's busy/locked states or a
//! lost race reach a person: a conflicting write is re-decided against the new state.

pub mod backend;
pub mod bounded_file;
mod command;
pub mod context;
pub mod error;
pub mod file_identity;
pub mod fingerprint;
mod load;
pub mod menu_file;
mod outcome;
mod queries;
pub mod request;
pub mod setup;
pub mod simulate;
pub mod strict_json;
pub mod verify;

use std::path::{Path, PathBuf};

use crate::domain::Menu;
use crate::projections::{self, ReadModelStore};
/// Follows other terminals' commits (a file's change counter, a server's notifications).
pub use crate::store::watch::Watcher;
use crate::store::{Durability, EventStore, LogChecks, SqliteStore};
use context::{Clock, SystemClock};
pub use error::AppError;
pub use outcome::Outcome;
pub use queries::AuditWindow;
pub use request::{AppCommand, Request};

/// Bumped whenever the shape of [`Order`] changes: older snapshots are then ignored (and
/// replaced), never misread.
pub const ORDER_SNAPSHOT_VERSION: u32 = 2;

/// How to open Brigade.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    /// Recorded as the actor of every event.
    pub actor: String,
    /// Which terminal this is (recorded in metadata).
    pub terminal: String,
    pub durability: Durability,
    /// Store a snapshot of an order every this many events.
    pub snapshot_every: u64,
    /// Load the default menu into a database that has none.
    pub seed_menu: bool,
}

impl Config {
    pub fn new(db: impl Into<PathBuf>, actor: impl Into<String>) -> Self {
        Config {
            db: db.into(),
            actor: actor.into(),
            terminal: String::new(),
            durability: Durability::Full,
            snapshot_every: 100,
            seed_menu: true,
        }
    }
}

pub struct Brigade {
    store: backend::Backend,
    clock: Box<dyn Clock>,
    actor: String,
    terminal: String,
    snapshot_every: u64,
    menu: Option<(u64, Menu)>,
    /// The database file's identity when it was opened.
    identity: Option<file_identity::FileIdentity>,
}

impl Brigade {
    pub fn open(config: &Config) -> Result<Self, AppError> {
        Self::open_with_clock(config, Box::new(SystemClock))
    }

    pub fn open_with_clock(config: &Config, clock: Box<dyn Clock>) -> Result<Self, AppError> {
        let store = match config
            .db
            .to_str()
            .filter(|d| crate::store::postgres::is_url(d))
        {
            Some(url) => {
                let mut store = crate::store::postgres::PgStore::open(url)?;
                store.set_projector(Box::new(projections::postgres::PgProjections));
                backend::Backend::Postgres(Box::new(store))
            }
            None => {
                let mut store = SqliteStore::open(&config.db, config.durability)?;
                store.set_projector(Box::new(projections::Projections));
                backend::Backend::Sqlite(store)
            }
        };
        let mut brigade = Brigade {
            store,
            clock,
            actor: config.actor.clone(),
            terminal: config.terminal.clone(),
            snapshot_every: config.snapshot_every.max(1),
            menu: None,
            identity: file_identity::FileIdentity::of(&config.db),
        };
        // Read models written by an older Brigade are rebuilt from the log before use.
        brigade
            .store
            .upgrade_read_models(&mut |line| eprintln!("brigade: {line}"))?;
        if config.seed_menu && brigade.store.head()? == 0 {
            brigade.import_menu(&menu_file::default_menu()?)?;
        }
        Ok(brigade)
    }

    /// Opens an existing database for reading only (`verify`, `events`, `history`, `query`,
    /// `anchor`): nothing is written, not even SQLite's `-wal`/`-shm` files; commands fail.
    pub fn open_read_only(config: &Config) -> Result<Self, AppError> {
        if setup::is_postgres(config) {
            // A server's read models are kept current by every append, and upgraded (derived
            // data, folded from the log) if an older Brigade wrote them; from then on the
            // session is read-only on the server itself.
            let mut config = config.clone();
            config.seed_menu = false;
            let brigade = Self::open(&config)?;
            if let backend::Backend::Postgres(store) = &brigade.store {
                store.make_read_only()?;
            }
            return Ok(brigade);
        }
        let mut store = SqliteStore::open_read_only(&config.db)?;
        store.set_projector(Box::new(projections::Projections));
        let store = backend::Backend::Sqlite(store);
        let stored = store.read_model_version()?;
        if stored < projections::version::READ_MODEL_VERSION {
            // Never written here: the next writable open (or `brigade rebuild`) upgrades them.
            eprintln!(
                "brigade: note: the read models were written by an older Brigade (version \
                 {stored}); queries fold this Brigade's from the log in memory, and the file \
                 is upgraded when Brigade next opens it to write (or `brigade rebuild`)"
            );
        }
        Ok(Brigade {
            store,
            clock: Box::new(SystemClock),
            actor: config.actor.clone(),
            terminal: config.terminal.clone(),
            snapshot_every: config.snapshot_every.max(1),
            menu: None,
            identity: file_identity::FileIdentity::of(&config.db),
        })
    }

    /// Before answering queries on a read-only database whose read models an older Brigade
    /// wrote: this build's read models, folded from the log in memory (nothing is written).
    pub fn current_read_models_in_memory(&mut self) -> Result<(), AppError> {
        self.store.shadow_older_read_models()?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Whether the database is on a PostgreSQL server.
    pub fn is_postgres(&self) -> bool {
        matches!(self.store, backend::Backend::Postgres(_))
    }

    /// Calls `each` for every event after `position`, in order, until it returns false.
    pub fn for_each_event(
        &self,
        position: i64,
        each: &mut dyn FnMut(crate::store::RecordedEvent) -> Result<bool, crate::store::StoreError>,
    ) -> Result<(), AppError> {
        Ok(self.store.for_each_after(position, each)?)
    }

    /// Checks that the file at the database's path is still the one opened (`DB_GONE`,
    /// `DB_REPLACED` otherwise): the screens stop reading and writing until it is back.
    pub fn check_file(&self) -> Result<(), AppError> {
        if self.is_postgres() {
            // A server has no file to move or replace; an unreachable one fails its calls.
            return Ok(());
        }
        file_identity::check(self.store.path(), self.identity)
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The log, on whichever backend (for tests, benchmarks and diagnostics).
    pub fn events(&self) -> &dyn crate::store::EventStore {
        &self.store
    }

    /// The SQLite store, for tests, benchmarks and diagnostics of a SQLite database (a
    /// PostgreSQL one has none: this is a programming error there).
    pub fn store(&self) -> &SqliteStore {
        match &self.store {
            backend::Backend::Sqlite(s) => s,
            backend::Backend::Postgres(_) => {
                panic!("store() is the SQLite store; this database is PostgreSQL")
            }
        }
    }

    /// How long one database call waits for another process's lock before it counts as busy
    /// (screens use a short wait, so that a database locked for long shows as such at once).
    pub fn set_busy_timeout(&mut self, wait: std::time::Duration) -> Result<(), AppError> {
        Ok(self.store.set_busy_timeout(wait)?)
    }

    /// The store, for maintenance and diagnostics (tracing its statements, say).
    pub fn store_mut(&mut self) -> &mut SqliteStore {
        match &mut self.store {
            backend::Backend::Sqlite(s) => s,
            backend::Backend::Postgres(_) => {
                panic!("store_mut() is the SQLite store; this database is PostgreSQL")
            }
        }
    }

    /// A watcher on this database, for following other terminals' changes.
    pub fn watcher(&self) -> Result<Watcher, AppError> {
        Ok(self.store.watcher()?)
    }

    /// Throws the read models away and rebuilds them from the log.
    pub fn rebuild(&mut self) -> Result<projections::RebuildStats, AppError> {
        Ok(self.store.rebuild_read_models()?)
    }
}
