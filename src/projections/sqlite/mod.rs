//! The read models kept in the SQLite file beside the log: the tables ([`tables`]), the
//! columns a query filters on ([`columns`]), the queries ([`queries`]), the version
//! ([`version`]), the whole-log fold ([`fold`]), the rebuild and the check, the projector the
//! store runs inside each append, and [`ReadModelStore`](super::ReadModelStore) for
//! [`SqliteStore`](crate::store::SqliteStore) ([`read_model_store`]).

pub mod columns;
pub mod fold;
pub mod queries;
pub mod read_model_store;
pub mod tables;
pub mod version;

use rusqlite::Connection;

pub use fold::fold_all;

use super::live::{self, ReadModelSink};
use super::{Popularity, ReadModels, RebuildStats};
use crate::store::schema::READ_MODEL_INDEXES;
use crate::store::sqlite::{scan, Projector};
use crate::store::{RecordedEvent, StoreError};

/// The projector the store runs inside each append.
pub struct Projections;

impl Projector for Projections {
    fn project(&self, conn: &Connection, events: &[RecordedEvent]) -> Result<(), StoreError> {
        live::project(&Rows(conn), events)
    }
}

/// SQLite's read-model rows, inside the append's transaction.
struct Rows<'c>(&'c Connection);

impl ReadModelSink for Rows<'_> {
    fn load_order(&self, order_id: &str) -> Result<ReadModels, StoreError> {
        tables::load_order(self.0, order_id)
    }

    fn load_stock(&self) -> Result<ReadModels, StoreError> {
        tables::load_stock(self.0)
    }

    fn menu_allergens_at(&self, item_id: &str, position: i64) -> Result<Vec<String>, StoreError> {
        tables::menu_allergens_at(self.0, item_id, position)
    }

    fn save(&self, models: &ReadModels, before: &ReadModels) -> Result<(), StoreError> {
        tables::save(self.0, models, before, false)
    }

    fn checkpoint(&self) -> Result<i64, StoreError> {
        tables::checkpoint(self.0)
    }

    fn set_checkpoint(&self, position: i64) -> Result<(), StoreError> {
        tables::set_checkpoint(self.0, position)
    }

    fn events_between(&self, after: i64, up_to: i64) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut pending = Vec::new();
        scan(self.0, after, &mut |e| {
            if e.position > up_to {
                return Ok(false);
            }
            pending.push(e);
            Ok(true)
        })?;
        Ok(pending)
    }
}

/// Applies every event between the checkpoint and `position` (inclusive) that the read models
/// in `conn` have not seen yet.
pub fn catch_up_to(conn: &Connection, position: i64) -> Result<usize, StoreError> {
    live::catch_up_to(&Rows(conn), position)
}

/// Read models of this build's version for a read-only connection to a database whose read
/// models an older Brigade wrote: folded from the log into temporary tables that shadow the
/// stored ones for this connection alone. Nothing is written to the file (the temporary schema
/// lives in memory); `verify` does not use this, it checks what is stored. Returns whether it
/// had to.
pub fn shadow_older(conn: &Connection) -> Result<bool, StoreError> {
    if version::stored(conn)? >= version::READ_MODEL_VERSION {
        return Ok(false);
    }
    conn.execute_batch(
        "PRAGMA temp_store = MEMORY;
         CREATE TEMP TABLE projection_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
         CREATE TEMP TABLE order_views (order_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
             opened_at TEXT NOT NULL, position INTEGER NOT NULL, doc TEXT NOT NULL);
         CREATE TEMP TABLE kitchen_tickets (ticket_id TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL,
             status TEXT NOT NULL, sent_at TEXT NOT NULL, ready_at TEXT, doc TEXT NOT NULL);
         CREATE TEMP TABLE item_popularity (item_id TEXT PRIMARY KEY, name TEXT NOT NULL,
             quantity INTEGER NOT NULL, orders INTEGER NOT NULL);
         DROP TABLE IF EXISTS temp.item_stock;
         CREATE TEMP TABLE item_stock (item_id TEXT PRIMARY KEY, doc TEXT NOT NULL);",
    )?;
    let (models, head) = fold_all(conn)?;
    tables::save(conn, &models, &ReadModels::default(), true)?;
    tables::set_checkpoint(conn, head)?;
    version::set_current(conn)?;
    Ok(true)
}

