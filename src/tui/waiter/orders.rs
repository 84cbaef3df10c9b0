//! The waiter's open-orders pane: table or customer, covers, status, age and total.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::{order_index, Pane};
use crate::display::{age, clip, money, safe};
use crate::domain::order::TicketStatus;
use crate::tui::app::App;
use crate::tui::chrome::pane as block;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let pane = app.waiter.pane;
    let items: Vec<ListItem> = app
        .data
        .orders
        .iter()
        .map(|o| {
            let secs = (app.now - o.opened_at).num_seconds();
            let label = o.order.label();
            let w = (area.width.saturating_sub(2 + 24) as usize).max(4);
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
        area,
        &mut state,
    );
    if app.data.orders.is_empty() {
        let inner = Block::bordered().inner(area);
        frame.render_widget(
            Paragraph::new("No open orders.\nPress n to open one.").style(t.dim()),
            inner,
        );
    }
}
