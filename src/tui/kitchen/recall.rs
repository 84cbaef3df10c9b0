//! Recall: the last tickets bumped at this station (at most 10, in the last 15 minutes, newest
//! first) in a list over the cards; the one picked comes back to the screen, its changed and
//! void marks kept.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::display::{age, clip, safe};
use crate::projections::TicketView;
use crate::tui::app::App;

/// How many tickets the list offers.
pub const MAX: usize = 10;

/// The tickets recall offers at this screen's station, newest bump first.
pub fn list(app: &App) -> Vec<TicketView> {
    app.data
        .recall
        .iter()
        .filter(|t| {
            app.kitchen
                .station
                .as_deref()
                .is_none_or(|s| t.station == s)
        })
        .take(MAX)
        .cloned()
        .collect()
}

pub fn draw(frame: &mut Frame, body: Rect, app: &App, selected: usize) {
    let t = &app.theme;
    let items = list(app);
    let width = body.width.clamp(20, 60);
    let height = (items.len() as u16 + 3).clamp(4, body.height);
    let area = Rect::new(
        body.x + (body.width - width) / 2,
        body.y + (body.height - height) / 2,
        width,
        height,
    );
    let inner = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    if items.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nothing bumped here in the last 15 minutes",
            t.dim(),
        )));
    }
    for (i, ticket) in items.iter().enumerate() {
        let when = ticket
            .ready_at
            .map(|r| age((app.now - r).num_seconds()))
            .unwrap_or_default();
        let mut text = format!(
            "{} {} · {} · {} ago",
            (i + 1) % 10,
            safe(&ticket.label),
            safe(&ticket.station),
            when
        );
        if ticket.changed {
            text.push_str(" · CHANGED");
        }
        let style = if i == selected {
            t.selected()
        } else {
            t.title()
        };
        lines.push(Line::from(Span::styled(clip(&text, inner), style)));
    }
    let title = " Recall — Enter brings it back · Esc closes ";
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(clip(title, inner))
                .border_style(t.title()),
        ),
        area,
    );
}
