//! Checks of the command line that clap cannot make: `--station` only where it means
//! something and only for a station that exists, and a worker's name (`--as`,
//! `BRIGADE_STAFF`, the OS user) without control characters, refused naming where it came from.

use clap::CommandFactory;

use super::{Cli, Failure, QueryWhat};
use crate::app::Brigade;

/// `--station` is for `query kitchen` (and `brigade kitchen`): elsewhere it is a usage error
/// (clap's message, exit status 2), since silently ignoring it would answer another question.
pub fn station_applies(what: QueryWhat, station: Option<&str>) {
    if station.is_some() && !matches!(what, QueryWhat::Kitchen) {
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--station only applies to `brigade query kitchen` (and `brigade kitchen`)",
            )
            .exit();
    }
}

/// A station must be one the menu or a ticket in the kitchen names (`STATION_NOT_FOUND`);
/// `expo` (the expeditor's screen) is one for `brigade kitchen`.
pub fn station_known(
    brigade: &mut Brigade,
    station: Option<&str>,
    expo_allowed: bool,
) -> Result<(), Failure> {
    let Some(station) = station else {
        return Ok(());
    };
    if expo_allowed && station == crate::domain::menu::EXPO_STATION {
        return Ok(());
    }
    let mut known: Vec<String> = brigade
        .menu()?
        .items
        .iter()
        .map(|i| i.station.clone())
        .collect();
    for ticket in brigade.kitchen(None)? {
        known.push(ticket.station);
    }
    known.sort();
    known.dedup();
    if known.iter().any(|s| s == station) {
        return Ok(());
    }
    Err(Failure::new(
        "STATION_NOT_FOUND",
        format!(
            "there is no station {:?}; stations: {}{}",
            station.chars().take(40).collect::<String>(),
            known.join(", "),
            if expo_allowed { ", expo" } else { "" }
        ),
    ))
}

/// Who is working, and where that name came from: `--as`, else `BRIGADE_STAFF`, else the OS
/// user. A name that is empty, longer than 40 characters or holds control characters is
/// refused (`INVALID_ACTOR`), naming its source.
pub fn actor(cli: &Cli) -> Result<String, Failure> {
    let (name, source) = match &cli.actor {
        Some(a) => (a.clone(), "--as".to_string()),
        None => ["BRIGADE_STAFF", "USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| {
                std::env::var(k)
                    .ok()
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v, k.to_string()))
            })
            .unwrap_or_else(|| (super::default_actor(), "the OS user".to_string())),
    };
    let name = name.trim().to_string();
    if name.chars().any(char::is_control) {
        return Err(Failure::new(
            "INVALID_ACTOR",
            format!("the name from {source} holds control characters"),
        ));
    }
    if name.is_empty() || name.chars().count() > 40 {
        return Err(Failure::new(
            "INVALID_ACTOR",
            format!("{source} takes a name of 1 to 40 characters"),
        ));
    }
    Ok(name)
}
