//! The read models as plain data, and how one event changes them. Pure: the same code folds a
//! whole log in memory (rebuild) and moves a single order's rows forward (live).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stock::{self, Counted, StockView};
use crate::domain::codec;
use crate::domain::menu::ChosenModifier;
use crate::domain::order::{LineStatus, OrderDecider, OrderKind, TicketStatus};
use crate::domain::{Decider, MenuEvent, Order, OrderEvent};
use crate::store::{RecordedEvent, StoreError};

/// An order as the floor sees it: its state plus when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    #[serde(flatten)]
    pub order: Order,
    pub total_cents: i64,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    pub updated_at: DateTime<Utc>,
    /// Global position of the order's newest event.
    pub position: i64,
    /// The allergens of each line (by line id) as the menu listed them when it was added;
    /// lines without any are left out. Options' allergens are on the lines themselves.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub line_allergens: BTreeMap<String, Vec<String>>,
    /// Lines that counted a counted item down, by line id (see [`stock`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counted: BTreeMap<String, Counted>,
}

/// A line as the kitchen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLine {
    pub line_id: String,
    pub item_id: String,
    pub name: String,
    pub station: String,
    pub quantity: u32,
    pub voided: u32,
    #[serde(default)]
    pub note: Option<String>,
    /// Its allergens, as the menu listed them when the line was added, and its options'.
    #[serde(default)]
    pub allergens: Vec<String>,
    /// Why it was voided, one entry per void, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub void_reasons: Vec<String>,
    /// 0: for the table.
    #[serde(default)]
    pub seat: u32,
    #[serde(default)]
    pub modifiers: Vec<ChosenModifier>,
    /// What changed on it after it reached the station ("seat 2 → 3", "×2 → ×1"), oldest first:
    /// shown highlighted (a void shows as its reason, in `void_reasons`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
}

/// A kitchen ticket: the lines of one station and course from one send of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub ticket_id: String,
    pub order_id: String,
    /// Counts every ticket of the order: 1 for the first.
    pub number: u32,
    /// The station that makes it.
    #[serde(default)]
    pub station: String,
    /// Its course (0: went with the send).
    #[serde(default)]
    pub course: u32,
    /// When it was fired (sent, or its held course fired); null while held.
    #[serde(default)]
    pub fired_at: Option<DateTime<Utc>>,
    /// Log position of its firing: the queue's order.
    #[serde(default)]
    pub fired_position: i64,
    /// The order was rushed: it goes first on every screen.
    #[serde(default)]
    pub rush: bool,
    /// It came from a send after the order's first (an add-on).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub add_on: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    pub label: String,
    pub kind: OrderKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<u32>,
    pub server: String,
    pub status: TicketStatus,
    pub sent_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<DateTime<Utc>>,
    /// Log position of the send: the queue's order (recorded times can go backwards).
    #[serde(default)]
    pub sent_position: i64,
    /// Log position of the bump while it is ready: what recall goes by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_position: Option<i64>,
    pub lines: Vec<TicketLine>,
    /// Something on it changed after it was sent (a void, a cancellation).
    pub changed: bool,
    /// The order was cancelled: nothing on it should be made.
    pub cancelled: bool,
    /// Why the order was cancelled, shown on the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Every line on it was voided: it left the queue by itself (its `status` column reads
    /// `void`), with nothing to make or bump.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub void: bool,
}

impl TicketView {
    /// Still to be made (on the kitchen screen); a held ticket is shown but not made yet.
    pub fn is_open(&self) -> bool {
        !self.void && matches!(self.status, TicketStatus::New | TicketStatus::InProgress)
    }
    /// Waiting for its course to be fired.
    pub fn is_held(&self) -> bool {
        !self.void && self.status == TicketStatus::Held
    }

    /// The status the queue is filtered on: the ticket's, or `void` once every line was voided.
    pub fn queue_status(&self) -> &'static str {
        if self.void {
            "void"
        } else {
            self.status.as_str()
        }
    }
}

/// How much of an item is on orders sent to the kitchen (voids taken off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Popularity {
    pub item_id: String,
    pub name: String,
    pub quantity: i64,
    pub orders: i64,
}

/// A set of read models: the whole of them (rebuild) or the rows one event touches (live).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ReadModels {
    pub orders: HashMap<String, OrderView>,
    pub tickets: HashMap<String, TicketView>,
    /// Changes to popularity; applied as increments so that a partial set can be written back.
    pub popularity: HashMap<String, Popularity>,
    /// Each menu item's allergens as of the event being applied: folded from the menu's events
    /// in log order (rebuild), or looked up in the log at the event's position (live), so both
    /// give a line the allergens its item had when it was added.
    pub menu_allergens: HashMap<String, Vec<String>>,
    /// The counted items: portions set and ordered since (every row, live or rebuilt).
    pub stock: HashMap<String, StockView>,
}

