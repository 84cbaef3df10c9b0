//! What surrounds every screen: the title bar with the screens, a banner when the database
//! cannot be read (or its append-only guards are gone), the status line (a notice, or the
//! current screen's main keys), the `?` overlay and the "too small" note.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::app::{App, Modal, Screen};
use crate::display::{clip, safe};

/// The smallest terminal every screen is laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// A pane's border and title, bright when it has the focus.
pub fn pane<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let t = &app.theme;
    Block::bordered()
        .border_style(if focused { t.focus_border() } else { t.dim() })
        .title(Span::styled(
            title,
            if focused {
                t.title()
            } else {
                ratatui::style::Style::new()
            },
        ))
}

/// The body of the screen (between the title bar, any banner and the status line).
pub fn body_area(area: Rect, app: &App) -> Rect {
    let banner = u16::from(app.db_error.is_some() || app.guards_missing.is_some()) * 2;
    Rect::new(
        area.x,
        area.y + 1 + banner,
        area.width,
        area.height.saturating_sub(2 + banner),
    )
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal too small: {}×{}. Brigade needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(msg)
                .style(app.theme.warn())
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let t = &app.theme;
    let [title, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    draw_title(frame, title, app);
    if let Some(e) = &app.db_error {
        let banner = Rect::new(rest.x, rest.y, rest.width, 2);
        frame.render_widget(
            Paragraph::new(format!(
                "⚠ CANNOT READ THE DATABASE — retrying. {}",
                safe(e)
            ))
            .style(t.error())
            .wrap(Wrap { trim: true }),
            banner,
        );
    } else if let Some(g) = &app.guards_missing {
        let banner = Rect::new(rest.x, rest.y, rest.width, 2);
        frame.render_widget(
            Paragraph::new(format!("⚠ TAMPERING: {} — run `brigade verify`.", safe(g)))
                .style(t.error())
                .wrap(Wrap { trim: true }),
            banner,
        );
    }
    let body = body_area(area, app);
    if app.db_error.is_some() {
        frame.render_widget(
            Paragraph::new(
                "Nothing is shown until the database can be read again, so that nothing stale \
                 looks current.",
            )
            .style(t.late())
            .wrap(Wrap { trim: true })
            .block(Block::bordered().border_style(t.late())),
            body,
        );
    } else {
        super::component::of(app.screen).draw(frame, body, app);
    }
    let status = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    draw_status(frame, status, app);
    match &app.modal {
        Some(Modal::Help) => draw_help(frame, body, app),
        Some(Modal::Form(form)) => form.draw(frame, body, t),
        Some(Modal::Add(dialog)) => dialog.draw(frame, body, t),
        None => {}
    }
}

fn draw_title(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut spans = vec![Span::styled(" Brigade ", t.title())];
    for (key, screen, name) in [
        ("F1", Screen::Waiter, "Waiter"),
        ("F2", Screen::Kitchen, "Kitchen"),
        ("F3", Screen::History, "History"),
    ] {
        let style = if app.screen == screen {
            t.selected()
        } else {
            t.dim()
        };
        spans.push(Span::styled(format!(" {key} {name} "), style));
    }
    if app.screen == Screen::Kitchen {
        let station = app
            .kitchen
            .station
            .as_deref()
            .map_or("all stations".to_string(), |s| safe(s).into_owned());
        spans.push(Span::styled(format!(" [{station}] "), t.warn()));
    }
    let left: usize = spans.iter().map(|s| s.width()).sum();
    let right = format!(
        "{} · {} ",
        clip(&safe(&app.actor), 16),
        app.now.with_timezone(&chrono::Local).format("%H:%M:%S")
    );
    let pad = (area.width as usize).saturating_sub(left + right.chars().count());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, t.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    if let Some(n) = &app.notice {
        let style = if n.error { t.error() } else { t.ok() };
        let hint = if n.error { "  (any key)" } else { "" };
        frame.render_widget(
            Paragraph::new(format!(" {}{hint}", safe(&n.text))).style(style),
            area,
        );
        return;
    }
    // Every shown command that fits, keeping `? help` (which lists them all) in view.
    let cmds = app.commands();
    let shown: Vec<_> = cmds.iter().filter(|c| c.bar).collect();
    let width = |c: &super::keys::Cmd| c.key_label().chars().count() + c.label.chars().count() + 3;
    let help = shown.iter().find(|c| c.action == super::app::Action::Help);
    let mut room = (area.width as usize).saturating_sub(help.map_or(0, |c| width(c)));
    let mut spans = Vec::new();
    for c in shown
        .iter()
        .filter(|c| c.action != super::app::Action::Help)
    {
        if width(c) > room {
            continue;
        }
        room -= width(c);
        spans.push(Span::styled(format!(" {}", c.key_label()), t.key()));
        spans.push(Span::raw(format!(" {} ", c.label)));
    }
    if let Some(c) = help {
        spans.push(Span::styled(format!(" {}", c.key_label()), t.key()));
        spans.push(Span::raw(format!(" {} ", c.label)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_help(frame: &mut Frame, body: Rect, app: &App) {
    let t = &app.theme;
    let cmds = app.commands();
    let mut rows: Vec<(String, &str)> = cmds
        .iter()
        .filter(|c| c.help)
        .map(|c| (c.key_label(), c.label))
        .collect();
    rows.push(("Ctrl-C".to_string(), "quit, always"));
    // One column when it fits, two when it does not.
    let room = body.height.saturating_sub(2).max(1) as usize;
    let columns = if rows.len() > room { 2 } else { 1 };
    let per_column = rows.len().div_ceil(columns);
    let col_w: u16 = 40;
    let lines: Vec<Line> = (0..per_column)
        .map(|r| {
            let mut spans = Vec::new();
            for c in 0..columns {
                if let Some((keys, label)) = rows.get(c * per_column + r) {
                    spans.push(Span::styled(format!("{:>14}  ", keys), t.key()));
                    spans.push(Span::raw(format!("{:<22}", clip(label, 22))));
                }
            }
            Line::from(spans)
        })
        .collect();
    let h = (per_column as u16 + 2).min(body.height);
    let w = (col_w * columns as u16 + 2).min(body.width);
    let rect = Rect::new(
        body.x + (body.width - w) / 2,
        body.y + (body.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(t.focus_border())
                .title(Span::styled(" Keys here (any key closes) ", t.title())),
        ),
        rect,
    );
}
