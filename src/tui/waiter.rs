//! The waiter's screen: open orders, the selected order's lines, and the menu to add from.
//! Only the actions the selected order's state allows are offered.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::app::{Action, App};
use super::chrome::pane as block;
use super::form::{Form, FormKind};
use super::keys::{Cmd, Key};
use crate::app::request::{AppCommand, Request};
use crate::app::Brigade;
use crate::display::{age, clip, money, safe};
use crate::domain::menu::MenuItem;
use crate::domain::order::{CustomerInput, Line as OrderLine, LineStatus, TicketStatus};
use crate::domain::OrderCommand;
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
    Remove,
    Void,
    Send,
    Serve,
    Pay,
    Cancel,
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
    selected_order(app)?.order.lines.get(app.waiter.line)
}

/// Menu items matching the filter (name, id or category, any case), in menu order.
pub fn menu_items(app: &App) -> Vec<&MenuItem> {
    let f = app.waiter.filter.to_lowercase();
    app.data
        .menu
        .items
        .iter()
        .filter(|i| {
            f.is_empty()
                || i.name.to_lowercase().contains(&f)
                || i.id.contains(&f)
                || i.category.to_lowercase().contains(&f)
        })
        .collect()
}

pub fn typing_filter(app: &App) -> bool {
    app.waiter.filtering && app.waiter.pane == Pane::Menu
}

