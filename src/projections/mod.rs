//! Read models (the CQRS query side), derived only from events.
//!
//! - open orders and every order's current view (`order_views`),
//! - the kitchen queue (`kitchen_tickets`),
//! - item popularity (`item_popularity`),
//! - an order's audit trail ([`audit`]), read straight from the order's stream.
//!
//! The stored ones move forward inside the transaction that appends the events they follow,
//! together with their checkpoint, so every process sees them exactly as current as the log.
//! They can be thrown away and rebuilt from the log at any time ([`rebuild`]), and [`check`]
//! compares them with a fresh fold.

pub mod audit;
pub mod columns;
pub mod models;
pub mod queries;
pub mod sqlite;
pub mod store;
pub mod tables;
pub mod version;

use rusqlite::Connection;

pub use models::{OrderView, Popularity, ReadModels, TicketLine, TicketView};
pub use store::ReadModelStore;

use crate::domain::codec;
use crate::store::schema::READ_MODEL_INDEXES;
use crate::store::sqlite::{scan, scan_raw, Projector};
use crate::store::{RecordedEvent, StoreError};

/// The projector the store runs inside each append.
pub struct Projections;

impl Projector for Projections {
    fn project(&self, conn: &Connection, events: &[RecordedEvent]) -> Result<(), StoreError> {
        let Some(first) = events.first() else {
            return Ok(());
        };
        // Events appended by something that did not project them (an older build, a restore)
        // are caught up first, so the checkpoint never skips.
        catch_up_to(conn, first.position - 1)?;
        apply_live(conn, events)?;
        tables::set_checkpoint(conn, events[events.len() - 1].position)
    }
}

fn apply_live(conn: &Connection, events: &[RecordedEvent]) -> Result<(), StoreError> {
    let mut i = 0;
    while i < events.len() {
        let stream = &events[i].stream_id;
        let end = events[i..]
            .iter()
            .position(|e| &e.stream_id != stream)
            .map_or(events.len(), |n| i + n);
        if events[i].stream_type == "order" {
            let before = tables::load_order(conn, stream)?;
            let mut models = before.clone();
            for e in &events[i..end] {
                if e.event_type == "ItemAddedToOrder" {
                    // The item's allergens as the menu had them at this point of the log.
                    if let crate::domain::OrderEvent::ItemAddedToOrder(a) =
                        codec::decode_current_order(&e.event_type, &e.payload)?
                    {
                        let list = tables::menu_allergens_at(conn, &a.item_id, e.position)?;
                        models.menu_allergens.insert(a.item_id, list);
                    }
                }
                models.apply(e)?;
            }
            tables::save(conn, &models, &before, false)?;
        }
        i = end;
    }
    Ok(())
}

/// Applies every event between the checkpoint and `position` (inclusive) that the read models
/// have not seen yet.
pub fn catch_up_to(conn: &Connection, position: i64) -> Result<usize, StoreError> {
    let checkpoint = tables::checkpoint(conn)?;
    if checkpoint >= position {
        return Ok(0);
    }
    let mut pending = Vec::new();
    scan(conn, checkpoint, &mut |e| {
        if e.position > position {
            return Ok(false);
        }
        pending.push(e);
        Ok(true)
    })?;
    apply_live(conn, &pending)?;
    tables::set_checkpoint(conn, position)?;
    Ok(pending.len())
}

/// Folds the whole log into fresh read models, in memory.
///
/// Two threads share the work: this one reads rows and decodes them (SQLite and JSON, the
/// larger half), the other applies them in order; batches keep the hand-over cheap.
pub fn fold_all(conn: &Connection) -> Result<(ReadModels, i64), StoreError> {
    const BATCH: usize = 2048;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Decoded>>(8);
        let applier = scope.spawn(move || -> Result<ReadModels, StoreError> {
            let mut models = ReadModels::default();
            for batch in rx {
                for d in batch {
                    let event = match d.event {
                        Event::Menu(m) => {
                            models.apply_menu_event(&m);
                            continue;
                        }
                        Event::Order(e) => e,
                    };
                    let actor = d.actor;
                    models.apply_order_event(
                        &d.stream_id,
                        d.position,
                        d.at,
                        &|| {
                            actor.clone().ok_or_else(|| {
                                StoreError::Corrupt(format!(
                                    "order {} does not start with OrderOpened",
                                    d.stream_id
                                ))
                            })
                        },
                        &event,
                    )?;
                }
            }
            Ok(models)
        });
        let mut head = 0;
        let mut batch = Vec::with_capacity(BATCH);
        let read = scan_raw(conn, 0, &mut |e| {
            head = e.position;
            if let Some(d) = Decoded::from_raw(e)? {
                batch.push(d);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    // A closed channel means the applier failed: stop and report its error.
                    if tx.send(full).is_err() {
                        return Ok(false);
                    }
                }
            }
            Ok(true)
        });
        if read.is_ok() && !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        let models = applier
            .join()
            .map_err(|_| StoreError::Corrupt("the read-model fold panicked".into()))?;
        read?;
        Ok((models?, head))
    })
}

/// An event the read models follow: an order's, or the menu's (for allergens).
enum Event {
    Order(crate::domain::OrderEvent),
    Menu(crate::domain::MenuEvent),
}

/// An order or menu event decoded off its row, ready to apply.
struct Decoded {
    stream_id: String,
    position: i64,
    at: chrono::DateTime<chrono::Utc>,
    /// Who recorded it, read only for an order's first event (the one a view needs it for).
    actor: Option<String>,
    event: Event,
}

impl Decoded {
    fn from_raw(e: crate::store::sqlite::RawRef<'_>) -> Result<Option<Self>, StoreError> {
        if e.stream_type != "order" && e.stream_type != "menu" {
            return Ok(None);
        }
        let version = u32::try_from(e.schema_version).map_err(|_| {
            StoreError::Corrupt(format!("event {} has a bad schema version", e.position))
        })?;
        let revision = e.revision as u64;
        if e.stream_type == "menu" {
            return Ok(Some(Decoded {
                stream_id: e.stream_id.to_string(),
                position: e.position,
                at: crate::store::sqlite::parse_time(e.recorded_at)?,
                actor: None,
                event: Event::Menu(codec::decode_menu(
                    e.event_type,
                    version,
                    e.payload,
                    revision,
                )?),
            }));
        }
        let event = Event::Order(codec::decode_order(
            e.event_type,
            version,
            e.payload,
            revision,
        )?);
        let actor = if e.revision == 1 {
            Some(
                serde_json::from_str::<crate::store::Metadata>(e.metadata)
                    .map_err(|err| {
                        StoreError::Corrupt(format!(
                            "event {} has unreadable metadata: {err}",
                            e.position
                        ))
                    })?
                    .actor,
            )
        } else {
            None
        };
        Ok(Some(Decoded {
            stream_id: e.stream_id.to_string(),
            position: e.position,
            at: crate::store::sqlite::parse_time(e.recorded_at)?,
            actor,
            event,
        }))
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildStats {
    pub events: i64,
    pub orders: usize,
    pub tickets: usize,
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
    let mut problems = columns::check(conn, &fresh)?;
    let checkpoint = tables::checkpoint(conn)?;
    if checkpoint != head {
        problems.push(format!(
            "read models stop at position {checkpoint}, the log at {head}"
        ));
    }
    let mut ids: Vec<&String> = fresh.orders.keys().collect();
    ids.sort();
    for id in ids {
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
    if stored_tickets.tickets != fresh.tickets || ticket_rows as usize != fresh.tickets.len() {
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
    Ok(problems)
}
