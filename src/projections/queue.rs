//! How the kitchen's queries order and filter tickets, the same for every backend: a backend
//! fetches the rows by status, these decide what a screen shows and in which order.

use chrono::{DateTime, Utc};

use super::TicketView;

/// The statuses a station's screen shows.
pub const KITCHEN: &[&str] = &["held", "new", "in_progress"];
/// The statuses the expeditor's screen shows.
pub const EXPO: &[&str] = &["new", "in_progress", "ready"];

/// A station's screen (or every station's, with `None`): the tickets still to make and those
/// held for a later course. Rushed orders first; then in the order they were fired (by log
/// position, never by recorded time); held tickets after them all, in the order they were sent.
pub fn kitchen(mut tickets: Vec<TicketView>, station: Option<&str>) -> Vec<TicketView> {
    if let Some(station) = station {
        tickets.retain(|t| t.station == station);
    }
    tickets.sort_by(|a, b| key(a).cmp(&key(b)));
    tickets
}

/// The expeditor's screen: every fired ticket not yet served, whatever its station, but for
/// cancelled orders'; rushed orders first, then by firing.
pub fn expo(mut tickets: Vec<TicketView>) -> Vec<TicketView> {
    tickets.retain(|t| !t.cancelled);
    tickets.sort_by(|a, b| key(a).cmp(&key(b)));
    tickets
}

/// Of the ready tickets, up to `limit` bumped at `station` (or anywhere), newest bump first;
/// with `since`, only those bumped at or after it. A cancelled order's ticket was cleared, not
/// cooked: there is nothing to recall.
pub fn recently_bumped(
    mut ready: Vec<TicketView>,
    station: Option<&str>,
    since: Option<DateTime<Utc>>,
    limit: usize,
) -> Vec<TicketView> {
    ready.retain(|t| {
        !t.cancelled
            && station.is_none_or(|s| t.station == s)
            && since.is_none_or(|since| t.ready_at.is_some_and(|r| r >= since))
    });
    ready.sort_by(|a, b| (b.ready_position, &b.ticket_id).cmp(&(a.ready_position, &a.ticket_id)));
    ready.truncate(limit);
    ready
}

/// Where a ticket stands in a queue: held ones last (they are not to be cooked yet), rushed
/// ones first among the rest, else by firing (held ones by sending).
fn key(t: &TicketView) -> (bool, bool, i64, &str) {
    let held = t.is_held();
    let at = if held {
        t.sent_position
    } else {
        t.fired_position
    };
    (held, !t.rush, at, &t.ticket_id)
}
