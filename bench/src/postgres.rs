//! The PostgreSQL figures (`brigade bench --db postgres://…`): commands/s and cross-process
//! latency on that server, each beside its bare floor on the same server in the same run.
//!
//! Everything happens in a schema of the run's own (`brigade_bench_<pid>`), dropped at the
//! end: the database may be a restaurant's, and nothing of its data is read or touched. The
//! user needs the right to create a schema there.

use std::path::PathBuf;
use std::time::Instant;

use brigade::app::{AppError, Brigade, Config};
use brigade::store::postgres::raw_client;

use crate::figures::{bench_err, median, Figure, Options};
use crate::floor::{METADATA, PAYLOAD};

/// A schema of the run's own, and the URL that works in it; dropped when done.
pub struct Scratch {
    admin: postgres::Client,
    schema: String,
    pub url: String,
}

impl Scratch {
    pub fn create(url: &str) -> Result<Scratch, AppError> {
        let mut admin = raw_client(url)?;
        let schema = format!("brigade_bench_{}", std::process::id());
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .map_err(bench_err)?;
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}options=-c%20search_path%3D{schema}");
        Ok(Scratch { admin, schema, url })
    }

    pub fn db(&self) -> PathBuf {
        PathBuf::from(&self.url)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self
            .admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

/// Runs the PostgreSQL figures on the database at `url`.
pub fn run(opts: &Options, url: &str, report: &mut dyn FnMut(&Figure)) -> Result<(), AppError> {
    let want = |name: &str| opts.only.as_deref().is_none_or(|o| name.contains(o));
    if want("commands") {
        let scratch = Scratch::create(url)?;
        report(&commands(opts, &scratch)?);
    }
    if want("latency") || want("idle") {
        let scratch = Scratch::create(url)?;
        brigade::app::setup::setup(&Config::new(scratch.db(), "bench"), None)?;
        Brigade::open(&Config::new(scratch.db(), "bench"))?;
        for f in crate::latency::latency(opts, &scratch.db(), " (PostgreSQL)")? {
            report(&f);
        }
    }
    Ok(())
}

/// A service's commands through the ordinary command path, one per transaction, beside as
/// many bare single-row inserts in one transaction each (the server's default durability for
/// both: `synchronous_commit = on`), alternating in five rounds; the medians.
fn commands(opts: &Options, scratch: &Scratch) -> Result<Figure, AppError> {
    let config = Config::new(scratch.db(), "bench");
    brigade::app::setup::setup(&config, None)?;
    let mut b = Brigade::open(&config)?;
    let mut floor = raw_client(&scratch.url)?;
    floor
        .batch_execute(
            "CREATE TABLE floor_events (
                position bigserial PRIMARY KEY, stream_id text NOT NULL,
                stream_type text NOT NULL, revision bigint NOT NULL, event_type text NOT NULL,
                schema_version bigint NOT NULL, payload text NOT NULL, metadata text NOT NULL,
                recorded_at text NOT NULL, hash bytea NOT NULL, UNIQUE (stream_id, revision))",
        )
        .map_err(bench_err)?;
    let insert = floor
        .prepare(
            "INSERT INTO floor_events (stream_id, stream_type, revision, event_type, \
             schema_version, payload, metadata, recorded_at, hash) \
             VALUES ($1, 'order', $2, 'ItemAddedToOrder', 2, $3, $4, $5, $6)",
        )
        .map_err(bench_err)?;
    let rounds = 5;
    let orders = (opts.commands / 9 / rounds).max(1);
    let (mut ours, mut floors, mut total, mut row) = (Vec::new(), Vec::new(), 0, 0u64);
    let hash = [7u8; 32];
    for round in 0..rounds {
        let start = Instant::now();
        let report = brigade::app::simulate::run(&mut b, orders, 11 + round, 12, &mut |_, _| {})?;
        ours.push(report.commands as f64 / start.elapsed().as_secs_f64());
        total += report.commands;
        let start = Instant::now();
        for _ in 0..report.commands {
            let mut tx = floor.transaction().map_err(bench_err)?;
            tx.execute(
                &insert,
                &[
                    &format!("s{}", row % 12),
                    &((row / 12) as i64 + 1),
                    &PAYLOAD,
                    &METADATA,
                    &"2026-11-27T12:00:00.000Z",
                    &&hash[..],
                ],
            )
            .map_err(bench_err)?;
            tx.commit().map_err(bench_err)?;
            row += 1;
        }
        floors.push(report.commands as f64 / start.elapsed().as_secs_f64());
    }
    Ok(Figure {
        name: "commands/s on PostgreSQL, one per transaction".into(),
        size: total,
        value: median(ours),
        floor: Some(median(floors)),
        unit: "/s",
        higher_is_better: true,
        target: "reported",
    })
}
