//! Reading and writing the read models' rows. Documents are stored as JSON beside the columns
//! that queries filter and sort on.

use rusqlite::{params, Connection, OptionalExtension};

use crate::projections::models::{OrderView, ReadModels, TicketView};
use crate::projections::rows::{parse, time};
use crate::projections::StockView;
use crate::store::StoreError;

/// The name of the read models' checkpoint (they move together, in one transaction).
pub const CHECKPOINT: &str = "read_models";

pub fn checkpoint(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT position FROM projection_checkpoints WHERE name = ?1")?
        .query_row([CHECKPOINT], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub fn set_checkpoint(conn: &Connection, position: i64) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO projection_checkpoints (name, position) VALUES (?1, ?2) \
         ON CONFLICT (name) DO UPDATE SET position = excluded.position",
    )?
    .execute(params![CHECKPOINT, position])?;
    Ok(())
}

/// Every counted item's row (a handful: only items the kitchen counts).
pub fn load_stock(conn: &Connection) -> Result<ReadModels, StoreError> {
    let mut models = ReadModels::default();
    let mut stmt = conn.prepare_cached("SELECT doc FROM item_stock")?;
    let docs = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for doc in docs {
        let s: StockView = parse(&doc?)?;
        models.stock.insert(s.item_id.clone(), s);
    }
    Ok(models)
}

/// The rows of one order: its view and its tickets, and the counted items' stock.
pub fn load_order(conn: &Connection, order_id: &str) -> Result<ReadModels, StoreError> {
    let mut models = load_stock(conn)?;
    if let Some(view) = order_view(conn, order_id)? {
        models.orders.insert(order_id.to_string(), view);
    }
    let mut stmt = conn.prepare_cached("SELECT doc FROM kitchen_tickets WHERE order_id = ?1")?;
    let docs = stmt.query_map([order_id], |r| r.get::<_, String>(0))?;
    for doc in docs {
        let t: TicketView = parse(&doc?)?;
        models.tickets.insert(t.ticket_id.clone(), t);
    }
    Ok(models)
}

