//! The UI's update logic: keys become actions through the current screen's command list;
//! actions change the state or go to the core as effects; the core's answers and reloads are
//! applied here.

use crate::app::{AppError, Brigade, Outcome, Request};
use crate::tui::component;
use crate::tui::effect::{self, Effect, Loaded, Msg, Then};
use crate::tui::form::{Form, FormKind};
use crate::tui::keys::{lookup, Key};
use crate::tui::{history, kitchen, waiter};

use super::{Action, App, Modal, Screen};

impl App {
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
            Some(Modal::Add(dialog)) => {
                let order_id = dialog.order_id.clone();
                let order = self.data.order(&order_id).cloned();
                match dialog.on_key(key, order.as_ref(), &self.data.menu) {
                    crate::tui::waiter::AddOutcome::Editing => {}
                    crate::tui::waiter::AddOutcome::Cancelled => self.modal = None,
                    crate::tui::waiter::AddOutcome::Add(command) => {
                        self.modal = None;
                        waiter::add(self, &order_id, command, &mut fx);
                    }
                }
                return fx;
            }
            Some(Modal::Form(form)) => {
                match form.on_key(key) {
                    crate::tui::form::Outcome::Editing => {}
                    crate::tui::form::Outcome::Cancelled => self.modal = None,
                    crate::tui::form::Outcome::Submitted => {
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
        if matches!(form.kind, FormKind::StockCount { .. }) {
            if let Err(message) = kitchen::pane::submit(self, &form, fx) {
                self.reopen(form, message);
            }
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
            Then::Sent => self.info(sent_summary(&outcome)),
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
        self.data.expo = fresh.expo;
        self.data.recall = fresh.recall;
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
}

/// What a send became, for the status line: its tickets by station, and what waits held.
fn sent_summary(outcome: &Outcome) -> String {
    let value: serde_json::Value = serde_json::from_str(&outcome.json).unwrap_or_default();
    let tickets = value["events"][0]["payload"]["tickets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let text = |t: &serde_json::Value, k: &str| t[k].as_str().unwrap_or("").to_string();
    let now: Vec<String> = tickets
        .iter()
        .filter(|t| !t["held"].as_bool().unwrap_or(false))
        .map(|t| format!("{} {}", text(t, "ticket_id"), text(t, "station")))
        .collect();
    let mut held: Vec<u64> = tickets
        .iter()
        .filter(|t| t["held"].as_bool().unwrap_or(false))
        .filter_map(|t| t["course"].as_u64())
        .collect();
    held.dedup();
    let mut out = match (now.is_empty(), &outcome.ticket_id) {
        (false, _) => format!("Sent to the kitchen: {}", now.join(", ")),
        (true, Some(t)) if tickets.is_empty() => format!("Sent to the kitchen as ticket {t}"),
        _ => "Sent to the kitchen".to_string(),
    };
    if !held.is_empty() {
        let held: Vec<String> = held.iter().map(u64::to_string).collect();
        out.push_str(&format!("; held: course {} (f fires)", held.join(", ")));
    }
    crate::display::safe(&out).into_owned()
}
