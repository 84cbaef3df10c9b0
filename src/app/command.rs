//! The command path: one generic decide-and-append loop for both aggregates.
//!
//! Each round loads the aggregate, decides the command against it and appends the events with
//! the revision the decision was made against. A stream that moved on is a conflict and the
//! command is decided again (bounded). A command id is checked before deciding, inside the
//! appending transaction, and once more after a rejection: when two tills send the same command
//! id at once, the loser of the race sees the winner's events (an order already closed, nothing
//! left to send) and would be refused — but the winner's result is recorded by then, so the
//! loser answers with it, exactly as a later repeat would.

use serde_json::Value;

use super::{context, AppCommand, AppError, Brigade, Outcome, Request, ORDER_SNAPSHOT_VERSION};
use crate::domain::menu::{MenuDecider, MENU_STREAM};
use crate::domain::order::OrderDecider;
use crate::domain::rejection::codes;
use crate::domain::{Decider, Menu, MenuCommand, MenuEvent, OrderCommand, OrderEvent};
use crate::store::{
    Append, AppendOutcome, EventStore, Metadata, NewEvent, RecordedEvent, Snapshot, StoreError,
};

/// How many times a command is re-decided after losing a race before giving up.
const MAX_ATTEMPTS: usize = 64;

/// What one round of deciding produced: the events to append to one stream.
struct Decision {
    stream_id: String,
    stream_type: &'static str,
    /// The revision the decision was made against.
    expected_revision: u64,
    /// `(event type, payload JSON)`, in order.
    events: Vec<(&'static str, String)>,
    snapshot: Option<Snapshot>,
    line_id: Option<String>,
    ticket_id: Option<String>,
}

/// A round's verdict before appending.
enum Round {
    Append(Decision),
    /// Decide again at once (a generated order id that was taken).
    Again,
}

impl Brigade {
    /// Runs one command. Repeating a command id returns the first result and writes nothing.
    pub fn execute(&mut self, request: &Request) -> Result<Outcome, AppError> {
        // Never read one file and write another: a database moved away or replaced under a
        // long-running process (a screen, `exec`) refuses every command until it is back.
        self.check_file()?;
        if let Some(id) = &request.command_id {
            if id.is_empty() || id.len() > 200 {
                return Err(AppError::invalid(
                    "INVALID_FIELD",
                    "command_id must be 1 to 200 characters",
                ));
            }
            if let Some(done) = self.recorded(request)? {
                return Ok(done);
            }
        }
        match &request.command {
            AppCommand::Order { order_id, command } => {
                let generated = order_id.is_none();
                let mut order_id = match order_id {
                    Some(id) => id.to_string(),
                    None => context::new_order_id(),
                };
                if order_id == MENU_STREAM {
                    return Err(AppError::invalid(
                        codes::INVALID_ORDER,
                        "\"menu\" cannot be an order id",
                    ));
                }
                self.decide_and_append(request, &mut |b| {
                    b.decide_order(&mut order_id, generated, command)
                })
            }
            AppCommand::Menu(command) => self.execute_menu(request, std::slice::from_ref(command)),
        }
    }

    /// Runs menu commands as one atomic append (an import is many commands, one transaction).
    pub(super) fn execute_menu(
        &mut self,
        request: &Request,
        commands: &[MenuCommand],
    ) -> Result<Outcome, AppError> {
        self.decide_and_append(request, &mut |b| b.decide_menu(commands))
    }

    /// The one loop every command goes through: decide, append, and on a conflict decide again
    /// against the new state; a rejection is first checked against the command id's record.
    fn decide_and_append(
        &mut self,
        request: &Request,
        decide: &mut dyn FnMut(&mut Brigade) -> Result<Round, AppError>,
    ) -> Result<Outcome, AppError> {
        for _ in 0..MAX_ATTEMPTS {
            let decision = match decide(self) {
                Ok(Round::Append(d)) => d,
                Ok(Round::Again) => continue,
                Err(AppError::Rejected(r)) => {
                    // The same command id may have won a race while this one was deciding.
                    if request.command_id.is_some() {
                        if let Some(done) = self.recorded(request)? {
                            return Ok(done);
                        }
                    }
                    return Err(AppError::Rejected(r));
                }
                Err(e) => return Err(e),
            };
            match self.append(request, decision) {
                Err(AppError::Store(StoreError::Conflict { .. })) => {
                    self.menu = None;
                    continue;
                }
                // The store compares the new form only; an id recorded in the old form by a
                // concurrent older Brigade is judged here with both.
                Err(AppError::Store(StoreError::CommandIdReused(id))) => {
                    return match self.recorded(request)? {
                        Some(done) => Ok(done),
                        None => Err(StoreError::CommandIdReused(id).into()),
                    };
                }
                other => return other,
            }
        }
        Err(busy())
    }

