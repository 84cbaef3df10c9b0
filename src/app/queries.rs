//! The application's queries: the read models (through [`ReadModelStore`]), an order's or the
//! menu's events, and windows of an order's audit trail.

use super::{AppError, Brigade};
use crate::domain::rejection::codes;
use crate::domain::Order;
use crate::projections::{audit, OrderView, Popularity, ReadModelStore, TicketView};
use crate::store::{EventStore, RecordedEvent};

/// A window of an order's audit trail (see [`Brigade::audit_window`]).
#[derive(Debug, Clone)]
pub struct AuditWindow {
    /// The order just before the first entry.
    pub before: Order,
    pub entries: Vec<audit::AuditEntry>,
    /// The order's newest revision.
    pub head: u64,
}

impl Brigade {
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

    /// Tickets bumped at `station` in the last `minutes` and not yet served, newest first (at
    /// most `limit`): what recall offers.
    pub fn recently_bumped(
        &self,
        station: Option<&str>,
        minutes: i64,
        limit: usize,
    ) -> Result<Vec<TicketView>, AppError> {
        let since = self.clock.now() - chrono::Duration::minutes(minutes);
        Ok(self.store.recently_bumped(station, Some(since), limit)?)
    }

    /// The expeditor's screen: every fired ticket not yet served.
    pub fn expo(&self) -> Result<Vec<TicketView>, AppError> {
        Ok(self.store.expo()?)
    }

    /// Every counted item's stock.
    pub fn stock(&self) -> Result<Vec<crate::projections::StockView>, AppError> {
        Ok(self.store.stock()?)
    }

    /// Portions ordered since each count was set, by item id.
    pub fn stock_used(&self) -> Result<std::collections::BTreeMap<String, i64>, AppError> {
        Ok(self
            .store
            .stock()?
            .into_iter()
            .map(|s| (s.item_id, s.used))
            .collect())
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
}
