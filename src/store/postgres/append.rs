//! Appending on PostgreSQL: the shared append ([`append_logic`](crate::store::append_logic))
//! inside one READ COMMITTED transaction that first locks the `brigade_head` row. Every read
//! the append makes (the command id, the stream's revision) comes after that lock, so writers
//! are serialised and positions are handed out in commit order with no gaps. A listener is
//! woken by `NOTIFY brigade_log` at commit.

use super::sql::{Sql, Tx};

use super::{error, PgStore};
use crate::store::append_logic::{self, AppendTx, EventRow, Head};
use crate::store::{Append, AppendOutcome, CommandRecord, RecordedEvent, Snapshot, StoreError};

/// The channel a commit notifies.
pub const CHANNEL: &str = "brigade_log";

/// How many times an append the server gave up on (deadlock, serialization) is tried again.
const RETRIES: usize = 8;

impl PgStore {
    pub(super) fn append_retrying(&mut self, a: &Append<'_>) -> Result<AppendOutcome, StoreError> {
        let mut attempt = 0;
        loop {
            match self.try_append(a) {
                Err(StoreError::Retry(_)) if attempt < RETRIES => attempt += 1,
                other => return other,
            }
        }
    }

    fn try_append(&mut self, a: &Append<'_>) -> Result<AppendOutcome, StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().map_err(error)?;
        let row = tx
            .query_one(
                "SELECT position, hash, recorded_at FROM brigade_head WHERE id = 1 FOR UPDATE",
                &[],
            )
            .map_err(error)?;
        let head = Head {
            position: row.get(0),
            hash: row.get(1),
            recorded_at: row.get(2),
        };
        let projector = self.projector.as_deref();
        let outcome = append_logic::append(
            &mut PgTx {
                tx: &mut tx,
                head,
                projector,
            },
            a,
        )?;
        if let AppendOutcome::Appended { events, .. } = &outcome {
            if let Some(last) = events.last() {
                tx.execute(
                    "SELECT pg_notify($1, $2)",
                    &[&CHANNEL, &last.position.to_string()],
                )
                .map_err(error)?;
            }
            tx.commit().map_err(error)?;
        }
        Ok(outcome)
    }
}

/// The append's transaction, the head already locked.
struct PgTx<'a, 't> {
    tx: &'a mut Tx<'t>,
    head: Head,
    projector: Option<&'a dyn super::PgProjector>,
}

impl AppendTx for PgTx<'_, '_> {
    fn command_record(&mut self, command_id: &str) -> Result<Option<CommandRecord>, StoreError> {
        Ok(self
            .tx
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

    fn stream_revision(&mut self, stream_id: &str) -> Result<u64, StoreError> {
        let rev: i64 = self
            .tx
            .query_one(
                "SELECT coalesce(max(revision), 0)::bigint FROM events WHERE stream_id = $1",
                &[&stream_id],
            )
            .map_err(error)?
            .get(0);
        Ok(rev as u64)
    }

    fn head(&mut self) -> Result<Option<Head>, StoreError> {
        Ok((self.head.position > 0).then(|| Head {
            position: self.head.position,
            hash: self.head.hash.clone(),
            recorded_at: self.head.recorded_at.clone(),
        }))
    }

    fn insert_event(&mut self, e: &EventRow<'_>) -> Result<usize, StoreError> {
        let n = self
            .tx
            .execute(
                "INSERT INTO events (position, stream_id, stream_type, revision, event_type, \
                 schema_version, payload, metadata, recorded_at, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &e.position,
                    &e.stream_id,
                    &e.stream_type,
                    &e.revision,
                    &e.event_type,
                    &e.schema_version,
                    &e.payload,
                    &e.metadata,
                    &e.recorded_at,
                    &e.hash,
                ],
            )
            .map_err(error)?;
        Ok(n as usize)
    }

    fn project(&mut self, events: &[RecordedEvent]) -> Result<(), StoreError> {
        match self.projector {
            Some(p) => p.project(self.tx, events),
            None => Ok(()),
        }
    }

    fn insert_command(
        &mut self,
        command_id: &str,
        fingerprint: &str,
        stream_id: &str,
        position: i64,
        result: &str,
    ) -> Result<usize, StoreError> {
        let n = self
            .tx
            .execute(
                "INSERT INTO commands (command_id, fingerprint, stream_id, position, result) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[&command_id, &fingerprint, &stream_id, &position, &result],
            )
            .map_err(error)?;
        Ok(n as usize)
    }

    fn event_hash_at(&mut self, stream_id: &str, revision: u64) -> Result<Vec<u8>, StoreError> {
        Ok(self
            .tx
            .query_one(
                "SELECT hash FROM events WHERE stream_id = $1 AND revision = $2",
                &[&stream_id, &(revision as i64)],
            )
            .map_err(error)?
            .get(0))
    }

    fn insert_snapshot(&mut self, s: &Snapshot, seal: &[u8]) -> Result<(), StoreError> {
        // A snapshot already stored at that revision is kept (never replaced): the key makes
        // the second insert a no-op. Events are never inserted this way.
        self.tx
            .execute(
                "INSERT INTO snapshots (stream_id, revision, schema_version, state, seal) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (stream_id, revision) DO NOTHING",
                &[
                    &s.stream_id,
                    &(s.revision as i64),
                    &(s.schema_version as i64),
                    &s.state,
                    &seal,
                ],
            )
            .map_err(error)?;
        Ok(())
    }

    fn set_head(&mut self, head: &Head) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE brigade_head SET position = $1, hash = $2, recorded_at = $3 WHERE id = 1",
                &[&head.position, &head.hash, &head.recorded_at],
            )
            .map_err(error)?;
        Ok(())
    }
}