    /// The first result of this request's command id, when it was already applied; refused
    /// when the id was used for a different command.
    fn recorded(&self, request: &Request) -> Result<Option<Outcome>, AppError> {
        let Some(id) = &request.command_id else {
            return Ok(None);
        };
        match self.store.command_record(id)? {
            Some(done) if !super::fingerprint::matches(&done.fingerprint, &request.command) => {
                Err(StoreError::CommandIdReused(id.clone()).into())
            }
            Some(done) => duplicate(&done.result).map(Some),
            None => Ok(None),
        }
    }

    fn decide_order(
        &mut self,
        order_id: &mut String,
        generated: bool,
        command: &OrderCommand,
    ) -> Result<Round, AppError> {
        let order = self.load_order(order_id)?;
        let command = match command {
            OrderCommand::OpenOrder {
                table,
                covers,
                customer,
                ..
            } => OrderCommand::OpenOrder {
                order_id: order_id.clone(),
                table: table.clone(),
                covers: *covers,
                customer: customer.clone(),
            },
            other => other.clone(),
        };
        let menu = if matches!(
            command,
            OrderCommand::AddItem { .. }
                | OrderCommand::PlaceOrder { .. }
                | OrderCommand::ChangeItemQuantity { .. }
        ) {
            self.menu_with_stock()?
        } else {
            Menu::default()
        };
        let events = match OrderDecider::decide(&order, &command, &menu) {
            Ok(events) => events,
            Err(r) if generated && r.code == codes::ORDER_ALREADY_EXISTS => {
                *order_id = context::new_order_id();
                return Ok(Round::Again);
            }
            Err(r) => return Err(r.into()),
        };
        let before = order.revision;
        let after = OrderDecider::fold_from(Some(order), &events);
        let snapshot =
            (after.revision / self.snapshot_every > before / self.snapshot_every).then(|| {
                Snapshot {
                    stream_id: order_id.clone(),
                    revision: after.revision,
                    schema_version: ORDER_SNAPSHOT_VERSION,
                    state: serde_json::to_string(&after).expect("orders always serialise"),
                }
            });
        let line_id = events.iter().find_map(|e| match e {
            OrderEvent::ItemAddedToOrder(a) => Some(a.line_id.clone()),
            _ => None,
        });
        let ticket_id = events.iter().find_map(|e| match e {
            OrderEvent::OrderPlaced(p) => p.tickets.first().map(|t| t.ticket_id.clone()),
            _ => None,
        });
        Ok(Round::Append(Decision {
            stream_id: order_id.clone(),
            stream_type: "order",
            expected_revision: before,
            events: events
                .iter()
                .map(|e| (e.event_type(), e.payload_json()))
                .collect(),
            snapshot,
            line_id,
            ticket_id,
        }))
    }

    fn decide_menu(&mut self, commands: &[MenuCommand]) -> Result<Round, AppError> {
        let revision = self.store.stream_revision(MENU_STREAM)?;
        let mut menu = self.menu_with_stock()?;
        let mut events: Vec<MenuEvent> = Vec::new();
        for command in commands {
            let decided = MenuDecider::decide(&menu, command, ())?;
            menu = MenuDecider::fold_from(Some(menu), &decided);
            events.extend(decided);
        }
        Ok(Round::Append(Decision {
            stream_id: MENU_STREAM.to_string(),
            stream_type: "menu",
            expected_revision: revision,
            events: events
                .iter()
                .map(|e| (e.event_type(), e.payload_json()))
                .collect(),
            snapshot: None,
            line_id: None,
            ticket_id: None,
        }))
    }

