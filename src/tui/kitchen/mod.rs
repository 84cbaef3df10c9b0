//! The kitchen screen: tickets as cards, oldest first, readable from across a kitchen, driven
//! like a bump bar (digits pick a slot, Enter bumps, Backspace recalls, PgUp/PgDn page), with
//! an all-day panel and a station filter.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui::Frame;

pub mod all_day;
pub mod card;
pub mod flow;

use card::{Row, RowKind};
use flow::Part;

use super::allowed;
use super::app::{Action, App};
use super::effect::{Effect, Then};
use super::keys::{Cmd, Key};
use crate::app::request::Request;
use crate::display::{age, clip, safe};
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
    /// A bump asked for and not answered yet (a slow or locked database): Enter is not offered
    /// on that ticket again meanwhile, so a second press is never a refused second bump.
    pub bumping: Option<String>,
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
        // A station whose every line on a ticket was voided has nothing to make on it.
        tickets.retain(|t| {
            !t.lines.is_empty() && (t.cancelled || t.lines.iter().any(|l| l.voided < l.quantity))
        });
    }
    tickets
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

/// The screen's tickets laid out: each one's rows, and the pages of slots they flow into.
pub struct Board {
    pub tickets: Vec<TicketView>,
    pub rows: Vec<Vec<Row>>,
    pub pages: Vec<Vec<Part>>,
    pub areas: Areas,
}

impl Board {
    pub fn new(app: &App, body: Rect) -> Board {
        let tickets = tickets(app);
        let areas = areas(body);
        let cells = flow::cells(areas.cards);
        let inner = cells
            .first()
            .map_or(1, |c| c.width.saturating_sub(2) as usize);
        let rows: Vec<Vec<Row>> = tickets.iter().map(|t| card::rows(t, inner)).collect();
        let counts: Vec<usize> = rows.iter().map(Vec::len).collect();
        let pages = flow::pages(&counts, &cells);
        Board {
            tickets,
            rows,
            pages,
            areas,
        }
    }

    /// The board at the app's terminal size.
    pub fn of(app: &App) -> Board {
        let area = Rect::new(0, 0, app.size.0, app.size.1);
        Board::new(app, super::chrome::body_area(area, app))
    }

    fn page(&self, app: &App) -> usize {
        app.kitchen.page.min(self.pages.len() - 1)
    }

    /// The ticket in slot `slot` of page `page`.
    fn at_slot(&self, page: usize, slot: usize) -> Option<&TicketView> {
        let part = self.pages.get(page)?.iter().find(|p| p.slot == slot)?;
        self.tickets.get(part.ticket)
    }

    /// The ticket a page opens on: the first one that starts there, else the one running on.
    fn first_on(&self, page: usize) -> Option<usize> {
        let parts = self.pages.get(page)?;
        parts
            .iter()
            .find(|p| p.part == 0)
            .or(parts.first())
            .map(|p| p.ticket)
    }

    fn page_of(&self, ticket: usize) -> usize {
        flow::page_of(&self.pages, ticket).unwrap_or(0)
    }
}

fn selected_index(app: &App, tickets: &[TicketView]) -> Option<usize> {
    let id = app.kitchen.selected.as_deref()?;
    tickets.iter().position(|t| t.ticket_id == id)
}

