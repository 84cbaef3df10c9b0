//! The waiter's screen: open orders, the selected order's lines, and the menu to add from.
//! Only the actions the selected order's state allows are offered.

mod actions;
mod add_dialog;
pub mod allergens;
mod dialogs;
mod lines;
mod menu;
mod orders;
pub mod rank;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use actions::request;
pub use actions::{add, perform};
pub use add_dialog::{AddDialog, Outcome as AddOutcome};
pub use dialogs::{submit, submitted};
pub use lines::UNAVAILABLE_HINT;
pub use menu::{menu_items, on_filter_key, paste_filter};

use super::allowed;
use super::app::{Action, App};
use super::keys::{Cmd, Key};
use crate::display::safe;
use crate::domain::order::Line as OrderLine;
use crate::projections::OrderView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Orders,
    Lines,
    Menu,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub pane: Pane,
    /// The selected order, by id, so that it stays selected as the list changes.
    pub order_id: Option<String>,
    pub line: usize,
    pub menu: usize,
    pub filter: String,
    pub filtering: bool,
    /// The menu's highlighted item was chosen (typed for, or moved to) since the menu got the
    /// focus: only then does Enter add it, so that an Enter meant for something else (a
    /// double-pressed "new order") never adds whatever happened to be highlighted.
    pub menu_armed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    NewOrder,
    Filter,
    StopFilter,
    AddItem,
    AddWith,
    More,
    Less,
    Note,
    /// Move the line to another seat.
    Seat,
    Remove,
    Void,
    Send,
    Serve,
    Pay,
    Cancel,
    /// Fire the next held course.
    Fire,
    /// Rush the order: its tickets go first in the kitchen.
    Rush,
}

pub fn selected_order(app: &App) -> Option<&OrderView> {
    let id = app.waiter.order_id.as_deref()?;
    app.data.orders.iter().find(|o| o.order.order_id == id)
}

fn order_index(app: &App) -> usize {
    app.waiter
        .order_id
        .as_deref()
        .and_then(|id| app.data.orders.iter().position(|o| o.order.order_id == id))
        .unwrap_or(0)
}

fn selected_line(app: &App) -> Option<&OrderLine> {
    let order = &selected_order(app)?.order;
    order.lines.get(*line_order(order).get(app.waiter.line)?)
}

/// The order's lines as the waiter sees them (indices into its lines): by course — the ones
/// that go with the send first, then course 1, 2… — and in the order they were added within
/// a course. The waiter's line numbers and the selection follow this order.
pub fn line_order(order: &crate::domain::Order) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..order.lines.len()).collect();
    idx.sort_by_key(|&i| order.lines[i].course);
    idx
}

pub fn typing_filter(app: &App) -> bool {
    app.waiter.filtering && app.waiter.pane == Pane::Menu
}

pub fn keep_selection(app: &mut App) {
    let w = &mut app.waiter;
    let orders = &app.data.orders;
    let still_there = w
        .order_id
        .as_deref()
        .is_some_and(|id| orders.iter().any(|o| o.order.order_id == id));
    if !still_there {
        // The order went away (paid or cancelled, here or at another terminal): never carry on
        // in its panes with another table's order. Back to the list, and say so.
        if let Some(gone) = w.order_id.take() {
            w.pane = Pane::Orders;
            w.filtering = false;
            let on_screen = app.screen == super::app::Screen::Waiter;
            if on_screen && !app.notice.as_ref().is_some_and(|n| n.error) {
                app.info(format!("Order {} is no longer open", safe(&gone)));
            }
        }
        let w = &mut app.waiter;
        w.order_id = app.data.orders.first().map(|o| o.order.order_id.clone());
        w.line = 0;
    }
    let lines = selected_order(app).map_or(0, |o| o.order.lines.len());
    app.waiter.line = app.waiter.line.min(lines.saturating_sub(1));
    let items = menu_items(app).len();
    app.waiter.menu = app.waiter.menu.min(items.saturating_sub(1));
}

