//! The waiter's menu pane: the items by category, the filter and how matches rank.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};
use ratatui::Frame;

use super::{allergens, Pane};
use crate::display::{clip, money, safe};
use crate::domain::menu::MenuItem;
use crate::tui::app::App;
use crate::tui::chrome::pane as block;
use crate::tui::keys::Key;

/// The longest filter, in characters.
pub const FILTER_MAX: usize = 30;

/// Menu items matching the filter (name, id or category, any case), best match first (see
/// [`super::rank`]); without a filter, the whole menu in its order.
pub fn menu_items(app: &App) -> Vec<&MenuItem> {
    super::rank::ranked(&app.data.menu.items, &app.waiter.filter)
}

/// Keys while typing a menu filter: text edits the filter; Enter adds, arrows move, Esc stops.
/// Returns false for keys the screen's commands should handle.
pub fn on_filter_key(app: &mut App, key: Key) -> bool {
    match key {
        Key::Char(c) if !c.is_control() && app.waiter.filter.chars().count() < FILTER_MAX => {
            app.waiter.filter.push(c);
            app.waiter.menu = 0;
            app.waiter.menu_armed = true;
            true
        }
        Key::Backspace => {
            app.waiter.filter.pop();
            app.waiter.menu = 0;
            // An emptied filter chooses nothing: the first item of the menu was not typed for.
            app.waiter.menu_armed &= !app.waiter.filter.is_empty();
            true
        }
        _ => false,
    }
}

/// Pasted text while typing a filter goes into the filter (as text, up to its limit).
pub fn paste_filter(app: &mut App, text: &str) {
    let room = FILTER_MAX.saturating_sub(app.waiter.filter.chars().count());
    let before = app.waiter.filter.len();
    app.waiter
        .filter
        .extend(crate::tui::form::pasted(text).take(room));
    if app.waiter.filter.len() != before {
        app.waiter.menu = 0;
        app.waiter.menu_armed = true;
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let pane = app.waiter.pane;
    let items = menu_items(app);
    let mut rows: Vec<ListItem> = Vec::new();
    let mut selected_row = None;
    let mut last_category = "";
    // Borders (2), indent (2), price (8) and the tag (" 86", " 3 left": 7); the rest is the
    // name and the allergens, in full when they fit, as codes when not (see `allergens`).
    let room = area.width.saturating_sub(19) as usize;
    let lists: Vec<&[String]> = items.iter().map(|i| i.allergens.as_slice()).collect();
    let longest = items
        .iter()
        .map(|i| i.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let col = allergens::column(&lists, room, longest, 14);
    let name_w = if col.width == 0 {
        room
    } else {
        room.saturating_sub(col.width + 1)
    };
    for (i, item) in items.iter().enumerate() {
        if item.category != last_category {
            rows.push(ListItem::new(Line::from(Span::styled(
                safe(&item.category).into_owned(),
                t.title(),
            ))));
            last_category = &item.category;
        }
        let selected = i == app.waiter.menu;
        if selected {
            selected_row = Some(rows.len());
        }
        // 86'd (by hand, or counted down to nothing) is greyed; a count under 5 shows.
        let (style, tag) = match item.stock {
            _ if !item.orderable() => (t.voided(), " 86".to_string()),
            Some(n) if n < 5 => (Style::new(), format!(" {n} left")),
            _ => (Style::new(), String::new()),
        };
        let (cell, complete) = allergens::cell(&item.allergens, col);
        let mut spans = vec![Span::styled(
            format!("  {:<name_w$}", clip(&safe(&item.name), name_w)),
            style,
        )];
        if col.width > 0 {
            spans.push(Span::styled(
                format!(" {:<w$}", safe(&cell), w = col.width),
                if item.orderable() { t.dim() } else { style },
            ));
        }
        spans.push(Span::styled(
            format!("{:>8}", money(item.price_cents)),
            style,
        ));
        spans.push(Span::styled(tag, t.late()));
        let mut lines = vec![Line::from(spans)];
        if selected && pane == Pane::Menu && !complete {
            // Not all of it fits in the row: the selected item says it in full.
            let detail = format!("allergens: {}", safe(&allergens::full(&item.allergens)));
            let w = area.width.saturating_sub(6) as usize;
            for l in allergens::wrap(&detail, w) {
                lines.push(Line::from(Span::styled(format!("    {l}"), t.warn())));
            }
        }
        rows.push(ListItem::new(lines));
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
        area,
        &mut state,
    );
}
