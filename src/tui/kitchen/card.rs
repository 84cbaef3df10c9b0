//! One ticket laid out as the rows of a card, by a pure function: a header (status, RUSH, the
//! course, CHANGED or CANCELLED, the time since sent when the course was fired later, the
//! server), the add-on divider, each line with its seat, and under it its options, what changed
//! since it reached the station, its void reasons, its allergens and its note, every text
//! wrapped in full at the card's width. Nothing is ever dropped or cut here: a card too short
//! for its rows continues in the next slot (see `flow`).

use ratatui::text::Span;

use crate::display::{age, clip, safe};
use crate::domain::order::TicketStatus;
use crate::projections::TicketView;

/// What a row is, so the screen can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Status, CHANGED / CANCELLED, the server.
    Header,
    /// `── ADD-ON ──`: the ticket came from a later send of its order.
    Divider,
    /// A line to make.
    Item,
    /// A line part of which was voided.
    PartVoid,
    /// A line voided in full (struck through on screen).
    Void,
    /// Why a line was voided.
    VoidReason,
    /// The allergens of a line.
    Allergens,
    /// The note typed with a line.
    Note,
    /// A modifier option chosen for a line (`+ Medium rare`).
    Modifier,
    /// What changed on a line after it reached the station (`↻ seat 2 → 3`).
    Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub text: String,
    pub kind: RowKind,
}

/// The width of `text` in terminal cells.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

/// `text` word-wrapped into rows at most `max` cells wide: the first row starts with `first`,
/// the others with `rest`. Every word is kept; a word longer than a row is broken across rows.
pub fn wrap(text: &str, first: &str, rest: &str, max: usize) -> Vec<String> {
    // The row's width is kept as it grows (measuring it again for each word made a card's
    // layout quadratic in its words).
    let (first_w, rest_w) = (width(first), width(rest));
    let mut rows = Vec::new();
    let mut row = first.to_string();
    let mut row_w = first_w;
    let mut empty = true;
    for word in text.split_whitespace() {
        let word_w = width(word);
        let gap = usize::from(!empty);
        if row_w + gap + word_w <= max {
            if !empty {
                row.push(' ');
            }
            row.push_str(word);
            row_w += gap + word_w;
            empty = false;
            continue;
        }
        if !empty {
            rows.push(std::mem::replace(&mut row, rest.to_string()));
            row_w = rest_w;
            empty = true;
        }
        if row_w + word_w <= max {
            row.push_str(word);
            row_w += word_w;
            empty = false;
            continue;
        }
        // Longer than a whole row: break it, at least one character a row.
        for c in word.chars() {
            let w = width(c.encode_utf8(&mut [0; 4]));
            if !empty && row_w + w > max {
                rows.push(std::mem::replace(&mut row, rest.to_string()));
                row_w = rest_w;
            }
            row.push(c);
            row_w += w;
            empty = false;
        }
    }
    if !empty || rows.is_empty() {
        rows.push(row);
    }
    rows
}

fn status_text(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => "NEW",
        TicketStatus::Held => "HOLD",
        TicketStatus::InProgress => "COOKING",
        TicketStatus::Ready => "READY",
        TicketStatus::Served => "SERVED",
    }
}

/// The words of a card's header, before the server's name: styled one by one on screen.
pub fn header_words(ticket: &TicketView, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    let mut words = vec![status_text(ticket.status).to_string()];
    if ticket.rush {
        words.push("RUSH".into());
    }
    if ticket.course > 0 {
        words.push(format!("C{}", ticket.course));
    }
    if ticket.cancelled {
        words.push("CANCELLED".into());
    } else if ticket.changed {
        words.push("CHANGED".into());
    }
    // A course fired after it was sent: the card's timer runs from the firing, and the time
    // since it was sent shows here.
    if ticket.fired_at.is_some_and(|f| f > ticket.sent_at) {
        words.push(format!(
            "sent {}",
            age((now - ticket.sent_at).num_seconds())
        ));
    }
    words
}

/// Every row of `ticket` on a card `max` cells wide (inside its border), at time `now`.
pub fn rows(ticket: &TicketView, max: usize, now: chrono::DateTime<chrono::Utc>) -> Vec<Row> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut push = |text: String, kind| out.push(Row { text, kind });
    let words = header_words(ticket, now);
    let mut head = words.join(" ");
    // The header is about the ticket, not a dish: the server's name may be shortened.
    let room = max.saturating_sub(width(&head) + 1);
    if room > 0 {
        head.push(' ');
        head.push_str(&clip(&safe(&ticket.server), room.min(12)));
    }
    // The flags are never cut: when they do not fit one row they wrap.
    for r in wrap(&head, "", "", max) {
        push(r, RowKind::Header);
    }
    if let Some(reason) = ticket.cancel_reason.as_deref().filter(|_| ticket.cancelled) {
        for r in wrap(&format!("cancelled: {}", safe(reason)), "✗ ", "  ", max) {
            push(r, RowKind::VoidReason);
        }
    }
    if ticket.add_on {
        let label = " ADD-ON ";
        push(format!("{label:─^max$}"), RowKind::Divider);
    }
    for l in &ticket.lines {
        let live = l.quantity.saturating_sub(l.voided);
        let (text, kind) = if live == 0 {
            (
                format!("{} {} VOID", l.quantity, safe(&l.name)),
                RowKind::Void,
            )
        } else if l.voided > 0 {
            (
                format!("{} {} (-{} void)", live, safe(&l.name), l.voided),
                RowKind::PartVoid,
            )
        } else {
            (format!("{} {}", live, safe(&l.name)), RowKind::Item)
        };
        let text = if l.seat > 0 {
            format!("{text} · seat {}", l.seat)
        } else {
            text
        };
        for r in wrap(&text, "", "  ", max) {
            push(r, kind);
        }
        for m in &l.modifiers {
            for r in wrap(&safe(&m.name), "   + ", "     ", max) {
                push(r, RowKind::Modifier);
            }
        }
        for c in &l.changes {
            for r in wrap(&safe(c), "  ↻ ", "    ", max) {
                push(r, RowKind::Change);
            }
        }
        for reason in &l.void_reasons {
            for r in wrap(&format!("void: {}", safe(reason)), "  ✗ ", "    ", max) {
                push(r, RowKind::VoidReason);
            }
        }
        if live > 0 && !l.allergens.is_empty() {
            let list: Vec<String> = l.allergens.iter().map(|a| safe(a).into_owned()).collect();
            for r in wrap(&list.join(", "), "  ⚠ ", "    ", max) {
                push(r, RowKind::Allergens);
            }
        }
        if let Some(n) = &l.note {
            for r in wrap(&safe(n), "  ! ", "    ", max) {
                push(r, RowKind::Note);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_stays_inside_the_width() {
        let text = "no salt sauce on the side extraordinarilylongwordthatcannotfit ok";
        for max in [8, 12, 26] {
            let rows = wrap(text, "  ! ", "    ", max);
            assert!(rows.iter().all(|r| width(r) <= max), "{rows:?}");
            assert!(rows[0].starts_with("  ! "));
            let joined: String = rows
                .iter()
                .map(|r| r.trim_start_matches("  ! ").trim_start())
                .collect::<Vec<_>>()
                .join(" ");
            let squashed: String = joined.split_whitespace().collect();
            assert_eq!(squashed, text.split_whitespace().collect::<String>());
        }
        assert_eq!(wrap("", "  ! ", "    ", 10), ["  ! "]);
    }
}
