//! `brigade bench`: the benchmarks of BENCHMARKS.md, on this machine, as a table.

use std::path::PathBuf;

use clap::ValueEnum;

use super::{out, Failure};
use crate::app::{Brigade, Config};
use crate::bench::{self, probes, Figure, Options};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Probe {
    Watch,
    Memory,
}

pub fn run(
    sizes: Vec<u64>,
    commands: u64,
    exec_commands: u64,
    dir: Option<PathBuf>,
    only: Option<String>,
    json: bool,
) -> Result<i32, Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new("BENCH_FAILED", format!("cannot find this executable: {e}")))?;
    let opts = Options {
        dir: dir.unwrap_or_else(|| std::env::temp_dir().join("brigade-bench")),
        sizes,
        commands: commands.max(1),
        exec_commands: exec_commands.max(10),
        exe,
        only,
    };
    if !json {
        out("| figure | size | brigade | floor | ratio | target |")?;
        out("|---|---:|---:|---:|---:|---|")?;
    }
    let mut failure = None;
    bench::run(&opts, &mut |f: &Figure| {
        let line = if json {
            let mut v = serde_json::to_value(f).expect("figures serialise");
            v["ratio"] = serde_json::json!(f.ratio());
            v.to_string()
        } else {
            format!(
                "| {} | {} | {} {} | {} | {} | {} |",
                f.name,
                f.size,
                fmt(f.value),
                f.unit,
                f.floor
                    .map_or("—".into(), |x| format!("{} {}", fmt(x), f.unit)),
                f.ratio()
                    .map_or("—".into(), |r| format!("{:.0}%", r * 100.0)),
                f.target
            )
        };
        if let Err(e) = out(&line) {
            failure = Some(e);
        }
    })?;
    match failure {
        Some(f) => Err(f),
        None => Ok(0),
    }
}

fn fmt(x: f64) -> String {
    if x >= 1000.0 {
        format!("{:.0}", x)
    } else if x >= 10.0 {
        format!("{:.1}", x)
    } else {
        format!("{:.2}", x)
    }
}

pub fn probe(config: &Config, probe: Probe, bare: bool, floor: bool) -> Result<i32, Failure> {
    match probe {
        Probe::Watch => {
            probes::watch(Brigade::open(config)?, bare)?;
            Ok(0)
        }
        Probe::Memory => {
            let core = if floor {
                None
            } else {
                Some(Brigade::open(config)?)
            };
            let mb = probes::memory(&config.db, core)?;
            out(&format!("{mb:.1}"))?;
            Ok(0)
        }
    }
}
