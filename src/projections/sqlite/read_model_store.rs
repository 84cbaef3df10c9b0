//! [`ReadModelStore`] for [`SqliteStore`]: the application's questions to the read models,
//! answered from SQLite's tables ([`tables`](super::tables)), queries
//! ([`queries`](super::queries)), version ([`version`](super::version)) and rebuild.

use super::{queries, tables, version};
use crate::projections::{
    OrderView, Popularity, ReadModelStore, RebuildStats, StockView, TicketView,
};
use crate::store::{SqliteStore, StoreError};

impl ReadModelStore for SqliteStore {
    fn open_orders(&self) -> Result<Vec<OrderView>, StoreError> {
        queries::open_orders(self.connection())
    }

    fn recent_orders(&self, limit: usize) -> Result<Vec<OrderView>, StoreError> {
        queries::recent_orders(self.connection(), limit)
    }

    fn order_view(&self, order_id: &str) -> Result<Option<OrderView>, StoreError> {
        tables::order_view(self.connection(), order_id)
    }

    fn kitchen(&self, station: Option<&str>) -> Result<Vec<TicketView>, StoreError> {
        queries::kitchen(self.connection(), station)
    }

    fn last_bumped(&self, station: Option<&str>) -> Result<Option<TicketView>, StoreError> {
        queries::last_bumped(self.connection(), station)
    }

    fn recently_bumped(
        &self,
        station: Option<&str>,
        since: Option<chrono::DateTime<chrono::Utc>>,
        limit: usize,
    ) -> Result<Vec<TicketView>, StoreError> {
        queries::recently_bumped(self.connection(), station, since, limit)
    }

    fn expo(&self) -> Result<Vec<TicketView>, StoreError> {
        queries::expo(self.connection())
    }

    fn stock(&self) -> Result<Vec<StockView>, StoreError> {
        queries::stock(self.connection())
    }

    fn popularity(&self) -> Result<Vec<Popularity>, StoreError> {
        queries::popularity(self.connection())
    }

    fn read_model_version(&self) -> Result<i64, StoreError> {
        version::stored(self.connection())
    }

    fn check_read_models(&self) -> Result<Vec<String>, StoreError> {
        super::check(self.connection())
    }

    fn shadow_older_read_models(&mut self) -> Result<bool, StoreError> {
        super::shadow_older(self.connection())
    }

    fn rebuild_read_models(&mut self) -> Result<RebuildStats, StoreError> {
        super::rebuild(self.connection_mut())
    }

    fn upgrade_read_models(&mut self, progress: &mut dyn FnMut(&str)) -> Result<bool, StoreError> {
        version::upgrade(self.connection_mut(), progress)
    }
}
