//! The kitchen screen: tickets as cards, oldest first, readable from across a kitchen, driven
//! like a bump bar (digits pick a slot, Enter bumps, Backspace recalls, PgUp/PgDn page), with
//! an all-day panel and a station filter.

use std::collections::BTreeMap;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui::Frame;

use super::app::{Action, App};
use super::keys::{Cmd, Key};
use crate::app::request::Request;
use crate::app::Brigade;
use crate::display::{age, clip, safe};
use crate::domain::order::TicketStatus;
use crate::domain::OrderCommand;
use crate::projections::TicketView;

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The selected ticket, by id, so it stays selected as tickets come and go.
    pub selected: Option<String>,
    pub page: usize,
    /// Only this station's lines (None: every station).
    pub station: Option<String>,
    /// The picked ticket went away (bumped at another screen): nothing is picked until the cook
    /// picks again, so that Enter never bumps a ticket nobody chose.
    pub lost: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Slot(usize),
    Bump,
    Start,
    Recall,
    Station,
}

/// The open tickets this screen shows (station-filtered), oldest first.
pub fn tickets(app: &App) -> Vec<TicketView> {
    let mut tickets = app.data.tickets.clone();
    if let Some(s) = &app.kitchen.station {
        for t in tickets.iter_mut() {
            t.lines.retain(|l| &l.station == s);
        }
        tickets.retain(|t| !t.lines.is_empty());
    }
    tickets
}

/// Where cards go in `area` (which excludes the all-day panel): a grid of equal cells.
pub fn grid(area: Rect) -> Vec<Rect> {
    let cols = (area.width / 26).max(1);
    let rows = (area.height / 10).max(1);
    let w = area.width / cols;
    let h = area.height / rows;
    let mut cells = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            cells.push(Rect::new(area.x + c * w, area.y + r * h, w, h));
        }
    }
    cells
}

pub struct Areas {
    pub cards: Rect,
    pub all_day: Option<Rect>,
}

pub fn areas(body: Rect) -> Areas {
    if body.width >= 70 {
        let [cards, all_day] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(24)]).areas(body);
        Areas {
            cards,
            all_day: Some(all_day),
        }
    } else {
        Areas {
            cards: body,
            all_day: None,
        }
    }
}

fn per_page(app: &App) -> usize {
    let body = Rect::new(0, 0, app.size.0, app.size.1.saturating_sub(2));
    grid(areas(body).cards).len().max(1)
}

fn selected_index(app: &App, tickets: &[TicketView]) -> Option<usize> {
    let id = app.kitchen.selected.as_deref()?;
    tickets.iter().position(|t| t.ticket_id == id)
}

pub fn keep_selection(app: &mut App) {
    let tickets = tickets(app);
    let per = per_page(app);
    let pages = tickets.len().div_ceil(per).max(1);
    app.kitchen.page = app.kitchen.page.min(pages - 1);
    // Only a cook looking at this screen can have picked a ticket; elsewhere the kitchen's
    // selection just follows the queue.
    let on_screen = app.screen == super::app::Screen::Kitchen;
    if app.kitchen.selected.is_some() && selected_index(app, &tickets).is_none() {
        app.kitchen.selected = None;
        app.kitchen.lost = on_screen && !tickets.is_empty();
        if app.kitchen.lost && !app.notice.as_ref().is_some_and(|n| n.error) {
            app.info("The ticket you had picked is gone (bumped elsewhere): pick again");
        }
    }
    if tickets.is_empty() {
        // Nothing left to be confused about: the next ticket to arrive is picked.
        app.kitchen.lost = false;
    }
    if app.kitchen.selected.is_none() && !app.kitchen.lost {
        app.kitchen.selected = tickets
            .get(app.kitchen.page * per)
            .map(|t| t.ticket_id.clone());
    }
}

/// Picks a ticket (a slot, an arrow, a click).
fn pick(app: &mut App, ticket_id: &str) {
    app.kitchen.selected = Some(ticket_id.to_string());
    app.kitchen.lost = false;
}

