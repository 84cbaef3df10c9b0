//! The UI's state and its update logic. Keys become [`Action`]s through the current screen's
//! command list; actions change the state or send commands to the core. Nothing here draws or
//! touches the terminal, so key sequences can be tested without one.

use chrono::{DateTime, Utc};

use super::form::{Form, FormKind};
use super::keys::{lookup, Cmd, Key};
use super::theme::Theme;
use super::{history, kitchen, waiter};
use crate::app::{AppError, Brigade, Outcome, Request};
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
    pub menu: Menu,
    pub tickets: Vec<TicketView>,
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

    /// Reads everything the screens show. On failure the error is kept (and shown) and the
    /// last data is not presented as current.
    pub fn reload(&mut self, core: &mut Brigade) {
        match load(core, self) {
            Ok(()) => self.db_error = None,
            Err(e) => self.db_error = Some(e.message()),
        }
        self.guards_missing = core
            .missing_guards()
            .ok()
            .and_then(|g| g.into_iter().next());
    }

    /// The commands the current screen offers right now (global ones last).
    pub fn commands(&self) -> Vec<Cmd> {
        // While a dialog is open, its keys are the ones that work.
        if let Some(Modal::Form(form)) = &self.modal {
            return form.commands();
        }
        let mut cmds = match self.screen {
            Screen::Waiter => waiter::commands(self),
            Screen::Kitchen => kitchen::commands(self),
            Screen::History => history::commands(self),
        };
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

    pub fn on_key(&mut self, key: Key, core: &mut Brigade) {
        if key == Key::Ctrl('c') {
            self.quit = true;
            return;
        }
        // Nothing acts blind: on a screen too small to show anything, only quitting works.
        if self.too_small() {
            if key == Key::Char('q') {
                self.quit = true;
            }
            return;
        }
        if let Some(n) = &self.notice {
            let error = n.error;
            self.notice = None;
            if error {
                // The key that clears an error does nothing else.
                return;
            }
        }
        match &mut self.modal {
            Some(Modal::Help) => {
                self.modal = None;
                return;
            }
            Some(Modal::Form(form)) => {
                match form.on_key(key) {
                    super::form::Outcome::Editing => {}
                    super::form::Outcome::Cancelled => self.modal = None,
                    super::form::Outcome::Submitted => {
                        let form = form.clone();
                        self.submit_form(form, core);
                    }
                }
                return;
            }
            None => {}
        }
        if self.screen == Screen::Waiter
            && waiter::typing_filter(self)
            && waiter::on_filter_key(self, key)
        {
            return;
        }
        let cmds = self.commands();
        if let Some(action) = lookup(&cmds, key) {
            self.perform(action, core);
        }
    }

    pub fn perform(&mut self, action: Action, core: &mut Brigade) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.modal = Some(Modal::Help),
            Action::Show(screen) => {
                self.screen = screen;
                if screen == Screen::History {
                    history::ensure_loaded(self, core);
                }
            }
            Action::Waiter(a) => waiter::perform(self, a, core),
            Action::Kitchen(a) => kitchen::perform(self, a, core),
            Action::History(a) => history::perform(self, a, core),
            Action::Dialog => {}
            nav => match self.screen {
                Screen::Waiter => waiter::navigate(self, nav),
                Screen::Kitchen => kitchen::navigate(self, nav),
                Screen::History => history::navigate(self, nav, core),
            },
        }
    }

    fn submit_form(&mut self, form: Form, core: &mut Brigade) {
        let result = match &form.kind {
            FormKind::OpenHistory => {
                self.modal = None;
                history::open_order(self, form.value(0).trim(), core);
                return;
            }
            _ => waiter::submit(self, &form, core),
        };
        match result {
            // Done, unless the submission opened another dialog (a confirmation) in its place.
            Ok(()) => {
                if matches!(&self.modal, Some(Modal::Form(f)) if f.kind == form.kind) {
                    self.modal = None;
                }
            }
            Err(message) => {
                if let Some(Modal::Form(f)) = &mut self.modal {
                    f.error = Some(message);
                }
            }
        }
    }

    /// Sends a command to the core and reloads; the result is shown in the status line.
    pub fn run(
        &mut self,
        core: &mut Brigade,
        request: Request,
        done: &str,
    ) -> Result<Outcome, AppError> {
        // Nothing is written while the file at the path is not the one opened.
        let result = core.check_file().and_then(|()| core.execute(&request));
        match &result {
            Ok(_) => self.info(done),
            Err(e) => self.error(format!("{}: {}", e.code(), e.message())),
        }
        self.reload(core);
        result
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

fn load(core: &mut Brigade, app: &mut App) -> Result<(), AppError> {
    // Another file at the path (or none) is never read: the banner stays until it is back.
    core.check_file()?;
    app.data.orders = core.open_orders()?;
    app.data.menu = core.menu()?;
    app.data.tickets = core.kitchen(None)?;
    let mut others: Vec<Order> = Vec::new();
    for t in &app.data.tickets {
        let known = |id: &str| {
            app.data.orders.iter().any(|o| o.order.order_id == id)
                || others.iter().any(|o| o.order_id == id)
        };
        if !known(&t.order_id) {
            if let Some(view) = core.order_view(&t.order_id)? {
                others.push(view.order);
            }
        }
    }
    app.data.ticket_orders = others;
    if app.screen == Screen::History || !app.data.recent.is_empty() {
        // Keep the same order selected when others are opened above it.
        let selected = app
            .data
            .recent
            .get(app.history.order)
            .map(|o| o.order.order_id.clone());
        app.data.recent = core.recent_orders(200)?;
        let last = app.data.recent.len().saturating_sub(1);
        app.history.order = selected
            .and_then(|id| app.data.recent.iter().position(|o| o.order.order_id == id))
            .unwrap_or(app.history.order.min(last));
    }
    history::refresh(app, core)?;
    waiter::keep_selection(app);
    kitchen::keep_selection(app);
    Ok(())
}
