//! The waiter's order pane: the selected order's lines with quantity, note, price and where
//! each one is.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::{selected_order, Pane};
use crate::display::{clip, money, safe};
use crate::domain::order::{Line as OrderLine, LineStatus};
use crate::tui::app::App;
use crate::tui::chrome::pane as block;

/// What the waiter is told about an unsent line that cannot go to the kitchen as the menu
/// stands (the domain's [`Order::unavailable_lines`](crate::domain::order::Order)).
pub const UNAVAILABLE_HINT: &str = "remove it or change it before sending";

fn status_word(l: &OrderLine, unavailable: bool) -> &'static str {
    if unavailable {
        return "86'd!";
    }
    match l.status {
        LineStatus::Pending => "not sent",
        LineStatus::Held => "HOLD",
        LineStatus::Sent => "in kitchen",
        LineStatus::InProgress => "cooking",
        LineStatus::Ready => "READY",
        LineStatus::Served => "served",
        LineStatus::Voided => "voided",
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let pane = app.waiter.pane;
    match selected_order(app) {
        None => frame.render_widget(
            Paragraph::new("Select or open an order").block(block(
                app,
                " Order ".into(),
                pane == Pane::Lines,
            )),
            area,
        ),
        Some(o) => {
            let order = &o.order;
            let mut title = format!(" {} ", safe(&order.label()));
            if let Some(c) = order.covers {
                title.push_str(&format!("· {c} covers "));
            }
            title.push_str(&format!(
                "· {} · {} · {} ",
                order.status.as_str(),
                safe(&o.opened_by),
                money(o.total_cents)
            ));
            let width = area.width.saturating_sub(2) as usize;
            let name_w = width.saturating_sub(33).max(4);
            // The domain says which unsent lines the menu no longer allows (86'd or removed).
            let unavailable: Vec<&str> = order
                .unavailable_lines(&app.data.menu)
                .into_iter()
                .map(|l| l.line_id.as_str())
                .collect();
            let shown = super::line_order(order);
            let held = order.held_courses();
            let items: Vec<ListItem> = shown
                .iter()
                .enumerate()
                .map(|(i, &at)| {
                    let l = &order.lines[at];
                    let qty = if l.voided > 0 && l.live_quantity() > 0 {
                        format!("{}×(-{})", l.live_quantity(), l.voided)
                    } else {
                        format!("{}×", l.quantity)
                    };
                    let flagged = unavailable.contains(&l.line_id.as_str());
                    let style = match l.status {
                        _ if flagged => t.error(),
                        LineStatus::Voided => t.voided(),
                        LineStatus::Ready => t.warn(),
                        LineStatus::Pending => t.ok(),
                        LineStatus::Held => t.dim(),
                        _ => Style::new(),
                    };
                    let mut lines = Vec::new();
                    // A heading where a course starts: the waiter sees what goes out when.
                    let starts = i == 0 || order.lines[shown[i - 1]].course != l.course;
                    if starts {
                        let mut head = match l.course {
                            0 => "── with the send ".to_string(),
                            c => format!("── course {c} "),
                        };
                        if held.contains(&l.course) {
                            head.push_str("· HELD (f fires) ");
                        }
                        lines.push(Line::from(Span::styled(
                            format!("{head:─<width$}"),
                            if held.contains(&l.course) {
                                t.warn()
                            } else {
                                t.dim()
                            },
                        )));
                    }
                    let seat = if l.seat > 0 {
                        format!("s{}", l.seat)
                    } else {
                        String::new()
                    };
                    lines.push(Line::from(vec![Span::styled(
                        format!(
                            "{:<3}{:<4}{:>6} {:<name_w$} {:<10}{:>8}",
                            // Waiters count the lines (1, 2, 3), not the internal ids.
                            i + 1,
                            seat,
                            qty,
                            clip(&safe(&l.name), name_w),
                            status_word(l, flagged),
                            money(l.total_cents())
                        ),
                        style,
                    )]));
                    for m in &l.modifiers {
                        lines.push(Line::from(Span::styled(
                            format!(
                                "            + {}",
                                clip(&safe(&m.name), width.saturating_sub(14))
                            ),
                            style,
                        )));
                    }
                    if flagged {
                        lines.push(Line::from(Span::styled(
                            format!("    ! {}", clip(UNAVAILABLE_HINT, width.saturating_sub(6))),
                            t.error(),
                        )));
                    }
                    if let Some(n) = &l.note {
                        lines.push(Line::from(Span::styled(
                            format!("      ✎ {}", clip(&safe(n), width.saturating_sub(8))),
                            t.note(),
                        )));
                    }
                    ListItem::new(lines)
                })
                .collect();
            // In view: the selected line when the pane has the focus, else the line added
            // last while unsent (so a new burger with its options is not under the edge); and
            // what is off screen is said, never left unseen.
            let focused = pane == Pane::Lines;
            let newest = shown
                .iter()
                .rposition(|&at| order.lines[at].status == LineStatus::Pending);
            let target = if focused && !order.lines.is_empty() {
                Some(app.waiter.line)
            } else {
                newest
            };
            let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
            let room = area.height.saturating_sub(2) as usize;
            let offset = target.map_or(0, |t| offset_to_show(&heights, t, room));
            let below = heights.iter().skip(offset).sum::<usize>() > room;
            let more = match (offset > 0, below) {
                (true, true) => " ↑↓ more ",
                (true, false) => " ↑ more ",
                (false, true) => " ↓ more ",
                (false, false) => "",
            };
            let mut pane_block = block(app, title, focused);
            if !more.is_empty() {
                pane_block = pane_block.title_bottom(Line::from(more).right_aligned());
            }
            let mut state = ListState::default()
                .with_offset(offset)
                .with_selected((focused && !order.lines.is_empty()).then_some(app.waiter.line));
            frame.render_stateful_widget(
                List::new(items)
                    .block(pane_block)
                    .highlight_style(t.selected()),
                area,
                &mut state,
            );
        }
    }
}

/// The first row to draw so that row `target` is wholly in view, with as many rows before it
/// as fit (from the top when everything up to it fits).
fn offset_to_show(heights: &[usize], target: usize, room: usize) -> usize {
    let target = target.min(heights.len().saturating_sub(1));
    let mut used = 0;
    let mut first = target + 1;
    while first > 0 && used + heights[first - 1] <= room {
        first -= 1;
        used += heights[first];
    }
    first.min(target)
}
