//! The whole log folded into fresh read models in memory (for a rebuild and the check),
//! reading SQLite's rows as stored and decoding them with the one decoder.

use rusqlite::Connection;

use crate::domain::codec;
use crate::projections::ReadModels;
use crate::store::sqlite::scan_raw;
use crate::store::StoreError;

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
                            models.apply_menu_event(&m, d.position);
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
