//! The read models kept on the PostgreSQL server beside the log: the same shared logic
//! ([`models`](super::models), [`live`](super::live), [`queue`](super::queue)) over the
//! server's tables ([`tables`]), moved inside each append's transaction, and
//! [`ReadModelStore`](super::ReadModelStore) for [`PgStore`].

pub mod tables;

use std::cell::RefCell;

use crate::store::postgres::sql::{Sql, Tx};

use super::live::{self, ReadModelSink};
use super::{
    queue, OrderView, Popularity, ReadModelStore, ReadModels, RebuildStats, StockView, TicketView,
};
use crate::projections::rows::parse;
use crate::projections::version::READ_MODEL_VERSION;
use crate::store::postgres::{error, PgProjector, PgStore};
use crate::store::{EventStore, RecordedEvent, StoreError};

/// The projector a PostgreSQL store runs inside each append.
pub struct PgProjections;

impl PgProjector for PgProjections {
    fn project(&self, tx: &mut Tx<'_>, events: &[RecordedEvent]) -> Result<(), StoreError> {
        live::project(&Rows(RefCell::new(tx)), events)
    }
}

/// The server's read-model rows, inside the append's transaction.
struct Rows<'a, 't>(RefCell<&'a mut Tx<'t>>);

impl ReadModelSink for Rows<'_, '_> {
    fn load_order(&self, order_id: &str) -> Result<ReadModels, StoreError> {
        tables::load_order(*self.0.borrow_mut(), order_id)
    }
    fn load_stock(&self) -> Result<ReadModels, StoreError> {
        tables::load_stock(*self.0.borrow_mut())
    }
    fn menu_allergens_at(&self, item_id: &str, position: i64) -> Result<Vec<String>, StoreError> {
        tables::menu_allergens_at(*self.0.borrow_mut(), item_id, position)
    }
    fn save(&self, models: &ReadModels, before: &ReadModels) -> Result<(), StoreError> {
        tables::save(*self.0.borrow_mut(), models, before)
    }
    fn checkpoint(&self) -> Result<i64, StoreError> {
        tables::checkpoint(*self.0.borrow_mut())
    }
    fn set_checkpoint(&self, position: i64) -> Result<(), StoreError> {
        tables::set_checkpoint(*self.0.borrow_mut(), tables::CHECKPOINT, position)
    }
    fn events_between(&self, after: i64, up_to: i64) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows = self
            .0
            .borrow_mut()
            .query(
                "SELECT position, stream_id, stream_type, revision, event_type, schema_version, \
                 payload, metadata, recorded_at FROM events \
                 WHERE position > $1 AND position <= $2 ORDER BY position",
                &[&after, &up_to],
            )
            .map_err(error)?;
        rows.iter()
            .map(|r| {
                crate::store::stored::RawEvent {
                    position: r.get(0),
                    stream_id: r.get(1),
                    stream_type: r.get(2),
                    revision: r.get(3),
                    event_type: r.get(4),
                    schema_version: r.get(5),
                    payload: r.get(6),
                    metadata: r.get(7),
                    recorded_at: r.get(8),
                }
                .decode()
            })
            .collect()
    }
}

fn docs<T: serde::de::DeserializeOwned>(
    store: &PgStore,
    sql: &'static str,
    statuses: &[&str],
) -> Result<Vec<T>, StoreError> {
    let statuses: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
    store
        .client()
        .query(sql, &[&statuses])
        .map_err(error)?
        .iter()
        .map(|r| parse(&r.get::<_, String>(0)))
        .collect()
}

fn tickets(store: &PgStore, statuses: &[&str]) -> Result<Vec<TicketView>, StoreError> {
    docs(
        store,
        "SELECT doc FROM kitchen_tickets WHERE status = ANY($1) ORDER BY sent_at, ticket_id",
        statuses,
    )
}

impl ReadModelStore for PgStore {
    fn open_orders(&self) -> Result<Vec<OrderView>, StoreError> {
        docs(
            self,
            "SELECT doc FROM order_views WHERE status = ANY($1) ORDER BY opened_at, order_id",
            &["open", "placed"],
        )
    }

    fn recent_orders(&self, limit: usize) -> Result<Vec<OrderView>, StoreError> {
        self.client()
            .query(
                "SELECT doc FROM order_views ORDER BY opened_at DESC, order_id DESC LIMIT $1",
                &[&(limit as i64)],
            )
            .map_err(error)?
            .iter()
            .map(|r| parse(&r.get::<_, String>(0)))
            .collect()
    }

    fn order_view(&self, order_id: &str) -> Result<Option<OrderView>, StoreError> {
        tables::order_view(&mut *self.client(), order_id)
    }

    fn kitchen(&self, station: Option<&str>) -> Result<Vec<TicketView>, StoreError> {
        Ok(queue::kitchen(tickets(self, queue::KITCHEN)?, station))
    }

    fn last_bumped(&self, station: Option<&str>) -> Result<Option<TicketView>, StoreError> {
        Ok(self.recently_bumped(station, None, 1)?.into_iter().next())
    }

    fn recently_bumped(
        &self,
        station: Option<&str>,
        since: Option<chrono::DateTime<chrono::Utc>>,
        limit: usize,
    ) -> Result<Vec<TicketView>, StoreError> {
        Ok(queue::recently_bumped(
            tickets(self, &["ready"])?,
            station,
            since,
            limit,
        ))
    }

