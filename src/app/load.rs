//! Loading aggregates: an order from its newest usable snapshot plus the events after it, and
//! the menu (cached until its stream moves).

use super::{AppError, Brigade, ORDER_SNAPSHOT_VERSION};
use crate::domain::menu::{MenuDecider, MENU_STREAM};
use crate::domain::order::OrderDecider;
use crate::domain::{codec, Decider, Menu, Order};
use crate::projections::audit;
use crate::store::{EventStore, StoreError};

impl Brigade {
    /// An order's current state: its newest snapshot (when one of the current shape exists)
    /// plus the events after it.
    pub fn load_order(&self, order_id: &str) -> Result<Order, AppError> {
        self.order_at(order_id, u64::MAX)
    }

    /// An order as it was right after `revision`: the newest usable snapshot at or before it,
    /// plus the events up to it.
    pub fn order_at(&self, order_id: &str, revision: u64) -> Result<Order, AppError> {
        let order = match self.store.snapshot_at_or_before(order_id, revision)? {
            Some(s) if s.schema_version == ORDER_SNAPSHOT_VERSION => {
                serde_json::from_str::<Order>(&s.state).unwrap_or_default()
            }
            _ => Order::default(),
        };
        let after = order.revision;
        let (order, lined_up) = self.fold_order(order_id, order, after, revision)?;
        if !lined_up {
            // A snapshot that does not line up with the log is not trusted.
            let events = self.store.read_stream_until(order_id, 0, revision)?;
            return Ok(audit::replay(&events)?);
        }
        Ok(order)
    }

    /// Folds the events of `order_id` with revisions in `after + 1 ..= up_to` onto `start` (a
    /// snapshot, or the state at `after`), decoded by the one decoder and folded by the one
    /// fold. Also says whether the events lined up with `start` (each one the revision after
    /// the state's): a snapshot that does not is not to be trusted.
    pub(crate) fn fold_order(
        &self,
        order_id: &str,
        start: Order,
        after: u64,
        up_to: u64,
    ) -> Result<(Order, bool), AppError> {
        let mut events = Vec::new();
        let mut lined_up = true;
        let mut expected = start.revision;
        self.store.fold_stream(
            order_id,
            after,
            up_to,
            &mut |rev, kind, version, payload| {
                expected += 1;
                lined_up &= rev == expected;
                events.push(codec::decode_order(kind, version, payload, rev)?);
                Ok(())
            },
        )?;
        Ok((OrderDecider::fold_from(Some(start), &events), lined_up))
    }

    /// The menu with what was ordered since each count was set taken off the counted items'
    /// stock: the menu commands are decided against.
    pub fn menu_with_stock(&mut self) -> Result<Menu, AppError> {
        let menu = self.menu()?;
        if menu.items.iter().all(|i| i.stock.is_none()) {
            return Ok(menu);
        }
        let used = self.stock_used()?;
        Ok(menu.with_stock_used(&used))
    }

    /// The menu, cached until its stream moves.
    pub fn menu(&mut self) -> Result<Menu, AppError> {
        let revision = self.store.stream_revision(MENU_STREAM)?;
        if let Some((r, menu)) = &self.menu {
            if *r == revision {
                return Ok(menu.clone());
            }
        }
        let events = self
            .store
            .read_stream(MENU_STREAM, 0)?
            .iter()
            .map(|e| codec::decode_current_menu(&e.event_type, &e.payload))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?;
        let menu = MenuDecider::fold_from(None, &events);
        self.menu = Some((revision, menu.clone()));
        Ok(menu)
    }
}
