//! What the history screen's keys do: the commands offered here and now, picking an order or
//! the menu, and moving through a trail (loading earlier entries at its top).

use super::{is_menu, open_order, Act, Pane, WINDOW};
use crate::tui::app::{step, Action, App};
use crate::tui::effect::Effect;
use crate::tui::form::{Form, FormKind};
use crate::tui::keys::{Cmd, Key};

pub fn commands(app: &App) -> Vec<Cmd> {
    let h = |a| Action::History(a);
    let mut c = vec![
        Cmd::new(&[Key::Up, Key::Char('k')], "up", Action::Up).quiet(),
        Cmd::new(&[Key::Down, Key::Char('j')], "down", Action::Down).quiet(),
        Cmd::new(&[Key::PageUp], "page up", Action::PageUp).quiet(),
        Cmd::new(&[Key::PageDown], "page down", Action::PageDown).quiet(),
        Cmd::new(&[Key::Home], "first", Action::Home).quiet(),
        Cmd::new(&[Key::End], "last", Action::End).quiet(),
    ];
    match app.history.pane {
        Pane::Orders => {
            if !app.data.recent.is_empty() {
                c.push(Cmd::new(
                    &[Key::Enter, Key::Right, Key::Char('l')],
                    "open",
                    h(Act::Open),
                ));
            }
        }
        Pane::Events => {
            c.push(Cmd::new(
                &[Key::Left, Key::Char('h'), Key::Esc],
                "orders",
                Action::Left,
            ));
            c.push(Cmd::new(
                &[Key::Char(']')],
                "scroll detail",
                h(Act::ScrollDown),
            ));
            c.push(Cmd::new(&[Key::Char('[')], "scroll back", h(Act::ScrollUp)).quiet());
        }
    }
    c.push(Cmd::new(
        &[Key::Char('/'), Key::Char('o')],
        "order by id",
        h(Act::Find),
    ));
    c
}

pub fn perform(app: &mut App, act: Act, fx: &mut Vec<Effect>) {
    match act {
        Act::Open => {
            if let Some(o) = app.data.recent.get(app.history.order) {
                let id = o.order.order_id.clone();
                open_order(&id, fx);
            }
        }
        Act::Find => app.open_form(
            Form::new(FormKind::OpenHistory, "Open an order's history").field("Order id", "", 40),
        ),
        Act::ScrollDown => app.history.scroll = app.history.scroll.saturating_add(5),
        Act::ScrollUp => app.history.scroll = app.history.scroll.saturating_sub(5),
    }
}

pub fn navigate(app: &mut App, action: Action, fx: &mut Vec<Effect>) {
    let page = (app.size.1 as usize / 3).max(1);
    match action {
        Action::Left | Action::Back => {
            app.history.pane = Pane::Orders;
            return;
        }
        Action::Right => {
            perform(app, Act::Open, fx);
            return;
        }
        Action::NextPane | Action::PrevPane => {
            app.history.pane = match app.history.pane {
                Pane::Orders if app.history.audit.is_some() => Pane::Events,
                _ => Pane::Orders,
            };
            return;
        }
        _ => {}
    }
    if app.history.pane == Pane::Orders {
        if let Some(next) = step(&action, app.history.order, app.data.recent.len(), page) {
            app.history.order = next;
        }
        return;
    }
    // Scrolling above the loaded window of a long trail loads the entries before it; the
    // selection moves once they are here.
    let cur = app.history.event;
    let more = match action {
        Action::Up if cur == 0 => Some(WINDOW),
        Action::PageUp if cur < page => Some(WINDOW),
        Action::Home => Some(u64::MAX),
        _ => None,
    };
    if let (Some(more), Some(audit)) = (more, &app.history.audit) {
        let first = audit.first_revision();
        if first > 1 && !is_menu(&audit.order_id) {
            fx.push(Effect::Earlier {
                order_id: audit.order_id.clone(),
                first,
                more,
                action,
            });
            return;
        }
    }
    step_events(app, action);
}

/// Moves the selected entry by `action` within the loaded window.
pub(super) fn step_events(app: &mut App, action: Action) {
    let page = (app.size.1 as usize / 3).max(1);
    let len = app.history.audit.as_ref().map_or(0, |a| a.trail.len());
    if let Some(next) = step(&action, app.history.event, len, page) {
        app.history.event = next;
        app.history.scroll = 0;
    }
}
