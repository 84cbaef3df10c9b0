//! `brigade setup`: a database made ready. A PostgreSQL database (`postgres://…`) gets
//! Brigade's schema when it is empty (idempotent; anything else is refused), and optionally a
//! terminal's least-privilege role; a SQLite path is created with its schema and the default
//! menu, as any command would.

use serde::Serialize;

use super::{AppError, Brigade, Config};
use crate::store::postgres::{self, PgStore};

/// What setup found and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupOutcome {
    pub ok: bool,
    pub backend: &'static str,
    /// The database, as it may be shown (never a password).
    pub database: String,
    /// The schema was created now (false: it was already there).
    pub created: bool,
    /// The terminal role made ready, if one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal_role: Option<String>,
}

/// Whether `config`'s database is a PostgreSQL URL.
pub fn is_postgres(config: &Config) -> bool {
    config.db.to_str().is_some_and(postgres::is_url)
}

/// Makes the database ready; on PostgreSQL, also the terminal role `(name, password)` asked.
pub fn setup(
    config: &Config,
    terminal_role: Option<(String, String)>,
) -> Result<SetupOutcome, AppError> {
    if let Some(url) = config.db.to_str().filter(|d| postgres::is_url(d)) {
        let (mut store, created) = PgStore::setup(url)?;
        // The read models start at this build's version (empty, so nothing to fold).
        crate::projections::ReadModelStore::upgrade_read_models(&mut store, &mut |_| {})?;
        if let Some((name, password)) = &terminal_role {
            store.grant_terminal_role(name, password)?;
        }
        return Ok(SetupOutcome {
            ok: true,
            backend: "postgres",
            database: store.shown().to_string(),
            created,
            terminal_role: terminal_role.map(|(name, _)| name),
        });
    }
    if terminal_role.is_some() {
        return Err(AppError::invalid(
            "INVALID_FIELD",
            "--terminal-role is for a PostgreSQL database (a SQLite file has no roles)",
        ));
    }
    let existed = config.db.exists();
    Brigade::open(config)?;
    Ok(SetupOutcome {
        ok: true,
        backend: "sqlite",
        database: config.db.display().to_string(),
        created: !existed,
        terminal_role: None,
    })
}