pub fn commands(app: &App) -> Vec<Cmd> {
    let k = |a| Action::Kitchen(a);
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
    if sel.is_some() {
        c.push(Cmd::new(&[Key::Enter], "bump (ready)", k(Act::Bump)));
        if sel.is_some_and(|t| t.status == TicketStatus::Queued && !t.cancelled) {
            c.push(Cmd::new(
                &[Key::Char(' '), Key::Char('s')],
                "start",
                k(Act::Start),
            ));
        }
    }
    c.push(Cmd::new(&[Key::Backspace], "recall last", k(Act::Recall)));
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

pub fn navigate(app: &mut App, action: Action) {
    let tickets = tickets(app);
    if tickets.is_empty() {
        return;
    }
    let per = per_page(app);
    let cur = selected_index(app, &tickets).unwrap_or(app.kitchen.page * per);
    let last = tickets.len() - 1;
    let next = match action {
        Action::Up | Action::Left => cur.saturating_sub(1),
        Action::Down | Action::Right => (cur + 1).min(last),
        Action::PageDown => ((app.kitchen.page + 1) * per).min(last),
        Action::PageUp => app.kitchen.page.saturating_sub(1) * per,
        Action::Home => 0,
        Action::End => last,
        _ => return,
    };
    pick(app, &tickets[next].ticket_id);
    app.kitchen.page = next / per;
}

fn request(t: &TicketView, command: OrderCommand) -> Request {
    Request::order(&t.order_id, command).with_command_id(crate::app::context::new_uuid())
}

pub fn perform(app: &mut App, act: Act, core: &mut Brigade) {
    let tickets = tickets(app);
    let selected = selected_index(app, &tickets).map(|i| tickets[i].clone());
    match act {
        Act::Slot(n) => {
            let i = app.kitchen.page * per_page(app) + n - 1;
            match tickets.get(i) {
                Some(t) if n <= per_page(app) => pick(app, &t.ticket_id),
                _ => app.info(format!("No ticket in slot {n}")),
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
                if app.run(core, r, &done).is_ok() {
                    // This cook bumped it: not "lost"; on to the next, or to whatever comes.
                    app.kitchen.lost = false;
                    app.info(done);
                    match next {
                        Some(next) => pick(app, &next),
                        None => app.kitchen.selected = None,
                    }
                    keep_selection(app);
                }
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
                let _ = app.run(core, r, &format!("Cooking {}", safe(&t.label)));
            }
        }
        Act::Recall => match core.last_bumped(app.kitchen.station.as_deref()) {
            Ok(Some(t)) => {
                let r = request(
                    &t,
                    OrderCommand::RecallTicket {
                        ticket_id: t.ticket_id.clone(),
                    },
                );
                if app
                    .run(core, r, &format!("Recalled {}", safe(&t.label)))
                    .is_ok()
                {
                    pick(app, &t.ticket_id);
                    let tickets = self::tickets(app);
                    if let Some(i) = selected_index(app, &tickets) {
                        app.kitchen.page = i / per_page(app);
                    }
                }
            }
            Ok(None) => app.info("Nothing to recall"),
            Err(e) => app.error(format!("{}: {}", e.code(), e.message())),
        },
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

fn age_style(app: &App, secs: i64) -> Style {
    if secs >= app.thresholds.late {
        app.theme.late()
    } else if secs >= app.thresholds.warn {
        app.theme.warn()
    } else {
        app.theme.ok()
    }
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App) {
    let t = &app.theme;
    let a = areas(body);
    let tickets = tickets(app);
    let cells = grid(a.cards);
    let per = cells.len().max(1);
    let page = app.kitchen.page.min(tickets.len().saturating_sub(1) / per);
    let pages = tickets.len().div_ceil(per).max(1);
    let selected = selected_index(app, &tickets);

    if tickets.is_empty() {
        let msg = match &app.kitchen.station {
            Some(s) => format!("No open tickets for {}", safe(s)),
            None => "No open tickets".to_string(),
        };
        frame.render_widget(
            Paragraph::new(msg)
                .style(t.dim())
                .block(Block::bordered().border_style(t.dim())),
            a.cards,
        );
    }
    for (slot, (ticket, cell)) in tickets
        .iter()
        .skip(page * per)
        .zip(cells.iter())
        .enumerate()
    {
        let index = page * per + slot;
        draw_card(frame, *cell, app, ticket, slot + 1, selected == Some(index));
    }
    if pages > 1 {
        let note = format!(" page {}/{} ", page + 1, pages);
        let w = note.chars().count() as u16;
        if a.cards.width > w && a.cards.height > 0 {
            let r = Rect::new(a.cards.right() - w - 1, a.cards.bottom() - 1, w, 1);
            frame.render_widget(Paragraph::new(note).style(t.title()), r);
        }
    }
    if let Some(area) = a.all_day {
        draw_all_day(frame, area, app, &tickets);
    }
}

fn draw_card(
    frame: &mut Frame,
    cell: Rect,
    app: &App,
    ticket: &TicketView,
    slot: usize,
    selected: bool,
) {
    let t = &app.theme;
    let secs = (app.now - ticket.sent_at).num_seconds();
    let age_s = age_style(app, secs);
    let border = if ticket.cancelled {
        t.late()
    } else if ticket.changed {
        t.changed()
    } else {
        age_s
    };
    let inner_w = cell.width.saturating_sub(2) as usize;
    let label = clip(&safe(&ticket.label), inner_w.saturating_sub(10).max(3));
    let mut block = Block::bordered()
        .border_style(border)
        .title(Span::styled(
            format!(" {slot} {label} "),
            if selected { t.selected() } else { t.title() },
        ))
        .title(Line::from(Span::styled(format!(" {} ", age(secs)), age_s)).right_aligned());
    if selected {
        block = block.border_type(BorderType::Thick);
    }
    let mut lines: Vec<Line> = Vec::new();
    let status = match ticket.status {
        TicketStatus::Queued => "NEW",
        TicketStatus::InProgress => "COOKING",
        TicketStatus::Ready => "READY",
        TicketStatus::Served => "SERVED",
    };
    let mut head = vec![Span::styled(status, t.title())];
    if ticket.cancelled {
        head.push(Span::styled(" CANCELLED", t.late()));
    } else if ticket.changed {
        head.push(Span::styled(" CHANGED", t.changed()));
    }
    head.push(Span::styled(
        format!(" {}", clip(&safe(&ticket.server), 12)),
        t.dim(),
    ));
    lines.push(Line::from(head));
    if ticket.number > 1 {
        lines.push(Line::from(Span::styled(
            format!("{:─^inner_w$}", format!(" ADD-ON #{} ", ticket.number)),
            t.changed(),
        )));
    }
    for l in &ticket.lines {
        let live = l.quantity.saturating_sub(l.voided);
        let (text, style) = if live == 0 {
            (format!("{} {} VOID", l.quantity, safe(&l.name)), t.voided())
        } else if l.voided > 0 {
            (
                format!("{} {} (-{} void)", live, safe(&l.name), l.voided),
                t.changed(),
            )
        } else {
            (format!("{} {}", live, safe(&l.name)), Style::new())
        };
        lines.push(Line::from(Span::styled(clip(&text, inner_w), style)));
        if let Some(n) = &l.note {
            lines.push(Line::from(Span::styled(
                clip(&format!("  ! {}", safe(n)), inner_w),
                t.note(),
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block), cell);
}

fn draw_all_day(frame: &mut Frame, area: Rect, app: &App, tickets: &[TicketView]) {
    let t = &app.theme;
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for ticket in tickets {
        for l in &ticket.lines {
            let live = l.quantity.saturating_sub(l.voided);
            if live > 0 {
                *counts.entry(l.name.clone()).or_default() += live;
            }
        }
    }
    let mut rows: Vec<(String, u32)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let w = area.width.saturating_sub(6) as usize;
    let lines: Vec<Line> = rows
        .iter()
        .map(|(name, n)| Line::from(format!("{n:>3} {}", clip(&safe(name), w))))
        .collect();
    let title = match &app.kitchen.station {
        Some(s) => format!(" All day · {} ", clip(&safe(s), 10)),
        None => " All day ".to_string(),
    };
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(t.dim())
                .title(Span::styled(title, t.title())),
        ),
        area,
    );
}

/// A mouse click in the body: select the card under it.
pub fn click(app: &mut App, body: Rect, x: u16, y: u16) {
    let a = areas(body);
    let tickets = tickets(app);
    let cells = grid(a.cards);
    let per = cells.len().max(1);
    for (slot, cell) in cells.iter().enumerate() {
        if x >= cell.x && x < cell.right() && y >= cell.y && y < cell.bottom() {
            if let Some(t) = tickets.get(app.kitchen.page * per + slot) {
                let id = t.ticket_id.clone();
                pick(app, &id);
            }
        }
    }
}
