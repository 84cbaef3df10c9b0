//! The figures of BENCHMARKS.md, each measured beside its floor (bare rusqlite doing the same
//! I/O on a file with the same settings, in the same run) and reported as a ratio, since these
//! machines are noisy. Nothing here is a test: no figure is asserted anywhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use crate::{dataset, floor, latency, probes};

use brigade::app::{AppError, Brigade, Config};
use brigade::projections;
use brigade::store::Durability;

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    /// The size it was measured at (events in the database, or commands run).
    pub size: u64,
    pub value: f64,
    pub floor: Option<f64>,
    pub unit: &'static str,
    /// True when more is better (rates); false for times and sizes.
    pub higher_is_better: bool,
    pub target: &'static str,
}

impl Figure {
    /// Brigade's share of the floor (1.0 = as fast as bare SQLite).
    pub fn ratio(&self) -> Option<f64> {
        let floor = self.floor?;
        Some(if self.higher_is_better {
            self.value / floor
        } else {
            floor / self.value
        })
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    /// Sizes (events) of the databases for the read-side figures.
    pub sizes: Vec<u64>,
    /// Commands for the one-command-per-transaction figures.
    pub commands: u64,
    /// Commands fed to `brigade exec`.
    pub exec_commands: u64,
    /// The `brigade` executable (for the figures that need a separate process).
    pub exe: PathBuf,
    /// The `brigade-bench` executable (for the probes that run in a process of their own).
    pub probe_exe: PathBuf,
    pub only: Option<String>,
}

pub fn bench_err(e: impl std::fmt::Display) -> AppError {
    AppError::invalid("BENCH_FAILED", e.to_string())
}

pub fn fresh(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Runs every figure (or those whose name contains `only`), calling `report` for each.
pub fn run(opts: &Options, report: &mut dyn FnMut(&Figure)) -> Result<(), AppError> {
    let want = |name: &str| opts.only.as_deref().is_none_or(|o| name.contains(o));
    std::fs::create_dir_all(&opts.dir).map_err(bench_err)?;
    let mut log = |s: &str| eprintln!("{s}");
    if want("commands") {
        for (durability, name) in [
            (
                Durability::Full,
                "commands/s, one per transaction, durability full (default, strictest)",
            ),
            (
                Durability::Fast,
                "commands/s, one per transaction, durability fast",
            ),
        ] {
            report(&commands(opts, durability, name)?);
        }
    }
    if want("exec") {
        report(&exec_batch(opts)?);
    }
    for &size in &opts.sizes {
        let needs_data = ["rebuild", "replay", "cold", "audit", "aggregate", "memory"]
            .iter()
            .any(|n| want(n));
        if !needs_data {
            break;
        }
        let db = dataset::ensure(&opts.dir, size, &mut log)?;
        if want("rebuild") || want("replay") {
            for f in rebuild(&db, size)? {
                report(&f);
            }
        }
        if want("cold") {
            for f in cold_start(opts, &db, size)? {
                report(&f);
            }
        }
        if want("audit") || want("aggregate") {
            for f in long_order(&db, size)? {
                report(&f);
            }
        }
        if want("memory") {
            report(&memory(opts, &db, size)?);
        }
    }
    if want("latency") || want("idle") {
        let path = fresh(&opts.dir, "latency.db");
        Brigade::open(&Config::new(&path, "bench"))?;
        for f in latency::latency(opts, &path, "")? {
            report(&f);
        }
    }
    if want("render") {
        report(&probes::render_kitchen(200, 200, 60, 300));
        report(&probes::render_kitchen_modifiers(200, 200, 60, 300));
    }
    Ok(())
}

/// A service's commands (open, add, send, start, bump, serve, pay; a few voids and
/// cancellations), a dozen orders in flight at once, one command per transaction, through the
/// ordinary command path; beside as many bare single-row transactions. The two alternate in
/// five rounds (fsync times on shared machines drift), and the medians are reported.
fn commands(opts: &Options, durability: Durability, name: &str) -> Result<Figure, AppError> {
    let path = fresh(&opts.dir, "commands.db");
    let floor_path = fresh(&opts.dir, "floor-insert.db");
    let mut config = Config::new(&path, "bench");
    config.durability = durability;
    let mut b = Brigade::open(&config)?;
    let rounds = 5;
    // About nine commands an order.
    let orders = (opts.commands / 9 / rounds).max(1);
    let (mut ours, mut floors, mut total) = (Vec::new(), Vec::new(), 0);
    for round in 0..rounds {
        let start = Instant::now();
        let report = brigade::app::simulate::run(&mut b, orders, 11 + round, 12, &mut |_, _| {})?;
        ours.push(report.commands as f64 / start.elapsed().as_secs_f64());
        total += report.commands;
        floors.push(
            floor::insert_one_per_transaction(&floor_path, durability, report.commands, 12)
                .map_err(bench_err)?,
        );
    }
    Ok(Figure {
        name: name.into(),
        size: total,
        value: median(ours),
        floor: Some(median(floors)),
        unit: "/s",
        higher_is_better: true,
        target: ">= 60% of floor",
    })
}

/// `brigade exec` fed `exec_commands` commands on stdin, at the default durability.
fn exec_batch(opts: &Options) -> Result<Figure, AppError> {
    let n = opts.exec_commands;
    let orders = (n / 10).max(1);
    let mut input = String::with_capacity(n as usize * 90);
    for i in 0..orders {
        input.push_str(&format!(
            "{{\"type\":\"OpenOrder\",\"order_id\":\"x{i}\",\"table\":\"{}\"}}\n",
            1 + i % 40
        ));
    }
    for i in 0..n - orders {
        input.push_str(&format!(
            "{{\"type\":\"AddItem\",\"order_id\":\"x{}\",\"item_id\":\"fries\",\"quantity\":1}}\n",
            i % orders
        ));
    }
    let path = fresh(&opts.dir, "exec.db");
    // Create the database (and its menu) first; only the commands are timed.
    Brigade::open(&Config::new(&path, "bench"))?;
    let input_path = opts.dir.join("exec-input.jsonl");
    std::fs::write(&input_path, &input).map_err(bench_err)?;
    let start = Instant::now();
    let out = Command::new(&opts.exe)
        .arg("--db")
        .arg(&path)
        .arg("exec")
        .stdin(std::fs::File::open(&input_path).map_err(bench_err)?)
        .stdout(Stdio::null())
        .status()
        .map_err(bench_err)?;
    let secs = start.elapsed().as_secs_f64();
    if !out.success() {
        return Err(bench_err("brigade exec failed"));
    }
    let floor_path = fresh(&opts.dir, "floor-exec.db");
    let floor = floor::insert_one_per_transaction(&floor_path, Durability::Full, n, orders)
        .map_err(bench_err)?;
    Ok(Figure {
        name: "brigade exec: commands/s from stdin (durability full)".into(),
        size: n,
        value: n as f64 / secs,
        floor: Some(floor),
        unit: "/s",
        higher_is_better: true,
        target: ">= 50% of floor",
    })
}

/// Replay (the fold of every event into fresh read models, in memory) and rebuild (the same,
/// then the read models written back in one transaction), each beside reading every event and
/// parsing its JSON with bare rusqlite + serde_json.
fn rebuild(db: &Path, size: u64) -> Result<Vec<Figure>, AppError> {
    let copy = db.with_extension("rebuild.db");
    std::fs::copy(db, &copy).map_err(bench_err)?;
    let mut conn = rusqlite::Connection::open(&copy).map_err(bench_err)?;
    let mut replay = Vec::new();
    let mut rebuild = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let (models, head) = projections::fold_all(&conn)?;
        replay.push(head as f64 / start.elapsed().as_secs_f64());
        drop(models);
        let start = Instant::now();
        let stats = projections::rebuild(&mut conn)?;
        rebuild.push(stats.events as f64 / start.elapsed().as_secs_f64());
        floor.push(floor::read_and_parse(&copy).map_err(bench_err)?.1);
    }
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    let floor = median(floor);
    Ok(vec![
        Figure {
            name: "replay every event into fresh read models (in memory): events/s".into(),
            size,
            value: median(replay),
            floor: Some(floor),
            unit: "/s",
            higher_is_better: true,
            target: ">= 1,000,000/s and >= 50% of floor",
        },
        Figure {
            name: "rebuild: replay + write the read models back: events/s".into(),
            size,
            value: median(rebuild),
            floor: Some(floor),
            unit: "/s",
            higher_is_better: true,
            target: ">= 1,000,000/s and >= 50% of floor",
        },
    ])
}

fn time_process(cmd: &mut Command) -> Result<f64, AppError> {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(bench_err)?;
    if !status.success() {
        return Err(bench_err(format!("{cmd:?} failed")));
    }
    Ok(start.elapsed().as_secs_f64())
}

fn cold_start(opts: &Options, db: &Path, size: u64) -> Result<Vec<Figure>, AppError> {
    let runs = 7;
    let mut query = Vec::new();
    let mut frame = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..runs {
        query.push(time_process(
            Command::new(&opts.exe)
                .arg("--db")
                .arg(db)
                .args(["query", "kitchen"]),
        )?);
        // The real kitchen screen, quitting after its first frame.
        if let Some(mut kitchen) = latency::kitchen_in_pty(opts, db) {
            frame.push(time_process(
                kitchen
                    .env("BRIGADE_EXIT_AFTER_FIRST_FRAME", "1")
                    .stdin(Stdio::null()),
            )?);
        }
        floor.push(floor::open_and_read_kitchen(db).map_err(bench_err)?);
    }
    let floor = median(floor) * 1000.0;
    let mut out = vec![Figure {
        name: "cold start: `brigade query kitchen`, process start to output".into(),
        size,
        value: median(query) * 1000.0,
        floor: Some(floor),
        unit: "ms",
        higher_is_better: false,
        target: "< 150 ms",
    }];
    if !frame.is_empty() {
        out.push(Figure {
            name: "cold start: `brigade kitchen`, process start to first frame (in a pty)".into(),
            size,
            value: median(frame) * 1000.0,
            floor: Some(floor),
            unit: "ms",
            higher_is_better: false,
            target: "< 150 ms",
        });
    }
    Ok(out)
}

fn long_order(db: &Path, size: u64) -> Result<Vec<Figure>, AppError> {
    let mut config = Config::new(db, "bench");
    config.seed_menu = false;
    let b = Brigade::open(&config)?;
    let mut trail = Vec::new();
    let mut aggregate = Vec::new();
    let mut floor = Vec::new();
    let mut window = Vec::new();
    let mut window_floor = Vec::new();
    let w = brigade::tui::history::WINDOW;
    let head = dataset::LONG_ORDER_EVENTS as i64;
    for _ in 0..7 {
        let start = Instant::now();
        std::hint::black_box(b.audit_latest(dataset::LONG_ORDER, w)?);
        window.push(start.elapsed().as_secs_f64());
        window_floor.push(
            floor::read_stream_range(db, dataset::LONG_ORDER, head - w as i64 + 1, head)
                .map_err(bench_err)?,
        );
        let start = Instant::now();
        let events = b.order_events(dataset::LONG_ORDER)?;
        let entries = projections::audit::trail(events)?;
        std::hint::black_box(entries);
        trail.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        std::hint::black_box(b.load_order(dataset::LONG_ORDER)?);
        aggregate.push(start.elapsed().as_secs_f64());
        floor.push(floor::read_stream(db, dataset::LONG_ORDER).map_err(bench_err)?);
    }
    let floor = median(floor) * 1000.0;
    Ok(vec![
        Figure {
            name: format!(
                "audit screen of a {}-event order: its newest {w} entries (+ state before them)",
                dataset::LONG_ORDER_EVENTS
            ),
            size,
            value: median(window) * 1000.0,
            floor: Some(median(window_floor) * 1000.0),
            unit: "ms",
            higher_is_better: false,
            target: "< 10 ms",
        },
        Figure {
            name: format!(
                "audit trail of a {}-event order, whole: load + summarise",
                dataset::LONG_ORDER_EVENTS
            ),
            size,
            value: median(trail) * 1000.0,
            floor: Some(floor),
            unit: "ms",
            higher_is_better: false,
            target: "< 10 ms",
        },
        Figure {
            name: format!(
                "aggregate of a {}-event order: snapshot + tail",
                dataset::LONG_ORDER_EVENTS
            ),
            size,
            value: median(aggregate) * 1000.0,
            floor: Some(floor),
            unit: "ms",
            higher_is_better: false,
            target: "< 10 ms",
        },
    ])
}

fn memory(opts: &Options, db: &Path, size: u64) -> Result<Figure, AppError> {
    let run = |floor: bool| -> Result<f64, AppError> {
        let mut cmd = Command::new(&opts.probe_exe);
        cmd.args(["probe", "memory", "--db"]).arg(db);
        if floor {
            cmd.arg("--floor");
        }
        let out = cmd.output().map_err(bench_err)?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<f64>()
            .map_err(|_| bench_err(String::from_utf8_lossy(&out.stderr).to_string()))
    };
    Ok(Figure {
        name: "peak memory of a UI process (kitchen + history screens drawn)".into(),
        size,
        value: run(false)?,
        floor: Some(run(true)?),
        unit: "MB",
        higher_is_better: false,
        target: "< 100 MB",
    })
}
