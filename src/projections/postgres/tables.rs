//! The read models' rows on PostgreSQL: the same documents and columns as SQLite's, read and
//! written inside the append's transaction (live) or a rebuild's.

use crate::store::postgres::sql::Sql;

use crate::projections::models::{OrderView, ReadModels, TicketView};
use crate::projections::rows::{parse, time};
use crate::projections::StockView;
use crate::store::postgres::error;
use crate::store::StoreError;

/// The name of the read models' checkpoint.
pub const CHECKPOINT: &str = "read_models";

/// The read models' checkpoint (the log position they hold).
pub fn checkpoint(c: &mut impl Sql) -> Result<i64, StoreError> {
    checkpoint_named(c, CHECKPOINT)
}

/// The checkpoint (or version) stored as `name`; 0 when there is none.
pub fn checkpoint_named(c: &mut impl Sql, name: &str) -> Result<i64, StoreError> {
    Ok(c.query_opt(
        "SELECT position FROM projection_checkpoints WHERE name = $1",
        &[&name],
    )
    .map_err(error)?
    .map_or(0, |r| r.get(0)))
}

pub fn set_checkpoint(c: &mut impl Sql, name: &str, position: i64) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        &[&name, &position],
    )
    .map_err(error)?;
    Ok(())
}

fn docs<T: serde::de::DeserializeOwned>(
    c: &mut impl Sql,
    sql: &'static str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Vec<T>, StoreError> {
    c.query(sql, params)
        .map_err(error)?
        .iter()
        .map(|r| parse(&r.get::<_, String>(0)))
        .collect()
}

/// Every counted item's row.
pub fn load_stock(c: &mut impl Sql) -> Result<ReadModels, StoreError> {
    let mut models = ReadModels::default();
    for s in docs::<StockView>(c, "SELECT doc FROM item_stock", &[])? {
        models.stock.insert(s.item_id.clone(), s);
    }
    Ok(models)
}

/// The rows of one order: its view and its tickets, and the counted items' stock.
pub fn load_order(c: &mut impl Sql, order_id: &str) -> Result<ReadModels, StoreError> {
    let mut models = load_stock(c)?;
    if let Some(view) = order_view(c, order_id)? {
        models.orders.insert(order_id.to_string(), view);
    }
    for t in docs::<TicketView>(
        c,
        "SELECT doc FROM kitchen_tickets WHERE order_id = $1",
        &[&order_id],
    )? {
        models.tickets.insert(t.ticket_id.clone(), t);
    }
    Ok(models)
}

pub fn order_view(c: &mut impl Sql, order_id: &str) -> Result<Option<OrderView>, StoreError> {
    Ok(docs(
        c,
        "SELECT doc FROM order_views WHERE order_id = $1",
        &[&order_id],
    )?
    .pop())
}

/// Writes back `models` over `before` (the rows as loaded; empty for a rebuild), as SQLite's
/// `save` does: views upserted, changed tickets written, dropped ones deleted, popularity added,
/// stock rows replaced.
pub fn save(c: &mut impl Sql, models: &ReadModels, before: &ReadModels) -> Result<(), StoreError> {
    for (id, view) in &models.orders {
        let doc = serde_json::to_string(view).expect("views always serialise");
        c.execute(
            "INSERT INTO order_views (order_id, status, opened_at, position, doc) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id) DO UPDATE SET \
             status = excluded.status, position = excluded.position, doc = excluded.doc",
            &[
                id,
                &view.order.status.as_str(),
                &time(&view.opened_at),
                &view.position,
                &doc,
            ],
        )
        .map_err(error)?;
    }
    for id in before
        .tickets
        .keys()
        .filter(|id| !models.tickets.contains_key(*id))
    {
        c.execute("DELETE FROM kitchen_tickets WHERE ticket_id = $1", &[id])
            .map_err(error)?;
    }
    for (id, t) in &models.tickets {
        if before.tickets.get(id) == Some(t) {
            continue;
        }
        let doc = serde_json::to_string(t).expect("tickets always serialise");
        c.execute(
            "INSERT INTO kitchen_tickets (ticket_id, order_id, status, sent_at, ready_at, doc) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO UPDATE SET \
             status = excluded.status, ready_at = excluded.ready_at, doc = excluded.doc",
            &[
                id,
                &t.order_id,
                &t.queue_status(),
                &time(&t.sent_at),
                &t.ready_at.as_ref().map(time),
                &doc,
            ],
        )
        .map_err(error)?;
    }
    for id in before
        .stock
        .keys()
        .filter(|id| !models.stock.contains_key(*id))
    {
        c.execute("DELETE FROM item_stock WHERE item_id = $1", &[id])
            .map_err(error)?;
    }
    for (id, s) in &models.stock {
        if before.stock.get(id) != Some(s) {
            let doc = serde_json::to_string(s).expect("stock rows serialise");
            c.execute(
                "INSERT INTO item_stock (item_id, doc) VALUES ($1, $2) \
                 ON CONFLICT (item_id) DO UPDATE SET doc = excluded.doc",
                &[id, &doc],
            )
            .map_err(error)?;
        }
    }
    for p in models
        .popularity
        .values()
        .filter(|p| p.quantity != 0 || p.orders != 0)
    {
        c.execute(
            "INSERT INTO item_popularity (item_id, name, quantity, orders) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, \
             quantity = item_popularity.quantity + excluded.quantity, \
             orders = item_popularity.orders + excluded.orders",
            &[&p.item_id, &p.name, &p.quantity, &p.orders],
        )
        .map_err(error)?;
    }
    Ok(())
}

/// The allergens menu item `item_id` had just before log position `position` (see SQLite's).
pub fn menu_allergens_at(
    c: &mut impl Sql,
    item_id: &str,
    position: i64,
) -> Result<Vec<String>, StoreError> {
    let row = c
        .query_opt(
            "SELECT event_type, schema_version, payload, revision FROM events \
             WHERE stream_id = $1 AND position < $2 \
             AND event_type IN ('MenuItemAdded', 'MenuItemChanged', 'MenuItemRemoved') \
             AND coalesce(payload::jsonb ->> 'item_id', payload::jsonb ->> 'id') = $3 \
             ORDER BY revision DESC LIMIT 1",
            &[&crate::domain::menu::MENU_STREAM, &position, &item_id],
        )
        .map_err(error)?;
    let Some(r) = row else {
        return Ok(Vec::new());
    };
    let (event_type, version, payload, revision): (String, i64, String, i64) =
        (r.get(0), r.get(1), r.get(2), r.get(3));
    let version = u32::try_from(version)
        .map_err(|_| StoreError::Corrupt("a menu event has a bad schema version".into()))?;
    let mut models = ReadModels::default();
    models.apply_menu_event(
        &crate::domain::codec::decode_menu(&event_type, version, &payload, revision as u64)?,
        position,
    );
    Ok(models.menu_allergens.remove(item_id).unwrap_or_default())
}

/// Empties every read model (before a rebuild).
pub fn clear(c: &mut impl Sql) -> Result<(), StoreError> {
    c.batch_execute(
        "DELETE FROM order_views; DELETE FROM kitchen_tickets; DELETE FROM item_popularity; \
         DELETE FROM item_stock; DELETE FROM projection_checkpoints;",
    )
    .map_err(error)?;
    Ok(())
}
