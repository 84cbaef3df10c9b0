//! The command line's words: the commands, their arguments and options, as clap reads them.
//! Their names are the contract that scripts and other terminals rely on.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "brigade",
    version,
    about = "Brigade: the restaurant floor and kitchen, event-sourced on one SQLite file",
    after_help = "With no command, opens the waiter's screen."
)]
pub struct Cli {
    /// The database file [env: BRIGADE_DB; default: brigade.db in the platform's data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Who is working (recorded with every event) [env: BRIGADE_STAFF; default: the OS user]
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub actor: Option<String>,
    /// `full` survives a power cut (default); `fast` may lose the last commits on one.
    #[arg(long, global = true, value_enum, default_value = "full")]
    pub durability: DurabilityArg,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DurabilityArg {
    Full,
    Fast,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Make the database ready: a PostgreSQL one (`--db postgres://USER@HOST/DB`) gets
    /// Brigade's schema if empty; a SQLite file is created with the default menu.
    Setup {
        /// PostgreSQL: also create (or update) this login role with a terminal's rights only
        /// (read, and append through Brigade; never update or delete history). Its password
        /// is read from the environment variable BRIGADE_ROLE_PASSWORD.
        #[arg(long, value_name = "NAME")]
        terminal_role: Option<String>,
    },
    /// Read commands as JSON lines on stdin; write one JSON result per line on stdout.
    Exec,
    /// Print a read model as a JSON array.
    Query {
        #[arg(value_enum)]
        what: QueryWhat,
        /// Only this station's lines (kitchen only), e.g. `bar`.
        #[arg(long)]
        station: Option<String>,
    },
    /// An order's audit trail (in a terminal with no flags: the audit screen).
    History {
        order_id: Option<String>,
        /// Print the trail as JSON, each event with the order's state after it.
        #[arg(long)]
        json: bool,
        /// Print the order's state right after this revision.
        #[arg(long, value_name = "REVISION")]
        at: Option<u64>,
        /// Print the trail as text even in a terminal.
        #[arg(long)]
        print: bool,
    },
    /// Print every event as JSON lines (an export).
    Events {
        /// Only events after this global position.
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
    /// Check the hash chain, guards, command records, read models and snapshots (and any
    /// anchors); exit 1 and say where, if anything is wrong.
    Verify {
        /// `POSITION:HASH` from `brigade anchor`: the log must still hold exactly that event
        /// there (repeatable).
        #[arg(long = "anchor", value_name = "POSITION:HASH")]
        anchors: Vec<crate::store::verify::Anchor>,
    },
    /// Print the newest event as POSITION:HASH, to keep away from this machine.
    Anchor,
    /// Rebuild every read model from the events.
    Rebuild,
    /// Menu maintenance.
    Menu {
        #[command(subcommand)]
        action: MenuAction,
    },
    /// Run a deterministic busy service through the ordinary command path.
    Simulate {
        #[arg(long)]
        orders: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many orders are in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrent: usize,
        /// Print one JSON line per acknowledged command.
        #[arg(long)]
        log: bool,
    },
    /// Measure Brigade beside bare SQLite on this machine (see BENCHMARKS.md); runs the
    /// `brigade-bench` binary built beside this one (`brigade bench --help` for its options).
    #[command(disable_help_flag = true)]
    Bench {
        /// Passed to `brigade-bench` as they are.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The kitchen screen.
    Kitchen {
        /// Only this station's lines, e.g. `bar`.
        #[arg(long)]
        station: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum QueryWhat {
    Menu,
    OpenOrders,
    Kitchen,
    Popularity,
}

#[derive(Subcommand, Debug)]
pub enum MenuAction {
    /// Make the menu exactly what FILE lists (adds, changes, removals), in one transaction.
    Import { file: PathBuf },
}
