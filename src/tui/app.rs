//! The UI's state and its update logic. Keys become [`Action`]s through the current screen's
//! command list; actions change the state or send commands to the core. Nothing here draws or
//! touches the terminal, so key sequences can be tested without one.

use chrono::{DateTime, Utc};

use super::component;
use super::effect::{self, Effect, LoadSpec, Loaded, Msg, Then};
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

    /// Handles a key and does what it asks of the database right away (tests, and anything
    /// without a worker thread): [`App::update`], then each effect served and applied.
    pub fn on_key(&mut self, key: Key, core: &mut Brigade) {
        let effects = self.update(key);
        self.run_effects(effects, core);
    }

    /// Serves `effects` against `core` at once and applies what comes back.
    pub fn run_effects(&mut self, effects: Vec<Effect>, core: &mut Brigade) {
        for e in effects {
            let spec = self.load_spec();
            for msg in effect::serve(e, &spec, core) {
                self.apply(msg);
            }
        }
    }

    /// Handles a key on the UI thread: the state changes at once; what needs the database is
    /// returned as effects.
    pub fn update(&mut self, key: Key) -> Vec<Effect> {
        let mut fx = Vec::new();
        if key == Key::Ctrl('c') {
            self.quit = true;
            return fx;
        }
        // Nothing acts blind: on a screen too small to show anything, only quitting works.
        if self.too_small() {
            if key == Key::Char('q') {
                self.quit = true;
            }
            return fx;
        }
        if let Some(n) = &self.notice {
            let error = n.error;
            self.notice = None;
            if error {
                // The key that clears an error does nothing else.
                return fx;
            }
        }
        match &mut self.modal {
            Some(Modal::Help) => {
                self.modal = None;
                return fx;
            }
            Some(Modal::Form(form)) => {
                match form.on_key(key) {
                    super::form::Outcome::Editing => {}
                    super::form::Outcome::Cancelled => self.modal = None,
                    super::form::Outcome::Submitted => {
                        let form = form.clone();
                        self.submit_form(form, &mut fx);
                    }
                }
                return fx;
            }
            None => {}
        }
        if self.screen == Screen::Waiter
            && waiter::typing_filter(self)
            && waiter::on_filter_key(self, key)
        {
            return fx;
        }
        let cmds = self.commands();
        if let Some(action) = lookup(&cmds, key) {
            self.perform(action, &mut fx);
        }
        fx
    }

    /// Performs `action` and does what it asks of the database right away (tests).
    pub fn act(&mut self, action: Action, core: &mut Brigade) {
        let mut fx = Vec::new();
        self.perform(action, &mut fx);
        self.run_effects(fx, core);
    }

    pub fn perform(&mut self, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.modal = Some(Modal::Help),
            Action::Show(screen) => {
                self.screen = screen;
                if screen == Screen::History {
                    // The list of recent orders comes with the reload.
                    fx.push(Effect::Reload);
                }
            }
            Action::Dialog => {}
            action => component::for_action(&action, self.screen).update(self, action, fx),
        }
    }

    /// A submitted dialog closes; its command goes out, and a refusal brings the dialog back
    /// with the reason in it (see [`Then::Form`]).
    fn submit_form(&mut self, form: Form, fx: &mut Vec<Effect>) {
        self.modal = None;
        if form.kind == FormKind::OpenHistory {
            history::open_order(form.value(0).trim(), fx);
            return;
        }
        if let Err(message) = waiter::submit(self, &form, fx) {
            self.reopen(form, message);
        }
    }

    /// Opens `form` again with `message` in it, unless another dialog took its place.
    pub fn reopen(&mut self, mut form: Form, message: String) {
        if self.modal.is_none() {
            form.error = Some(message);
            self.modal = Some(Modal::Form(form));
        } else {
            self.error(message);
        }
    }

    /// Asks for `request` to be sent to the core; `then` says what to do with the answer.
    pub fn execute(&mut self, fx: &mut Vec<Effect>, request: Request, then: Then) {
        fx.push(Effect::Execute {
            request,
            then: Box::new(then),
        });
    }

    /// Takes in what came back from the database.
    pub fn apply(&mut self, msg: Msg) {
        match msg {
            Msg::Loaded(loaded) => self.apply_loaded(loaded),
            Msg::Info(text) => self.info(text),
            Msg::Error(text) => self.error(text),
            Msg::Executed {
                then,
                result,
                loaded,
            } => {
                if let (Ok(_), Then::Form { form, .. }) = (&result, &then) {
                    if matches!(form.kind, FormKind::Close { .. } | FormKind::Cancel { .. }) {
                        // This waiter closed it: no "no longer open" notice for it.
                        self.waiter.order_id = None;
                    }
                }
                self.apply_loaded(loaded);
                self.answered(then, result);
            }
            Msg::AuditOpened { order_id, result } => history::opened(self, &order_id, result),
            Msg::Earlier {
                order_id,
                first,
                action,
                result,
            } => history::earlier(self, &order_id, first, action, result),
        }
    }

    fn answered(&mut self, then: Then, result: Result<Outcome, AppError>) {
        let outcome = match result {
            Ok(o) => o,
            Err(e) => {
                let message = format!("{}: {}", e.code(), e.message());
                match then {
                    Then::Form { form, .. } => self.reopen(form, message),
                    Then::Bumped { .. } => {
                        self.kitchen.bumping = None;
                        self.error(message)
                    }
                    _ => self.error(message),
                }
                return;
            }
        };
        match then {
            Then::Info(done) => self.info(done),
            Then::Sent => self.info(match &outcome.ticket_id {
                Some(t) => format!("Sent to the kitchen as ticket {t}"),
                None => "Sent to the kitchen".to_string(),
            }),
            Then::Bumped { done, next } => kitchen::bumped(self, done, next),
            Then::Recalled { ticket_id, done } => kitchen::recalled(self, &ticket_id, done),
            Then::Form { form, done } => waiter::submitted(self, &form, done, &outcome),
        }
    }

    /// Takes in freshly read data (or the reason it could not be read).
    pub fn apply_loaded(&mut self, loaded: Loaded) {
        self.guards_missing = loaded.guards_missing;
        let fresh = match loaded.data {
            Ok(fresh) => fresh,
            Err(message) => {
                self.db_error = Some(message);
                return;
            }
        };
        self.db_error = None;
        let fresh = *fresh;
        self.data.orders = fresh.orders;
        self.data.menu = fresh.menu;
        self.data.tickets = fresh.tickets;
        self.data.ticket_orders = fresh.ticket_orders;
        if let Some(recent) = fresh.recent {
            // Keep the same order selected when others are opened above it.
            let selected = self
                .data
                .recent
                .get(self.history.order)
                .map(|o| o.order.order_id.clone());
            self.data.recent = recent;
            let last = self.data.recent.len().saturating_sub(1);
            self.history.order = selected
                .and_then(|id| self.data.recent.iter().position(|o| o.order.order_id == id))
                .unwrap_or(self.history.order.min(last));
        }
        if let Some((order_id, window)) = fresh.audit {
            history::moved_on(self, &order_id, window);
        }
        waiter::keep_selection(self);
        kitchen::keep_selection(self);
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
