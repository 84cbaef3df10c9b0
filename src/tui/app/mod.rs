//! The UI's state and its update logic. Keys become [`Action`]s through the current screen's
//! command list; actions change the state or send commands to the core. Nothing here draws or
//! touches the terminal, so key sequences can be tested without one.
//!
//! This module holds the state (screens, data, notices, dialogs) and what it offers;
//! [`update`] holds what keys, actions and the core's answers do to it.

mod update;

use chrono::{DateTime, Utc};

use super::component;
use super::effect::{self, LoadSpec};
use super::form::Form;
use super::keys::{Cmd, Key};
use super::theme::Theme;
use super::{history, kitchen, waiter};
use crate::app::Brigade;
use crate::domain::{Menu, Order};
use crate::projections::{OrderView, TicketView};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Waiter,
    Kitchen,
    History,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Quit,
    Help,
    Back,
    Show(Screen),
    NextPane,
    PrevPane,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Waiter(waiter::Act),
    Kitchen(kitchen::Act),
    History(history::Act),
    /// A key of an open dialog (the form handles it; listed for hints and help).
    Dialog,
}

/// Where a list selection goes for a movement `action` (None: not a movement): `cur` of `len`
/// items, `page` items to a page.
pub fn step(action: &Action, cur: usize, len: usize, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Up => cur.saturating_sub(1),
        Action::Down => (cur + 1).min(last),
        Action::PageUp => cur.saturating_sub(page),
        Action::PageDown => (cur + page).min(last),
        Action::Home => 0,
        Action::End => last,
        _ => return None,
    })
}

/// What the screens show, loaded from the read models.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub orders: Vec<OrderView>,
    /// The menu, with the portions left of counted items.
    pub menu: Menu,
    pub tickets: Vec<TicketView>,
    /// Every fired ticket not yet served (the expeditor's screen).
    pub expo: Vec<TicketView>,
    /// Tickets bumped in the last 15 minutes and not served, newest first (recall's list).
    pub recall: Vec<TicketView>,
    pub recent: Vec<OrderView>,
    /// The orders of kitchen tickets that are not open (cancelled with a ticket still up), so
    /// that the kitchen can ask the domain about every ticket it shows.
    pub ticket_orders: Vec<Order>,
}

impl Data {
    /// The order `order_id` as last read (open, or behind a ticket in the kitchen).
    pub fn order(&self, order_id: &str) -> Option<&Order> {
        self.orders
            .iter()
            .map(|o| &o.order)
            .chain(self.ticket_orders.iter())
            .find(|o| o.order_id == order_id)
    }
}

/// A message in the status line. An error one is cleared by the next key, which is swallowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// How long an information notice stays before the key hints come back (errors stay until a
/// key or click).
pub const NOTICE_SECONDS: i64 = 6;

#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help,
    Form(Form),
    /// The waiter's add dialog (modifier groups, seat, course, quantity, note).
    Add(Box<crate::tui::waiter::AddDialog>),
}

/// Kitchen age thresholds (seconds since sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub warn: i64,
    pub late: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warn: 5 * 60,
            late: 8 * 60,
        }
    }
}

#[derive(Clone)]
pub struct App {
    pub screen: Screen,
    pub data: Data,
    pub waiter: waiter::State,
    pub kitchen: kitchen::State,
    pub history: history::State,
    pub modal: Option<Modal>,
    pub notice: Option<Notice>,
    /// Set while the database cannot be read; screens then hide what they cannot vouch for.
    pub db_error: Option<String>,
    /// Set while the database's append-only guards are missing (someone tampered with the
    /// file): the screens show a red banner but keep working.
    pub guards_missing: Option<String>,
    pub now: DateTime<Utc>,
    pub theme: Theme,
    pub thresholds: Thresholds,
    pub actor: String,
    /// The terminal's size at the last draw (for paging).
    pub size: (u16, u16),
    pub quit: bool,
    /// When the current notice appeared.
    pub notice_at: DateTime<Utc>,
}

impl App {
    pub fn new(screen: Screen, actor: &str, now: DateTime<Utc>) -> Self {
        App {
            screen,
            data: Data::default(),
            waiter: waiter::State::default(),
            kitchen: kitchen::State::default(),
            history: history::State::default(),
            modal: None,
            notice: None,
            db_error: None,
            guards_missing: None,
            now,
            theme: Theme::from_env(),
            thresholds: Thresholds::default(),
            actor: actor.to_string(),
            size: (80, 24),
            quit: false,
            notice_at: now,
        }
    }

    /// Reads everything the screens show, here and now (at start, and in tests; the running
    /// screens reload on the worker thread). On failure the error is kept (and shown) and the
    /// last data is not presented as current.
    pub fn reload(&mut self, core: &mut Brigade) {
        let loaded = effect::load(core, &self.load_spec());
        self.apply_loaded(loaded);
    }

    /// What a reload reads, as the screens stand now.
    pub fn load_spec(&self) -> LoadSpec {
        LoadSpec {
            recent: self.screen == Screen::History || !self.data.recent.is_empty(),
            audit: self
                .history
                .audit
                .as_ref()
                .map(|a| (a.order_id.clone(), a.first_revision(), a.head)),
        }
    }

    /// The commands the current screen offers right now (global ones last).
    pub fn commands(&self) -> Vec<Cmd> {
        // While a dialog is open, its keys are the ones that work.
        if let Some(Modal::Form(form)) = &self.modal {
            return form.commands();
        }
        if let Some(Modal::Add(dialog)) = &self.modal {
            return dialog.commands();
        }
        let mut cmds = component::of(self.screen).commands(self);
        // While typing a filter, letters are text: `q` and `?` are not commands then.
        if !(self.screen == Screen::Waiter && waiter::typing_filter(self)) {
            cmds.extend(global_commands(self));
        }
        cmds
    }

    /// Below the smallest size the screens are laid out for, nothing is shown but a note.
    pub fn too_small(&self) -> bool {
        self.size.0 < super::chrome::MIN_WIDTH || self.size.1 < super::chrome::MIN_HEIGHT
    }

    /// Drops an information notice that has been up long enough.
    pub fn expire_notice(&mut self) {
        if self.notice.as_ref().is_some_and(|n| !n.error)
            && (self.now - self.notice_at).num_seconds() >= NOTICE_SECONDS
        {
            self.notice = None;
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
        self.notice_at = self.now;
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
        self.notice_at = self.now;
    }

    pub fn open_form(&mut self, form: Form) {
        self.modal = Some(Modal::Form(form));
    }
}

fn global_commands(app: &App) -> Vec<Cmd> {
    let mut cmds = vec![
        Cmd::new(&[Key::Char('?')], "help", Action::Help),
        Cmd::new(&[Key::Char('q')], "quit", Action::Quit),
        Cmd::new(&[Key::Tab], "next pane", Action::NextPane).quiet(),
        Cmd::new(&[Key::BackTab], "previous pane", Action::PrevPane).quiet(),
    ];
    for (key, screen, label) in [
        (1, Screen::Waiter, "waiter screen"),
        (2, Screen::Kitchen, "kitchen screen"),
        (3, Screen::History, "audit trail"),
    ] {
        if app.screen != screen {
            cmds.push(Cmd::new(&[Key::F(key)], label, Action::Show(screen)).quiet());
        }
    }
    cmds
}
