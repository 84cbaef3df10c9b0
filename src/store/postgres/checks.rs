//! [`LogChecks`] on [`PgStore`]: the guards (append-only triggers), the hash chain (the shared
//! walk, against the head row's highest position), anchors, snapshots, one consistent view for
//! `verify` (a REPEATABLE READ transaction), the command records against their events (the
//! shared check), and the lock wait.

use std::time::Duration;

use super::{error, PgStore};
use crate::store::checks::{LogChecks, SnapshotRecord};
use crate::store::hash::GENESIS;
use crate::store::verify::anchors::judge;
use crate::store::verify::chain::{ChainRow, ChainWalk};
use crate::store::verify::commands::{CommandCheck, Record, Step};
use crate::store::verify::{Anchor, ChainReport};
use crate::store::{seal, StoreError};

impl LogChecks for PgStore {
    fn missing_guards(&self) -> Result<Vec<String>, StoreError> {
        super::guards::problems(&mut **self.client())
    }

    fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        let mut walk = ChainWalk::default();
        let mut after = 0i64;
        loop {
            let rows = self
                .client()
                .query(
                    "SELECT position, stream_id, stream_type, revision, event_type, \
                     schema_version, payload, metadata, recorded_at, hash FROM events \
                     WHERE position > $1 ORDER BY position LIMIT 5000",
                    &[&after],
                )
                .map_err(error)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let hash: Vec<u8> = r.get(9);
                walk.push(&ChainRow {
                    position: r.get(0),
                    stream_id: r.get(1),
                    stream_type: r.get(2),
                    revision: r.get(3),
                    event_type: r.get(4),
                    schema_version: r.get(5),
                    payload: r.get(6),
                    metadata: r.get(7),
                    recorded_at: r.get(8),
                    hash: &hash,
                });
                after = r.get(0);
            }
        }
        // The head row remembers the highest position written: a shorter log lost its tail.
        let highest: i64 = self
            .client()
            .query_one("SELECT position FROM brigade_head WHERE id = 1", &[])
            .map_err(error)?
            .get(0);
        Ok(walk.finish(Some(highest)))
    }

    fn check_anchor(&self, anchor: &Anchor) -> Result<Option<String>, StoreError> {
        if anchor.position == 0 {
            return Ok((anchor.hash != GENESIS)
                .then(|| format!("anchor {anchor}: position 0 has only the all-zero hash")));
        }
        let stored: Option<Vec<u8>> = self
            .client()
            .query_opt(
                "SELECT hash FROM events WHERE position = $1",
                &[&anchor.position],
            )
            .map_err(error)?
            .map(|r| r.get(0));
        Ok(judge(anchor, stored))
    }

    fn head_anchor(&self) -> Result<Anchor, StoreError> {
        let newest = self
            .client()
            .query_opt(
                "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1",
                &[],
            )
            .map_err(error)?;
        Ok(match newest {
            Some(r) => {
                let position: i64 = r.get(0);
                let hash: Vec<u8> = r.get(1);
                Anchor {
                    position,
                    hash: hash.try_into().map_err(|_| {
                        StoreError::Corrupt(format!(
                            "event {position} has a hash of the wrong size"
                        ))
                    })?,
                }
            }
            None => Anchor {
                position: 0,
                hash: GENESIS,
            },
        })
    }

    fn check_command_records(&self) -> Result<Vec<String>, StoreError> {
        let mut lookup = |id: &str| -> Result<Option<Record>, StoreError> {
            Ok(self
                .client()
                .query_opt(
                    "SELECT stream_id, position, result FROM commands WHERE command_id = $1",
                    &[&id],
                )
                .map_err(error)?
                .map(|r| Record {
                    stream_id: r.get(0),
                    position: r.get(1),
                    result: r.get(2),
                }))
        };
        let mut check = CommandCheck::default();
        let mut after = 0i64;
        loop {
            let rows = self
                .client()
                .query(
                    "SELECT position, stream_id, stream_type, revision, event_type, payload, \
                     metadata, recorded_at FROM events WHERE position > $1 \
                     ORDER BY position LIMIT 5000",
                    &[&after],
                )
                .map_err(error)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                after = r.get(0);
                let step = Step {
                    position: r.get(0),
                    stream_id: r.get(1),
                    stream_type: r.get(2),
                    revision: r.get(3),
                    event_type: r.get(4),
                    payload: r.get(5),
                    metadata: r.get(6),
                    recorded_at: r.get(7),
                };
                check.push(step, &mut lookup)?;
            }
        }
        let ids: Vec<String> = self
            .client()
            .query("SELECT command_id FROM commands ORDER BY command_id", &[])
            .map_err(error)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        check.finish(&mut lookup, ids)
    }

    fn snapshot_records(&self) -> Result<Vec<SnapshotRecord>, StoreError> {
        let rows = self
            .client()
            .query(
                "SELECT s.stream_id, s.revision, s.schema_version, s.state, s.seal, e.hash \
                 FROM snapshots s LEFT JOIN events e \
                 ON e.stream_id = s.stream_id AND e.revision = s.revision \
                 ORDER BY s.stream_id, s.revision",
                &[],
            )
            .map_err(error)?;
        rows.iter()
            .map(|r| {
                let seal_bytes: Option<Vec<u8>> = r.get(4);
                let event_hash: Option<Vec<u8>> = r.get(5);
                let schema_version = u32::try_from(r.get::<_, i64>(2))
                    .map_err(|_| StoreError::Corrupt("a snapshot's version".into()))?;
                let state: String = r.get(3);
                let unsealed = seal_bytes.is_some()
                    && !seal::seal_matches(
                        seal_bytes.as_deref(),
                        event_hash.as_deref(),
                        schema_version,
                        &state,
                    );
                Ok(SnapshotRecord {
                    stream_id: r.get(0),
                    revision: r.get::<_, i64>(1) as u64,
                    schema_version,
                    state,
                    unsealed,
                })
            })
            .collect()
    }

    fn consistently<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        // Every read inside sees one snapshot of the database.
        self.client()
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .map_err(error)?;
        // A connection lost inside is not replaced: the reads after it fail instead.
        self.in_snapshot.set(true);
        let out = f();
        self.in_snapshot.set(false);
        let _ = self.client().batch_execute("ROLLBACK");
        Ok(out)
    }

    fn set_busy_timeout(&self, wait: Duration) -> Result<(), StoreError> {
        self.lock_timeout.set(Some(wait));
        self.client()
            .batch_execute(&super::lock_timeout_sql(wait))
            .map_err(error)
    }
}
