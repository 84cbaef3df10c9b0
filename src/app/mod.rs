//! The application layer: the command path (load, decide, append with the expected revision,
//! retry on conflict) and the queries, over one database file.
//!
//! [`Brigade`] is what the CLI and the TUI hold. It never lets SQLite's busy/locked states or a
//! lost race reach a person: a conflicting write is re-decided against the new state.

pub mod bounded_file;
pub mod context;
pub mod error;
pub mod menu_file;
pub mod request;
pub mod simulate;
pub mod strict_json;
pub mod verify;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::domain::menu::{MenuDecider, MENU_STREAM};
use crate::domain::order::OrderDecider;
use crate::domain::rejection::codes;
use crate::domain::{Decider, Menu, MenuCommand, MenuEvent, Order, OrderCommand, OrderEvent};
use crate::projections::{self, audit, queries, OrderView, Popularity, TicketView};
use crate::store::watch::Watcher;
use crate::store::{
    Append, AppendOutcome, Durability, EventStore, Metadata, NewEvent, RecordedEvent, Snapshot,
    SqliteStore, StoreError,
};
use context::{Clock, SystemClock};
pub use error::AppError;
pub use request::{AppCommand, Request};

/// Bumped whenever the shape of [`Order`] changes: older snapshots are then ignored (and
/// replaced), never misread.
pub const ORDER_SNAPSHOT_VERSION: u32 = 1;
/// How many times a command is re-decided after losing a race before giving up.
const MAX_ATTEMPTS: usize = 64;

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
}

impl Brigade {
    pub fn open(config: &Config) -> Result<Self, AppError> {
        Self::open_with_clock(config, Box::new(SystemClock))
    }

    pub fn open_with_clock(config: &Config, clock: Box<dyn Clock>) -> Result<Self, AppError> {
        let mut store = SqliteStore::open(&config.db, config.durability)?;
        store.set_projector(Box::new(projections::Projections));
        // Read models of an older shape are rebuilt from the log before anything reads them.
        projections::ensure_current(store.connection_mut())?;
        let mut brigade = Brigade {
            store,
            clock,
            actor: config.actor.clone(),
            terminal: config.terminal.clone(),
            snapshot_every: config.snapshot_every.max(1),
            menu: None,
        };
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
        Ok(Brigade {
            store,
            clock: Box::new(SystemClock),
            actor: config.actor.clone(),
            terminal: config.terminal.clone(),
            snapshot_every: config.snapshot_every.max(1),
            menu: None,
        })
    }

    pub fn path(&self) -> &Path {
        self.store.path()
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
        self.store
            .connection()
            .busy_timeout(wait)
            .map_err(|e| AppError::Store(e.into()))
    }

    /// The store, for maintenance and diagnostics (tracing its statements, say).
    pub fn store_mut(&mut self) -> &mut SqliteStore {
        &mut self.store
    }

    /// Runs one command. Repeating a command id returns the first result and writes nothing.
    pub fn execute(&mut self, request: &Request) -> Result<Outcome, AppError> {
        if let Some(id) = &request.command_id {
            if id.is_empty() || id.len() > 200 {
                return Err(AppError::invalid(
                    "INVALID_FIELD",
                    "command_id must be 1 to 200 characters",
                ));
            }
            if let Some(done) = self.store.command_record(id)? {
                if done.fingerprint != request.fingerprint() {
                    return Err(StoreError::CommandIdReused(id.clone()).into());
                }
                return duplicate(&done.result);
            }
        }
        match &request.command {
            AppCommand::Order { order_id, command } => {
                self.execute_order(request, order_id.as_deref(), command)
            }
            AppCommand::Menu(command) => self.execute_menu(request, std::slice::from_ref(command)),
        }
    }

