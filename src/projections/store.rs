//! The read models as the application sees them, behind a backend-neutral trait: queries,
//! the check against a fresh fold, the version and the rebuild, in plain data.
//!
//! The logic of the read models ([`models`](super::models): event → changes) is shared; only
//! where they are kept is per backend. SQLite's side is [`sqlite`](super::sqlite); a second
//! backend implements [`ReadModelStore`] for its store and runs the same tests.

use super::{OrderView, Popularity, StockView, TicketView};
use crate::store::StoreError;

/// What the application asks of the stored read models.
pub trait ReadModelStore {
    /// Open orders, oldest first.
    fn open_orders(&self) -> Result<Vec<OrderView>, StoreError>;
    /// The newest `limit` orders, whatever their status.
    fn recent_orders(&self, limit: usize) -> Result<Vec<OrderView>, StoreError>;
    /// One order's current view.
    fn order_view(&self, order_id: &str) -> Result<Option<OrderView>, StoreError>;
    /// The kitchen's queue (one station's, or all), in the order tickets were sent.
    fn kitchen(&self, station: Option<&str>) -> Result<Vec<TicketView>, StoreError>;
    /// The ticket bumped last (by log position), to recall.
    fn last_bumped(&self, station: Option<&str>) -> Result<Option<TicketView>, StoreError>;
    /// Tickets bumped at `station` (or anywhere) and not yet served, newest first, at most
    /// `limit`, bumped at or after `since` when given.
    fn recently_bumped(
        &self,
        station: Option<&str>,
        since: Option<chrono::DateTime<chrono::Utc>>,
        limit: usize,
    ) -> Result<Vec<TicketView>, StoreError>;
    /// The expeditor's screen: every fired ticket not yet served, all stations.
    fn expo(&self) -> Result<Vec<TicketView>, StoreError>;
    /// Every counted item: its count and what was ordered since.
    fn stock(&self) -> Result<Vec<StockView>, StoreError>;
    /// How much of each item has been sent, most first.
    fn popularity(&self) -> Result<Vec<Popularity>, StoreError>;
    /// The version of the stored read models (0: written before versions existed).
    fn read_model_version(&self) -> Result<i64, StoreError>;
    /// Differences between the stored read models and a fresh fold of the log, one line each.
    fn check_read_models(&self) -> Result<Vec<String>, StoreError>;
    /// On a read-only store whose read models an older Brigade wrote: this build's, folded from
    /// the log for this connection alone, nothing written. Returns whether it had to.
    fn shadow_older_read_models(&mut self) -> Result<bool, StoreError>;
    /// Throws the stored read models away and rebuilds them from the log.
    fn rebuild_read_models(&mut self) -> Result<RebuildStats, StoreError>;
    /// Rebuilds them when an older Brigade wrote them, telling `progress` what it does;
    /// returns whether a rebuild ran.
    fn upgrade_read_models(&mut self, progress: &mut dyn FnMut(&str)) -> Result<bool, StoreError>;
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildStats {
    pub events: i64,
    pub orders: usize,
    pub tickets: usize,
}
