//! `brigade events`, `verify`, `anchor`, `rebuild` and `menu import`.

use std::path::Path;

use serde_json::json;

use super::{out, Failure};
use crate::app::{menu_file, Brigade};
use crate::store::verify::Anchor;

pub fn events(brigade: &Brigade, after: i64) -> Result<i32, Failure> {
    let mut failure = None;
    brigade.for_each_event(after, &mut |e| {
        // An unreadable payload is damage to report, never `"payload": null`.
        let payload: serde_json::Value = serde_json::from_str(&e.payload).map_err(|err| {
            crate::store::StoreError::Corrupt(format!(
                "the event at position {} has an unreadable payload ({err})",
                e.position
            ))
        })?;
        let line = json!({
            "position": e.position,
            "stream_id": e.stream_id,
            "stream_type": e.stream_type,
            "revision": e.revision,
            "type": e.event_type,
            "schema_version": e.stored_version,
            "recorded_at": e.recorded_at,
            "payload": payload,
            "metadata": e.metadata,
        });
        match super::json_line(line.to_string()) {
            Ok(()) => Ok(true),
            Err(f) => {
                failure = Some(f);
                Ok(false)
            }
        }
    })?;
    match failure {
        Some(f) if f.exit != 0 => Err(f),
        _ => Ok(0),
    }
}

pub fn verify(brigade: &Brigade, anchors: &[Anchor]) -> Result<i32, Failure> {
    let report = brigade.verify(anchors)?;
    let problems = report.problems;
    for note in &report.notes {
        out(&format!("note: {note}"))?;
    }
    if problems.is_empty() {
        let anchored = match anchors.len() {
            0 => String::new(),
            n => format!(", {n} anchor(s) hold"),
        };
        let compared = "command records, read models and snapshots match the log";
        out(&format!(
            "ok: {} events, hash chain intact{anchored}, guards in place, {compared}",
            report.events
        ))?;
        return Ok(0);
    }
    for p in &problems {
        out(&format!("BROKEN {p}"))?;
    }
    Err(Failure::new(
        "VERIFY_FAILED",
        format!("{} problem(s); the first: {}", problems.len(), problems[0]),
    ))
}

/// `brigade anchor`: the newest event as `POSITION:HASH`, one line.
pub fn anchor(brigade: &Brigade) -> Result<i32, Failure> {
    out(&brigade.anchor()?.to_string())?;
    Ok(0)
}

pub fn rebuild(brigade: &mut Brigade) -> Result<i32, Failure> {
    let stats = brigade.rebuild()?;
    out(&json!({"ok": true, "events": stats.events, "orders": stats.orders, "tickets": stats.tickets}).to_string())?;
    Ok(0)
}

pub fn import_menu(brigade: &mut Brigade, file: &Path) -> Result<i32, Failure> {
    let text = crate::app::bounded_file::read_text(file, crate::app::bounded_file::MENU_FILE_MAX)?;
    let file = menu_file::parse(&text)?;
    let written = brigade.import_menu(&file)?;
    out(&json!({"ok": true, "items": file.items.len(), "events": written}).to_string())?;
    Ok(0)
}
