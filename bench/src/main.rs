//! `brigade-bench`: the benchmarks of BENCHMARKS.md, on this machine, as a table (or JSON
//! lines). `brigade bench …` runs this binary when it sits beside `brigade`; the probes that
//! must run in a process of their own are its hidden `probe` subcommand.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use brigade::app::{AppError, Brigade, Config};
use brigade_bench::figures::{self, Figure, Options};
use brigade_bench::probes;

#[derive(Parser, Debug)]
#[command(
    name = "brigade-bench",
    version,
    about = "Measure Brigade beside bare SQLite on this machine (see BENCHMARKS.md)"
)]
struct Args {
    /// Database sizes (events) for the read-side figures, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000u64, 100_000])]
    sizes: Vec<u64>,
    /// Commands for the one-command-per-transaction figures.
    #[arg(long, default_value_t = 2_000)]
    commands: u64,
    /// Commands fed to `brigade exec`.
    #[arg(long, default_value_t = 10_000)]
    exec_commands: u64,
    /// Where the benchmark databases go (reused between runs).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Only the figures whose name contains this (commands, exec, rebuild, cold, audit,
    /// aggregate, memory, latency, idle, render).
    #[arg(long)]
    only: Option<String>,
    /// One JSON object per figure instead of a table.
    #[arg(long)]
    json: bool,
    /// The `brigade` binary to measure (default: the one beside this binary).
    #[arg(long)]
    brigade: Option<PathBuf>,
    /// A PostgreSQL database (`postgres://…`) to measure instead of SQLite: commands/s and
    /// cross-process latency beside bare PostgreSQL on the same server, in a schema of the
    /// run's own that is dropped afterwards (nothing else in the database is touched).
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    #[command(subcommand)]
    probe: Option<ProbeCommand>,
}

#[derive(Subcommand, Debug)]
enum ProbeCommand {
    /// Parts of the benchmarks that run in a process of their own.
    #[command(hide = true)]
    Probe {
        #[arg(value_enum)]
        probe: Probe,
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        bare: bool,
        #[arg(long)]
        floor: bool,
    },
}

/// A failure: one line on stderr, `brigade-bench: CODE: message`, and exit status 1.
struct Failure(String);

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure(format!("{}: {}", e.code(), e.message()))
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match &args.probe {
        Some(ProbeCommand::Probe {
            probe,
            db,
            bare,
            floor,
        }) => probe_run(db, *probe, *bare, *floor),
        None => run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(line)) => {
            eprintln!("brigade-bench: {line}");
            ExitCode::FAILURE
        }
    }
}

/// Writes a line to stdout; a closed pipe ends the run quietly.
fn out(line: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{line}").and_then(|_| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure(format!("OUTPUT_CLOSED: {e}"))),
        Ok(()) => Ok(()),
    }
}

fn run(args: &Args) -> Result<(), Failure> {
    let probe_exe = std::env::current_exe()
        .map_err(|e| Failure(format!("BENCH_FAILED: cannot find this executable: {e}")))?;
    let exe = match &args.brigade {
        Some(p) => p.clone(),
        None => probe_exe.with_file_name(format!("brigade{}", std::env::consts::EXE_SUFFIX)),
    };
    if !exe.is_file() {
        return Err(Failure(format!(
            "BENCH_FAILED: no brigade binary at {} (build it with `cargo build --release --workspace`, or pass --brigade PATH)",
            exe.display()
        )));
    }
    let opts = Options {
        dir: args
            .dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("brigade-bench")),
        sizes: args.sizes.clone(),
        commands: args.commands.max(1),
        exec_commands: args.exec_commands.max(10),
        exe,
        probe_exe,
        only: args.only.clone(),
    };
    let json = args.json;
    if !json {
        out("| figure | size | brigade | floor | ratio | target |")?;
        out("|---|---:|---:|---:|---:|---|")?;
    }
    let mut failure = None;
    let mut report = |f: &Figure| {
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
    };
    match &args.db {
        Some(url) if brigade::store::postgres::is_url(url) => {
            brigade_bench::postgres::run(&opts, url, &mut report)?
        }
        Some(other) => {
            return Err(Failure(format!(
                "BENCH_FAILED: --db takes a postgres:// URL, not {other} (the SQLite figures use scratch files in --dir)"
            )))
        }
        None => figures::run(&opts, &mut report)?,
    }
    match failure {
        Some(f) => Err(f),
        None => Ok(()),
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

fn probe_run(db: &std::path::Path, probe: Probe, bare: bool, floor: bool) -> Result<(), Failure> {
    let mut config = Config::new(db, "bench");
    config.terminal = "bench".into();
    config.seed_menu = false;
    match probe {
        Probe::Watch => {
            probes::watch(Brigade::open(&config)?, db, bare)?;
            Ok(())
        }
        Probe::Memory => {
            let core = if floor {
                None
            } else {
                Some(Brigade::open(&config)?)
            };
            let mb = probes::memory(&config.db, core)?;
            out(&format!("{mb:.1}"))
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Probe {
    Watch,
    Memory,
}
