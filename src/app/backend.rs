//! Which store a database lives in: a SQLite file, or a PostgreSQL server. The application
//! talks to it only through the backend-neutral traits ([`EventStore`], [`ReadModelStore`],
//! [`LogChecks`]); this enum passes each call to the store at hand.

use std::path::Path;
use std::time::Duration;

use crate::projections::{
    OrderView, Popularity, ReadModelStore, RebuildStats, StockView, TicketView,
};
use crate::store::checks::{LogChecks, SnapshotRecord};
use crate::store::postgres::PgStore;
use crate::store::verify::{Anchor, ChainReport};
use crate::store::watch::Watcher;
use crate::store::{
    Append, AppendOutcome, CommandRecord, EachStored, EventStore, Position, RecordedEvent,
    Snapshot, SqliteStore, StoreError,
};

pub enum Backend {
    Sqlite(SqliteStore),
    /// Boxed: the server's store is larger than the file's.
    Postgres(Box<PgStore>),
}

/// `on!(self, s => expr)`: `expr` on whichever store this is (a server that cannot be
/// reached named in the error).
macro_rules! on {
    ($b:expr, $s:ident => $e:expr) => {
        match $b {
            Backend::Sqlite($s) => $e,
            Backend::Postgres($s) => {
                let result = $e;
                result.map_err(|e| $s.named(e))
            }
        }
    };
}

impl Backend {
    /// The file, or the server and database as they may be shown.
    pub fn path(&self) -> &Path {
        match self {
            Backend::Sqlite(s) => s.path(),
            Backend::Postgres(p) => Path::new(p.shown()),
        }
    }

    /// A watcher of other terminals' commits.
    pub fn watcher(&self) -> Result<Watcher, StoreError> {
        match self {
            Backend::Sqlite(s) => Watcher::open(s.path()),
            Backend::Postgres(p) => Watcher::postgres(p.url()),
        }
    }
}

impl EventStore for Backend {
    fn append(&mut self, append: Append<'_>) -> Result<AppendOutcome, StoreError> {
        on!(self, s => s.append(append))
    }
    fn for_each_after(
        &self,
        position: Position,
        each: &mut dyn FnMut(RecordedEvent) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        on!(self, s => s.for_each_after(position, each))
    }
    fn head(&self) -> Result<Position, StoreError> {
        on!(self, s => s.head())
    }
    fn stream_revision(&self, stream_id: &str) -> Result<u64, StoreError> {
        on!(self, s => s.stream_revision(stream_id))
    }
    fn command_record(&self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        on!(self, s => s.command_record(command_id))
    }
    fn snapshot_at_or_before(
        &self,
        stream_id: &str,
        revision: u64,
    ) -> Result<Option<Snapshot>, StoreError> {
        on!(self, s => s.snapshot_at_or_before(stream_id, revision))
    }
    fn fold_stream(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
        each: &mut EachStored<'_>,
    ) -> Result<(), StoreError> {
        on!(self, s => s.fold_stream(stream_id, after_revision, up_to, each))
    }
    fn read_stream_until(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        on!(self, s => s.read_stream_until(stream_id, after_revision, up_to))
    }
}

impl ReadModelStore for Backend {
    fn open_orders(&self) -> Result<Vec<OrderView>, StoreError> {
        on!(self, s => s.open_orders())
    }
    fn recent_orders(&self, limit: usize) -> Result<Vec<OrderView>, StoreError> {
        on!(self, s => s.recent_orders(limit))
    }
    fn order_view(&self, order_id: &str) -> Result<Option<OrderView>, StoreError> {
        on!(self, s => s.order_view(order_id))
    }
    fn kitchen(&self, station: Option<&str>) -> Result<Vec<TicketView>, StoreError> {
        on!(self, s => s.kitchen(station))
    }
    fn last_bumped(&self, station: Option<&str>) -> Result<Option<TicketView>, StoreError> {
        on!(self, s => s.last_bumped(station))
    }
    fn recently_bumped(
        &self,
        station: Option<&str>,
        since: Option<chrono::DateTime<chrono::Utc>>,
        limit: usize,
    ) -> Result<Vec<TicketView>, StoreError> {
        on!(self, s => s.recently_bumped(station, since, limit))
    }
    fn expo(&self) -> Result<Vec<TicketView>, StoreError> {
        on!(self, s => s.expo())
    }
    fn stock(&self) -> Result<Vec<StockView>, StoreError> {
        on!(self, s => s.stock())
    }
    fn popularity(&self) -> Result<Vec<Popularity>, StoreError> {
        on!(self, s => s.popularity())
    }
    fn read_model_version(&self) -> Result<i64, StoreError> {
        on!(self, s => s.read_model_version())
    }
    fn check_read_models(&self) -> Result<Vec<String>, StoreError> {
        on!(self, s => s.check_read_models())
    }
    fn shadow_older_read_models(&mut self) -> Result<bool, StoreError> {
        on!(self, s => s.shadow_older_read_models())
    }
    fn rebuild_read_models(&mut self) -> Result<RebuildStats, StoreError> {
        on!(self, s => s.rebuild_read_models())
    }
    fn upgrade_read_models(&mut self, progress: &mut dyn FnMut(&str)) -> Result<bool, StoreError> {
        on!(self, s => s.upgrade_read_models(progress))
    }
}

impl LogChecks for Backend {
    fn missing_guards(&self) -> Result<Vec<String>, StoreError> {
        on!(self, s => s.missing_guards())
    }
    fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        on!(self, s => s.verify_chain())
    }
    fn check_anchor(&self, anchor: &Anchor) -> Result<Option<String>, StoreError> {
        on!(self, s => s.check_anchor(anchor))
    }
    fn head_anchor(&self) -> Result<Anchor, StoreError> {
        on!(self, s => s.head_anchor())
    }
    fn check_command_records(&self) -> Result<Vec<String>, StoreError> {
        on!(self, s => s.check_command_records())
    }
    fn snapshot_records(&self) -> Result<Vec<SnapshotRecord>, StoreError> {
        on!(self, s => s.snapshot_records())
    }
    fn consistently<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        on!(self, s => s.consistently(f))
    }
    fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError> {
        on!(self, s => s.set_busy_timeout(wait))
    }
}
