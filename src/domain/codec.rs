//! The one decoder of stored events: (event type, schema version, payload) into a domain
//! event, through the upcasters. Every reader of the log (the store, the read models, the
//! audit trail, loading and the snapshot check) decodes with [`decode_order`] /
//! [`decode_menu`], so a new event version is taught here once.
//!
//! Schema evolution: events are stored as they were written and upcast when read.
//!
//! Each event type has a current schema version (`CURRENT`); an event stored with an older
//! version passes through the upcasters in turn until it is current. Stored bytes are never
//! rewritten (which also keeps the hash chain valid).
//!
//! The upcasts:
//! - `ItemAddedToOrder` v1 is the seed talk's shape, `{ "orderId", "itemId", "quantity" }`
//!   (camelCase, no line id, no price); v2 is snake_case with the line id, name, station and
//!   price copied from the menu; v3 adds modifiers, seat and course.
//! - `OrderPlaced` v1 was one ticket per send; v2 lists the send's tickets, one per station and
//!   course, some held.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::domain::rejection::DecodeError;
use crate::domain::{MenuEvent, OrderEvent};

/// Decodes an order event as stored: upcast to the current schema version, then read.
/// `revision` is the event's revision in its stream (some upcasts derive ids from it).
pub fn decode_order(
    event_type: &str,
    version: u32,
    payload: &str,
    revision: u64,
) -> Result<OrderEvent, DecodeError> {
    OrderEvent::from_payload(
        event_type,
        &upcast_str(event_type, version, payload, revision)?,
    )
}

/// Decodes a menu event as stored: upcast to the current schema version, then read.
pub fn decode_menu(
    event_type: &str,
    version: u32,
    payload: &str,
    revision: u64,
) -> Result<MenuEvent, DecodeError> {
    MenuEvent::from_payload(
        event_type,
        &upcast_str(event_type, version, payload, revision)?,
    )
}

/// Decodes an order event whose payload is already current (a recorded event's as the store
/// hands it out, an audit entry's): the same decoder, with nothing left to upcast.
pub fn decode_current_order(event_type: &str, payload: &str) -> Result<OrderEvent, DecodeError> {
    decode_order(event_type, current_version(event_type), payload, 0)
}

/// Like [`decode_current_order`], for the menu.
pub fn decode_current_menu(event_type: &str, payload: &str) -> Result<MenuEvent, DecodeError> {
    decode_menu(event_type, current_version(event_type), payload, 0)
}

/// Current schema version of every event type that is not version 1.
const CURRENT: &[(&str, u32)] = &[("ItemAddedToOrder", 3), ("OrderPlaced", 2)];

/// The schema version an event of `event_type` is written with today.
pub fn current_version(event_type: &str) -> u32 {
    CURRENT
        .iter()
        .find(|(t, _)| *t == event_type)
        .map_or(1, |(_, v)| *v)
}

/// Brings a stored payload up to the current version. `revision` is the event's revision in its
/// stream (some upcasts derive ids from it).
pub fn upcast(
    event_type: &str,
    version: u32,
    payload: String,
    revision: u64,
) -> Result<String, DecodeError> {
    if version == current_version(event_type) {
        return Ok(payload);
    }
    upcast_str(event_type, version, &payload, revision).map(Cow::into_owned)
}

/// Like [`upcast`], borrowing the payload when it is already current.
pub fn upcast_str<'p>(
    event_type: &str,
    version: u32,
    payload: &'p str,
    revision: u64,
) -> Result<Cow<'p, str>, DecodeError> {
    let current = current_version(event_type);
    if version == current {
        return Ok(Cow::Borrowed(payload));
    }
    if version > current {
        return Err(DecodeError::TooNew(
            event_type.to_string(),
            version,
            current,
        ));
    }
    let bad = |e: String| DecodeError::BadPayload(event_type.to_string(), e);
    let mut value: Value = serde_json::from_str(payload).map_err(|e| bad(e.to_string()))?;
    let mut v = version;
    while v < current {
        value = match (event_type, v) {
            ("ItemAddedToOrder", 1) => item_added_v1_to_v2(value, revision).map_err(bad)?,
            ("ItemAddedToOrder", 2) => item_added_v2_to_v3(value).map_err(bad)?,
            ("OrderPlaced", 1) => order_placed_v1_to_v2(value).map_err(bad)?,
            _ => return Err(bad(format!("no upcaster from version {v}"))),
        };
        v += 1;
    }
    Ok(Cow::Owned(value.to_string()))
}