    fn execute_order(
        &mut self,
        request: &Request,
        order_id: Option<&str>,
        command: &OrderCommand,
    ) -> Result<Outcome, AppError> {
        let generated = order_id.is_none();
        let mut order_id = match order_id {
            Some(id) => id.to_string(),
            None => context::new_order_id(),
        };
        if order_id == MENU_STREAM {
            return Err(AppError::invalid(
                codes::INVALID_ORDER,
                "\"menu\" cannot be an order id",
            ));
        }
        for _ in 0..MAX_ATTEMPTS {
            let order = self.load_order(&order_id)?;
            let command = match command {
                OrderCommand::OpenOrder {
                    table,
                    covers,
                    customer,
                    ..
                } => OrderCommand::OpenOrder {
                    order_id: order_id.clone(),
                    table: table.clone(),
                    covers: *covers,
                    customer: customer.clone(),
                },
                other => other.clone(),
            };
            let menu = if matches!(
                command,
                OrderCommand::AddItem { .. } | OrderCommand::PlaceOrder
            ) {
                self.menu()?
            } else {
                Menu::default()
            };
            let events = match OrderDecider::decide(&order, &command, &menu) {
                Ok(events) => events,
                Err(r) if generated && r.code == codes::ORDER_ALREADY_EXISTS => {
                    order_id = context::new_order_id();
                    continue;
                }
                Err(r) => return Err(r.into()),
            };
            let before = order.revision;
            let after = events.iter().fold(order, OrderDecider::evolve);
            let snapshot = (after.revision / self.snapshot_every > before / self.snapshot_every)
                .then(|| Snapshot {
                    stream_id: order_id.clone(),
                    revision: after.revision,
                    schema_version: ORDER_SNAPSHOT_VERSION,
                    state: serde_json::to_string(&after).expect("orders always serialise"),
                });
            let new_events = events
                .iter()
                .map(|e| self.new_event(request, e.event_type(), e.payload_json()))
                .collect();
            let line_id = events.iter().find_map(|e| match e {
                OrderEvent::ItemAddedToOrder(a) => Some(a.line_id.clone()),
                _ => None,
            });
            let ticket_id = events.iter().find_map(|e| match e {
                OrderEvent::OrderPlaced(p) => Some(p.ticket_id.clone()),
                _ => None,
            });
            let build = |recorded: &[RecordedEvent]| {
                result_text(
                    recorded,
                    Some(&order_id),
                    line_id.as_deref(),
                    ticket_id.as_deref(),
                )
            };
            match self.append(
                request,
                &order_id,
                "order",
                before,
                new_events,
                &build,
                snapshot,
                line_id.as_deref(),
                ticket_id.as_deref(),
            ) {
                Err(AppError::Store(StoreError::Conflict { .. })) => continue,
                other => return other,
            }
        }
        Err(busy())
    }

    /// Runs menu commands as one atomic append (an import is many commands, one transaction).
    fn execute_menu(
        &mut self,
        request: &Request,
        commands: &[MenuCommand],
    ) -> Result<Outcome, AppError> {
        for _ in 0..MAX_ATTEMPTS {
            let revision = self.store.stream_revision(MENU_STREAM)?;
            let mut menu = self.menu()?;
            let mut events: Vec<MenuEvent> = Vec::new();
            for command in commands {
                let decided = MenuDecider::decide(&menu, command, ())?;
                menu = decided.iter().fold(menu, MenuDecider::evolve);
                events.extend(decided);
            }
            let new_events = events
                .iter()
                .map(|e| self.new_event(request, e.event_type(), e.payload_json()))
                .collect();
            let build = |recorded: &[RecordedEvent]| result_text(recorded, None, None, None);
            match self.append(
                request,
                MENU_STREAM,
                "menu",
                revision,
                new_events,
                &build,
                None,
                None,
                None,
            ) {
                Err(AppError::Store(StoreError::Conflict { .. })) => {
                    self.menu = None;
                    continue;
                }
                other => return other,
            }
        }
        Err(busy())
    }

    #[allow(clippy::too_many_arguments)]
    fn append(
        &mut self,
        request: &Request,
        stream_id: &str,
        stream_type: &str,
        expected_revision: u64,
        events: Vec<NewEvent>,
        build: &dyn Fn(&[RecordedEvent]) -> String,
        snapshot: Option<Snapshot>,
        line_id: Option<&str>,
        ticket_id: Option<&str>,
    ) -> Result<Outcome, AppError> {
        let outcome = self.store.append(Append {
            stream_id,
            stream_type,
            expected_revision,
            events,
            recorded_at: self.clock.now(),
            command_id: request.command_id.as_deref(),
            fingerprint: &request.fingerprint(),
            result: Some(build),
            snapshot,
        })?;
        match outcome {
            AppendOutcome::Appended { result, events } => Ok(Outcome {
                json: result.expect("a result was asked for"),
                order_id: (stream_type == "order").then(|| stream_id.to_string()),
                revision: events.last().map_or(0, |e| e.revision),
                line_id: line_id.map(str::to_string),
                ticket_id: ticket_id.map(str::to_string),
                events: events.len(),
                duplicate: false,
            }),
            AppendOutcome::Duplicate { result } => duplicate(&result),
        }
    }

