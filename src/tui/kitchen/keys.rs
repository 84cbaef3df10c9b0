//! What the kitchen's keys and clicks do: the commands offered here and now (the domain's dry
//! run decides bump and start), moving between tickets and pages, and what a bump or a recall
//! does to the selection.

use ratatui::layout::Rect;

use super::{expo, keep_selection, pane, pick, recall, selected_index, tickets, Act, Board};
use crate::app::request::Request;
use crate::display::safe;
use crate::domain::{MenuCommand, OrderCommand};
use crate::projections::TicketView;
use crate::tui::allowed;
use crate::tui::app::{Action, App};
use crate::tui::effect::{Effect, Then};
use crate::tui::keys::{Cmd, Key};

pub fn commands(app: &App) -> Vec<Cmd> {
    let k = |a| Action::Kitchen(a);
    if app.kitchen.recall.is_some() {
        return recall_commands(app);
    }
    if app.kitchen.pane.is_some() {
        return pane_commands(app);
    }
    let mut c = Vec::new();
    let tickets = tickets(app);
    let sel = selected_index(app, &tickets).map(|i| &tickets[i]);
    for i in 1..=9u8 {
        let key = Key::Char(char::from(b'0' + i));
        let cmd = Cmd::new(&[key], "pick ticket in slot", k(Act::Slot(i as usize)));
        c.push(if i == 1 {
            cmd.shown_as("1-9", "pick")
        } else {
            cmd.covered()
        });
    }
    // The domain says what may be done to the picked ticket (a dry run of its decide).
    let menu = &app.data.menu;
    let order = sel.and_then(|t| app.data.order(&t.order_id).map(|o| (t, o)));
    if let Some((_, o)) = order.filter(|_| expo::is_expo(app)) {
        // The expeditor's bump serves the order (what is ready of it).
        if allowed::serve(o, menu) {
            c.push(Cmd::new(&[Key::Enter], "serve order", k(Act::Serve)));
        }
    } else if let Some((t, o)) = order {
        let in_flight = app.kitchen.bumping.as_deref() == Some(t.ticket_id.as_str());
        if !in_flight && allowed::bump_ticket(o, &t.ticket_id, menu) {
            c.push(Cmd::new(&[Key::Enter], "bump (ready)", k(Act::Bump)));
        }
        if allowed::start_ticket(o, &t.ticket_id, menu) {
            c.push(Cmd::new(
                &[Key::Char(' '), Key::Char('s')],
                "start",
                k(Act::Start),
            ));
        }
    }
    if !expo::is_expo(app) {
        c.push(Cmd::new(&[Key::Backspace], "recall", k(Act::Recall)));
        c.push(Cmd::new(&[Key::Char('m')], "86 menu", k(Act::Pane)));
    }
    c.push(Cmd::new(&[Key::PageUp], "previous page", Action::PageUp).quiet());
    c.push(Cmd::new(&[Key::PageDown], "next page", Action::PageDown).quiet());
    c.push(
        Cmd::new(
            &[Key::Left, Key::Up, Key::Char('h'), Key::Char('k')],
            "previous ticket",
            Action::Up,
        )
        .quiet(),
    );
    c.push(
        Cmd::new(
            &[Key::Right, Key::Down, Key::Char('l'), Key::Char('j')],
            "next ticket",
            Action::Down,
        )
        .quiet(),
    );
    c.push(Cmd::new(&[Key::Char('f')], "station", k(Act::Station)));
    c
}

/// The keys of recall's list.
fn recall_commands(app: &App) -> Vec<Cmd> {
    let k = |a| Action::Kitchen(a);
    let list = recall::list(app);
    let mut c = Vec::new();
    for i in 1..=list.len() {
        let key = Key::Char(char::from(b'0' + (i % 10) as u8));
        let cmd = Cmd::new(&[key], "bring back entry", k(Act::RecallPick(i)));
        c.push(if i == 1 {
            cmd.shown_as("1-9", "bring back")
        } else {
            cmd.covered()
        });
    }
    if !list.is_empty() {
        c.push(Cmd::new(&[Key::Enter], "bring back", k(Act::RecallBack)));
        c.push(Cmd::new(&[Key::Up, Key::Char('k')], "previous", Action::Up).quiet());
        c.push(Cmd::new(&[Key::Down, Key::Char('j')], "next", Action::Down).quiet());
    }
    c.push(Cmd::new(
        &[Key::Esc, Key::Backspace],
        "close",
        k(Act::Close),
    ));
    c
}

