//! [`EventStore`] on [`PgStore`]: appends (see [`super::append`]), reads of the log and of one
//! stream, command records and sealed snapshots — the same answers SQLite's store gives.

use postgres::Row;

use super::{error, PgStore};
use crate::store::stored::RawEvent;
use crate::store::{
    seal, Append, AppendOutcome, CommandRecord, EventStore, Position, RecordedEvent, Snapshot,
    StoreError,
};

use super::sql::Sql;

/// The columns of an event, in [`raw`]'s order.
macro_rules! columns {
    () => {
        "position, stream_id, stream_type, revision, event_type, schema_version, \
         payload, metadata, recorded_at"
    };
}

/// How many events one read of the log fetches.
const PAGE: i64 = 1000;

/// A row of `events` (in [`columns`]' order). A column whose type is not the schema's (the
/// table altered by hand) is `DB_CORRUPT`, not a panic.
fn raw(r: &Row) -> Result<RawEvent, StoreError> {
    fn col<'a, T: postgres::types::FromSql<'a>>(r: &'a Row, i: usize) -> Result<T, StoreError> {
        r.try_get(i)
            .map_err(|e| StoreError::Corrupt(format!("the events table is not Brigade's ({e})")))
    }
    Ok(RawEvent {
        position: col(r, 0)?,
        stream_id: col(r, 1)?,
        stream_type: col(r, 2)?,
        revision: col(r, 3)?,
        event_type: col(r, 4)?,
        schema_version: col(r, 5)?,
        payload: col(r, 6)?,
        metadata: col(r, 7)?,
        recorded_at: col(r, 8)?,
    })
}

/// Up to `limit` events after `position`, in order and not yet decoded, read through `c` (the
/// store's connection, or a transaction that must see what it locked).
pub fn events_after(
    c: &mut impl Sql,
    position: Position,
    limit: i64,
) -> Result<Vec<RawEvent>, StoreError> {
    c.query(
        concat!(
            "SELECT ",
            columns!(),
            " FROM events WHERE position > $1 ORDER BY position LIMIT $2"
        ),
        &[&position, &limit],
    )
    .map_err(error)?
    .iter()
    .map(raw)
    .collect()
}

impl EventStore for PgStore {
    fn append(&mut self, append: Append<'_>) -> Result<AppendOutcome, StoreError> {
        self.append_retrying(&append)
    }

    fn for_each_after(
        &self,
        position: Position,
        each: &mut dyn FnMut(RecordedEvent) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        // Page by position: positions are gap-free and appear in commit order, so "after the
        // last one seen" never skips an event.
        let mut after = position;
        loop {
            let events = events_after(&mut *self.client(), after, PAGE)?;
            let full = events.len() as i64 == PAGE;
            for e in events {
                let e = e.decode()?;
                after = e.position;
                if !each(e)? {
                    return Ok(());
                }
            }
            if !full {
                return Ok(());
            }
        }
    }

    fn head(&self) -> Result<Position, StoreError> {
        Ok(self
            .client()
            .query_one("SELECT position FROM brigade_head WHERE id = 1", &[])
            .map_err(error)?
            .get(0))
    }

    fn stream_revision(&self, stream_id: &str) -> Result<u64, StoreError> {
        let rev: i64 = self
            .client()
            .query_one(
                "SELECT coalesce(max(revision), 0)::bigint FROM events WHERE stream_id = $1",
                &[&stream_id],
            )
            .map_err(error)?
            .get(0);
        Ok(rev as u64)
    }

    fn command_record(&self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                "SELECT result, fingerprint FROM commands WHERE command_id = $1",
                &[&command_id],
            )
            .map_err(error)?
            .map(|r| CommandRecord {
                result: r.get(0),
                fingerprint: r.get(1),
            }))
    }

    fn snapshot_at_or_before(
        &self,
        stream_id: &str,
        revision: u64,
    ) -> Result<Option<Snapshot>, StoreError> {
        // Newest first; the first whose seal matches the log as it is now.
        let rows = self
            .client()
            .query(
                "SELECT s.revision, s.schema_version, s.state, s.seal, e.hash FROM snapshots s \
                 LEFT JOIN events e ON e.stream_id = s.stream_id AND e.revision = s.revision \
                 WHERE s.stream_id = $1 AND s.revision <= $2 ORDER BY s.revision DESC",
                &[&stream_id, &(revision.min(i64::MAX as u64) as i64)],
            )
            .map_err(error)?;
        let stored = rows.iter().filter_map(|r| {
            Some(seal::SealedRow {
                revision: r.get(0),
                schema_version: u32::try_from(r.get::<_, i64>(1)).ok()?,
                state: r.get(2),
                seal: r.get(3),
                event_hash: r.get(4),
            })
        });
        Ok(seal::first_trusted(stream_id, stored))
    }

    fn read_stream_until(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let rows = self
            .client()
            .query(
                concat!(
                    "SELECT ",
                    columns!(),
                    " FROM events WHERE stream_id = $1 AND revision > $2 \
                     AND revision <= $3 ORDER BY revision"
                ),
                &[
                    &stream_id,
                    &(after_revision as i64),
                    &(up_to.min(i64::MAX as u64) as i64),
                ],
            )
            .map_err(error)?;
        rows.iter().map(|r| raw(r)?.decode()).collect()
    }
}