/// Keys while typing a menu filter: text edits the filter; Enter adds, arrows move, Esc stops.
/// Returns false for keys the screen's commands should handle.
pub fn on_filter_key(app: &mut App, key: Key) -> bool {
    match key {
        Key::Char(c) if !c.is_control() && app.waiter.filter.chars().count() < 30 => {
            app.waiter.filter.push(c);
            app.waiter.menu = 0;
            app.waiter.menu_armed = true;
            true
        }
        Key::Backspace => {
            app.waiter.filter.pop();
            app.waiter.menu = 0;
            true
        }
        _ => false,
    }
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
    let active = order.is_some_and(|o| o.status.is_active());
    if typing_filter(app) {
        // Letters go into the filter; only these keys are commands meanwhile.
        c.push(Cmd::new(&[Key::Up], "up", Action::Up).quiet());
        c.push(Cmd::new(&[Key::Down], "down", Action::Down).quiet());
        c.push(Cmd::new(&[Key::PageUp], "page up", Action::PageUp).quiet());
        c.push(Cmd::new(&[Key::PageDown], "page down", Action::PageDown).quiet());
        if active {
            c.push(Cmd::new(&[Key::Enter], "add", w(AddItem)));
        }
        c.push(Cmd::new(&[Key::Esc], "stop filtering", w(StopFilter)));
        c.push(Cmd::new(&[Key::Tab], "next pane", Action::NextPane).quiet());
        c.push(Cmd::new(&[Key::BackTab], "previous pane", Action::PrevPane).quiet());
        return c;
    }
    let pending = order.is_some_and(|o| o.pending_lines().next().is_some());
    let ready = order.is_some_and(|o| o.tickets.iter().any(|t| t.status == TicketStatus::Ready));
    let closable = order.is_some_and(|o| {
        o.status.is_active()
            && !pending
            && o.lines.iter().any(|l| l.live_quantity() > 0)
            && o.lines
                .iter()
                .all(|l| l.live_quantity() == 0 || l.status == LineStatus::Served)
    });
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
            if let Some(line) = selected_line(app).filter(|_| active) {
                if line.status == LineStatus::Pending {
                    c.push(Cmd::new(&[Key::Char('+'), Key::Char('=')], "more", w(More)));
                    c.push(Cmd::new(&[Key::Char('-')], "less", w(Less)));
                    c.push(Cmd::new(&[Key::Char('e')], "note", w(Note)));
                    c.push(Cmd::new(
                        &[Key::Char('d'), Key::Delete],
                        "remove",
                        w(Remove),
                    ));
                } else if line.live_quantity() > 0 {
                    c.push(Cmd::new(&[Key::Char('x')], "void", w(Void)));
                }
            }
        }
        Pane::Menu => {
            nav(&mut c);
            if active {
                c.push(Cmd::new(&[Key::Enter], "add", w(AddItem)));
                c.push(Cmd::new(&[Key::Char('a')], "add ×/note", w(AddWith)));
            }
            c.push(Cmd::new(&[Key::Char('/')], "filter", w(Filter)));
            c.push(Cmd::new(&[Key::Esc], "orders", Action::Left).quiet());
        }
    }
    if pending && active {
        c.push(Cmd::new(&[Key::Char('s')], "send", w(Send)));
    }
    if ready {
        c.push(Cmd::new(&[Key::Char('v')], "served", w(Serve)));
    }
    if closable {
        c.push(Cmd::new(&[Key::Char('p')], "pay", w(Pay)));
    }
    if active {
        c.push(Cmd::new(&[Key::Char('c')], "cancel order", w(Cancel)).quiet());
    }
    if app.waiter.pane != Pane::Menu && active {
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

fn request(order_id: &str, command: OrderCommand) -> Request {
    Request::order(order_id, command).with_command_id(crate::app::context::new_uuid())
}

pub fn perform(app: &mut App, act: Act, core: &mut Brigade) {
    let order = selected_order(app).map(|o| o.order.clone());
    let line = selected_line(app).cloned();
    let oid = order
        .as_ref()
        .map(|o| o.order_id.clone())
        .unwrap_or_default();
    match act {
        Act::NewOrder => app.open_form(
            Form::new(FormKind::NewOrder, "New order")
                .field("Table (leave empty for takeout)", "", 16)
                .field("Covers", "", 2)
                .field("Takeout: customer name", "", 80),
        ),
        Act::Filter => {
            if app.waiter.pane != Pane::Menu {
                app.waiter.menu_armed = false;
            }
            app.waiter.pane = Pane::Menu;
            app.waiter.filtering = true;
        }
        Act::StopFilter => {
            app.waiter.filtering = false;
            app.waiter.filter.clear();
        }
        Act::AddItem => {
            if !app.waiter.menu_armed {
                app.info("Pick the item first: type to filter, or move to it with ↑↓");
                return;
            }
            let Some(item) = menu_items(app).get(app.waiter.menu).map(|i| (*i).clone()) else {
                return;
            };
            if !item.available {
                app.error(format!(
                    "{} is 86'd: it cannot be ordered",
                    safe(&item.name)
                ));
                return;
            }
            let r = request(
                &oid,
                OrderCommand::AddItem {
                    item_id: item.id.clone(),
                    quantity: 1,
                    note: None,
                },
            );
            let _ = app.run(core, r, &format!("Added {}", item.name));
        }
        Act::AddWith => {
            if let Some(item) = menu_items(app).get(app.waiter.menu).map(|i| (*i).clone()) {
                app.open_form(
                    Form::new(
                        FormKind::AddItem {
                            order_id: oid,
                            item_id: item.id.clone(),
                        },
                        format!("Add {}", safe(&item.name)),
                    )
                    .field("Quantity", "1", 2)
                    .field("Note for the kitchen", "", 140),
                );
            }
        }
        Act::More | Act::Less => {
            let Some(line) = line else { return };
            let q = line.quantity as i64 + if act == Act::More { 1 } else { -1 };
            if q < 1 {
                app.error("Already 1: press d to remove the line");
                return;
            }
            let r = request(
                &oid,
                OrderCommand::ChangeItemQuantity {
                    line_id: line.line_id.clone(),
                    quantity: q,
                },
            );
            let _ = app.run(core, r, &format!("{} ×{q}", line.name));
        }
        Act::Note => {
            if let Some(line) = line {
                app.open_form(
                    Form::new(
                        FormKind::Note {
                            order_id: oid,
                            line_id: line.line_id.clone(),
                        },
                        format!("Note on {}", safe(&line.name)),
                    )
                    .field(
                        "Note for the kitchen",
                        line.note.as_deref().unwrap_or(""),
                        140,
                    ),
                );
            }
        }
        Act::Remove => {
            if let Some(line) = line {
                let r = request(
                    &oid,
                    OrderCommand::RemoveItem {
                        line_id: line.line_id.clone(),
                    },
                );
                let _ = app.run(core, r, &format!("Removed {}", line.name));
            }
        }
        Act::Void => {
            if let Some(line) = line {
                app.open_form(
                    Form::new(
                        FormKind::Void {
                            order_id: oid,
                            line_id: line.line_id.clone(),
                        },
                        format!("Void {} (the kitchen sees it)", safe(&line.name)),
                    )
                    .field("Quantity to void", &line.live_quantity().to_string(), 2)
                    .field("Reason (required)", "", 200),
                );
            }
        }
        Act::Send => {
            let r = request(&oid, OrderCommand::PlaceOrder);
            if let Ok(o) = app.run(core, r, "Sent to the kitchen") {
                if let Some(t) = &o.ticket_id {
                    app.info(format!("Sent to the kitchen as ticket {t}"));
                }
            }
        }
        Act::Serve => {
            let r = request(&oid, OrderCommand::ServeTicket { ticket_id: None });
            let _ = app.run(core, r, "Marked served");
        }
        Act::Pay => {
            let total = order.as_ref().map_or(0, |o| o.total_cents());
            app.open_form(
                Form::new(
                    FormKind::Close { order_id: oid },
                    format!("Close and pay {}", money(total)),
                )
                .field("Payment (card, cash…)", "card", 30),
            );
        }
        Act::Cancel => app.open_form(
            Form::new(
                FormKind::Cancel { order_id: oid },
                format!(
                    "Cancel {}",
                    order
                        .as_ref()
                        .map_or(String::new(), |o| safe(&o.label()).into_owned())
                ),
            )
            .field("Reason (required)", "", 200),
        ),
    }
}

/// Submits a waiter form; `Err` keeps the form open with the message.
pub fn submit(app: &mut App, form: &Form, core: &mut Brigade) -> Result<(), String> {
    let int = |s: &str, what: &str| -> Result<Option<i64>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{what} must be a number"))
    };
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let (request, done) = match &form.kind {
        FormKind::NewOrder => {
            let table = text(form.value(0));
            let name = text(form.value(2));
            let r = Request::new(AppCommand::Order {
                order_id: None,
                command: OrderCommand::OpenOrder {
                    order_id: String::new(),
                    table: table.clone(),
                    covers: int(form.value(1), "Covers")?,
                    customer: name.clone().map(|n| CustomerInput {
                        name: Some(n),
                        ..Default::default()
                    }),
                },
            });
            let label = table
                .map(|t| format!("table {t}"))
                .or(name)
                .unwrap_or_default();
            (r, format!("Opened an order for {label}"))
        }
        FormKind::AddItem { order_id, item_id } => (
            request(
                order_id,
                OrderCommand::AddItem {
                    item_id: item_id.clone(),
                    quantity: int(form.value(0), "Quantity")?.unwrap_or(1),
                    note: text(form.value(1)),
                },
            ),
            "Added".to_string(),
        ),
        FormKind::Note { order_id, line_id } => (
            request(
                order_id,
                OrderCommand::ChangeItemNote {
                    line_id: line_id.clone(),
                    note: text(form.value(0)),
                },
            ),
            "Note saved".to_string(),
        ),
        FormKind::Void { order_id, line_id } => (
            request(
                order_id,
                OrderCommand::VoidItem {
                    line_id: line_id.clone(),
                    quantity: int(form.value(0), "Quantity")?,
                    reason: text(form.value(1)),
                },
            ),
            "Voided: the kitchen sees it".to_string(),
        ),
        FormKind::Cancel { order_id } => (
            request(
                order_id,
                OrderCommand::CancelOrder {
                    reason: text(form.value(0)),
                },
            ),
            "Order cancelled".to_string(),
        ),
        FormKind::Close { order_id } => (
            request(
                order_id,
                OrderCommand::CloseOrder {
                    payment: text(form.value(0)),
                },
            ),
            "Paid and closed".to_string(),
        ),
        FormKind::OpenHistory => return Ok(()),
    };
    match core.execute(&request) {
        Ok(outcome) => {
            if matches!(form.kind, FormKind::Close { .. } | FormKind::Cancel { .. }) {
                // This waiter closed it: no "no longer open" notice for it.
                app.waiter.order_id = None;
            }
            app.info(done);
            app.reload(core);
            if form.kind == FormKind::NewOrder {
                app.waiter.order_id = outcome.order_id().map(str::to_string);
                app.waiter.pane = Pane::Menu;
                app.waiter.filtering = true;
                app.waiter.menu_armed = false;
                app.waiter.line = 0;
            }
            Ok(())
        }
        Err(e) => Err(format!("{}: {}", e.code(), e.message())),
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

fn status_word(l: &OrderLine) -> &'static str {
    match l.status {
        LineStatus::Pending => "not sent",
        LineStatus::Sent => "in kitchen",
        LineStatus::InProgress => "cooking",
        LineStatus::Ready => "READY",
        LineStatus::Served => "served",
        LineStatus::Voided => "voided",
    }
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App) {
    let a = areas(body);
    let t = &app.theme;
    let pane = app.waiter.pane;

    // Open orders.
    let items: Vec<ListItem> = app
        .data
        .orders
        .iter()
        .map(|o| {
            let secs = (app.now - o.opened_at).num_seconds();
            let label = o.order.label();
            let w = (a.orders.width.saturating_sub(2 + 24) as usize).max(4);
            let covers = o.order.covers.map_or("–".to_string(), |c| c.to_string());
            ListItem::new(Line::from(vec![
                Span::raw(format!("{:<w$} ", clip(&safe(&label), w))),
                Span::styled(format!("{covers:>2} "), t.dim()),
                Span::styled(
                    format!("{:<6} ", o.order.status.as_str()),
                    if o.order
                        .tickets
                        .iter()
                        .any(|t| t.status == TicketStatus::Ready)
                    {
                        t.warn()
                    } else {
                        t.dim()
                    },
                ),
                Span::raw(format!("{:>5} {:>7}", age(secs), money(o.total_cents))),
            ]))
        })
        .collect();
    let mut state =
        ListState::default().with_selected((!app.data.orders.is_empty()).then(|| order_index(app)));
    frame.render_stateful_widget(
        List::new(items)
            .block(block(
                app,
                format!(" Open orders ({}) · covers ", app.data.orders.len()),
                pane == Pane::Orders,
            ))
            .highlight_style(t.selected()),
        a.orders,
        &mut state,
    );
    if app.data.orders.is_empty() {
        let inner = Block::bordered().inner(a.orders);
        frame.render_widget(
            Paragraph::new("No open orders.\nPress n to open one.").style(t.dim()),
            inner,
        );
    }

    // The selected order.
    match selected_order(app) {
        None => frame.render_widget(
            Paragraph::new("Select or open an order").block(block(
                app,
                " Order ".into(),
                pane == Pane::Lines,
            )),
            a.lines,
        ),
        Some(o) => {
            let order = &o.order;
            let mut title = format!(" {} ", safe(&order.label()));
            if let Some(c) = order.covers {
                title.push_str(&format!("· {c} covers "));
            }
            title.push_str(&format!(
                "· {} · {} · {} ",
                order.status.as_str(),
                safe(&o.opened_by),
                money(o.total_cents)
            ));
            let width = a.lines.width.saturating_sub(2) as usize;
            let name_w = width.saturating_sub(31).max(4);
            let items: Vec<ListItem> = order
                .lines
                .iter()
                .map(|l| {
                    let qty = if l.voided > 0 && l.live_quantity() > 0 {
                        format!("{}×(-{})", l.live_quantity(), l.voided)
                    } else {
                        format!("{}×", l.quantity)
                    };
                    let style = match l.status {
                        LineStatus::Voided => t.voided(),
                        LineStatus::Ready => t.warn(),
                        LineStatus::Pending => t.ok(),
                        _ => Style::new(),
                    };
                    let mut lines = vec![Line::from(vec![Span::styled(
                        format!(
                            "{:<5}{:>6} {:<name_w$} {:<10}{:>8}",
                            l.line_id,
                            qty,
                            clip(&safe(&l.name), name_w),
                            status_word(l),
                            money(l.total_cents())
                        ),
                        style,
                    )])];
                    if let Some(n) = &l.note {
                        lines.push(Line::from(Span::styled(
                            format!("      ✎ {}", clip(&safe(n), width.saturating_sub(8))),
                            t.note(),
                        )));
                    }
                    ListItem::new(lines)
                })
                .collect();
            let mut state = ListState::default().with_selected(
                (pane == Pane::Lines && !order.lines.is_empty()).then_some(app.waiter.line),
            );
            frame.render_stateful_widget(
                List::new(items)
                    .block(block(app, title, pane == Pane::Lines))
                    .highlight_style(t.selected()),
                a.lines,
                &mut state,
            );
        }
    }

    // The menu.
    let items = menu_items(app);
    let mut rows: Vec<ListItem> = Vec::new();
    let mut selected_row = None;
    let mut last_category = "";
    // Borders (2), indent (2), price (8) and the " 86" tag (3).
    let name_w = a.menu.width.saturating_sub(15) as usize;
    for (i, item) in items.iter().enumerate() {
        if item.category != last_category {
            rows.push(ListItem::new(Line::from(Span::styled(
                safe(&item.category).into_owned(),
                t.title(),
            ))));
            last_category = &item.category;
        }
        if i == app.waiter.menu {
            selected_row = Some(rows.len());
        }
        let (style, tag) = if item.available {
            (Style::new(), "")
        } else {
            (t.voided(), " 86")
        };
        rows.push(ListItem::new(Line::from(vec![
            Span::styled(
                format!(
                    "  {:<name_w$}{:>8}",
                    clip(&safe(&item.name), name_w),
                    money(item.price_cents)
                ),
                style,
            ),
            Span::styled(tag, t.late()),
        ])));
    }
    let title = if app.waiter.filtering || !app.waiter.filter.is_empty() {
        format!(" Menu — filter: {}▏ ", safe(&app.waiter.filter))
    } else {
        " Menu (/ to filter) ".to_string()
    };
    let mut state = ListState::default().with_selected(selected_row.filter(|_| pane == Pane::Menu));
    frame.render_stateful_widget(
        List::new(rows)
            .block(block(app, title, pane == Pane::Menu))
            .highlight_style(t.selected()),
        a.menu,
        &mut state,
    );
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