pub fn commands(app: &App) -> Vec<Cmd> {
    use Act::*;
    let w = |a| Action::Waiter(a);
    let mut c = Vec::new();
    let order = selected_order(app).map(|o| &o.order);
    let menu = &app.data.menu;
    // Whether each command is offered is the domain's answer (a dry run of its decide).
    let highlighted = menu_items(app).get(app.waiter.menu).copied();
    let can_add = order.is_some_and(|o| allowed::add_item(o, highlighted, menu));
    if typing_filter(app) {
        // Letters go into the filter; only these keys are commands meanwhile.
        c.push(Cmd::new(&[Key::Up], "up", Action::Up).quiet());
        c.push(Cmd::new(&[Key::Down], "down", Action::Down).quiet());
        c.push(Cmd::new(&[Key::PageUp], "page up", Action::PageUp).quiet());
        c.push(Cmd::new(&[Key::PageDown], "page down", Action::PageDown).quiet());
        if can_add {
            c.push(Cmd::new(&[Key::Enter], "add", w(AddItem)));
        }
        c.push(Cmd::new(&[Key::Esc], "stop filtering", w(StopFilter)));
        c.push(Cmd::new(&[Key::Tab], "next pane", Action::NextPane).quiet());
        c.push(Cmd::new(&[Key::BackTab], "previous pane", Action::PrevPane).quiet());
        return c;
    }
    let send = order.is_some_and(|o| allowed::send(o, menu));
    let serve = order.is_some_and(|o| allowed::serve(o, menu));
    let pay = order.is_some_and(|o| allowed::pay(o, menu));
    let cancel = order.is_some_and(|o| allowed::cancel(o, menu));
    let nav = |c: &mut Vec<Cmd>| {
        c.push(Cmd::new(&[Key::Up, Key::Char('k')], "up", Action::Up).quiet());
        c.push(Cmd::new(&[Key::Down, Key::Char('j')], "down", Action::Down).quiet());
        c.push(Cmd::new(&[Key::PageUp], "page up", Action::PageUp).quiet());
        c.push(Cmd::new(&[Key::PageDown], "page down", Action::PageDown).quiet());
    };
    match app.waiter.pane {
        Pane::Orders => {
            c.push(Cmd::new(&[Key::Char('n')], "new order", w(NewOrder)));
            if order.is_some() {
                c.push(Cmd::new(
                    &[Key::Enter, Key::Right, Key::Char('l')],
                    "open",
                    Action::Right,
                ));
            }
            nav(&mut c);
        }
        Pane::Lines => {
            nav(&mut c);
            c.push(
                Cmd::new(
                    &[Key::Left, Key::Char('h'), Key::Esc],
                    "orders",
                    Action::Left,
                )
                .quiet(),
            );
            if let (Some(o), Some(line)) = (order, selected_line(app)) {
                if allowed::more(o, line, menu) {
                    c.push(Cmd::new(&[Key::Char('+'), Key::Char('=')], "more", w(More)));
                }
                if allowed::less(o, line, menu) {
                    c.push(Cmd::new(&[Key::Char('-')], "less", w(Less)));
                }
                if allowed::note(o, line, menu) {
                    c.push(Cmd::new(&[Key::Char('e')], "note", w(Note)));
                }
                if allowed::seat(o, line, menu) {
                    c.push(Cmd::new(&[Key::Char('t')], "seat", w(Seat)).quiet());
                }
                if allowed::remove(o, line, menu) {
                    c.push(Cmd::new(
                        &[Key::Char('d'), Key::Delete],
                        "remove",
                        w(Remove),
                    ));
                }
                if allowed::void(o, line, menu) {
                    c.push(Cmd::new(&[Key::Char('x')], "void", w(Void)));
                }
            }
        }
        Pane::Menu => {
            nav(&mut c);
            if can_add {
                c.push(Cmd::new(&[Key::Enter], "add", w(AddItem)));
                c.push(Cmd::new(&[Key::Char('a')], "add ×/note", w(AddWith)));
            }
            c.push(Cmd::new(&[Key::Char('/')], "filter", w(Filter)));
            c.push(Cmd::new(&[Key::Esc], "orders", Action::Left).quiet());
        }
    }
    if send {
        c.push(Cmd::new(&[Key::Char('s')], "send", w(Send)));
    }
    if let Some(o) = order.filter(|o| allowed::fire(o, menu)) {
        let label = match o.next_course_to_fire() {
            Some(2) => "fire course 2",
            Some(3) => "fire course 3",
            Some(4) => "fire course 4",
            Some(5) => "fire course 5",
            _ => "fire next course",
        };
        c.push(Cmd::new(&[Key::Char('f')], label, w(Fire)));
    }
    if order.is_some_and(|o| allowed::rush(o, menu)) {
        c.push(Cmd::new(&[Key::Char('r')], "rush", w(Rush)).quiet());
    }
    if serve {
        c.push(Cmd::new(&[Key::Char('v')], "served", w(Serve)));
    }
    if pay {
        c.push(Cmd::new(&[Key::Char('p')], "pay", w(Pay)));
    }
    if cancel {
        c.push(Cmd::new(&[Key::Char('c')], "cancel order", w(Cancel)).quiet());
    }
    if app.waiter.pane != Pane::Menu && can_add {
        c.push(Cmd::new(&[Key::Char('m'), Key::Char('/')], "menu", w(Filter)).quiet());
    }
    if app.waiter.pane != Pane::Orders {
        c.push(Cmd::new(&[Key::Char('n')], "new order", w(NewOrder)).quiet());
    }
    c
}

