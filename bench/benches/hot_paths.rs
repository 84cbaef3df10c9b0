//! Criterion benchmarks of Brigade's hot paths, each beside its bare-SQLite floor. Small sizes
//! so that `cargo bench` finishes in minutes; `brigade bench` carries the full sizes and the
//! figures that need separate processes (see BENCHMARKS.md).

use std::path::PathBuf;

use brigade::app::request::Request;
use brigade::app::{Brigade, Config};
use brigade::domain::OrderCommand;
use brigade::projections;
use brigade::store::Durability;
use brigade_bench::{dataset, floor, probes};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join("brigade-criterion");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn fresh(name: &str) -> PathBuf {
    let p = dir().join(name);
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", p.display()));
    }
    p
}

/// One command per transaction, fast durability (the fsync of `full` would only measure the
/// disk), beside one bare insert per transaction.
fn commands(c: &mut Criterion) {
    let mut g = c.benchmark_group("command");
    g.throughput(Throughput::Elements(1));
    let mut config = Config::new(fresh("cmd.db"), "bench");
    config.durability = Durability::Fast;
    let mut b = Brigade::open(&config).unwrap();
    for i in 0..20 {
        b.execute(
            &brigade::app::request::parse_line(&format!(
                r#"{{"type":"OpenOrder","order_id":"c{i}","table":"{i}"}}"#
            ))
            .unwrap(),
        )
        .unwrap();
    }
    let mut i = 0u64;
    g.bench_function("AddItem, decide+append+project", |bench| {
        bench.iter(|| {
            i += 1;
            b.execute(&Request::order(
                &format!("c{}", i % 20),
                OrderCommand::AddItem {
                    item_id: "margherita".into(),
                    quantity: 1,
                    note: None,
                    modifiers: Vec::new(),
                    seat: None,
                    course: None,
                },
            ))
            .unwrap()
        })
    });
    let path = fresh("floor.db");
    g.bench_function("floor: bare insert, one per transaction", |bench| {
        bench.iter_custom(|iters| {
            let start = std::time::Instant::now();
            floor::insert_one_per_transaction(&path, Durability::Fast, iters, 20).unwrap();
            start.elapsed()
        })
    });
    g.finish();
}

/// Replay of a 10,000-event service, beside reading and parsing the same events.
fn replay(c: &mut Criterion) {
    let db = dataset::ensure(&dir(), 10_000, &mut |_| {}).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let events = projections::fold_all(&conn).unwrap().1 as u64;
    let mut g = c.benchmark_group("replay");
    g.sample_size(20);
    g.throughput(Throughput::Elements(events));
    g.bench_function("fold every event into read models", |b| {
        b.iter(|| projections::fold_all(&conn).unwrap())
    });
    g.bench_function("floor: read + parse every event", |b| {
        b.iter(|| floor::read_and_parse(&db).unwrap())
    });
    g.finish();
}

/// The 10,000-event order's audit trail and aggregate, beside reading its stream.
fn long_order(c: &mut Criterion) {
    let db = dataset::ensure(&dir(), 10_000, &mut |_| {}).unwrap();
    let mut config = Config::new(&db, "bench");
    config.seed_menu = false;
    let b = Brigade::open(&config).unwrap();
    let mut g = c.benchmark_group("long order");
    g.sample_size(20);
    g.bench_function("audit trail", |bench| {
        bench.iter(|| {
            let events = b.order_events(dataset::LONG_ORDER).unwrap();
            projections::audit::trail(events).unwrap()
        })
    });
    g.bench_function("aggregate (snapshot + tail)", |bench| {
        bench.iter(|| b.load_order(dataset::LONG_ORDER).unwrap())
    });
    g.bench_function("floor: read + parse the stream", |bench| {
        bench.iter(|| floor::read_stream(&db, dataset::LONG_ORDER).unwrap())
    });
    g.finish();
}

/// The kitchen screen with 200 open tickets at 200×60.
fn render(c: &mut Criterion) {
    c.bench_function("render kitchen, 200 tickets, 200x60", |b| {
        b.iter_custom(|iters| {
            let f = probes::render_kitchen(200, 200, 60, iters as u32);
            std::time::Duration::from_secs_f64(f.value / 1000.0 * iters as f64)
        })
    });
}

criterion_group!(benches, commands, replay, long_order, render);
criterion_main!(benches);
