//! An order's audit trail: every event of its stream with who, when, a one-line summary, and
//! (on request) the order's state right after it — the talk's slides, as a query. The menu's
//! own stream has a trail too ([`menu_trail`]): who 86'd what, when.

use serde::Serialize;

use crate::domain::codec;
use crate::domain::menu::MenuEvent;
use crate::domain::order::OrderDecider;
use crate::domain::{Decider, Order, OrderEvent};
use crate::store::{Metadata, RecordedEvent, StoreError};

/// One step of an order's history.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub position: i64,
    pub revision: u64,
    #[serde(rename = "type")]
    pub event_type: String,
    pub schema_version: u32,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub summary: String,
    /// The payload's JSON text (parsed only when shown or serialised).
    #[serde(serialize_with = "raw_json")]
    pub payload: String,
    pub metadata: Metadata,
}

impl AuditEntry {
    /// The entry of a recorded event, with its one-line summary.
    fn from_recorded(e: RecordedEvent, summary: String) -> Self {
        AuditEntry {
            position: e.position,
            revision: e.revision,
            event_type: e.event_type,
            schema_version: e.stored_version,
            recorded_at: e.recorded_at,
            actor: e.metadata.actor.clone(),
            summary,
            payload: e.payload,
            metadata: e.metadata,
        }
    }
}

/// The audit trail of a stream's events (oldest first). Takes the events, so that their
/// payloads and metadata move into the entries rather than being copied.
pub fn trail(events: Vec<RecordedEvent>) -> Result<Vec<AuditEntry>, StoreError> {
    trail_from(Order::default(), events)
}

/// The audit trail of events that follow `order` (a window that does not start at the
/// beginning of the stream).
pub fn trail_from(
    mut order: Order,
    events: Vec<RecordedEvent>,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let event = codec::decode_current_order(&e.event_type, &e.payload)?;
        let summary = summarize(&order, &event);
        order = OrderDecider::evolve(order, &event);
        out.push(AuditEntry::from_recorded(e, summary));
    }
    Ok(out)
}

fn raw_json<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    serde_json::from_str::<serde_json::Value>(text)
        .map_err(serde::ser::Error::custom)?
        .serialize(s)
}

fn decode(e: &AuditEntry) -> Result<OrderEvent, StoreError> {
    Ok(codec::decode_current_order(&e.event_type, &e.payload)?)
}

/// The order's state after each entry, in step with the trail.
pub fn states(trail: &[AuditEntry]) -> Result<Vec<Order>, StoreError> {
    let mut order = Order::default();
    let mut out = Vec::with_capacity(trail.len());
    for e in trail {
        order = OrderDecider::evolve(order, &decode(e)?);
        out.push(order.clone());
    }
    Ok(out)
}

/// The order as it was right after `revision` (or now, when it is past the end).
pub fn state_at(trail: &[AuditEntry], revision: u64) -> Result<Order, StoreError> {
    state_after(Order::default(), trail, revision)
}

/// Like [`state_at`] for a window of the trail that follows `before`.
pub fn state_after(
    before: Order,
    trail: &[AuditEntry],
    revision: u64,
) -> Result<Order, StoreError> {
    let events = trail
        .iter()
        .take_while(|e| e.revision <= revision)
        .map(decode)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OrderDecider::fold_from(Some(before), &events))
}

