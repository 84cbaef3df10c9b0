//! Effects: what a key asks of the database, as data. Handling a key ([`App::update`]) never
//! touches the database: it changes the screen's state at once and returns [`Effect`]s; the
//! worker thread, which owns the [`Brigade`], turns each into [`Msg`]s ([`serve`]) that come back
//! to the UI thread and update the state ([`App::apply`]). Tests run the same two halves one
//! after the other ([`App::on_key`]).
//!
//! [`App::update`]: super::app::App::update
//! [`App::apply`]: super::app::App::apply
//! [`App::on_key`]: super::app::App::on_key

use super::app::Action;
use super::form::Form;
use crate::app::{AppError, AuditWindow, Brigade, Outcome, Request};
use crate::domain::menu::MENU_STREAM;
use crate::domain::{Menu, Order};
use crate::projections::audit;
use crate::projections::{OrderView, TicketView};

/// What the screens ask of the database.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Sends a command; `then` says what the screen does with the answer. The screens' data is
    /// read again right after it.
    Execute { request: Request, then: Box<Then> },
    /// Reads everything the screens show again.
    Reload,
    /// Loads an order's (or the menu's) audit trail, newest entries first.
    OpenAudit { order_id: String },
    /// Loads the trail of `order_id` from `more` entries before revision `first`, then moves the
    /// selection by `action`.
    Earlier {
        order_id: String,
        first: u64,
        more: u64,
        action: Action,
    },
}

/// What the screen does with a command's answer.
#[derive(Debug, Clone)]
pub enum Then {
    /// Says `done`, or the refusal.
    Info(String),
    /// The waiter's send: says which ticket it became.
    Sent,
    /// The kitchen's bump: on to `next`.
    Bumped { done: String, next: Option<String> },
    /// The kitchen's recall: the recalled ticket is picked.
    Recalled { ticket_id: String, done: String },
    /// A dialog's submission: on a refusal the dialog comes back with the reason in it.
    Form { form: Form, done: String },
}

/// How far back recall looks.
pub const RECALL_MINUTES: i64 = 15;

/// What to read on a reload, as the screens stand when it is asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadSpec {
    /// The history's list of recent orders.
    pub recent: bool,
    /// The open audit trail: its order, first loaded revision and newest revision.
    pub audit: Option<(String, u64, u64)>,
}

/// The screens' data, freshly read.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub orders: Vec<OrderView>,
    /// With the portions left of counted items.
    pub menu: Menu,
    pub tickets: Vec<TicketView>,
    /// The expeditor's tickets: every fired one not yet served.
    pub expo: Vec<TicketView>,
    /// Tickets bumped in the last [`RECALL_MINUTES`] and not served, newest first.
    pub recall: Vec<TicketView>,
    pub ticket_orders: Vec<Order>,
    pub recent: Option<Vec<OrderView>>,
    /// The open audit trail again, when it moved on.
    pub audit: Option<(String, AuditWindow)>,
}

/// A reload's result: the data, or why it could not be read.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub data: Result<Box<Fresh>, String>,
    pub guards_missing: Option<String>,
}

/// What comes back from the database.
#[derive(Debug)]
pub enum Msg {
    /// A command's answer, with the data as read right after it.
    Executed {
        then: Then,
        result: Result<Outcome, AppError>,
        loaded: Loaded,
    },
    Loaded(Loaded),
    Info(String),
    Error(String),
    AuditOpened {
        order_id: String,
        result: Result<AuditWindow, String>,
    },
    Earlier {
        order_id: String,
        first: u64,
        action: Action,
        result: Result<AuditWindow, String>,
    },
}

fn describe(e: &AppError) -> String {
    format!("{}: {}", e.code(), e.message())
}

/// Does `effect` against the database (on the worker thread; in tests, right away).
pub fn serve(effect: Effect, spec: &LoadSpec, core: &mut Brigade) -> Vec<Msg> {
    match effect {
        Effect::Execute { request, then } => {
            // Nothing is written while the file at the path is not the one opened.
            let result = core.check_file().and_then(|()| core.execute(&request));
            let loaded = load(core, spec);
            vec![Msg::Executed {
                then: *then,
                result,
                loaded,
            }]
        }
        Effect::Reload => vec![Msg::Loaded(load(core, spec))],
        Effect::OpenAudit { order_id } => {
            let result = if order_id == MENU_STREAM {
                menu_trail(core)
            } else {
                core.audit_latest(&order_id, super::history::WINDOW)
            };
            vec![Msg::AuditOpened {
                order_id,
                result: result.map_err(|e| describe(&e)),
            }]
        }
        Effect::Earlier {
            order_id,
            first,
            more,
            action,
        } => {
            let from = first.saturating_sub(more).max(1);
            let result = core.audit_window(&order_id, from, u64::MAX);
            vec![Msg::Earlier {
                order_id,
                first,
                action,
                result: result.map_err(|e| describe(&e)),
            }]
        }
    }
}

/// Reads everything the screens show. Another file at the path (or none) is never read.
pub fn load(core: &mut Brigade, spec: &LoadSpec) -> Loaded {
    let data = fresh(core, spec).map(Box::new).map_err(|e| e.message());
    let guards_missing = core
        .missing_guards()
        .ok()
        .and_then(|g| g.into_iter().next());
    Loaded {
        data,
        guards_missing,
    }
}

fn fresh(core: &mut Brigade, spec: &LoadSpec) -> Result<Fresh, AppError> {
    core.check_file()?;
    let orders = core.open_orders()?;
    let menu = core.menu_with_stock()?;
    let tickets = core.kitchen(None)?;
    let expo = core.expo()?;
    let recall = core.recently_bumped(None, RECALL_MINUTES, 200)?;
    // The orders behind tickets that are not open (cancelled), for the kitchen's questions.
    let mut ticket_orders: Vec<Order> = Vec::new();
    for t in tickets.iter().chain(&recall) {
        let known = orders.iter().any(|o| o.order.order_id == t.order_id)
            || ticket_orders.iter().any(|o| o.order_id == t.order_id);
        if !known {
            if let Some(view) = core.order_view(&t.order_id)? {
                ticket_orders.push(view.order);
            }
        }
    }
    let recent = if spec.recent {
        Some(core.recent_orders(200)?)
    } else {
        None
    };
    let audit = match &spec.audit {
        None => None,
        Some((id, _, _)) if id == MENU_STREAM => Some((id.clone(), menu_trail(core)?)),
        Some((id, first, head)) => {
            let current = core.order_view(id)?.map_or(0, |v| v.order.revision);
            if current != *head {
                Some((id.clone(), core.audit_window(id, *first, u64::MAX)?))
            } else {
                None
            }
        }
    };
    Ok(Fresh {
        orders,
        menu,
        tickets,
        expo,
        recall,
        ticket_orders,
        recent,
        audit,
    })
}

/// The menu's whole trail (a menu's stream is short), as a window.
fn menu_trail(core: &mut Brigade) -> Result<AuditWindow, AppError> {
    let entries = audit::menu_trail(core.menu_events()?)?;
    let head = entries.last().map_or(0, |e| e.revision);
    Ok(AuditWindow {
        before: Order::default(),
        entries,
        head,
    })
}