pub fn keep_selection(app: &mut App) {
    let board = Board::of(app);
    let tickets = &board.tickets;
    app.kitchen.page = board.page(app);
    // Only a cook looking at this screen can have picked a ticket; elsewhere the kitchen's
    // selection just follows the queue.
    let on_screen = app.screen == super::app::Screen::Kitchen;
    if app.kitchen.selected.is_some() && selected_index(app, tickets).is_none() {
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
        app.kitchen.selected = board
            .first_on(app.kitchen.page)
            .map(|i| tickets[i].ticket_id.clone());
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
    // The domain says what may be done to the picked ticket (a dry run of its decide).
    let menu = &app.data.menu;
    let order = sel.and_then(|t| app.data.order(&t.order_id).map(|o| (t, o)));
    if let Some((t, o)) = order {
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
        Act::Recall => fx.push(Effect::Recall {
            station: app.kitchen.station.clone(),
        }),
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
    let board = Board::new(app, body);
    let a = &board.areas;
    let page = board.page(app);
    let pages = board.pages.len();
    let selected = selected_index(app, &board.tickets);

    if board.tickets.is_empty() {
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
    for part in &board.pages[page] {
        draw_card(
            frame,
            app,
            &board.tickets[part.ticket],
            &board.rows[part.ticket],
            part,
            selected == Some(part.ticket),
        );
    }
    if pages > 1 {
        // Never a silent cut: what is on other pages is said, with the key that shows it.
        let back = if page > 0 { "← PgUp · " } else { "" };
        let more = if page + 1 < pages {
            " · more tickets → PgDn"
        } else {
            ""
        };
        let long = format!(" {back}page {}/{pages}{more} ", page + 1);
        let short = format!(
            " {}{}/{pages}{} ",
            if page > 0 { "← " } else { "" },
            page + 1,
            if page + 1 < pages { " more →" } else { "" }
        );
        let note = if card::width(&long) + 2 <= a.cards.width as usize {
            long
        } else {
            short
        };
        let w = (card::width(&note) as u16).min(a.cards.width);
        if a.cards.height > 0 {
            let r = Rect::new(
                a.cards.right().saturating_sub(w + 1).max(a.cards.x),
                a.cards.bottom() - 1,
                w,
                1,
            );
            frame.render_widget(Paragraph::new(note).style(t.title()), r);
        }
    }
    if let Some(area) = a.all_day {
        all_day::draw(frame, area, app, &board.tickets);
    }
}

fn draw_card(
    frame: &mut Frame,
    app: &App,
    ticket: &TicketView,
    rows: &[Row],
    part: &Part,
    selected: bool,
) {
    let t = &app.theme;
    let cell = part.cell;
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
    let cont = if part.part > 0 {
        format!(" cont. {}/{}", part.part + 1, part.parts)
    } else {
        String::new()
    };
    // A continuation's title leaves out the age (on its first card) to keep the ticket's name.
    let age_text = if part.part == 0 {
        format!(" {} ", age(secs))
    } else {
        String::new()
    };
    let fixed = card::width(&format!("  {} {cont}", part.slot)) + card::width(&age_text) + 1;
    let label = clip(&safe(&ticket.label), inner_w.saturating_sub(fixed).max(3));
    let mut block = Block::bordered().border_style(border).title(Span::styled(
        format!(" {} {label}{cont} ", part.slot),
        if selected { t.selected() } else { t.title() },
    ));
    if !age_text.is_empty() {
        block = block.title(Line::from(Span::styled(age_text, age_s)).right_aligned());
    }
    if selected {
        block = block.border_type(BorderType::Thick);
    }
    let mut lines: Vec<Line> = rows[part.rows.clone()]
        .iter()
        .map(|r| row_line(app, ticket, r))
        .collect();
    if part.part + 1 < part.parts {
        lines.push(
            Line::from(Span::styled(
                format!("▼ continued → {}/{}", part.part + 1, part.parts),
                t.title(),
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(Paragraph::new(lines).block(block), cell);
}

/// A row of a card, styled by what it is.
fn row_line<'a>(app: &App, ticket: &TicketView, row: &'a Row) -> Line<'a> {
    let t = &app.theme;
    match row.kind {
        RowKind::Header => {
            let text = row.text.as_str();
            let (status, rest) = text.split_at(text.find(' ').unwrap_or(text.len()));
            let (flag, flag_style) = if ticket.cancelled {
                (" CANCELLED", t.late())
            } else if ticket.changed {
                (" CHANGED", t.changed())
            } else {
                ("", t.dim())
            };
            let mut spans = vec![Span::styled(status, t.title())];
            match rest.strip_prefix(flag) {
                Some(server) if !flag.is_empty() => {
                    spans.push(Span::styled(flag, flag_style));
                    spans.push(Span::styled(server, t.dim()));
                }
                _ => spans.push(Span::styled(rest, t.dim())),
            }
            Line::from(spans)
        }
        RowKind::Divider => Line::from(Span::styled(row.text.as_str(), t.changed())),
        RowKind::Item => Line::from(row.text.as_str()),
        RowKind::PartVoid | RowKind::VoidReason => {
            Line::from(Span::styled(row.text.as_str(), t.changed()))
        }
        RowKind::Void => Line::from(Span::styled(row.text.as_str(), t.voided())),
        RowKind::Allergens => Line::from(Span::styled(row.text.as_str(), t.warn())),
        RowKind::Note => Line::from(Span::styled(row.text.as_str(), t.note())),
    }
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
