//! The application layer: the command path (load, decide, append with the expected revision,
//! retry on conflict) and the queries, over one database file.
//!
//! [`Brigade`] is what the CLI and the TUI hold. It never lets SQLite's busy/locked states or a
//! lost race reach a person: a conflicting write is re-decided against the new state.

pub mod bounded_file;
mod command;
pub mod context;
pub mod error;
pub mod file_identity;
pub mod fingerprint;
mod load;
pub mod menu_file;
pub mod request;
pub mod simulate;
pub mod strict_json;
pub mod verify;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::domain::rejection::codes;
use crate::domain::{Menu, Order};
use crate::projections::{self, audit, OrderView, Popularity, ReadModelStore, TicketView};
use crate::store::watch::Watcher;
use crate::store::{Durability, EventStore, LogChecks, RecordedEvent, SqliteStore};
use context::{Clock, SystemClock};
pub use error::AppError;
pub use request::{AppCommand, Request};

/// Bumped whenever the shape of [`Order`] changes: older snapshots are then ignored (and
/// replaced), never misread.
pub const ORDER_SNAPSHOT_VERSION: u32 = 1;

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

/// A window of an order's audit trail (see [`Brigade::audit_window`]).
#[derive(Debug, Clone)]
pub struct AuditWindow {
    /// The order just before the first entry.
    pub before: Order,
    pub entries: Vec<audit::AuditEntry>,
    /// The order's newest revision.
    pub head: u64,
}

/// What a successful command returns. `json` is the result line (`{"ok": true, …}`), exactly
/// as stored for its command id; the fields are what callers most often need of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub json: String,
    pub order_id: Option<String>,
    pub revision: u64,
    pub line_id: Option<String>,
    pub ticket_id: Option<String>,
    /// How many events the command wrote.
    pub events: usize,
    /// The command id had been seen before: nothing new was written.
    pub duplicate: bool,
}

impl Outcome {
    pub fn order_id(&self) -> Option<&str> {
        self.order_id.as_deref()
    }
    pub fn line_id(&self) -> Option<&str> {
        self.line_id.as_deref()
    }
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// The result as a JSON value.
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.json).expect("results are JSON we wrote")
    }
}

