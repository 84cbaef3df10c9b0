//! The command-id records: what makes a retried command return its first result instead of
//! applying twice. Each record must match the events it names (the stream, the last position,
//! and the result built from them), every event carrying a command id must have its record,
//! and one command id must name one append (one run of consecutive events of one stream, at
//! one time; two: it was applied twice).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::Value;

use crate::display::safe;
use crate::store::StoreError;

/// A stored command record.
pub struct Record {
    pub stream_id: String,
    pub position: i64,
    pub result: String,
}

/// One event as the check reads it (in position order), with its metadata as stored.
pub struct Step {
    pub position: i64,
    pub stream_id: String,
    pub stream_type: String,
    pub revision: i64,
    pub event_type: String,
    pub payload: String,
    pub metadata: String,
    pub recorded_at: String,
}

/// Looks a command id's record up.
pub type Lookup<'a> = dyn FnMut(&str) -> Result<Option<Record>, StoreError> + 'a;

/// The check, the same for every backend: fed every event in position order (and a way to look
/// records up), then every record's id, it says what does not match.
#[derive(Default)]
pub struct CommandCheck {
    problems: Vec<String>,
    seen: HashMap<String, i64>,
    run: Option<(String, Vec<Step>)>,
}

impl CommandCheck {
    pub fn push(&mut self, step: Step, lookup: &mut Lookup<'_>) -> Result<(), StoreError> {
        let id = serde_json::from_str::<CommandIdOnly>(&step.metadata)
            .ok()
            .and_then(|m| m.command_id);
        let position = step.position;
        // One append: consecutive positions, one stream, one time.
        let continues = matches!((&self.run, &id), (Some((cur, steps)), Some(id))
            if cur == id && steps.last().is_some_and(|s| s.position + 1 == position
                && s.stream_id == step.stream_id && s.recorded_at == step.recorded_at));
        if !continues {
            if let Some((cur, steps)) = self.run.take() {
                finish(&cur, &steps, lookup, &mut self.seen, &mut self.problems)?;
            }
            self.run = id.map(|id| (id, Vec::new()));
        }
        if let Some((_, steps)) = &mut self.run {
            steps.push(step);
        }
        Ok(())
    }

    /// The problems, given every stored record's id.
    pub fn finish(
        mut self,
        lookup: &mut Lookup<'_>,
        record_ids: impl IntoIterator<Item = String>,
    ) -> Result<Vec<String>, StoreError> {
        if let Some((cur, steps)) = self.run.take() {
            finish(&cur, &steps, lookup, &mut self.seen, &mut self.problems)?;
        }
        for id in record_ids {
            if !self.seen.contains_key(&id) {
                self.problems.push(format!(
                    "the record of command {} names events that are not in the log",
                    safe(&id)
                ));
            }
        }
        Ok(self.problems)
    }
}

#[derive(Deserialize)]
struct CommandIdOnly {
    #[serde(default)]
    command_id: Option<String>,
}

/// Every problem with the command records, one line each (empty: they all match the log).
pub fn check_command_records(conn: &Connection) -> Result<Vec<String>, StoreError> {
    // Looked up one at a time (the primary key): a long log's results need not fit in memory.
    let mut by_id = conn
        .prepare_cached("SELECT stream_id, position, result FROM commands WHERE command_id = ?1")?;
    let mut lookup = |id: &str| -> Result<Option<Record>, StoreError> {
        Ok(by_id
            .query_row([id], |r| {
                Ok(Record {
                    stream_id: r.get(0)?,
                    position: r.get(1)?,
                    result: r.get(2)?,
                })
            })
            .optional()?)
    };
    let mut check = CommandCheck::default();
    let mut stmt = conn.prepare(
        "SELECT position, stream_id, stream_type, revision, event_type, payload, metadata, \
         recorded_at FROM events ORDER BY position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let step = Step {
            position: r.get(0)?,
            stream_id: r.get(1)?,
            stream_type: r.get(2)?,
            revision: r.get(3)?,
            event_type: r.get(4)?,
            payload: r.get(5)?,
            metadata: r.get(6)?,
            recorded_at: r.get(7)?,
        };
        check.push(step, &mut lookup)?;
    }
    let mut ids = conn.prepare("SELECT command_id FROM commands ORDER BY command_id")?;
    let record_ids = ids
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    check.finish(&mut lookup, record_ids)
}

/// Checks one run of consecutive events with the same command id against its record.
fn finish(
    id: &str,
    steps: &[Step],
    lookup: &mut Lookup<'_>,
    seen: &mut HashMap<String, i64>,
    problems: &mut Vec<String>,
) -> Result<(), StoreError> {
    let (first, last) = (&steps[0], &steps[steps.len() - 1]);
    if let Some(earlier) = seen.insert(id.to_string(), first.position) {
        problems.push(format!(
            "command {} was applied twice: at position {earlier} and again at {}",
            safe(id),
            first.position
        ));
        return Ok(());
    }
    let Some(record) = lookup(id)? else {
        problems.push(format!(
            "event {} carries command id {} but the command has no record \
             (a retry would apply it again)",
            first.position,
            safe(id)
        ));
        return Ok(());
    };
    if record.stream_id != first.stream_id || record.position != last.position {
        problems.push(format!(
            "the record of command {} names {} at position {}, the log has it on {} \
             ending at {}",
            safe(id),
            safe(&record.stream_id),
            record.position,
            safe(&first.stream_id),
            last.position
        ));
        return Ok(());
    }
    if !result_matches(&record.result, steps) {
        problems.push(format!(
            "the stored result of command {} does not match its events (position {})",
            safe(id),
            last.position
        ));
    }
    Ok(())
}

/// The stored result is what the command path builds from its events: `ok`, the order id, the
/// revision, the line and ticket it made, and each event's type, revision, position and payload.
fn result_matches(result: &str, steps: &[Step]) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(result) else {
        return false;
    };
    let last = &steps[steps.len() - 1];
    let is_order = last.stream_type == "order";
    let payloads: Vec<Value> = steps
        .iter()
        .map(|s| serde_json::from_str(&s.payload).unwrap_or(Value::Null))
        .collect();
    let made = |event_type: &str, field: &str| {
        steps
            .iter()
            .zip(&payloads)
            .find(|(s, _)| s.event_type == event_type)
            .and_then(|(_, p)| p.get(field).cloned())
    };
    let line_id = made("ItemAddedToOrder", "line_id").filter(|_| is_order);
    // A send names its first ticket (a send of an earlier release, its one ticket).
    let ticket_id = made("OrderPlaced", "ticket_id")
        .or_else(|| {
            made("OrderPlaced", "tickets").and_then(|t| t.get(0)?.get("ticket_id").cloned())
        })
        .filter(|_| is_order);
    let events: Vec<Value> = steps
        .iter()
        .zip(payloads)
        .map(|(s, payload)| {
            serde_json::json!({
                "type": s.event_type,
                "revision": s.revision,
                "position": s.position,
                "payload": payload,
            })
        })
        .collect();
    v.get("ok") == Some(&Value::Bool(true))
        && v.get("order_id")
            == is_order
                .then(|| Value::from(last.stream_id.as_str()))
                .as_ref()
        && v.get("revision") == Some(&Value::from(last.revision))
        && v.get("line_id") == line_id.as_ref()
        && v.get("ticket_id") == ticket_id.as_ref()
        && v.get("events") == Some(&Value::Array(events))
}