pub fn navigate(app: &mut App, action: Action) {
    let w = &mut app.waiter;
    let (len, cur): (usize, usize) = match w.pane {
        Pane::Orders => (app.data.orders.len(), order_index(app)),
        Pane::Lines => (
            selected_order(app).map_or(0, |o| o.order.lines.len()),
            app.waiter.line,
        ),
        Pane::Menu => (menu_items(app).len(), app.waiter.menu),
    };
    let page = (app.size.1 as usize / 2).max(1);
    let next = match action {
        Action::Right => {
            app.waiter.pane = Pane::Lines;
            return;
        }
        Action::Left | Action::Back => {
            app.waiter.pane = Pane::Orders;
            app.waiter.filtering = false;
            return;
        }
        Action::NextPane | Action::PrevPane => {
            let forward = action == Action::NextPane;
            app.waiter.pane = match (app.waiter.pane, forward) {
                (Pane::Orders, true) | (Pane::Menu, false) => Pane::Lines,
                (Pane::Lines, true) | (Pane::Orders, false) => Pane::Menu,
                (Pane::Menu, true) | (Pane::Lines, false) => Pane::Orders,
            };
            app.waiter.filtering = false;
            app.waiter.menu_armed = false;
            return;
        }
        ref movement => match super::app::step(movement, cur, len, page) {
            Some(next) => next,
            None => return,
        },
    };
    match app.waiter.pane {
        Pane::Orders => {
            app.waiter.order_id = app.data.orders.get(next).map(|o| o.order.order_id.clone());
            app.waiter.line = 0;
        }
        Pane::Lines => app.waiter.line = next,
        Pane::Menu => {
            app.waiter.menu = next;
            app.waiter.menu_armed = true;
        }
    }
}

// ---- drawing ----

pub struct Areas {
    pub orders: Rect,
    pub lines: Rect,
    pub menu: Rect,
}

pub fn areas(body: Rect) -> Areas {
    let left = (body.width * 43 / 100).clamp(30, 40).min(body.width);
    let [orders, right] =
        Layout::horizontal([Constraint::Length(left), Constraint::Fill(1)]).areas(body);
    let [lines, menu] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
    Areas {
        orders,
        lines,
        menu,
    }
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App) {
    let a = areas(body);
    orders::draw(frame, a.orders, app);
    lines::draw(frame, a.lines, app);
    menu::draw(frame, a.menu, app);
}

/// A mouse click in the body: select what is under it.
pub fn click(app: &mut App, body: Rect, x: u16, y: u16) {
    let a = areas(body);
    let inside = |r: Rect| x > r.x && x < r.right() - 1 && y > r.y && y < r.bottom() - 1;
    if inside(a.orders) {
        app.waiter.pane = Pane::Orders;
        // The list scrolls to keep the selection in view: rows start at that offset.
        let rows = a.orders.height.saturating_sub(2) as usize;
        let offset = order_index(app).saturating_sub(rows.saturating_sub(1));
        let i = offset + (y - a.orders.y - 1) as usize;
        if let Some(o) = app.data.orders.get(i) {
            app.waiter.order_id = Some(o.order.order_id.clone());
            app.waiter.line = 0;
        }
    } else if inside(a.lines) {
        app.waiter.pane = Pane::Lines;
    } else if inside(a.menu) {
        if app.waiter.pane != Pane::Menu {
            app.waiter.menu_armed = false;
        }
        app.waiter.pane = Pane::Menu;
    }
}
