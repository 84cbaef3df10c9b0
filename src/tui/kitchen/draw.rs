//! Drawing the kitchen: the cards in their slots, coloured by age, the page hint and the
//! all-day panel.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui::Frame;

use super::card::{self, Row, RowKind};
use super::flow::Part;
use super::{all_day, expo, pane, recall, selected_index, Board};
use crate::display::{age, clip, safe};
use crate::projections::TicketView;
use crate::tui::app::App;

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
            Some(_) if expo::is_expo(app) => "Nothing fired: no order at the pass".to_string(),
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
        let open: &[TicketView] = if expo::is_expo(app) {
            &app.data.tickets
        } else {
            &board.tickets
        };
        all_day::draw(frame, area, app, open);
    }
    if let Some(i) = app.kitchen.recall {
        recall::draw(frame, a.cards, app, i);
    }
    if let Some(i) = app.kitchen.pane {
        pane::draw(frame, body, app, i);
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
    // The timer runs from the firing (a held course is not cooking: its age is dim).
    let since = ticket.fired_at.unwrap_or(ticket.sent_at);
    let secs = (app.now - since).num_seconds();
    let age_s = if ticket.is_held() {
        t.dim()
    } else {
        age_style(app, secs)
    };
    let at_pass = expo::is_expo(app);
    let ready_order = at_pass && expo::done(&expo::group_of(app, &ticket.order_id));
    let border = if ready_order {
        // At the pass: every station has bumped this order, it turns green.
        t.ok()
    } else if at_pass {
        // Still cooking somewhere: plain, so that green means ready.
        t.title()
    } else if ticket.is_held() {
        t.dim()
    } else if ticket.cancelled {
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
        if ticket.is_held() {
            format!(" held {} ", age(secs))
        } else {
            format!(" {} ", age(secs))
        }
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
        .map(|r| {
            let line = row_line(app, ticket, r);
            // Held: visible, greyed, not to be cooked yet.
            if ticket.is_held() && r.kind != RowKind::Header {
                line.style(t.dim())
            } else {
                line
            }
        })
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
            // Each flag in its own colour; the server's name (the rest) dim.
            let flags = card::header_words(ticket, app.now).join(" ");
            let text = row.text.as_str();
            let (known, rest) = if text.starts_with(&flags) {
                text.split_at(flags.len())
            } else {
                (text, "")
            };
            let mut spans = Vec::new();
            for (i, word) in known.split(' ').enumerate() {
                let style = match word {
                    "RUSH" | "CANCELLED" => t.late(),
                    "CHANGED" => t.changed(),
                    "HOLD" => t.dim(),
                    _ if i == 0 => t.title(),
                    w if w.starts_with('C') && w[1..].parse::<u32>().is_ok() => t.title(),
                    _ => t.dim(),
                };
                if i > 0 {
                    spans.push(Span::raw(" "));
                }
                spans.push(Span::styled(word, style));
            }
            spans.push(Span::styled(rest, t.dim()));
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
        RowKind::Modifier => Line::from(Span::styled(row.text.as_str(), t.title())),
        RowKind::Change => Line::from(Span::styled(row.text.as_str(), t.changed())),
    }
}
