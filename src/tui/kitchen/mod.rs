//! The kitchen screen: tickets as cards, oldest first, readable from across a kitchen, driven
//! like a bump bar (digits pick a slot, Enter bumps, Backspace recalls, PgUp/PgDn page), with
//! an all-day panel and a station filter.
//!
//! This module holds the screen's state and the board (tickets laid out in slots and pages);
//! [`keys`] holds what the keys and clicks do, [`draw`] how the cards are drawn.

use ratatui::layout::{Constraint, Layout, Rect};

pub mod all_day;
pub mod card;
mod draw;
pub mod expo;
pub mod flow;
mod keys;
pub mod pane;
pub mod recall;

use card::Row;
use flow::Part;

use super::app::App;
use crate::projections::TicketView;

pub use draw::draw;
pub use keys::{bumped, click, commands, navigate, perform, recalled};

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
    /// Recall's list is open, this entry picked.
    pub recall: Option<usize>,
    /// The 86 pane is open, this item picked.
    pub pane: Option<usize>,
    /// At the expeditor's screen: the order whose serving waits for a second Enter (not every
    /// station has bumped it).
    pub serve_confirm: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Slot(usize),
    Bump,
    Start,
    Recall,
    Station,
    /// At the expeditor's screen: serve the picked order.
    Serve,
    /// Recall's list: pick entry n (1-based), or bring the picked one back.
    RecallPick(usize),
    RecallBack,
    /// The 86 pane: open it, 86 the picked item, put it back on, set its count.
    Pane,
    Off,
    On,
    Count,
    /// Closes the list or pane that is open.
    Close,
}

/// The tickets this screen shows, in the queue's order: every station's, or one station's own
/// tickets (a ticket is one station's lines); at the expeditor's, one ticket standing for each
/// order.
pub fn tickets(app: &App) -> Vec<TicketView> {
    if expo::is_expo(app) {
        return expo::representatives(app);
    }
    let mut tickets = app.data.tickets.clone();
    if let Some(s) = &app.kitchen.station {
        tickets.retain(|t| &t.station == s);
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
        let rows: Vec<Vec<Row>> = if expo::is_expo(app) {
            expo::groups(app)
                .iter()
                .map(|g| expo::rows(g, inner, app.now))
                .collect()
        } else {
            tickets
                .iter()
                .map(|t| card::rows(t, inner, app.now))
                .collect()
        };
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

    /// The ticket a page opens on: the first one that starts there and is to be cooked (not
    /// held), else the first that starts there, else the one running on.
    fn first_on(&self, page: usize) -> Option<usize> {
        let parts = self.pages.get(page)?;
        let starts = |p: &&Part| p.part == 0;
        parts
            .iter()
            .filter(starts)
            .find(|p| !self.tickets[p.ticket].is_held())
            .or(parts.iter().find(starts))
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