/// Throws the stored read models away and rebuilds them from the log, in one transaction.
pub fn rebuild(conn: &mut Connection) -> Result<RebuildStats, StoreError> {
    Ok(rebuild_unless(conn, false)?.expect("an unconditional rebuild always runs"))
}

/// Like [`rebuild`], but only when the read models are older than this build's (checked
/// inside the rebuilding transaction, so that two processes upgrading at once rebuild once).
pub fn rebuild_if_older(conn: &mut Connection) -> Result<Option<RebuildStats>, StoreError> {
    rebuild_unless(conn, true)
}

fn rebuild_unless(
    conn: &mut Connection,
    unless_current: bool,
) -> Result<Option<RebuildStats>, StoreError> {
    // A rebuild writes only derived rows: if a power cut takes its commit, the old read models
    // and their checkpoint are still there, consistent. So it need not wait for the disk.
    let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA synchronous = NORMAL")?;
    let result = rebuild_in(conn, unless_current);
    conn.execute_batch(&format!("PRAGMA synchronous = {sync}"))?;
    result
}

fn rebuild_in(
    conn: &mut Connection,
    unless_current: bool,
) -> Result<Option<RebuildStats>, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if unless_current && version::stored(&tx)? >= version::READ_MODEL_VERSION {
        return Ok(None);
    }
    let (models, head) = fold_all(&tx)?;
    tables::clear(&tx)?;
    for (name, _) in READ_MODEL_INDEXES {
        tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    tables::save(&tx, &models, &ReadModels::default(), true)?;
    for (_, create) in READ_MODEL_INDEXES {
        tx.execute_batch(create)?;
    }
    tables::set_checkpoint(&tx, head)?;
    version::set_current(&tx)?;
    tx.commit()?;
    let stats = RebuildStats {
        events: head,
        orders: models.orders.len(),
        tickets: models.tickets.len(),
    };
    // Freeing a whole service's views takes a while and nobody waits for it.
    std::thread::spawn(move || drop(models));
    Ok(Some(stats))
}

/// Compares the stored read models with a fresh fold of the log; each difference is one line.
pub fn check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let (fresh, head) = fold_all(conn)?;
    // Read models written before the current shape of tickets and orders are compared only by
    // their order columns, counts and popularity (they are rebuilt from the log on the next
    // writable open).
    let same_shape =
        version::stored(conn)? >= version::SHAPE_SINCE || version::rows_of_current_shape(conn)?;
    let mut problems = columns::check(conn, &fresh, same_shape)?;
    let checkpoint = tables::checkpoint(conn)?;
    if checkpoint != head {
        problems.push(format!(
            "read models stop at position {checkpoint}, the log at {head}"
        ));
    }
    let mut ids: Vec<&String> = fresh.orders.keys().collect();
    ids.sort();
    for id in ids.into_iter().filter(|_| same_shape) {
        let stored = tables::order_view(conn, id)?;
        if stored.as_ref() != fresh.orders.get(id) {
            problems.push(format!("order view {id} differs from its events"));
        }
    }
    let stored_count: i64 = conn.query_row("SELECT count(*) FROM order_views", [], |r| r.get(0))?;
    if stored_count as usize != fresh.orders.len() {
        problems.push(format!(
            "{stored_count} order views stored, {} orders in the log",
            fresh.orders.len()
        ));
    }
    let mut stored_tickets = ReadModels::default();
    for id in fresh.orders.keys() {
        stored_tickets
            .tickets
            .extend(tables::load_order(conn, id)?.tickets);
    }
    let ticket_rows: i64 =
        conn.query_row("SELECT count(*) FROM kitchen_tickets", [], |r| r.get(0))?;
    if same_shape
        && (stored_tickets.tickets != fresh.tickets || ticket_rows as usize != fresh.tickets.len())
    {
        problems.push("kitchen tickets differ from their events".to_string());
    }
    let mut fresh_pop: Vec<Popularity> = fresh
        .popularity
        .into_values()
        .filter(|p| p.quantity > 0)
        .collect();
    fresh_pop.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.item_id.cmp(&b.item_id)));
    if queries::popularity(conn)? != fresh_pop {
        problems.push("item popularity differs from its events".to_string());
    }
    let mut fresh_stock: Vec<_> = fresh.stock.into_values().collect();
    fresh_stock.sort_by(|a, b| a.item_id.cmp(&b.item_id));
    if same_shape && queries::stock(conn)? != fresh_stock {
        problems.push("item stock differs from its events".to_string());
    }
    Ok(problems)
}