    fn new_event(&self, request: &Request, event_type: &'static str, payload: String) -> NewEvent {
        NewEvent {
            event_type,
            payload,
            metadata: Metadata {
                event_id: context::new_uuid(),
                command_id: request.command_id.clone(),
                correlation_id: request
                    .correlation_id
                    .clone()
                    .or_else(|| request.command_id.clone()),
                causation_id: request.command_id.clone(),
                actor: self.actor.clone(),
                terminal: self.terminal.clone(),
            },
        }
    }

    /// An order's current state: its newest snapshot (when one of the current shape exists)
    /// plus the events after it.
    pub fn load_order(&self, order_id: &str) -> Result<Order, AppError> {
        self.order_at(order_id, u64::MAX)
    }

    /// An order as it was right after `revision`: the newest usable snapshot at or before it,
    /// plus the events up to it.
    pub fn order_at(&self, order_id: &str, revision: u64) -> Result<Order, AppError> {
        let mut order = match self.store.snapshot_at_or_before(order_id, revision)? {
            Some(s) if s.schema_version == ORDER_SNAPSHOT_VERSION => {
                serde_json::from_str::<Order>(&s.state).unwrap_or_default()
            }
            _ => Order::default(),
        };
        let mut lined_up = true;
        self.store.fold_stream(
            order_id,
            order.revision,
            revision,
            &mut |rev, kind, payload| {
                lined_up &= rev == order.revision + 1;
                let event = OrderEvent::from_payload(kind, payload)?;
                order = OrderDecider::evolve(std::mem::take(&mut order), &event);
                Ok(())
            },
        )?;
        if !lined_up {
            // A snapshot that does not line up with the log is not trusted.
            let events = self.store.read_stream_until(order_id, 0, revision)?;
            return Ok(audit::replay(&events)?);
        }
        Ok(order)
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
        let mut stmt = self
            .store
            .connection()
            .prepare(
                "SELECT s.stream_id, s.revision, s.schema_version, s.state, s.seal, e.hash \
                 FROM snapshots s LEFT JOIN events e \
                 ON e.stream_id = s.stream_id AND e.revision = s.revision \
                 ORDER BY s.stream_id, s.revision",
            )
            .map_err(StoreError::from)?;
        type Row = (String, u64, u32, String, Option<Vec<u8>>, Option<Vec<u8>>);
        let rows: Vec<Row> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? as u64,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .map_err(StoreError::from)?
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)?;
        // One replay per stream, compared at each of its snapshots in turn.
        let mut i = 0;
        while i < rows.len() {
            let stream = rows[i].0.clone();
            let (mut order, mut at) = (Order::default(), 0u64);
            while i < rows.len() && rows[i].0 == stream {
                let (_, revision, version, state, seal, event_hash) = &rows[i];
                self.store
                    .fold_stream(&stream, at, *revision, &mut |_, kind, payload| {
                        let event = OrderEvent::from_payload(kind, payload)?;
                        order = OrderDecider::evolve(std::mem::take(&mut order), &event);
                        Ok(())
                    })?;
                at = *revision;
                let stored = serde_json::from_str::<Order>(state).ok();
                // Snapshots written before sealing have none: they are never loaded.
                let unsealed = seal.is_some()
                    && !crate::store::seal::seal_matches(
                        seal.as_deref(),
                        event_hash.as_deref(),
                        *version,
                        state,
                    );
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

    /// The menu, cached until its stream moves.
    pub fn menu(&mut self) -> Result<Menu, AppError> {
        let revision = self.store.stream_revision(MENU_STREAM)?;
        if let Some((r, menu)) = &self.menu {
            if *r == revision {
                return Ok(menu.clone());
            }
        }
        let mut menu = Menu::default();
        for e in self.store.read_stream(MENU_STREAM, 0)? {
            let event =
                MenuEvent::from_payload(&e.event_type, &e.payload).map_err(StoreError::from)?;
            menu = MenuDecider::evolve(menu, &event);
        }
        self.menu = Some((revision, menu.clone()));
        Ok(menu)
    }

    /// Makes the menu exactly `items` (adds, changes, removals), atomically. Returns how many
    /// menu events were written.
    pub fn import_menu(
        &mut self,
        items: &[crate::domain::menu::MenuItemSpec],
    ) -> Result<usize, AppError> {
        for _ in 0..MAX_ATTEMPTS {
            let current = self.menu()?;
            let commands = crate::domain::menu::plan_import(&current, items)?;
            if commands.is_empty() {
                return Ok(0);
            }
            let request = Request {
                command_id: None,
                correlation_id: Some(context::new_uuid()),
                command: AppCommand::Menu(commands[0].clone()),
            };
            match self.execute_menu(&request, &commands) {
                Ok(outcome) => {
                    return Ok(outcome.events);
                }
                // Someone else changed the menu between planning and writing: plan again.
                Err(AppError::Rejected(_)) => self.menu = None,
                Err(e) => return Err(e),
            }
        }
        Err(busy())
    }

    // ---- queries ----

    pub fn open_orders(&self) -> Result<Vec<OrderView>, AppError> {
        Ok(queries::open_orders(self.store.connection())?)
    }

    pub fn recent_orders(&self, limit: usize) -> Result<Vec<OrderView>, AppError> {
        Ok(queries::recent_orders(self.store.connection(), limit)?)
    }

    pub fn order_view(&self, order_id: &str) -> Result<Option<OrderView>, AppError> {
        Ok(projections::tables::order_view(
            self.store.connection(),
            order_id,
        )?)
    }

    pub fn kitchen(&self, station: Option<&str>) -> Result<Vec<TicketView>, AppError> {
        Ok(queries::kitchen(self.store.connection(), station)?)
    }

    pub fn last_bumped(&self, station: Option<&str>) -> Result<Option<TicketView>, AppError> {
        Ok(queries::last_bumped(self.store.connection(), station)?)
    }

    pub fn popularity(&self) -> Result<Vec<Popularity>, AppError> {
        Ok(queries::popularity(self.store.connection())?)
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
        let conn = self.store.connection_mut();
        Ok(projections::rebuild(conn)?)
    }
}

fn duplicate(result: &str) -> Result<Outcome, AppError> {
    let v: Value = serde_json::from_str(result)
        .map_err(|e| StoreError::Corrupt(format!("stored command result: {e}")))?;
    let text = |k: &str| v[k].as_str().map(str::to_string);
    Ok(Outcome {
        order_id: text("order_id"),
        revision: v["revision"].as_u64().unwrap_or(0),
        line_id: text("line_id"),
        ticket_id: text("ticket_id"),
        events: v["events"].as_array().map_or(0, Vec::len),
        json: result.to_string(),
        duplicate: true,
    })
}

fn busy() -> AppError {
    AppError::invalid(
        "DB_BUSY",
        "too many terminals changed this at the same moment; try again",
    )
}

/// `{"ok": true, "order_id": …, "revision": N, "line_id"?, "ticket_id"?, "events": [{type,
/// revision, position, payload}]}`, written directly: payloads are already JSON.
fn result_text(
    recorded: &[RecordedEvent],
    order_id: Option<&str>,
    line_id: Option<&str>,
    ticket_id: Option<&str>,
) -> String {
    use std::fmt::Write;
    let quote = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let size = recorded.iter().map(|e| e.payload.len() + 60).sum::<usize>();
    let mut out = String::with_capacity(160 + size);
    out.push_str("{\"ok\":true");
    if let Some(o) = order_id {
        let _ = write!(out, ",\"order_id\":{}", quote(o));
    }
    let revision = recorded.last().map_or(0, |e| e.revision);
    let _ = write!(out, ",\"revision\":{revision}");
    if let Some(l) = line_id {
        let _ = write!(out, ",\"line_id\":{}", quote(l));
    }
    if let Some(t) = ticket_id {
        let _ = write!(out, ",\"ticket_id\":{}", quote(t));
    }
    out.push_str(",\"events\":[");
    for (i, e) in recorded.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"type\":{},\"revision\":{},\"position\":{},\"payload\":{}}}",
            quote(&e.event_type),
            e.revision,
            e.position,
            e.payload
        );
    }
    out.push_str("]}");
    out
}
