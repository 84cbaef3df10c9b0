//! The command line: the contract that scripts, tests and other terminals rely on.
//!
//! Every failure prints one line to stderr (`brigade: CODE: message`) and exits non-zero;
//! nothing is half-written (each command is one transaction).

mod args;
mod bench;
mod checks;
mod exec;
mod history;
mod maintenance;
mod query;
mod simulate;
mod watchdog;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::app::{AppError, Brigade, Config};
use crate::store::Durability;
pub use args::{Cli, Command, DurabilityArg, MenuAction, QueryWhat};

/// A CLI failure: its code, its sentence and its exit status.
#[derive(Debug)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub exit: i32,
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure {
            code: e.code().to_string(),
            message: e.message(),
            exit: 1,
        }
    }
}

impl Failure {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Failure {
            code: code.to_string(),
            message: message.into(),
            exit: 1,
        }
    }
}

/// Where the database is when `--db` is not given.
pub fn default_db() -> PathBuf {
    if let Some(p) = std::env::var_os("BRIGADE_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let dir = dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("brigade");
    dir.join("brigade.db")
}

/// Who is working, when `--as` is not given: `BRIGADE_STAFF`, else the OS user (from the
/// environment, else the password database), else "staff".
pub fn default_actor() -> String {
    ["BRIGADE_STAFF", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .or_else(os_user)
        .unwrap_or_else(|| "staff".to_string())
}

/// The name of the user running this process, from /etc/passwd (Unix).
#[cfg(unix)]
fn os_user() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid().to_string();
    // Bounded like every file Brigade reads.
    crate::app::bounded_file::read_text(std::path::Path::new("/etc/passwd"), 4 << 20)
        .ok()?
        .lines()
        .find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)? == uid).then(|| name.to_string())
        })
}

#[cfg(not(unix))]
fn os_user() -> Option<String> {
    None
}

pub fn config(cli: &Cli, terminal: &str) -> Result<Config, Failure> {
    let db = match &cli.db {
        Some(p) => p.clone(),
        None => {
            let p = default_db();
            if let Some(dir) = p.parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        Failure::new(
                            "DB_OPEN_FAILED",
                            format!("cannot create {}: {e}", dir.display()),
                        )
                    })?;
                }
            }
            p
        }
    };
    let actor = checks::actor(cli)?;
    let mut config = Config::new(db, actor);
    config.terminal = terminal.to_string();
    config.durability = match cli.durability {
        DurabilityArg::Full => Durability::Full,
        DurabilityArg::Fast => Durability::Fast,
    };
    Ok(config)
}

pub fn open(cli: &Cli, terminal: &str) -> Result<Brigade, Failure> {
    let _watch = watching(cli, false)?.map(watchdog::Watchdog::armed);
    Ok(Brigade::open(&config(cli, terminal)?)?)
}

/// On a server, a watchdog (disarmed) that ends the process when a call armed on it never
/// returns: the server hangs (see [`watchdog`]). `json`: also say so as `exec`'s JSON line.
fn watching(cli: &Cli, json: bool) -> Result<Option<watchdog::Watchdog>, Failure> {
    let db = cli.db.clone().unwrap_or_else(default_db);
    let db = db.to_string_lossy();
    let limit = watchdog::limit()?;
    Ok(crate::store::postgres::is_url(&db)
        .then(|| watchdog::Watchdog::start(crate::store::postgres::shown_url(&db), limit, json)))
}

/// Opens an existing database for inspection (`verify`, `events`, `history`), read-only: a
/// mistyped path is an error, not a new empty database, and nothing is written.
pub fn open_existing(cli: &Cli, terminal: &str) -> Result<Brigade, Failure> {
    let _watch = watching(cli, false)?.map(watchdog::Watchdog::armed);
    let mut config = config(cli, terminal)?;
    if !crate::app::setup::is_postgres(&config) && !config.db.exists() {
        return Err(Failure::new(
            "DB_NOT_FOUND",
            format!(
                "there is no database at {}",
                crate::display::safe(&config.db.display().to_string())
            ),
        ));
    }
    config.seed_menu = false;
    Ok(Brigade::open_read_only(&config)?)
}

/// Opens the database for a read-only command that may also start a new one (`query`): an
/// existing file is opened read-only (never written); a missing one is created as usual.
pub fn open_for_reading(cli: &Cli, terminal: &str) -> Result<Brigade, Failure> {
    let _watch = watching(cli, false)?.map(watchdog::Watchdog::armed);
    let config = config(cli, terminal)?;
    if crate::app::setup::is_postgres(&config) || config.db.exists() {
        Ok(Brigade::open_read_only(&config)?)
    } else {
        Ok(Brigade::open(&config)?)
    }
}

/// Runs the parsed command line; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match dispatch(&cli).map_err(|f| locate(&cli, f)) {
        Ok(code) => code,
        // A reader that went away (`| head`) is not an error worth a line.
        Err(f) if f.exit == 0 => 0,
        Err(f) => {
            eprintln!(
                "brigade: {}: {}",
                f.code,
                crate::display::safe(&f.message.replace('\n', " "))
            );
            f.exit
        }
    }
}