/// The order now, from its events.
pub fn replay(events: &[RecordedEvent]) -> Result<Order, StoreError> {
    let events = events
        .iter()
        .map(|e| codec::decode_current_order(&e.event_type, &e.payload))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(OrderDecider::fold_from(None, &events))
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

fn line_name(order: &Order, line_id: &str) -> String {
    order.line(line_id).map_or_else(
        || line_id.to_string(),
        |l| format!("{} ({line_id})", l.name),
    )
}

fn ticket_no(order: &Order, ticket_id: &str) -> String {
    order
        .ticket(ticket_id)
        .map_or_else(|| ticket_id.to_string(), |t| format!("#{}", t.number))
}

/// One line for people: what the event did to the order as it stood before it.
pub fn summarize(before: &Order, event: &OrderEvent) -> String {
    match event {
        OrderEvent::OrderOpened(e) => {
            let mut s = match (&e.table, &e.customer) {
                (Some(t), _) => format!("Opened for table {t}"),
                (None, Some(c)) => format!("Opened {} for {}", kind(e.kind), c.name),
                (None, None) => "Opened".to_string(),
            };
            if let Some(c) = e.covers {
                s.push_str(&format!(", {c} covers"));
            }
            s
        }
        OrderEvent::ItemAddedToOrder(e) => {
            let mut s = format!(
                "Added {}× {} at {} ({})",
                e.quantity,
                e.name,
                money(e.price_cents),
                e.line_id
            );
            if !e.modifiers.is_empty() {
                let m: Vec<&str> = e.modifiers.iter().map(|m| m.name.as_str()).collect();
                s.push_str(&format!(" [{}]", m.join(", ")));
            }
            if e.seat > 0 {
                s.push_str(&format!(", seat {}", e.seat));
            }
            if e.course > 0 {
                s.push_str(&format!(", course {}", e.course));
            }
            if let Some(n) = &e.note {
                s.push_str(&format!(" — note: {n}"));
            }
            s
        }
        OrderEvent::ItemSeatChanged(e) => format!(
            "Moved {} to {}",
            line_name(before, &e.line_id),
            if e.seat == 0 {
                "the table".to_string()
            } else {
                format!("seat {}", e.seat)
            }
        ),
        OrderEvent::ItemRemovedFromOrder(e) => format!("Removed {}", line_name(before, &e.line_id)),
        OrderEvent::ItemQuantityChanged(e) => format!(
            "Changed {} to ×{}",
            line_name(before, &e.line_id),
            e.quantity
        ),
        OrderEvent::ItemNoteChanged(e) => match &e.note {
            Some(n) => format!("Note on {}: {n}", line_name(before, &e.line_id)),
            None => format!("Cleared the note on {}", line_name(before, &e.line_id)),
        },
        OrderEvent::OrderPlaced(e) => {
            let tickets: Vec<String> = e
                .tickets
                .iter()
                .map(|t| {
                    let n = t.line_ids.len();
                    let mut s = format!("#{}", t.ticket_number);
                    if let Some(station) = &t.station {
                        s.push_str(&format!(" {station}"));
                    }
                    if t.course > 0 {
                        s.push_str(&format!(" course {}", t.course));
                    }
                    s.push_str(&format!(", {n} line{}", if n == 1 { "" } else { "s" }));
                    if t.held {
                        s.push_str(", held");
                    }
                    s
                })
                .collect();
            let add_on = if before.tickets.is_empty() {
                ""
            } else {
                " (add-on)"
            };
            format!("Sent to the kitchen{add_on}: {}", tickets.join("; "))
        }
        OrderEvent::CourseFired(e) => format!(
            "Fired course {} ({} ticket{})",
            e.course,
            e.ticket_ids.len(),
            if e.ticket_ids.len() == 1 { "" } else { "s" }
        ),
        OrderEvent::OrderRushed(_) => "Rushed: its tickets go first".to_string(),
        OrderEvent::TicketStarted(e) => {
            format!("Kitchen started ticket {}", ticket_no(before, &e.ticket_id))
        }
        OrderEvent::TicketMarkedReady(e) => {
            format!("Ticket {} ready (bumped)", ticket_no(before, &e.ticket_id))
        }
        OrderEvent::TicketRecalled(e) => {
            format!("Ticket {} recalled", ticket_no(before, &e.ticket_id))
        }
        OrderEvent::TicketServed(e) => format!("Ticket {} served", ticket_no(before, &e.ticket_id)),
        OrderEvent::ItemVoided(e) => format!(
            "Voided {}× {}: {}",
            e.quantity,
            line_name(before, &e.line_id),
            e.reason
        ),
        OrderEvent::OrderCancelled(e) => format!("Cancelled: {}", e.reason),
        OrderEvent::OrderClosed(e) => match &e.payment {
            Some(p) => format!("Closed, paid {} ({p})", money(e.total_cents)),
            None => format!("Closed, paid {}", money(e.total_cents)),
        },
    }
}

/// The menu's own trail: every event of the `menu` stream with who, when and a one-line
/// summary (item names are told from the events before each one).
pub fn menu_trail(events: Vec<RecordedEvent>) -> Result<Vec<AuditEntry>, StoreError> {
    let mut names: std::collections::HashMap<String, String> = Default::default();
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let event = codec::decode_current_menu(&e.event_type, &e.payload)?;
        let summary = summarize_menu(&names, &event);
        match &event {
            MenuEvent::MenuItemAdded(a) => {
                names.insert(a.item.id.clone(), a.item.name.clone());
            }
            MenuEvent::MenuItemChanged(c) => {
                names.insert(c.item.id.clone(), c.item.name.clone());
            }
            _ => {}
        }
        out.push(AuditEntry::from_recorded(e, summary));
    }
    Ok(out)
}

/// One line for people about a menu event, given the item names known before it.
pub fn summarize_menu(
    names: &std::collections::HashMap<String, String>,
    event: &MenuEvent,
) -> String {
    let name = |id: &str| {
        names
            .get(id)
            .map_or_else(|| id.to_string(), |n| format!("{n} ({id})"))
    };
    match event {
        MenuEvent::MenuItemAdded(a) => format!(
            "Added {} ({}) to {} at {}",
            a.item.name,
            a.item.id,
            a.item.category,
            money(a.item.price_cents)
        ),
        MenuEvent::MenuItemChanged(c) => format!(
            "Changed {}: {}, {}",
            name(&c.item.id),
            c.item.name,
            money(c.item.price_cents)
        ),
        MenuEvent::MenuItemRemoved(r) => format!("Removed {}", name(&r.item_id)),
        MenuEvent::MenuItemMarkedUnavailable(u) => format!("86'd {}", name(&u.item_id)),
        MenuEvent::MenuItemMarkedAvailable(a) => format!("{} back on", name(&a.item_id)),
        MenuEvent::ItemStockSet(s) => match s.count {
            Some(c) => format!("{}: {c} left", name(&s.item_id)),
            None => format!("{}: no longer counted", name(&s.item_id)),
        },
        MenuEvent::CategoryCourseSet(c) => match c.course {
            Some(n) => format!("{} go out as course {n}", c.category),
            None => format!("{} go out with the send", c.category),
        },
    }
}

fn kind(k: crate::domain::order::OrderKind) -> &'static str {
    match k {
        crate::domain::order::OrderKind::DineIn => "dine-in",
        crate::domain::order::OrderKind::Takeout => "takeout",
        crate::domain::order::OrderKind::Delivery => "delivery",
    }
}
