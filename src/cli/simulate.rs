//! `brigade simulate --orders N [--seed S]`: a deterministic busy service.

use std::time::Instant;

use serde_json::json;

use super::{out, Failure};
use crate::app::{simulate, Brigade};

pub fn run(
    brigade: &mut Brigade,
    orders: u64,
    seed: u64,
    concurrent: usize,
    log: bool,
) -> Result<i32, Failure> {
    let started = Instant::now();
    let mut failure: Option<Failure> = None;
    let report = simulate::run(brigade, orders, seed, concurrent, &mut |request, result| {
        if !log || failure.is_some() {
            return;
        }
        let line = match result {
            Ok(o) => json!({"command_id": request.command_id, "ok": true,
                            "order_id": o.order_id(), "revision": o.revision()}),
            Err(e) => json!({"command_id": request.command_id, "ok": false, "error": e.to_json()}),
        };
        if let Err(f) = super::json_line(line.to_string()) {
            failure = Some(f);
        }
    })?;
    if let Some(f) = failure {
        return Err(f);
    }
    let secs = started.elapsed().as_secs_f64();
    out(&json!({
        "ok": true,
        "orders": report.orders,
        "commands": report.commands,
        "duplicates": report.duplicates,
        "rejected": report.rejected,
        "seconds": (secs * 1000.0).round() / 1000.0,
        "commands_per_second": ((report.commands as f64 / secs.max(1e-9)) * 10.0).round() / 10.0,
    })
    .to_string())?;
    Ok(0)
}