/// The keys of the 86 pane: each offered when the menu's decider accepts its command.
fn pane_commands(app: &App) -> Vec<Cmd> {
    let k = |a| Action::Kitchen(a);
    let menu = &app.data.menu;
    let mut c = vec![
        Cmd::new(&[Key::Up, Key::Char('k')], "previous", Action::Up).quiet(),
        Cmd::new(&[Key::Down, Key::Char('j')], "next", Action::Down).quiet(),
    ];
    if let Some(item) = pane::picked(app) {
        let id = item.id.clone();
        if allowed::menu(
            menu,
            &MenuCommand::MarkItemUnavailable {
                item_id: id.clone(),
            },
        ) {
            c.push(Cmd::new(&[Key::Char('8')], "86 it", k(Act::Off)));
        }
        if allowed::menu(
            menu,
            &MenuCommand::MarkItemAvailable {
                item_id: id.clone(),
            },
        ) {
            c.push(Cmd::new(&[Key::Char('u')], "back on", k(Act::On)));
        }
        c.push(Cmd::new(&[Key::Char('c')], "count left", k(Act::Count)));
    }
    c.push(Cmd::new(
        &[Key::Esc, Key::Char('m')],
        "close",
        k(Act::Close),
    ));
    c
}

pub fn navigate(app: &mut App, action: Action) {
    let step = |i: usize, n: usize| match action {
        Action::Up | Action::Left => i.saturating_sub(1),
        Action::Down | Action::Right => (i + 1).min(n.saturating_sub(1)),
        Action::PageUp => i.saturating_sub(10),
        Action::PageDown => (i + 10).min(n.saturating_sub(1)),
        _ => i,
    };
    if let Some(i) = app.kitchen.recall {
        app.kitchen.recall = Some(step(i, recall::list(app).len()));
        return;
    }
    if let Some(i) = app.kitchen.pane {
        app.kitchen.pane = Some(step(i, pane::items(app).len()));
        return;
    }
    let board = Board::of(app);
    let tickets = &board.tickets;
    if tickets.is_empty() {
        return;
    }
    let page = board.page(app);
    let cur = selected_index(app, tickets)
        .or(board.first_on(page))
        .unwrap_or(0);
    let last = tickets.len() - 1;
    let turn = |to: usize| -> Option<(usize, usize)> {
        // A page turn shows that page, picking the first ticket on it.
        board.first_on(to).map(|t| (t, to))
    };
    let next = match action {
        Action::Up | Action::Left => Some(cur.saturating_sub(1)).map(|t| (t, board.page_of(t))),
        Action::Down | Action::Right => Some((cur + 1).min(last)).map(|t| (t, board.page_of(t))),
        Action::PageDown => turn((page + 1).min(board.pages.len() - 1)),
        Action::PageUp => turn(page.saturating_sub(1)),
        Action::Home => Some((0, 0)),
        Action::End => Some((last, board.page_of(last))),
        _ => None,
    };
    if let Some((ticket, page)) = next {
        pick(app, &tickets[ticket].ticket_id);
        app.kitchen.page = page;
    }
}

/// A bump went through: this cook bumped it, so nothing is "lost"; on to the next ticket, or
/// to whatever comes.
pub fn bumped(app: &mut App, done: String, next: Option<String>) {
    app.kitchen.bumping = None;
    app.kitchen.lost = false;
    app.info(done);
    match next {
        Some(next) => pick(app, &next),
        None => app.kitchen.selected = None,
    }
    keep_selection(app);
}

/// A recall went through: the recalled ticket is picked, on its page.
pub fn recalled(app: &mut App, ticket_id: &str, done: String) {
    app.info(done);
    pick(app, ticket_id);
    let board = Board::of(app);
    if let Some(i) = selected_index(app, &board.tickets) {
        app.kitchen.page = board.page_of(i);
    }
}

fn request(t: &TicketView, command: OrderCommand) -> Request {
    Request::order(&t.order_id, command).with_command_id(crate::app::context::new_uuid())
}