pub struct Brigade {
    store: SqliteStore,
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
        let mut store = SqliteStore::open(&config.db, config.durability)?;
        store.set_projector(Box::new(projections::Projections));
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
        let mut store = SqliteStore::open_read_only(&config.db)?;
        store.set_projector(Box::new(projections::Projections));
        let stored = store.read_model_version()?;
        if stored < projections::version::READ_MODEL_VERSION {
            // Never written here: the next writable open (or `brigade rebuild`) upgrades them.
            eprintln!(
                "brigade: note: the read models were written by an older Brigade (version \
                 {stored}); they are shown as they are until Brigade opens the file to write \
                 (or `brigade rebuild`)"
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

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Checks that the file at the database's path is still the one opened (`DB_GONE`,
    /// `DB_REPLACED` otherwise): the screens stop reading and writing until it is back.
    pub fn check_file(&self) -> Result<(), AppError> {
        file_identity::check(self.store.path(), self.identity)
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn store(&self) -> &SqliteStore {
        &self.store
    }

    /// How long one database call waits for another process's lock before it counts as busy
    /// (screens use a short wait, so that a database locked for long shows as such at once).
    pub fn set_busy_timeout(&mut self, wait: std::time::Duration) -> Result<(), AppError> {
        Ok(self.store.set_busy_timeout(wait)?)
    }

    /// The store, for maintenance and diagnostics (tracing its statements, say).
    pub fn store_mut(&mut self) -> &mut SqliteStore {
        &mut self.store
    }

    /// The newest `n` entries of an order's audit trail.
    pub fn audit_latest(&self, order_id: &str, n: u64) -> Result<AuditWindow, AppError> {
        let head = self.store.stream_revision(order_id)?;
        self.audit_window(order_id, head.saturating_sub(n.max(1) - 1), head)
    }

    /// A window of an order's audit trail: revisions `first..=last` (clamped to what exists),
    /// with the order as it was just before the window, so that each entry's summary and the
    /// state after it can be told without reading the history before the window.
    pub fn audit_window(
        &self,
        order_id: &str,
        first: u64,
        last: u64,
    ) -> Result<AuditWindow, AppError> {
        let head = self.store.stream_revision(order_id)?;
        let events_exist = head > 0
            && self
                .store
                .read_stream_until(order_id, 0, 1)?
                .first()
                .is_some_and(|e| e.stream_type == "order");
        if !events_exist {
            return Err(AppError::invalid(
                codes::ORDER_NOT_FOUND,
                format!(
                    "there is no order {:?}",
                    order_id.chars().take(50).collect::<String>()
                ),
            ));
        }
        let last = last.min(head);
        let first = first.clamp(1, last.max(1));
        let before = self.order_at(order_id, first - 1)?;
        let events = self.store.read_stream_until(order_id, first - 1, last)?;
        let entries = audit::trail_from(before.clone(), events)?;
        Ok(AuditWindow {
            before,
            entries,
            head,
        })
    }

    /// Checks every order snapshot against a replay of the events up to it; each snapshot that
    /// differs (edited, or written by a bug) is one line. Snapshots of an older shape are
    /// skipped: they are never read.
    pub fn check_snapshots(&self) -> Result<Vec<String>, AppError> {
        let mut problems = Vec::new();
        let rows = self.store.snapshot_records()?;
        // One replay per stream, compared at each of its snapshots in turn.
        let mut i = 0;
        while i < rows.len() {
            let stream = rows[i].stream_id.clone();
            let (mut order, mut at) = (Order::default(), 0u64);
            while i < rows.len() && rows[i].stream_id == stream {
                let row = &rows[i];
                let (revision, version, state) = (&row.revision, &row.schema_version, &row.state);
                order = self.fold_order(&stream, order, at, *revision)?.0;
                at = *revision;
                let stored = serde_json::from_str::<Order>(state).ok();
                // Snapshots written before sealing have none: they are never loaded.
                let unsealed = row.unsealed;
                if *version == ORDER_SNAPSHOT_VERSION && stored.as_ref() != Some(&order) {
                    problems.push(format!(
                        "the snapshot of {} at revision {revision} does not match its events",
                        crate::display::safe(&stream)
                    ));
                } else if unsealed {
                    problems.push(format!(
                        "the snapshot of {} at revision {revision} is not sealed to the log",
                        crate::display::safe(&stream)
                    ));
                }
                i += 1;
            }
        }
        Ok(problems)
    }

    /// An order's state from its full history, ignoring snapshots.
    pub fn replay_order(&self, order_id: &str) -> Result<Order, AppError> {
        let events = self.store.read_stream(order_id, 0)?;
        Ok(audit::replay(&events)?)
    }

    // ---- queries ----

    pub fn open_orders(&self) -> Result<Vec<OrderView>, AppError> {
        Ok(self.store.open_orders()?)
    }

    pub fn recent_orders(&self, limit: usize) -> Result<Vec<OrderView>, AppError> {
        Ok(self.store.recent_orders(limit)?)
    }

    pub fn order_view(&self, order_id: &str) -> Result<Option<OrderView>, AppError> {
        Ok(self.store.order_view(order_id)?)
    }

    pub fn kitchen(&self, station: Option<&str>) -> Result<Vec<TicketView>, AppError> {
        Ok(self.store.kitchen(station)?)
    }

    pub fn last_bumped(&self, station: Option<&str>) -> Result<Option<TicketView>, AppError> {
        Ok(self.store.last_bumped(station)?)
    }

    pub fn popularity(&self) -> Result<Vec<Popularity>, AppError> {
        Ok(self.store.popularity()?)
    }

    /// An order's events, oldest first (its audit trail's raw material).
    /// Every event of the menu's own stream (who added, changed or 86'd what, when), oldest
    /// first.
    pub fn menu_events(&self) -> Result<Vec<RecordedEvent>, AppError> {
        Ok(self
            .store
            .read_stream(crate::domain::menu::MENU_STREAM, 0)?)
    }

    pub fn order_events(&self, order_id: &str) -> Result<Vec<RecordedEvent>, AppError> {
        let events = self.store.read_stream(order_id, 0)?;
        if events.is_empty() || events[0].stream_type != "order" {
            return Err(AppError::invalid(
                codes::ORDER_NOT_FOUND,
                format!(
                    "there is no order {:?}",
                    order_id.chars().take(50).collect::<String>()
                ),
            ));
        }
        Ok(events)
    }

    /// A watcher on this database, for following other terminals' changes.
    pub fn watcher(&self) -> Result<Watcher, AppError> {
        Ok(Watcher::open(self.store.path())?)
    }

    /// Throws the read models away and rebuilds them from the log.
    pub fn rebuild(&mut self) -> Result<projections::RebuildStats, AppError> {
        Ok(self.store.rebuild_read_models()?)
    }
}
