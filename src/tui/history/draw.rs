//! Drawing the history screen: the orders list, the selected order's trail, the selected
//! event's JSON beside the order as it was right after it; and what a click selects.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::{is_menu, Pane};
use crate::display::{clip, money, safe};
use crate::domain::Order;
use crate::projections::audit::{self, AuditEntry};
use crate::tui::app::App;
use crate::tui::chrome::pane as block;

pub fn draw(frame: &mut Frame, body: Rect, app: &App) {
    let t = &app.theme;
    let left = list_width(body);
    let [orders_area, right] =
        Layout::horizontal([Constraint::Length(left), Constraint::Fill(1)]).areas(body);

    // Two rows an order: its table (or customer) and status; then its id and opening time.
    let w = orders_area.width.saturating_sub(12) as usize;
    let inner = orders_area.width.saturating_sub(2) as usize;
    let items: Vec<ListItem> = app
        .data
        .recent
        .iter()
        .map(|o| {
            let opened = o.opened_at.with_timezone(&chrono::Local).format("%H:%M");
            ListItem::new(vec![
                Line::from(vec![
                    Span::raw(format!("{:<w$} ", clip(&safe(&o.order.label()), w))),
                    Span::styled(format!("{:<9}", o.order.status.as_str()), t.dim()),
                ]),
                Line::from(Span::styled(
                    format!(
                        " {} {opened}",
                        clip(&safe(&o.order.order_id), inner.saturating_sub(7))
                    ),
                    t.dim(),
                )),
            ])
        })
        .collect();
    let mut state = ListState::default()
        .with_selected((!app.data.recent.is_empty()).then_some(app.history.order));
    frame.render_stateful_widget(
        List::new(items)
            .block(block(
                app,
                " Orders ".into(),
                app.history.pane == Pane::Orders,
            ))
            .highlight_style(t.selected()),
        orders_area,
        &mut state,
    );

    let Some(audit) = &app.history.audit else {
        frame.render_widget(
            Paragraph::new("Pick an order (Enter) or open one by id (/), or `menu`")
                .style(t.dim())
                .block(block(app, " History ".into(), false)),
            right,
        );
        return;
    };
    let [events_area, detail] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(right);
    let width = events_area.width.saturating_sub(2) as usize;
    let items: Vec<ListItem> = audit
        .trail
        .iter()
        .map(|e| {
            let head = format!(
                "{:>3} {} {:<8} {:<18} ",
                e.revision,
                e.recorded_at
                    .with_timezone(&chrono::Local)
                    .format("%H:%M:%S"),
                clip(&safe(&e.actor), 8),
                clip(&e.event_type, 18)
            );
            let rest = width.saturating_sub(head.chars().count());
            ListItem::new(Line::from(vec![
                Span::styled(head, t.dim()),
                Span::raw(clip(&safe(&e.summary), rest)),
            ]))
        })
        .collect();
    let selected = app.history.event.min(audit.trail.len().saturating_sub(1));
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        List::new(items)
            .block(block(
                app,
                if audit.first_revision() > 1 {
                    format!(
                        " {} · events {}–{} of {} (↑ loads earlier) ",
                        safe(&audit.order_id),
                        audit.first_revision(),
                        audit.head,
                        audit.head
                    )
                } else {
                    format!(" {} · {} events ", safe(&audit.order_id), audit.trail.len())
                },
                app.history.pane == Pane::Events,
            ))
            .highlight_style(t.selected()),
        events_area,
        &mut state,
    );

    let Some(entry) = audit.trail.get(selected) else {
        return;
    };
    let state_lines = if is_menu(&audit.order_id) {
        vec![
            Line::from(Span::styled("The menu's own trail", t.title())),
            Line::from(safe(&entry.summary).into_owned()),
        ]
    } else {
        state_text(
            &audit::state_after(audit.before.clone(), &audit.trail, entry.revision)
                .unwrap_or_default(),
            app,
        )
    };
    let json = event_json(entry);
    let json_lines: Vec<Line> = json
        .lines()
        .map(|l| Line::from(safe(l).into_owned()))
        .collect();
    let scroll = (app.history.scroll, 0);
    if detail.width >= 90 {
        let [s, j] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(detail);
        frame.render_widget(
            Paragraph::new(state_lines)
                .block(block(
                    app,
                    format!(" State after revision {} ", entry.revision),
                    false,
                ))
                .wrap(Wrap { trim: false }),
            s,
        );
        frame.render_widget(
            Paragraph::new(json_lines)
                .block(block(app, " Event ".into(), false))
                .wrap(Wrap { trim: false })
                .scroll(scroll),
            j,
        );
    } else {
        let mut lines = state_lines;
        lines.push(Line::from(Span::styled("── event ──", t.dim())));
        lines.extend(json_lines);
        frame.render_widget(
            Paragraph::new(lines)
                .block(block(
                    app,
                    format!(" After revision {} · ] scrolls ", entry.revision),
                    false,
                ))
                .wrap(Wrap { trim: false })
                .scroll(scroll),
            detail,
        );
    }
}

