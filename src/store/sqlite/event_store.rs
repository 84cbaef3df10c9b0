//! [`EventStore`] on [`SqliteStore`]: appends (retrying a long-held lock), reads of the log and
//! of one stream, command records and sealed snapshots.

use rusqlite::params;

use super::append::command_record;
use super::read::raw_row;
use super::{scan, SqliteStore, EVENT_COLUMNS};
use crate::store::{
    seal, Append, AppendOutcome, CommandRecord, EachStored, EventStore, Position, RecordedEvent,
    Snapshot, StoreError,
};

impl EventStore for SqliteStore {
    fn append(&mut self, append: Append<'_>) -> Result<AppendOutcome, StoreError> {
        // The busy timeout already waits for other writers; a few more rounds cover a writer
        // that holds the lock for very long (a rebuild) without ever surfacing "locked".
        let mut attempts = 0;
        loop {
            match self.try_append(&append) {
                Err(StoreError::Busy) if attempts < 5 => attempts += 1,
                other => return other,
            }
        }
    }

    fn for_each_after(
        &self,
        position: Position,
        each: &mut dyn FnMut(RecordedEvent) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        scan(&self.conn, position, each)
    }

    fn head(&self) -> Result<Position, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(position), 0) FROM events")?
            .query_row([], |r| r.get(0))?)
    }

    fn stream_revision(&self, stream_id: &str) -> Result<u64, StoreError> {
        let rev: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(revision), 0) FROM events WHERE stream_id = ?1")?
            .query_row([stream_id], |r| r.get(0))?;
        Ok(rev as u64)
    }

    fn command_record(&self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        command_record(&self.conn, command_id)
    }

    fn snapshot_at_or_before(
        &self,
        stream_id: &str,
        revision: u64,
    ) -> Result<Option<Snapshot>, StoreError> {
        // Newest first; the first whose seal matches the log as it is now. An edited or
        // unsealed snapshot is passed over (the caller replays instead).
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.revision, s.schema_version, s.state, s.seal, e.hash FROM snapshots s \
             LEFT JOIN events e ON e.stream_id = s.stream_id AND e.revision = s.revision \
             WHERE s.stream_id = ?1 AND s.revision <= ?2 ORDER BY s.revision DESC",
        )?;
        let mut rows = stmt.query(params![stream_id, revision.min(i64::MAX as u64) as i64])?;
        let mut stored = Vec::new();
        while let Some(r) = rows.next()? {
            // A row of the wrong types (written behind the guards' back) is simply not used.
            let (Ok(revision), Ok(schema_version), Ok(state), Ok(seal), Ok(event_hash)) = (
                r.get::<_, i64>(0),
                r.get::<_, u32>(1),
                r.get::<_, String>(2),
                r.get::<_, Option<Vec<u8>>>(3),
                r.get::<_, Option<Vec<u8>>>(4),
            ) else {
                continue;
            };
            stored.push(seal::SealedRow {
                revision,
                schema_version,
                state,
                seal,
                event_hash,
            });
        }
        Ok(seal::first_trusted(stream_id, stored))
    }

    fn fold_stream(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
        each: &mut EachStored<'_>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT revision, event_type, schema_version, payload FROM events \
             WHERE stream_id = ?1 AND revision > ?2 AND revision <= ?3 ORDER BY revision",
        )?;
        let up_to = up_to.min(i64::MAX as u64) as i64;
        let mut rows = stmt.query(params![stream_id, after_revision as i64, up_to])?;
        while let Some(r) = rows.next()? {
            let revision = r.get::<_, i64>(0)? as u64;
            let text = |i: usize| -> Result<&str, StoreError> {
                r.get_ref(i)?
                    .as_str()
                    .map_err(|e| StoreError::Corrupt(format!("column {i} of an event: {e}")))
            };
            let event_type = text(1)?;
            let version = u32::try_from(r.get::<_, i64>(2)?)
                .map_err(|_| StoreError::Corrupt("a bad schema version".into()))?;
            each(revision, event_type, version, text(3)?)?;
        }
        Ok(())
    }

    fn read_stream_until(
        &self,
        stream_id: &str,
        after_revision: u64,
        up_to: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream_id = ?1 AND revision > ?2 \
             AND revision <= ?3 ORDER BY revision"
        ))?;
        let up_to = up_to.min(i64::MAX as u64) as i64;
        let rows = stmt.query_map(params![stream_id, after_revision as i64, up_to], raw_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?.decode()?);
        }
        Ok(out)
    }
}