/// v1 `{orderId, itemId, quantity, note?}` → v2 `{order_id, line_id, item_id, name, station,
/// price_cents, quantity, note?}`. v1 carried no price or name: the item id stands for the name
/// and the price is 0, which is what the order was recorded at.
fn item_added_v1_to_v2(value: Value, revision: u64) -> Result<Value, String> {
    let Value::Object(old) = value else {
        return Err("v1 payload is not an object".into());
    };
    let text = |k: &str| {
        old.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("v1 payload has no {k}"))
    };
    let item_id = text("itemId")?;
    let quantity = old
        .get("quantity")
        .and_then(Value::as_u64)
        .ok_or("v1 payload has no quantity")?;
    let mut new = Map::new();
    new.insert("order_id".into(), Value::String(text("orderId")?));
    new.insert(
        "line_id".into(),
        Value::String(crate::domain::order::line_id(revision)),
    );
    new.insert("name".into(), Value::String(item_id.clone()));
    new.insert("item_id".into(), Value::String(item_id));
    new.insert("station".into(), Value::String("kitchen".into()));
    new.insert("price_cents".into(), Value::from(0));
    new.insert("quantity".into(), Value::from(quantity));
    if let Some(note) = old.get("note").filter(|n| n.is_string()) {
        new.insert("note".into(), note.clone());
    }
    Ok(Value::Object(new))
}

/// v2 → v3: no modifiers, seat 0 (the table), course 0 (went with its send, as every line did).
fn item_added_v2_to_v3(value: Value) -> Result<Value, String> {
    let Value::Object(mut map) = value else {
        return Err("v2 payload is not an object".into());
    };
    map.insert("seat".into(), Value::from(0));
    map.insert("course".into(), Value::from(0));
    Ok(Value::Object(map))
}

/// v1 `{order_id, ticket_id, ticket_number, line_ids}` (one ticket for the whole send) → v2
/// `{order_id, tickets: [{ticket_id, ticket_number, line_ids}]}`: one ticket without a station,
/// which the order splits by station when it reads it.
fn order_placed_v1_to_v2(value: Value) -> Result<Value, String> {
    let Value::Object(mut old) = value else {
        return Err("v1 payload is not an object".into());
    };
    let order_id = old.remove("order_id").ok_or("v1 payload has no order_id")?;
    let mut ticket = Map::new();
    for key in ["ticket_id", "ticket_number", "line_ids"] {
        ticket.insert(
            key.into(),
            old.remove(key)
                .ok_or_else(|| format!("v1 payload has no {key}"))?,
        );
    }
    let mut new = Map::new();
    new.insert("order_id".into(), order_id);
    new.insert("tickets".into(), Value::Array(vec![Value::Object(ticket)]));
    Ok(Value::Object(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_talks_v1_item_added_reads_as_today_s_event() {
        let v1 = r#"{"orderId":"o42","itemId":"margherita","quantity":2}"#;
        let OrderEvent::ItemAddedToOrder(e) = decode_order("ItemAddedToOrder", 1, v1, 3).unwrap()
        else {
            panic!("wrong type")
        };
        assert_eq!(e.order_id, "o42");
        assert_eq!(e.item_id, "margherita");
        assert_eq!(e.line_id, "l3");
        assert_eq!(e.quantity, 2);
        assert_eq!(e.price_cents, 0);
    }

    #[test]
    fn current_payloads_pass_untouched_and_newer_ones_are_refused() {
        assert_eq!(upcast("TicketStarted", 1, "x".into(), 1).unwrap(), "x");
        assert!(matches!(
            upcast("TicketStarted", 2, "{}".into(), 1),
            Err(DecodeError::TooNew(..))
        ));
        assert!(upcast("ItemAddedToOrder", 1, r#"{"orderId":"o"}"#.into(), 1).is_err());
    }

    #[test]
    fn a_0_1_0_send_reads_as_a_list_of_one_ticket_without_a_station() {
        let v1 =
            r#"{"order_id":"o1","ticket_id":"o1-t1","ticket_number":1,"line_ids":["l2","l3"]}"#;
        let OrderEvent::OrderPlaced(e) = decode_order("OrderPlaced", 1, v1, 4).unwrap() else {
            panic!("wrong type")
        };
        assert_eq!(e.tickets.len(), 1);
        assert_eq!(e.tickets[0].ticket_id, "o1-t1");
        assert_eq!(e.tickets[0].station, None);
        assert_eq!(e.tickets[0].line_ids, ["l2", "l3"]);
        assert!(!e.tickets[0].held);
        let v2 = r#"{"order_id":"o","line_id":"l2","item_id":"x","name":"X","station":"bar","price_cents":5,"quantity":1}"#;
        let OrderEvent::ItemAddedToOrder(a) = decode_order("ItemAddedToOrder", 2, v2, 2).unwrap()
        else {
            panic!("wrong type")
        };
        assert_eq!((a.seat, a.course, a.modifiers.len()), (0, 0, 0));
    }

    #[test]
    fn the_decoder_refuses_newer_versions_unknown_types_and_bad_payloads() {
        assert!(matches!(
            decode_order("OrderPlaced", 9, "{}", 1),
            Err(DecodeError::TooNew(..))
        ));
        assert!(matches!(
            decode_menu("NoSuchEvent", 1, "{}", 1),
            Err(DecodeError::UnknownType(..))
        ));
        assert!(matches!(
            decode_current_order("ItemAddedToOrder", "not json"),
            Err(DecodeError::BadPayload(..))
        ));
    }
}