pub fn perform(app: &mut App, act: Act, fx: &mut Vec<Effect>) {
    let tickets = tickets(app);
    let selected = selected_index(app, &tickets).map(|i| tickets[i].clone());
    match act {
        Act::Slot(n) => {
            // Any slot of a ticket picks the whole ticket.
            let board = Board::of(app);
            match board.at_slot(board.page(app), n) {
                Some(t) => {
                    let id = t.ticket_id.clone();
                    pick(app, &id)
                }
                None => app.info(format!("No ticket in slot {n}")),
            }
        }
        Act::Bump => {
            if let Some(t) = selected {
                // After a bump the cook is on the next ticket (the one that takes its place).
                let index = selected_index(app, &tickets).unwrap_or(0);
                let next = tickets
                    .get(index + 1)
                    .or_else(|| index.checked_sub(1).and_then(|i| tickets.get(i)))
                    .map(|n| n.ticket_id.clone());
                let r = request(
                    &t,
                    OrderCommand::BumpTicket {
                        ticket_id: t.ticket_id.clone(),
                    },
                );
                let done = if t.cancelled {
                    format!("Cleared the cancelled ticket of {}", safe(&t.label))
                } else {
                    format!("Bumped {} — Backspace recalls it", safe(&t.label))
                };
                app.kitchen.bumping = Some(t.ticket_id.clone());
                app.execute(fx, r, Then::Bumped { done, next });
            }
        }
        Act::Start => {
            if let Some(t) = selected {
                let r = request(
                    &t,
                    OrderCommand::StartTicket {
                        ticket_id: t.ticket_id.clone(),
                    },
                );
                app.execute(fx, r, Then::Info(format!("Cooking {}", safe(&t.label))));
            }
        }
        Act::Recall => app.kitchen.recall = Some(0),
        Act::RecallPick(n) => {
            app.kitchen.recall = Some(n - 1);
            bring_back(app, fx);
        }
        Act::RecallBack => bring_back(app, fx),
        Act::Close => {
            app.kitchen.recall = None;
            app.kitchen.pane = None;
        }
        Act::Pane => app.kitchen.pane = Some(0),
        Act::Off | Act::On => {
            if let Some(item) = pane::picked(app) {
                let (command, done) = if act == Act::Off {
                    (
                        MenuCommand::MarkItemUnavailable { item_id: item.id },
                        format!("86'd {}", safe(&item.name)),
                    )
                } else {
                    (
                        MenuCommand::MarkItemAvailable { item_id: item.id },
                        format!("{} is back on", safe(&item.name)),
                    )
                };
                pane::send(app, fx, command, done);
            }
        }
        Act::Count => pane::ask_count(app),
        Act::Serve => serve(app, selected, fx),
        Act::Station => {
            let mut stations: Vec<String> = app
                .data
                .menu
                .items
                .iter()
                .map(|i| i.station.clone())
                .collect();
            stations.sort();
            stations.dedup();
            // The expeditor's screen comes after the stations.
            stations.push(expo::EXPO.to_string());
            app.kitchen.station = match &app.kitchen.station {
                None => stations.first().cloned(),
                Some(s) => stations
                    .iter()
                    .position(|x| x == s)
                    .and_then(|i| stations.get(i + 1).cloned()),
            };
            app.kitchen.page = 0;
            app.kitchen.selected = None;
            app.kitchen.lost = false;
            keep_selection(app);
            let label = app
                .kitchen
                .station
                .clone()
                .unwrap_or_else(|| "all stations".into());
            app.info(format!("Showing {label}"));
        }
    }
}

/// Brings back the ticket picked in recall's list.
fn bring_back(app: &mut App, fx: &mut Vec<Effect>) {
    let list = recall::list(app);
    let Some(t) = app.kitchen.recall.and_then(|i| list.get(i)).cloned() else {
        return;
    };
    app.kitchen.recall = None;
    let r = request(
        &t,
        OrderCommand::RecallTicket {
            ticket_id: t.ticket_id.clone(),
        },
    );
    let then = Then::Recalled {
        ticket_id: t.ticket_id.clone(),
        done: format!("Recalled {} ({})", safe(&t.label), safe(&t.station)),
    };
    app.execute(fx, r, then);
}

/// The expeditor serves the picked order: at once when every station has bumped, else on a
/// second Enter, having said which stations are still cooking.
fn serve(app: &mut App, selected: Option<TicketView>, fx: &mut Vec<Effect>) {
    let Some(t) = selected else { return };
    let group = expo::group_of(app, &t.order_id);
    if !expo::done(&group) && app.kitchen.serve_confirm.as_deref() != Some(&t.order_id) {
        app.kitchen.serve_confirm = Some(t.order_id.clone());
        app.info(format!(
            "{}: still waiting on {} — Enter again serves what is ready",
            safe(&t.label),
            expo::waiting(&group).join(", ")
        ));
        return;
    }
    app.kitchen.serve_confirm = None;
    // Like a bump: the expeditor is on the next order after it.
    let orders = tickets(app);
    let index = selected_index(app, &orders).unwrap_or(0);
    let next = orders
        .get(index + 1)
        .or_else(|| index.checked_sub(1).and_then(|i| orders.get(i)))
        .map(|n| n.ticket_id.clone());
    let r = request(&t, OrderCommand::ServeTicket { ticket_id: None });
    let done = format!("Served {}", safe(&t.label));
    app.execute(fx, r, Then::Bumped { done, next });
}

/// A mouse click in the body: select the card under it.
pub fn click(app: &mut App, body: Rect, x: u16, y: u16) {
    let board = Board::new(app, body);
    let page = board.page(app);
    let hit = board.pages[page]
        .iter()
        .find(|p| x >= p.cell.x && x < p.cell.right() && y >= p.cell.y && y < p.cell.bottom());
    if let Some(part) = hit {
        let id = board.tickets[part.ticket].ticket_id.clone();
        pick(app, &id);
    }
}
