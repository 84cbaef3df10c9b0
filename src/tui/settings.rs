//! The screens' settings: the kitchen's age thresholds. Defaults live in `assets/config.json`;
//! a `brigade.json` beside the database (or the file `BRIGADE_CONFIG` names) overrides them,
//! and `BRIGADE_WARN_MINUTES` / `BRIGADE_LATE_MINUTES` override that.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::app::Thresholds;
use crate::app::bounded_file::CONFIG_FILE_MAX;
use crate::app::AppError;

/// The defaults, built in.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.json");

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    kitchen: Kitchen,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Kitchen {
    warn_minutes: Option<i64>,
    late_minutes: Option<i64>,
}

/// Where the settings file is for a database: `BRIGADE_CONFIG`, else `brigade.json` beside a
/// database file (`db` is `None` for a server's: then in this machine's data directory).
pub fn path_for(db: Option<&Path>) -> PathBuf {
    match (
        std::env::var_os("BRIGADE_CONFIG").filter(|p| !p.is_empty()),
        db,
    ) {
        (Some(p), _) => PathBuf::from(p),
        (None, Some(db)) => db.with_file_name("brigade.json"),
        (None, None) => dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("brigade")
            .join("brigade.json"),
    }
}

fn parse(text: &str, origin: &str) -> Result<File, AppError> {
    serde_json::from_str(text).map_err(|e| {
        AppError::invalid(
            "CONFIG_INVALID",
            format!("{origin}: {e} (expected {{\"kitchen\": {{\"warn_minutes\": 5, \"late_minutes\": 8}}}})"),
        )
    })
}

/// The kitchen's thresholds for the database file at `db` (`None`: a server's). A settings file that exists but does not
/// read, or minutes outside 1..=600, is an error (the screen does not start on a guess).
pub fn thresholds(db: Option<&Path>) -> Result<Thresholds, AppError> {
    let path = path_for(db);
    // A settings file named on purpose and not there is a mistake to say, not to guess past.
    if std::env::var_os("BRIGADE_CONFIG").is_some_and(|p| !p.is_empty()) && !path.exists() {
        return Err(AppError::invalid(
            "CONFIG_INVALID",
            format!(
                "BRIGADE_CONFIG names {}, which does not exist",
                crate::display::safe(&path.display().to_string())
            ),
        ));
    }
    thresholds_from(&path)
}

/// Like [`thresholds`], with the settings file at `path` (if it exists; at most
/// `CONFIG_FILE_MAX` bytes, else `FILE_TOO_LARGE`).
pub fn thresholds_from(path: &Path) -> Result<Thresholds, AppError> {
    let defaults = parse(DEFAULT_CONFIG, "built-in defaults")?;
    let mut warn = defaults.kitchen.warn_minutes.unwrap_or(5);
    let mut late = defaults.kitchen.late_minutes.unwrap_or(8);
    if path.exists() {
        let shown = crate::display::safe(&path.display().to_string()).into_owned();
        let text =
            crate::app::bounded_file::read_text(path, CONFIG_FILE_MAX).map_err(|e| {
                match e.code() {
                    "FILE_TOO_LARGE" => e,
                    _ => AppError::invalid("CONFIG_INVALID", format!("{shown}: {}", e.message())),
                }
            })?;
        let file = parse(&text, &shown)?;
        warn = file.kitchen.warn_minutes.unwrap_or(warn);
        late = file.kitchen.late_minutes.unwrap_or(late);
    }
    for (key, value) in [
        ("BRIGADE_WARN_MINUTES", &mut warn),
        ("BRIGADE_LATE_MINUTES", &mut late),
    ] {
        if let Ok(v) = std::env::var(key) {
            *value = v.trim().parse().map_err(|_| {
                AppError::invalid(
                    "CONFIG_INVALID",
                    format!("{key} must be a whole number of minutes"),
                )
            })?;
        }
    }
    for (name, minutes) in [("warn_minutes", warn), ("late_minutes", late)] {
        if !(1..=600).contains(&minutes) {
            return Err(AppError::invalid(
                "CONFIG_INVALID",
                format!("{name} must be between 1 and 600, not {minutes}"),
            ));
        }
    }
    if late < warn {
        return Err(AppError::invalid(
            "CONFIG_INVALID",
            format!("late_minutes ({late}) must not be less than warn_minutes ({warn})"),
        ));
    }
    Ok(Thresholds {
        warn: warn * 60,
        late: late * 60,
    })
}
