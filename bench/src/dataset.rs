//! Benchmark databases: a service of at least N events written through the ordinary command
//! path (`simulate`, with fast durability to build it quickly), a few tickets still in the
//! kitchen, and one long order ("a bar tab") with 10,000 events. Built once per size and reused.

use std::path::{Path, PathBuf};

use brigade::app::request::parse_line;
use brigade::app::{simulate, AppError, Brigade, Config};
use brigade::store::{Durability, EventStore};

/// The id of the order with 10,000 events.
pub const LONG_ORDER: &str = "tab";
pub const LONG_ORDER_EVENTS: u64 = 10_000;
/// Orders left in the kitchen at the end of the service.
pub const OPEN_TICKETS: u64 = 30;

/// Bumped when the dataset's recipe changes, so that stale files are rebuilt.
const RECIPE: u32 = 5;

/// The path of the dataset with `events` events in `dir`, building it if needed.
pub fn ensure(dir: &Path, events: u64, log: &mut dyn FnMut(&str)) -> Result<PathBuf, AppError> {
    std::fs::create_dir_all(dir).map_err(|e| AppError::invalid("BENCH_IO", e.to_string()))?;
    let path = dir.join(format!("service-{events}.db"));
    let marker = dir.join(format!("service-{events}.ok{RECIPE}"));
    if path.exists() && marker.exists() {
        return Ok(path);
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    log(&format!(
        "building a {events}-event database at {} …",
        path.display()
    ));
    let mut config = Config::new(&path, "bench");
    config.durability = Durability::Fast;
    config.terminal = "bench".into();
    let mut b = Brigade::open(&config)?;
    long_order(&mut b)?;
    let mut seed = 1;
    while (b.store().head()? as u64) < events {
        let left = events - b.store().head()? as u64;
        let orders = (left / 9).clamp(1, 20_000);
        simulate::run(&mut b, orders, seed, 12, &mut |_, _| {})?;
        seed += 1;
    }
    for i in 0..OPEN_TICKETS {
        let lines = format!(
            r#"{{"type":"OpenOrder","order_id":"k{i}","table":"{t}","covers":2}}
{{"type":"AddItem","order_id":"k{i}","item_id":"margherita","quantity":2,"note":"no basil"}}
{{"type":"AddItem","order_id":"k{i}","item_id":"lemonade","quantity":1}}
{{"type":"PlaceOrder","order_id":"k{i}"}}"#,
            t = 1 + i % 30
        );
        for line in lines.lines() {
            b.execute(&parse_line(line)?)?;
        }
    }
    std::fs::write(&marker, b"ok").map_err(|e| AppError::invalid("BENCH_IO", e.to_string()))?;
    Ok(path)
}

/// One order with [`LONG_ORDER_EVENTS`] events: items added and taken off again, all evening.
fn long_order(b: &mut Brigade) -> Result<(), AppError> {
    b.execute(&parse_line(
        r#"{"type":"OpenOrder","order_id":"tab","table":"bar"}"#,
    )?)?;
    let mut revision = 1;
    while revision < LONG_ORDER_EVENTS {
        let added = b.execute(&parse_line(
            r#"{"type":"AddItem","order_id":"tab","item_id":"lager","quantity":1}"#,
        )?)?;
        revision = added.revision();
        if revision < LONG_ORDER_EVENTS && revision % 100 != 0 {
            let line = added.line_id().unwrap_or_default().to_string();
            revision = b
                .execute(&parse_line(&format!(
                    r#"{{"type":"RemoveItem","order_id":"tab","line_id":"{line}"}}"#
                ))?)?
                .revision();
        }
    }
    Ok(())
}
