//! The audit trail: pick an order, see every event (time, actor, type, summary); select one to
//! see the order as it was right after it, beside the event's full JSON — the talk's slides,
//! browsable, and live as the order changes.
//!
//! This module holds the screen's state and how trails are opened and kept up to date;
//! [`keys`] holds what the keys do, [`draw`] how the list, the trail and the detail are drawn.

mod draw;
mod keys;

use super::app::{Action, App};
use super::effect::Effect;
use crate::app::AuditWindow;
use crate::domain::menu::MENU_STREAM;
use crate::domain::Order;
use crate::projections::audit::AuditEntry;

pub use draw::{click, draw};
use keys::step_events;
pub use keys::{commands, navigate, perform};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Orders,
    Events,
}

#[derive(Debug, Clone)]
pub struct Audit {
    pub order_id: String,
    /// The order just before the first loaded entry.
    pub before: Order,
    /// A window of the trail: the newest entries, and older ones as the reader scrolls up.
    pub trail: Vec<AuditEntry>,
    /// The order's newest revision.
    pub head: u64,
}

/// How many entries the screen loads at a time.
pub const WINDOW: u64 = 500;

impl Audit {
    pub fn first_revision(&self) -> u64 {
        self.trail.first().map_or(1, |e| e.revision)
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub pane: Pane,
    pub order: usize,
    pub event: usize,
    pub scroll: u16,
    pub audit: Option<Audit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Open,
    Find,
    ScrollUp,
    ScrollDown,
}

/// The open trail moved on (a reload brought it again): shown, following the newest entry if
/// the reader was on it.
pub fn moved_on(app: &mut App, order_id: &str, w: AuditWindow) {
    let Some(audit) = &app.history.audit else {
        return;
    };
    if audit.order_id != order_id {
        return;
    }
    let len = audit.trail.len();
    let at_end = app.history.event + 1 >= len;
    show(app, order_id, w);
    let now = app.history.audit.as_ref().map_or(0, |a| a.trail.len());
    if at_end && now != len {
        app.history.event = now.saturating_sub(1);
    }
}

fn show(app: &mut App, order_id: &str, w: AuditWindow) {
    app.history.event = app.history.event.min(w.entries.len().saturating_sub(1));
    app.history.audit = Some(Audit {
        order_id: order_id.to_string(),
        before: w.before,
        trail: w.entries,
        head: w.head,
    });
}

/// The menu's own stream, opened like an order: its trail is who added, changed or 86'd what.
pub fn is_menu(id: &str) -> bool {
    id == MENU_STREAM
}

/// Older entries came in front of the window: the selection stays on its entry, then moves by
/// `action`.
pub fn earlier(
    app: &mut App,
    order_id: &str,
    first: u64,
    action: Action,
    result: Result<AuditWindow, String>,
) {
    if app.history.audit.as_ref().map(|a| a.order_id.as_str()) != Some(order_id) {
        return;
    }
    match result {
        Ok(w) => {
            let selected = app.history.event;
            show(app, order_id, w);
            // Entries that came in front (not ones appended at the end meanwhile).
            let now_first = app
                .history
                .audit
                .as_ref()
                .map_or(first, Audit::first_revision);
            let added = first.saturating_sub(now_first) as usize;
            app.history.event = selected + added;
            step_events(app, action);
        }
        Err(message) => app.error(message),
    }
}

/// Opens an order's trail (from the list, by id, or from the command line).
pub fn open_order(order_id: &str, fx: &mut Vec<Effect>) {
    fx.push(Effect::OpenAudit {
        order_id: order_id.to_string(),
    });
}

/// An order's trail came: shown from its newest entry.
pub fn opened(app: &mut App, order_id: &str, result: Result<AuditWindow, String>) {
    match result {
        Ok(w) => {
            app.history.event = usize::MAX;
            show(app, order_id, w);
            app.history.pane = Pane::Events;
            app.history.scroll = 0;
            if let Some(i) = app
                .data
                .recent
                .iter()
                .position(|o| o.order.order_id == order_id)
            {
                app.history.order = i;
            }
        }
        Err(message) => app.error(message),
    }
}
