//! The 86 pane: the menu over the cards (one key opens it), each item with whether it is 86'd
//! and how many are left when the kitchen counts it. Keys 86 the picked item, put it back on,
//! or set how many portions are left (empty: stop counting); each is offered only when the
//! menu's decider would accept it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::app::request::{AppCommand, Request};
use crate::display::{clip, safe};
use crate::domain::{MenuCommand, MenuItem};
use crate::tui::app::App;
use crate::tui::effect::{Effect, Then};
use crate::tui::form::{Form, FormKind};

/// The items the pane lists: this station's first (all of them at "all stations"), then the
/// rest, each in menu order.
pub fn items(app: &App) -> Vec<MenuItem> {
    let mut items = app.data.menu.items.clone();
    if let Some(s) = app.kitchen.station.as_deref() {
        items.sort_by_key(|i| i.station != s);
    }
    items
}

/// How an item stands: `86'd`, `3 left`, or nothing.
pub fn standing(item: &MenuItem) -> String {
    match (item.available, item.stock) {
        (false, _) => "86'd".into(),
        (true, Some(0)) => "86'd (0 left)".into(),
        (true, Some(n)) => format!("{n} left"),
        (true, None) => String::new(),
    }
}

/// The picked item.
pub fn picked(app: &App) -> Option<MenuItem> {
    let i = app.kitchen.pane?;
    items(app).get(i).cloned()
}

/// Sends a menu command about the picked item.
pub fn send(app: &mut App, fx: &mut Vec<Effect>, command: MenuCommand, done: String) {
    let r =
        Request::new(AppCommand::Menu(command)).with_command_id(crate::app::context::new_uuid());
    app.execute(fx, r, Then::Info(done));
}

/// Opens the dialog that sets how many portions of the picked item are left.
pub fn ask_count(app: &mut App) {
    let Some(item) = picked(app) else { return };
    let now = item.stock.map(|n| n.to_string()).unwrap_or_default();
    app.open_form(
        Form::new(
            FormKind::StockCount {
                item_id: item.id.clone(),
            },
            format!("Portions of {} left", safe(&item.name)),
        )
        .text("At 0 it is 86'd by itself; empty stops counting.")
        .field("Portions left", &now, 4),
    );
}

/// A submitted count: its command goes out; `Err` brings the dialog back with the reason.
pub fn submit(app: &mut App, form: &Form, fx: &mut Vec<Effect>) -> Result<(), String> {
    let FormKind::StockCount { item_id } = &form.kind else {
        return Ok(());
    };
    let text = form.value(0).trim();
    let count = if text.is_empty() {
        None
    } else {
        Some(
            text.parse::<i64>()
                .map_err(|_| "Portions left must be a whole number".to_string())?,
        )
    };
    let done = match count {
        Some(n) => format!("{item_id}: {n} left"),
        None => format!("{item_id}: no longer counted"),
    };
    let r = Request::new(AppCommand::Menu(MenuCommand::SetItemStock {
        item_id: item_id.clone(),
        count,
    }))
    .with_command_id(crate::app::context::new_uuid());
    app.execute(
        fx,
        r,
        Then::Form {
            form: form.clone(),
            done,
        },
    );
    Ok(())
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App, selected: usize) {
    let t = &app.theme;
    let items = items(app);
    let area = body;
    let inner_h = area.height.saturating_sub(2) as usize;
    let inner_w = area.width.saturating_sub(2) as usize;
    // The page of the list that holds the picked item; a hint says when there is more.
    let per_page = inner_h.saturating_sub(1).max(1);
    let page = selected / per_page;
    let pages = items.len().div_ceil(per_page).max(1);
    let mut lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(page * per_page)
        .take(per_page)
        .map(|(i, item)| {
            let state = standing(item);
            let name = format!("{} · {}", safe(&item.name), safe(&item.station));
            let room = inner_w.saturating_sub(state.chars().count() + 2);
            let text = format!("{:<room$}  {state}", clip(&name, room));
            let style = if i == selected {
                t.selected()
            } else if !item.orderable() {
                t.late()
            } else {
                t.title()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    if pages > 1 {
        lines.push(Line::from(Span::styled(
            format!("page {}/{pages} · ↑↓ for more", page + 1),
            t.dim(),
        )));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(clip(
                    " 86 — 8 off · u back on · c count · Esc closes ",
                    inner_w,
                ))
                .border_style(t.title()),
        ),
        area,
    );
}