    fn expo(&self) -> Result<Vec<TicketView>, StoreError> {
        Ok(queue::expo(tickets(self, queue::EXPO)?))
    }

    fn stock(&self) -> Result<Vec<StockView>, StoreError> {
        let mut out: Vec<StockView> = tables::load_stock(&mut *self.client())?
            .stock
            .into_values()
            .collect();
        out.sort_by(|a, b| a.item_id.cmp(&b.item_id));
        Ok(out)
    }

    fn popularity(&self) -> Result<Vec<Popularity>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT item_id, name, quantity, orders FROM item_popularity WHERE quantity > 0 \
                 ORDER BY quantity DESC, item_id",
                &[],
            )
            .map_err(error)?
            .iter()
            .map(|r| Popularity {
                item_id: r.get(0),
                name: r.get(1),
                quantity: r.get(2),
                orders: r.get(3),
            })
            .collect())
    }

    fn read_model_version(&self) -> Result<i64, StoreError> {
        tables::checkpoint_named(&mut *self.client(), "read_model_version")
    }

    fn check_read_models(&self) -> Result<Vec<String>, StoreError> {
        let (fresh, head) = fold(self)?;
        let mut problems = Vec::new();
        let mut client = self.client();
        let checkpoint = tables::checkpoint(&mut *client)?;
        if checkpoint != head {
            problems.push(format!(
                "read models stop at position {checkpoint}, the log at {head}"
            ));
        }
        let stored_orders: i64 = client
            .query_one("SELECT count(*) FROM order_views", &[])
            .map_err(error)?
            .get(0);
        if stored_orders as usize != fresh.orders.len() {
            problems.push(format!(
                "{stored_orders} order views stored, {} orders in the log",
                fresh.orders.len()
            ));
        }
        let mut ids: Vec<&String> = fresh.orders.keys().collect();
        ids.sort();
        let mut stored_tickets = std::collections::HashMap::new();
        for id in ids {
            let stored = tables::load_order(&mut *client, id)?;
            if stored.orders.get(id) != fresh.orders.get(id) {
                problems.push(format!("order view {id} differs from its events"));
            }
            stored_tickets.extend(stored.tickets);
        }
        if stored_tickets != fresh.tickets {
            problems.push("kitchen tickets differ from their events".into());
        }
        Ok(problems)
    }

    fn shadow_older_read_models(&mut self) -> Result<bool, StoreError> {
        // A server's read models are upgraded by `brigade setup` and writable opens; a
        // read-only session has nothing older to shadow.
        Ok(false)
    }

    fn rebuild_read_models(&mut self) -> Result<RebuildStats, StoreError> {
        Ok(rebuild(self, Rebuild::Always)?.expect("a rebuild that is always done"))
    }

    fn upgrade_read_models(&mut self, progress: &mut dyn FnMut(&str)) -> Result<bool, StoreError> {
        if self.read_model_version()? >= READ_MODEL_VERSION {
            return Ok(false);
        }
        progress("rebuilding the read models for this version of Brigade…");
        // Terminals opening at once all found them old; the first one rebuilds them.
        Ok(rebuild(self, Rebuild::IfOutdated)?.is_some())
    }
}

/// Whether a rebuild replaces read models that are already this build's.
#[derive(PartialEq)]
enum Rebuild {
    Always,
    IfOutdated,
}

/// The read models replaced by the log's fold. The long fold runs while terminals append; the
/// events they appended meanwhile are folded in under the head's lock, so the checkpoint is
/// the head the tables hold. `None`: another terminal had rebuilt them already.
fn rebuild(store: &PgStore, when: Rebuild) -> Result<Option<RebuildStats>, StoreError> {
    let (mut models, mut head) = fold(store)?;
    let mut client = store.client();
    let mut tx = client.transaction().map_err(error)?;
    let locked: i64 = tx
        .query_one(
            "SELECT position FROM brigade_head WHERE id = 1 FOR UPDATE",
            &[],
        )
        .map_err(error)?
        .get(0);
    if when == Rebuild::IfOutdated
        && tables::checkpoint_named(&mut tx, "read_model_version")? >= READ_MODEL_VERSION
    {
        return Ok(None);
    }
    while head < locked {
        let tail = crate::store::postgres::events_after(&mut tx, head, 1000)?;
        if tail.is_empty() {
            break;
        }
        for raw in tail {
            let e = raw.decode()?;
            head = e.position;
            models.apply(&e)?;
        }
    }
    tables::clear(&mut tx)?;
    tables::save(&mut tx, &models, &ReadModels::default())?;
    tables::set_checkpoint(&mut tx, tables::CHECKPOINT, head)?;
    tables::set_checkpoint(&mut tx, "read_model_version", READ_MODEL_VERSION)?;
    tx.commit().map_err(error)?;
    Ok(Some(RebuildStats {
        events: head,
        orders: models.orders.len(),
        tickets: models.tickets.len(),
    }))
}

/// The whole log folded into fresh read models, in memory, and the head it reached.
fn fold(store: &PgStore) -> Result<(ReadModels, i64), StoreError> {
    let mut models = ReadModels::default();
    let mut head = 0;
    store.for_each_after(0, &mut |e| {
        head = e.position;
        models.apply(&e)?;
        Ok(true)
    })?;
    Ok((models, head))
}