pub fn order_view(conn: &Connection, order_id: &str) -> Result<Option<OrderView>, StoreError> {
    let doc: Option<String> = conn
        .prepare_cached("SELECT doc FROM order_views WHERE order_id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?;
    doc.map(|d| parse(&d)).transpose()
}

/// Writes back `models` over `before` (the rows as they were loaded, empty for a rebuild):
/// each order's view is upserted, tickets are written only when they changed, an order's
/// tickets are dropped when it is closed, and popularity changes are added to what is stored.
///
/// With `fresh` (a rebuild into empty tables, whose unique indexes are built afterwards) rows
/// are plainly inserted.
pub fn save(
    conn: &Connection,
    models: &ReadModels,
    before: &ReadModels,
    fresh: bool,
) -> Result<(), StoreError> {
    let upsert = |sql: &str, conflict: &str| {
        if fresh {
            sql.to_string()
        } else {
            format!("{sql} {conflict}")
        }
    };
    let mut put_order = conn.prepare_cached(&upsert(
        "INSERT INTO order_views (order_id, status, opened_at, position, doc) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        "ON CONFLICT (order_id) DO UPDATE SET \
         status = excluded.status, position = excluded.position, doc = excluded.doc",
    ))?;
    let mut drop_ticket =
        conn.prepare_cached("DELETE FROM kitchen_tickets WHERE ticket_id = ?1")?;
    // In key order: the unique index then grows at its end instead of splitting pages.
    let mut orders: Vec<(&String, &OrderView)> = models.orders.iter().collect();
    orders.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut put = |id: &str, view: &OrderView, doc: String| {
        put_order.execute(params![
            id,
            view.order.status.as_str(),
            time(&view.opened_at),
            view.position,
            doc,
        ])
    };
    if orders.len() < 4096 {
        for (id, view) in orders {
            put(
                id,
                view,
                serde_json::to_string(view).expect("views always serialise"),
            )?;
        }
    } else {
        // Many rows (a rebuild): another thread writes the documents while this one stores
        // them, in batches.
        const BATCH: usize = 512;
        std::thread::scope(|scope| -> Result<(), StoreError> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<String>>(4);
            let views: Vec<&OrderView> = orders.iter().map(|(_, v)| *v).collect();
            scope.spawn(move || {
                for chunk in views.chunks(BATCH) {
                    let docs = chunk
                        .iter()
                        .map(|v| serde_json::to_string(v).expect("views always serialise"))
                        .collect();
                    if tx.send(docs).is_err() {
                        return;
                    }
                }
            });
            for (chunk, docs) in orders.chunks(BATCH).zip(rx) {
                for ((id, view), doc) in chunk.iter().zip(docs) {
                    put(id, view, doc)?;
                }
            }
            Ok(())
        })?;
    }
    for (id, t) in &before.tickets {
        if !models.tickets.contains_key(id) {
            drop_ticket.execute([&t.ticket_id])?;
        }
    }
    let mut put_ticket = conn.prepare_cached(&upsert(
        "INSERT INTO kitchen_tickets (ticket_id, order_id, status, sent_at, ready_at, doc) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        "ON CONFLICT (ticket_id) DO UPDATE SET \
         status = excluded.status, ready_at = excluded.ready_at, doc = excluded.doc",
    ))?;
    for (id, t) in &models.tickets {
        if before.tickets.get(id) == Some(t) {
            continue;
        }
        put_ticket.execute(params![
            t.ticket_id,
            t.order_id,
            t.queue_status(),
            time(&t.sent_at),
            t.ready_at.as_ref().map(time),
            serde_json::to_string(t).expect("tickets always serialise"),
        ])?;
    }
    for id in before.stock.keys() {
        if !models.stock.contains_key(id) {
            conn.prepare_cached("DELETE FROM item_stock WHERE item_id = ?1")?
                .execute([id])?;
        }
    }
    for (id, s) in &models.stock {
        if before.stock.get(id) != Some(s) {
            conn.prepare_cached(
                "INSERT INTO item_stock (item_id, doc) VALUES (?1, ?2) \
                 ON CONFLICT (item_id) DO UPDATE SET doc = excluded.doc",
            )?
            .execute(params![
                id,
                serde_json::to_string(s).expect("stock rows serialise")
            ])?;
        }
    }
    let mut add_popularity = conn.prepare_cached(
        "INSERT INTO item_popularity (item_id, name, quantity, orders) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, \
         quantity = quantity + excluded.quantity, orders = orders + excluded.orders",
    )?;
    for p in models.popularity.values() {
        if p.quantity != 0 || p.orders != 0 {
            add_popularity.execute(params![p.item_id, p.name, p.quantity, p.orders])?;
        }
    }
    Ok(())
}

/// The allergens menu item `item_id` had just before log position `position`: those of its
/// newest `MenuItemAdded` / `MenuItemChanged` there (none once removed). The same answer as
/// folding the menu's events up to that point, read from the menu's stream alone.
pub fn menu_allergens_at(
    conn: &Connection,
    item_id: &str,
    position: i64,
) -> Result<Vec<String>, StoreError> {
    let row: Option<(String, i64, String, i64)> = conn
        .prepare_cached(
            "SELECT event_type, schema_version, payload, revision FROM events \
             WHERE stream_id = ?1 AND position < ?2 \
             AND event_type IN ('MenuItemAdded', 'MenuItemChanged', 'MenuItemRemoved') \
             AND coalesce(json_extract(payload, '$.item_id'), json_extract(payload, '$.id')) = ?3 \
             ORDER BY revision DESC LIMIT 1",
        )?
        .query_row(
            params![crate::domain::menu::MENU_STREAM, position, item_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((event_type, version, payload, revision)) = row else {
        return Ok(Vec::new());
    };
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
pub fn clear(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "DELETE FROM order_views; DELETE FROM kitchen_tickets; DELETE FROM item_popularity; \
         DELETE FROM item_stock; DELETE FROM projection_checkpoints;",
    )?;
    Ok(())
}
