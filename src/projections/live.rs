//! How an append moves the read models, the same for every backend: the rows the events touch
//! are loaded, the shared logic ([`ReadModels::apply`]) changes them, and they are saved back
//! with the checkpoint. A backend only says how to load and save, through [`ReadModelSink`].

use super::ReadModels;
use crate::domain::codec;
use crate::store::{RecordedEvent, StoreError};

/// Where a backend keeps the read models, as the live path needs it (inside the append's
/// transaction).
pub trait ReadModelSink {
    /// The rows of one order: its view and its tickets, and the counted items' stock.
    fn load_order(&self, order_id: &str) -> Result<ReadModels, StoreError>;
    /// The counted items' stock alone (what menu events move).
    fn load_stock(&self) -> Result<ReadModels, StoreError>;
    /// An item's allergens as the menu had them just before log `position`.
    fn menu_allergens_at(&self, item_id: &str, position: i64) -> Result<Vec<String>, StoreError>;
    /// Writes `models` back over `before` (the rows as they were loaded).
    fn save(&self, models: &ReadModels, before: &ReadModels) -> Result<(), StoreError>;
    /// The position of the last event the read models follow.
    fn checkpoint(&self) -> Result<i64, StoreError>;
    fn set_checkpoint(&self, position: i64) -> Result<(), StoreError>;
    /// The events after `after` up to `up_to` (inclusive), in order.
    fn events_between(&self, after: i64, up_to: i64) -> Result<Vec<RecordedEvent>, StoreError>;
}

/// Moves the read models by one append's events, then records the checkpoint. Events appended
/// by something that did not project them (an older build, a restore) are caught up first,
/// so the checkpoint never skips.
pub fn project(sink: &dyn ReadModelSink, events: &[RecordedEvent]) -> Result<(), StoreError> {
    let Some(first) = events.first() else {
        return Ok(());
    };
    catch_up_to(sink, first.position - 1)?;
    apply_live(sink, events, true)?;
    sink.set_checkpoint(events[events.len() - 1].position)
}

/// Applies every event between the checkpoint and `position` (inclusive) that the read models
/// have not seen yet.
pub fn catch_up_to(sink: &dyn ReadModelSink, position: i64) -> Result<usize, StoreError> {
    let checkpoint = sink.checkpoint()?;
    if checkpoint >= position {
        return Ok(0);
    }
    let pending = sink.events_between(checkpoint, position)?;
    apply_live(sink, &pending, false)?;
    sink.set_checkpoint(position)?;
    Ok(pending.len())
}

/// With `guard_stock` (the events being appended now, inside their transaction), events that
/// take a counted item below nothing fail the append as a conflict: two terminals that each
/// saw the last salmon left decide again, and the second is told none is left.
fn apply_live(
    sink: &dyn ReadModelSink,
    events: &[RecordedEvent],
    guard_stock: bool,
) -> Result<(), StoreError> {
    let mut i = 0;
    while i < events.len() {
        let stream = &events[i].stream_id;
        let end = events[i..]
            .iter()
            .position(|e| &e.stream_id != stream)
            .map_or(events.len(), |n| i + n);
        if events[i].stream_type == "order" {
            let before = sink.load_order(stream)?;
            let mut models = before.clone();
            for e in &events[i..end] {
                if e.event_type == "ItemAddedToOrder" {
                    // The item's allergens as the menu had them at this point of the log.
                    if let crate::domain::OrderEvent::ItemAddedToOrder(a) =
                        codec::decode_current_order(&e.event_type, &e.payload)?
                    {
                        let list = sink.menu_allergens_at(&a.item_id, e.position)?;
                        models.menu_allergens.insert(a.item_id, list);
                    }
                }
                models.apply(e)?;
            }
            if guard_stock {
                if let Some(item) = super::stock::oversold(&before.stock, &models.stock) {
                    return Err(StoreError::Conflict {
                        stream_id: format!("the stock of {item}"),
                        expected: 0,
                        actual: 0,
                    });
                }
            }
            sink.save(&models, &before)?;
        } else if events[i].stream_type == "menu"
            && events[i..end]
                .iter()
                .any(|e| e.event_type == "ItemStockSet" || e.event_type == "MenuItemRemoved")
        {
            let before = sink.load_stock()?;
            let mut models = before.clone();
            for e in &events[i..end] {
                models.apply(e)?;
            }
            sink.save(&models, &before)?;
        }
        i = end;
    }
    Ok(())
}
