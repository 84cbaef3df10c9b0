//! The audit trail: pick an order, see every event (time, actor, type, summary); select one to
//! see the order as it was right after it, beside the event's full JSON — the talk's slides,
//! browsable, and live as the order changes.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::app::{step, Action, App};
use super::chrome::pane as block;
use super::effect::Effect;
use super::form::{Form, FormKind};
use super::keys::{Cmd, Key};
use crate::app::AuditWindow;
use crate::display::{clip, money, safe};
use crate::domain::menu::MENU_STREAM;
use crate::domain::Order;
use crate::projections::audit::{self, AuditEntry};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Orders,
    Events,
}

#[derive(Debug, Clone)]
pub struct Audit {
    pub order_id: String,
    /// The order just before the first loaded entry.
    pub before: Order,
    /// A window of the trail: the newest entries, and older ones as the reader scrolls up.
    pub trail: Vec<AuditEntry>,
    /// The order's newest revision.
    pub head: u64,
}

/// How many entries the screen loads at a time.
pub const WINDOW: u64 = 500;

impl Audit {
    pub fn first_revision(&self) -> u64 {
        self.trail.first().map_or(1, |e| e.revision)
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub pane: Pane,
    pub order: usize,
    pub event: usize,
    pub scroll: u16,
    pub audit: Option<Audit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Open,
    Find,
    ScrollUp,
    ScrollDown,
}

pub fn commands(app: &App) -> Vec<Cmd> {
    let h = |a| Action::History(a);
    let mut c = vec![
        Cmd::new(&[Key::Up, Key::Char('k')], "up", Action::Up).quiet(),
        Cmd::new(&[Key::Down, Key::Char('j')], "down", Action::Down).quiet(),
        Cmd::new(&[Key::PageUp], "page up", Action::PageUp).quiet(),
        Cmd::new(&[Key::PageDown], "page down", Action::PageDown).quiet(),
        Cmd::new(&[Key::Home], "first", Action::Home).quiet(),
        Cmd::new(&[Key::End], "last", Action::End).quiet(),
    ];
    match app.history.pane {
        Pane::Orders => {
            if !app.data.recent.is_empty() {
                c.push(Cmd::new(
                    &[Key::Enter, Key::Right, Key::Char('l')],
                    "open",
                    h(Act::Open),
                ));
            }
        }
        Pane::Events => {
            c.push(Cmd::new(
                &[Key::Left, Key::Char('h'), Key::Esc],
                "orders",
                Action::Left,
            ));
            c.push(Cmd::new(
                &[Key::Char(']')],
                "scroll detail",
                h(Act::ScrollDown),
            ));
            c.push(Cmd::new(&[Key::Char('[')], "scroll back", h(Act::ScrollUp)).quiet());
        }
    }
    c.push(Cmd::new(
        &[Key::Char('/'), Key::Char('o')],
        "order by id",
        h(Act::Find),
    ));
    c
}

/// The open trail moved on (a reload brought it again): shown, following the newest entry if
/// the reader was on it.
pub fn moved_on(app: &mut App, order_id: &str, w: AuditWindow) {
    let Some(audit) = &app.history.audit else {
        return;
    };
    if audit.order_id != order_id {
        return;
    }
    let len = audit.trail.len();
    let at_end = app.history.event + 1 >= len;
    show(app, order_id, w);
    let now = app.history.audit.as_ref().map_or(0, |a| a.trail.len());
    if at_end && now != len {
        app.history.event = now.saturating_sub(1);
    }
}

fn show(app: &mut App, order_id: &str, w: AuditWindow) {
    app.history.event = app.history.event.min(w.entries.len().saturating_sub(1));
    app.history.audit = Some(Audit {
        order_id: order_id.to_string(),
        before: w.before,
        trail: w.entries,
        head: w.head,
    });
}

/// The menu's own stream, opened like an order: its trail is who added, changed or 86'd what.
pub fn is_menu(id: &str) -> bool {
    id == MENU_STREAM
}

/// Older entries came in front of the window: the selection stays on its entry, then moves by
/// `action`.
pub fn earlier(
    app: &mut App,
    order_id: &str,
    first: u64,
    action: Action,
    result: Result<AuditWindow, String>,
) {
    if app.history.audit.as_ref().map(|a| a.order_id.as_str()) != Some(order_id) {
        return;
    }
    match result {
        Ok(w) => {
            let selected = app.history.event;
            show(app, order_id, w);
            // Entries that came in front (not ones appended at the end meanwhile).
            let now_first = app
                .history
                .audit
                .as_ref()
                .map_or(first, Audit::first_revision);
            let added = first.saturating_sub(now_first) as usize;
            app.history.event = selected + added;
            step_events(app, action);
        }
        Err(message) => app.error(message),
    }
}

/// Opens an order's trail (from the list, by id, or from the command line).
pub fn open_order(order_id: &str, fx: &mut Vec<Effect>) {
    fx.push(Effect::OpenAudit {
        order_id: order_id.to_string(),
    });
}

/// An order's trail came: shown from its newest entry.
pub fn opened(app: &mut App, order_id: &str, result: Result<AuditWindow, String>) {
    match result {
        Ok(w) => {
            app.history.event = usize::MAX;
            show(app, order_id, w);
            app.history.pane = Pane::Events;
            app.history.scroll = 0;
            if let Some(i) = app
                .data
                .recent
                .iter()
                .position(|o| o.order.order_id == order_id)
            {
                app.history.order = i;
            }
        }
        Err(message) => app.error(message),
    }
}

pub fn perform(app: &mut App, act: Act, fx: &mut Vec<Effect>) {
    match act {
        Act::Open => {
            if let Some(o) = app.data.recent.get(app.history.order) {
                let id = o.order.order_id.clone();
                open_order(&id, fx);
            }
        }
        Act::Find => app.open_form(
            Form::new(FormKind::OpenHistory, "Open an order's history").field("Order id", "", 40),
        ),
        Act::ScrollDown => app.history.scroll = app.history.scroll.saturating_add(5),
        Act::ScrollUp => app.history.scroll = app.history.scroll.saturating_sub(5),
    }
}

pub fn navigate(app: &mut App, action: Action, fx: &mut Vec<Effect>) {
    let page = (app.size.1 as usize / 3).max(1);
    match action {
        Action::Left | Action::Back => {
            app.history.pane = Pane::Orders;
            return;
        }
        Action::Right => {
            perform(app, Act::Open, fx);
            return;
        }
        Action::NextPane | Action::PrevPane => {
            app.history.pane = match app.history.pane {
                Pane::Orders if app.history.audit.is_some() => Pane::Events,
                _ => Pane::Orders,
            };
            return;
        }
        _ => {}
    }
    if app.history.pane == Pane::Orders {
        if let Some(next) = step(&action, app.history.order, app.data.recent.len(), page) {
            app.history.order = next;
        }
        return;
    }
    // Scrolling above the loaded window of a long trail loads the entries before it; the
    // selection moves once they are here.
    let cur = app.history.event;
    let more = match action {
        Action::Up if cur == 0 => Some(WINDOW),
        Action::PageUp if cur < page => Some(WINDOW),
        Action::Home => Some(u64::MAX),
        _ => None,
    };
    if let (Some(more), Some(audit)) = (more, &app.history.audit) {
        let first = audit.first_revision();
        if first > 1 && !is_menu(&audit.order_id) {
            fx.push(Effect::Earlier {
                order_id: audit.order_id.clone(),
                first,
                more,
                action,
            });
            return;
        }
    }
    step_events(app, action);
}

/// Moves the selected entry by `action` within the loaded window.
fn step_events(app: &mut App, action: Action) {
    let page = (app.size.1 as usize / 3).max(1);
    let len = app.history.audit.as_ref().map_or(0, |a| a.trail.len());
    if let Some(next) = step(&action, app.history.event, len, page) {
        app.history.event = next;
        app.history.scroll = 0;
    }
}

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
    let mut lines = vec![Line::from(Span::styled(head, t.title()))];
    for l in &o.lines {
        let style = if l.live_quantity() == 0 {
            t.voided()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{} {}× {} · {} · {}",
                l.line_id,
                l.live_quantity(),
                safe(&l.name),
                l.status.as_str(),
                money(l.total_cents())
            ),
            style,
        )));
        if let Some(n) = &l.note {
            lines.push(Line::from(Span::styled(
                format!("   ✎ {}", safe(n)),
                t.note(),
            )));
        }
    }
    for tk in &o.tickets {
        lines.push(Line::from(Span::styled(
            format!("ticket #{} {}", tk.number, tk.status.as_str()),
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