/// A damaged database is named in the message: which file, besides where in it.
fn locate(cli: &Cli, mut f: Failure) -> Failure {
    if f.code == "DB_CORRUPT" {
        let db = cli.db.clone().unwrap_or_else(default_db);
        let db = db.to_string_lossy();
        // A server's URL may hold a password: it is shown without.
        let db = match crate::store::postgres::is_url(&db) {
            true => crate::store::postgres::shown_url(&db),
            false => db.into_owned(),
        };
        f.message = format!("{db}: {}", f.message);
    }
    f
}

fn dispatch(cli: &Cli) -> Result<i32, Failure> {
    let interactive = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    match &cli.command {
        None => {
            if interactive {
                let watch = watching(cli, false)?.map(watchdog::Watchdog::armed);
                Ok(crate::tui::run(
                    open(cli, "waiter")?,
                    crate::tui::Start::Waiter,
                    || drop(watch),
                )?)
            } else {
                query::summary(&open(cli, "cli")?)
            }
        }
        Some(Command::Bench { args }) => {
            let db = cli
                .db
                .clone()
                .or_else(|| std::env::var_os("BRIGADE_DB").map(PathBuf::from));
            bench::run(db.as_deref(), args)
        }
        Some(Command::Setup { terminal_role }) => {
            let role = match terminal_role {
                None => None,
                Some(name) => {
                    let password = std::env::var("BRIGADE_ROLE_PASSWORD")
                        .ok()
                        .filter(|p| !p.is_empty())
                        .ok_or_else(|| {
                            Failure::new(
                                "MISSING_FIELD",
                                "--terminal-role needs its password in BRIGADE_ROLE_PASSWORD",
                            )
                        })?;
                    Some((name.clone(), password))
                }
            };
            let outcome = crate::app::setup::setup(&config(cli, "setup")?, role)?;
            json_out(&outcome)?;
            Ok(0)
        }
        Some(Command::Kitchen { station }) => {
            // Until the screen watches the database itself: a server that hangs ends it.
            let watch = watching(cli, false)?.map(watchdog::Watchdog::armed);
            let mut brigade = open(cli, "kitchen")?;
            checks::station_known(&mut brigade, station.as_deref(), true)?;
            Ok(crate::tui::run(
                brigade,
                crate::tui::Start::Kitchen {
                    station: station.clone(),
                },
                || drop(watch),
            )?)
        }
        Some(Command::Exec) => {
            // On a server, a command that never returns (the server hangs) ends the process.
            let mut brigade = open(cli, "exec")?;
            exec::run(&mut brigade, watching(cli, true)?.as_ref())
        }
        Some(Command::Query { what, station }) => {
            checks::station_applies(*what, station.as_deref());
            let mut brigade = open_for_reading(cli, "cli")?;
            checks::station_known(&mut brigade, station.as_deref(), false)?;
            query::run(&mut brigade, *what, station.as_deref())
        }
        Some(Command::History {
            order_id,
            json,
            at,
            print,
        }) => {
            if interactive && !json && at.is_none() && !print {
                // The screens can switch to the waiter's and take commands: not read-only.
                let watch = watching(cli, false)?.map(watchdog::Watchdog::armed);
                open_existing(cli, "history")?;
                return Ok(crate::tui::run(
                    open(cli, "history")?,
                    crate::tui::Start::History {
                        order_id: order_id.clone(),
                    },
                    || drop(watch),
                )?);
            }
            history::run(
                &open_existing(cli, "history")?,
                order_id.as_deref(),
                *json,
                *at,
            )
        }
        Some(Command::Events { after }) => maintenance::events(&open_existing(cli, "cli")?, *after),
        Some(Command::Verify { anchors }) => {
            maintenance::verify(&open_existing(cli, "cli")?, anchors)
        }
        Some(Command::Anchor) => maintenance::anchor(&open_existing(cli, "cli")?),
        Some(Command::Rebuild) => maintenance::rebuild(&mut open(cli, "cli")?),
        Some(Command::Menu {
            action: MenuAction::Import { file },
        }) => maintenance::import_menu(&mut open(cli, "cli")?, file),
        Some(Command::Simulate {
            orders,
            seed,
            concurrent,
            log,
        }) => simulate::run(
            &mut open(cli, "simulate")?,
            *orders,
            *seed,
            *concurrent,
            *log,
        ),
    }
}

/// Writes a line to stdout; a closed pipe (`| head`) ends the command quietly.
pub(crate) fn out(line: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|_| stdout.flush())
        .map_err(|e| Failure {
            code: "OUTPUT_CLOSED".into(),
            message: e.to_string(),
            exit: if e.kind() == std::io::ErrorKind::BrokenPipe {
                0
            } else {
                1
            },
        })
}

pub(crate) fn json_out<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    json_line(serde_json::to_string_pretty(value).expect("read models always serialise"))
}

/// Writes JSON text, with the controls serde_json leaves raw escaped (see `display::json_safe`).
pub(crate) fn json_line(text: String) -> Result<(), Failure> {
    out(&crate::display::json_safe(text))
}