    fn append(&mut self, request: &Request, d: Decision) -> Result<Outcome, AppError> {
        self.check_file()?;
        let is_order = d.stream_type == "order";
        let order_id = is_order.then_some(d.stream_id.as_str());
        let build = |recorded: &[RecordedEvent]| {
            result_text(
                recorded,
                order_id,
                d.line_id.as_deref(),
                d.ticket_id.as_deref(),
            )
        };
        let events = d
            .events
            .iter()
            .map(|(kind, payload)| self.new_event(request, kind, payload.clone()))
            .collect();
        let outcome = self.store.append(Append {
            stream_id: &d.stream_id,
            stream_type: d.stream_type,
            expected_revision: d.expected_revision,
            events,
            recorded_at: self.clock.now(),
            command_id: request.command_id.as_deref(),
            fingerprint: &request.fingerprint(),
            result: Some(&build),
            snapshot: d.snapshot.clone(),
        })?;
        match outcome {
            AppendOutcome::Appended { result, events } => Ok(Outcome {
                json: result.expect("a result was asked for"),
                order_id: order_id.map(str::to_string),
                revision: events.last().map_or(0, |e| e.revision),
                line_id: d.line_id.clone(),
                ticket_id: d.ticket_id.clone(),
                events: events.len(),
                duplicate: false,
            }),
            AppendOutcome::Duplicate { result } => duplicate(&result),
        }
    }

    fn new_event(&self, request: &Request, event_type: &'static str, payload: String) -> NewEvent {
        NewEvent {
            event_type,
            payload,
            metadata: Metadata {
                event_id: context::new_uuid(),
                command_id: request.command_id.clone(),
                correlation_id: request
                    .correlation_id
                    .clone()
                    .or_else(|| request.command_id.clone()),
                causation_id: request.command_id.clone(),
                actor: self.actor.clone(),
                terminal: self.terminal.clone(),
            },
        }
    }

    /// Makes the menu exactly `file` (adds, changes, removals, category courses), atomically.
    /// Returns how many menu events were written.
    pub fn import_menu(&mut self, file: &super::menu_file::MenuFile) -> Result<usize, AppError> {
        for _ in 0..MAX_ATTEMPTS {
            let current = self.menu()?;
            let commands = crate::domain::menu::plan_import(&current, &file.items, &file.courses)?;
            if commands.is_empty() {
                return Ok(0);
            }
            let request = Request {
                command_id: None,
                correlation_id: Some(context::new_uuid()),
                command: AppCommand::Menu(commands[0].clone()),
            };
            match self.execute_menu(&request, &commands) {
                Ok(outcome) => {
                    return Ok(outcome.events);
                }
                // Someone else changed the menu between planning and writing: plan again.
                Err(AppError::Rejected(_)) => self.menu = None,
                Err(e) => return Err(e),
            }
        }
        Err(busy())
    }
}

fn duplicate(result: &str) -> Result<Outcome, AppError> {
    let v: Value = serde_json::from_str(result)
        .map_err(|e| StoreError::Corrupt(format!("stored command result: {e}")))?;
    let text = |k: &str| v[k].as_str().map(str::to_string);
    Ok(Outcome {
        order_id: text("order_id"),
        revision: v["revision"].as_u64().unwrap_or(0),
        line_id: text("line_id"),
        ticket_id: text("ticket_id"),
        events: v["events"].as_array().map_or(0, Vec::len),
        json: result.to_string(),
        duplicate: true,
    })
}

fn busy() -> AppError {
    AppError::invalid(
        "DB_BUSY",
        "too many terminals changed this at the same moment; try again",
    )
}
/// `{"ok": true, "order_id": …, "revision": N, "line_id"?, "ticket_id"?, "events": [{type,
/// revision, position, payload}]}`, written directly: payloads are already JSON.
fn result_text(
    recorded: &[RecordedEvent],
    order_id: Option<&str>,
    line_id: Option<&str>,
    ticket_id: Option<&str>,
) -> String {
    use std::fmt::Write;
    let quote = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let size = recorded.iter().map(|e| e.payload.len() + 60).sum::<usize>();
    let mut out = String::with_capacity(160 + size);
    out.push_str("{\"ok\":true");
    if let Some(o) = order_id {
        let _ = write!(out, ",\"order_id\":{}", quote(o));
    }
    let revision = recorded.last().map_or(0, |e| e.revision);
    let _ = write!(out, ",\"revision\":{revision}");
    if let Some(l) = line_id {
        let _ = write!(out, ",\"line_id\":{}", quote(l));
    }
    if let Some(t) = ticket_id {
        let _ = write!(out, ",\"ticket_id\":{}", quote(t));
    }
    out.push_str(",\"events\":[");
    for (i, e) in recorded.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"type\":{},\"revision\":{},\"position\":{},\"payload\":{}}}",
            quote(&e.event_type),
            e.revision,
            e.position,
            e.payload
        );
    }
    out.push_str("]}");
    out
}