impl ReadModels {
    /// Applies one recorded event (events of other streams than orders are ignored).
    pub fn apply(&mut self, event: &RecordedEvent) -> Result<(), StoreError> {
        if event.stream_type == "menu" {
            let menu_event = codec::decode_current_menu(&event.event_type, &event.payload)?;
            self.apply_menu_event(&menu_event, event.position);
            return Ok(());
        }
        if event.stream_type != "order" {
            return Ok(());
        }
        let order_event = codec::decode_current_order(&event.event_type, &event.payload)?;
        self.apply_order_event(
            &event.stream_id,
            event.position,
            event.recorded_at,
            &|| Ok(event.metadata.actor.clone()),
            &order_event,
        )
    }

    /// Follows a menu event at log `position`: what each item's allergens are from now on,
    /// and which items are counted.
    pub fn apply_menu_event(&mut self, e: &MenuEvent, position: i64) {
        stock::follow_menu(&mut self.stock, e, position);
        match e {
            MenuEvent::MenuItemAdded(a) => {
                self.menu_allergens
                    .insert(a.item.id.clone(), a.item.allergens.clone());
            }
            MenuEvent::MenuItemChanged(c) => {
                self.menu_allergens
                    .insert(c.item.id.clone(), c.item.allergens.clone());
            }
            MenuEvent::MenuItemRemoved(r) => {
                self.menu_allergens.remove(&r.item_id);
            }
            MenuEvent::MenuItemMarkedUnavailable(_)
            | MenuEvent::MenuItemMarkedAvailable(_)
            | MenuEvent::ItemStockSet(_)
            | MenuEvent::CategoryCourseSet(_) => {}
        }
    }

    pub fn apply_order_event(
        &mut self,
        stream_id: &str,
        position: i64,
        at: DateTime<Utc>,
        actor: &dyn Fn() -> Result<String, StoreError>,
        e: &OrderEvent,
    ) -> Result<(), StoreError> {
        if !self.orders.contains_key(stream_id) {
            let view = OrderView {
                order: Order::default(),
                total_cents: 0,
                opened_at: at,
                opened_by: actor()?,
                updated_at: at,
                position,
                line_allergens: BTreeMap::new(),
                counted: BTreeMap::new(),
            };
            self.orders.insert(stream_id.to_string(), view);
        }
        let view = self
            .orders
            .get_mut(stream_id)
            .expect("inserted above when missing");
        // Popularity moves only when sent quantities do: count the items the event touches
        // before and after it.
        let touched: Vec<(String, String)> = match e {
            OrderEvent::OrderPlaced(p) => view
                .order
                .lines
                .iter()
                .filter(|l| p.tickets.iter().any(|t| t.line_ids.contains(&l.line_id)))
                .map(|l| (l.item_id.clone(), l.name.clone()))
                .collect(),
            OrderEvent::ItemVoided(v) => view
                .order
                .line(&v.line_id)
                .map(|l| (l.item_id.clone(), l.name.clone()))
                .into_iter()
                .collect(),
            OrderEvent::OrderCancelled(_) => view
                .order
                .lines
                .iter()
                .map(|l| (l.item_id.clone(), l.name.clone()))
                .collect(),
            _ => Vec::new(),
        };
        let was: Vec<i64> = touched
            .iter()
            .map(|(item, _)| sent_quantity(&view.order, item))
            .collect();
        match e {
            OrderEvent::ItemAddedToOrder(a) => {
                match self
                    .menu_allergens
                    .get(&a.item_id)
                    .filter(|l| !l.is_empty())
                {
                    Some(list) => {
                        view.line_allergens.insert(a.line_id.clone(), list.clone());
                    }
                    None => {
                        view.line_allergens.remove(&a.line_id);
                    }
                }
            }
            OrderEvent::ItemRemovedFromOrder(r) => {
                view.line_allergens.remove(&r.line_id);
            }
            _ => {}
        }
        stock::follow_order(&mut self.stock, view, e);
        view.order = OrderDecider::fold_from(Some(std::mem::take(&mut view.order)), [e]);
        view.total_cents = view.order.total_cents();
        view.updated_at = at;
        view.position = position;
        let mut counted: Vec<&str> = Vec::new();
        for ((item, name), was) in touched.iter().zip(was) {
            if counted.contains(&item.as_str()) {
                continue;
            }
            counted.push(item);
            let is = sent_quantity(&view.order, item);
            if was == is {
                continue;
            }
            let p = self
                .popularity
                .entry(item.clone())
                .or_insert_with(|| Popularity {
                    item_id: item.clone(),
                    name: name.clone(),
                    ..Default::default()
                });
            p.name.clone_from(name);
            p.quantity += is - was;
            p.orders += i64::from(is > 0) - i64::from(was > 0);
        }
        super::tickets::update(&mut self.tickets, view, e, at, position);
        Ok(())
    }
}

/// Units of `item_id` sent to the kitchen and not voided.
fn sent_quantity(order: &Order, item_id: &str) -> i64 {
    order
        .lines
        .iter()
        .filter(|l| l.item_id == item_id && l.status != LineStatus::Pending)
        .map(|l| l.live_quantity() as i64)
        .sum()
}