fn state_text<'a>(o: &Order, app: &App) -> Vec<Line<'a>> {
    let t = &app.theme;
    let mut head = format!("{} · {}", safe(&o.label()), o.status.as_str());
    if let Some(c) = o.covers {
        head.push_str(&format!(" · {c} covers"));
    }
    if o.rush {
        head.push_str(" · RUSH");
    }
    let mut lines = vec![Line::from(Span::styled(head, t.title()))];
    for l in &o.lines {
        let style = if l.live_quantity() == 0 {
            t.voided()
        } else {
            Style::new()
        };
        let mut where_ = String::new();
        if l.seat > 0 {
            where_.push_str(&format!(" · seat {}", l.seat));
        }
        if l.course > 0 {
            where_.push_str(&format!(" · course {}", l.course));
        }
        lines.push(Line::from(Span::styled(
            format!(
                "{} {}× {}{where_} · {} · {}",
                l.line_id,
                l.live_quantity(),
                safe(&l.name),
                l.status.as_str(),
                money(l.total_cents())
            ),
            style,
        )));
        for m in &l.modifiers {
            lines.push(Line::from(Span::styled(
                format!("   + {}", safe(&m.name)),
                style,
            )));
        }
        if let Some(n) = &l.note {
            lines.push(Line::from(Span::styled(
                format!("   ✎ {}", safe(n)),
                t.note(),
            )));
        }
    }
    for tk in &o.tickets {
        let course = if tk.course > 0 {
            format!(" course {}", tk.course)
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "ticket {} {}{course} {}",
                safe(&tk.ticket_id),
                safe(&tk.station),
                tk.status.as_str()
            ),
            t.dim(),
        )));
    }
    if let Some(r) = &o.cancel_reason {
        lines.push(Line::from(Span::styled(
            format!("cancelled: {}", safe(r)),
            t.late(),
        )));
    }
    lines.push(Line::from(format!("total {}", money(o.total_cents()))));
    lines
}

fn event_json(e: &AuditEntry) -> String {
    let v = serde_json::json!({
        "type": e.event_type,
        "revision": e.revision,
        "position": e.position,
        "schema_version": e.schema_version,
        "recorded_at": e.recorded_at,
        "payload": serde_json::from_str::<serde_json::Value>(&e.payload).unwrap_or_default(),
        "metadata": e.metadata,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// A mouse click in the body: select the order or event under it.
pub fn click(app: &mut App, body: Rect, x: u16, y: u16) {
    let left = list_width(body);
    if x < body.x + left {
        app.history.pane = Pane::Orders;
        // Inside the border only; the list scrolls to keep the selection in view.
        if y > body.y && y + 1 < body.bottom() {
            // Two rows an order.
            let shown = (body.height.saturating_sub(2) / 2) as usize;
            let offset = app.history.order.saturating_sub(shown.saturating_sub(1));
            let i = offset + (y - body.y - 1) as usize / 2;
            if i < app.data.recent.len() {
                app.history.order = i;
            }
        }
    } else if app.history.audit.is_some() {
        app.history.pane = Pane::Events;
    }
}

/// The width of the orders list.
fn list_width(body: Rect) -> u16 {
    (body.width / 4).clamp(16, 30).min(body.width)
}
