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
            &mut |rev, kind, version, payload| {
                lined_up &= rev == order.revision + 1;
                let event = codec::decode_order(kind, version, payload, rev)?;
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
                codec::decode_current_menu(&e.event_type, &e.payload).map_err(StoreError::from)?;
            menu = MenuDecider::evolve(menu, &event);
        }
        self.menu = Some((revision, menu.clone()));
        Ok(menu)
    }
}
