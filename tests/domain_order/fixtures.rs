//! The fixtures every section uses: a menu, the events of a typical order, and the commands
//! people send, so that each test reads as given / when / then.

pub(crate) use std::sync::LazyLock;

pub(crate) use crate::support::gwt::{self, Given};
pub(crate) use brigade::domain::order::{
    line_id, order_of_ticket, ticket_id, Customer, CustomerInput, ItemAddedToOrder,
    ItemNoteChanged, ItemQuantityChanged, ItemRemovedFromOrder, ItemVoided, LineStatus,
    OrderCancelled, OrderClosed, OrderDecider, OrderKind, OrderOpened, OrderPlaced, OrderStatus,
    PlacedTicket, TicketMarkedReady, TicketRecalled, TicketServed, TicketStarted, TicketStatus,
};
pub(crate) use brigade::domain::rejection::codes;
pub(crate) use brigade::domain::text;
pub(crate) use brigade::domain::{Decider, Menu, MenuItem, Order, OrderCommand, OrderEvent};

pub(crate) const O: &str = "o1";

pub(crate) fn item(
    id: &str,
    name: &str,
    price_cents: i64,
    station: &str,
    available: bool,
) -> MenuItem {
    MenuItem {
        id: id.into(),
        name: name.into(),
        category: "mains".into(),
        price_cents,
        station: station.into(),
        allergens: vec![],
        available,
        modifier_groups: vec![],
        stock: None,
    }
}

/// The standard menu: the items the sections use all cook at one station, so that each send
/// is one ticket (sends split per station and course are in `stations.rs`).
pub(crate) fn menu() -> Menu {
    Menu {
        items: vec![
            item("margherita", "Margherita", 1200, "kitchen", true),
            item("cola", "Cola", 300, "kitchen", true),
            item("tiramisu", "Tiramisu", 650, "kitchen", true),
            item("soup", "Soup of the day", 800, "kitchen", false),
        ],
        courses: Default::default(),
    }
}

pub(crate) static MENU: LazyLock<Menu> = LazyLock::new(menu);

/// A scenario decided against the standard menu.
pub(crate) fn given(history: impl IntoIterator<Item = OrderEvent>) -> Given<'static, OrderDecider> {
    gwt::given_with(&*MENU, history)
}

pub(crate) fn opened() -> OrderEvent {
    OrderEvent::OrderOpened(OrderOpened {
        order_id: O.into(),
        kind: OrderKind::DineIn,
        table: Some("7".into()),
        covers: Some(2),
        customer: None,
    })
}

/// The event adding `quantity` of a standard-menu item at stream revision `revision`.
pub(crate) fn added(revision: u64, item_id: &str, quantity: u32) -> OrderEvent {
    added_noted(revision, item_id, quantity, None)
}

pub(crate) fn added_noted(
    revision: u64,
    item_id: &str,
    quantity: u32,
    note: Option<&str>,
) -> OrderEvent {
    let item = MENU.item(item_id).expect("a standard menu item");
    STATIONS.with(|s| {
        s.borrow_mut()
            .insert(line_id(revision), item.station.clone())
    });
    OrderEvent::ItemAddedToOrder(ItemAddedToOrder {
        order_id: O.into(),
        line_id: line_id(revision),
        item_id: item.id.clone(),
        name: item.name.clone(),
        station: item.station.clone(),
        price_cents: item.price_cents,
        quantity,
        note: note.map(Into::into),
        modifiers: vec![],
        seat: 0,
        course: 0,
    })
}

thread_local! {
    /// The station of each line `added` made, so that `placed` can file them as the domain does.
    static STATIONS: std::cell::RefCell<std::collections::HashMap<String, String>> =
        Default::default();
}

pub(crate) fn removed(line: &str) -> OrderEvent {
    OrderEvent::ItemRemovedFromOrder(ItemRemovedFromOrder {
        order_id: O.into(),
        line_id: line.into(),
    })
}

/// A send of `lines` (none with a course), filed as the domain files it: one ticket per station
/// in the order the lines name them, numbered from `number`.
pub(crate) fn placed(number: u32, lines: &[&str]) -> OrderEvent {
    let mut tickets: Vec<PlacedTicket> = Vec::new();
    for l in lines {
        // Lines not made by `added` (decided in a test) are the standard menu's: one station.
        let station = STATIONS
            .with(|s| s.borrow().get(*l).cloned())
            .unwrap_or_else(|| "kitchen".into());
        match tickets
            .iter_mut()
            .find(|t| t.station.as_deref() == Some(station.as_str()))
        {
            Some(t) => t.line_ids.push(l.to_string()),
            None => {
                let n = number + tickets.len() as u32;
                tickets.push(PlacedTicket {
                    ticket_id: ticket_id(O, n),
                    ticket_number: n,
                    station: Some(station),
                    course: 0,
                    line_ids: vec![l.to_string()],
                    held: false,
                })
            }
        }
    }
    OrderEvent::OrderPlaced(OrderPlaced {
        order_id: O.into(),
        tickets,
    })
}

pub(crate) fn t(number: u32) -> String {
    ticket_id(O, number)
}

pub(crate) fn started(number: u32) -> OrderEvent {
    OrderEvent::TicketStarted(TicketStarted {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

pub(crate) fn ready(number: u32) -> OrderEvent {
    OrderEvent::TicketMarkedReady(TicketMarkedReady {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

pub(crate) fn recalled(number: u32) -> OrderEvent {
    OrderEvent::TicketRecalled(TicketRecalled {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

pub(crate) fn served(number: u32) -> OrderEvent {
    OrderEvent::TicketServed(TicketServed {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

pub(crate) fn voided(line: &str, quantity: u32, reason: &str) -> OrderEvent {
    OrderEvent::ItemVoided(ItemVoided {
        order_id: O.into(),
        line_id: line.into(),
        quantity,
        reason: reason.into(),
    })
}

pub(crate) fn cancelled(reason: &str) -> OrderEvent {
    OrderEvent::OrderCancelled(OrderCancelled {
        order_id: O.into(),
        reason: reason.into(),
    })
}

pub(crate) fn closed(total_cents: i64, payment: Option<&str>) -> OrderEvent {
    OrderEvent::OrderClosed(OrderClosed {
        order_id: O.into(),
        total_cents,
        payment: payment.map(Into::into),
    })
}

/// Open, with 2 × Margherita (l2) and 1 × Cola (l3) not sent yet.
pub(crate) fn with_pending() -> Vec<OrderEvent> {
    vec![opened(), added(2, "margherita", 2), added(3, "cola", 1)]
}

/// Both lines sent as ticket 1 (revision 4).
pub(crate) fn sent() -> Vec<OrderEvent> {
    let mut h = with_pending();
    h.push(placed(1, &["l2", "l3"]));
    h
}

/// Ticket 1 cooked and served (revision 7).
pub(crate) fn all_served() -> Vec<OrderEvent> {
    let mut h = sent();
    h.extend([started(1), ready(1), served(1)]);
    h
}

pub(crate) fn then(
    mut history: Vec<OrderEvent>,
    more: impl IntoIterator<Item = OrderEvent>,
) -> Vec<OrderEvent> {
    history.extend(more);
    history
}

pub(crate) fn open_cmd(
    order_id: &str,
    table: Option<&str>,
    covers: Option<i64>,
    customer: Option<CustomerInput>,
) -> OrderCommand {
    OrderCommand::OpenOrder {
        order_id: order_id.into(),
        table: table.map(Into::into),
        covers,
        customer,
    }
}

pub(crate) fn customer(
    name: Option<&str>,
    phone: Option<&str>,
    address: Option<&str>,
) -> CustomerInput {
    CustomerInput {
        name: name.map(Into::into),
        phone: phone.map(Into::into),
        address: address.map(Into::into),
    }
}

pub(crate) fn add(item_id: &str, quantity: i64) -> OrderCommand {
    OrderCommand::AddItem {
        item_id: item_id.into(),
        quantity,
        note: None,
        modifiers: Vec::new(),
        seat: None,
        course: None,
    }
}

pub(crate) fn start(n: u32) -> OrderCommand {
    OrderCommand::StartTicket { ticket_id: t(n) }
}
pub(crate) fn bump(n: u32) -> OrderCommand {
    OrderCommand::BumpTicket { ticket_id: t(n) }
}
pub(crate) fn recall(n: u32) -> OrderCommand {
    OrderCommand::RecallTicket { ticket_id: t(n) }
}
pub(crate) fn serve(n: u32) -> OrderCommand {
    OrderCommand::ServeTicket {
        ticket_id: Some(t(n)),
    }
}

pub(crate) fn void(line: &str, quantity: Option<i64>, reason: Option<&str>) -> OrderCommand {
    OrderCommand::VoidItem {
        line_id: line.into(),
        quantity,
        reason: reason.map(Into::into),
    }
}

pub(crate) fn cancel(reason: Option<&str>) -> OrderCommand {
    OrderCommand::CancelOrder {
        reason: reason.map(Into::into),
    }
}

pub(crate) fn close(payment: Option<&str>) -> OrderCommand {
    OrderCommand::CloseOrder {
        payment: payment.map(Into::into),
    }
}

/// One of every command but OpenOrder, aimed at things that exist in [`all_served`].
pub(crate) fn every_command_but_open() -> Vec<OrderCommand> {
    vec![
        add("margherita", 1),
        OrderCommand::RemoveItem {
            line_id: "l2".into(),
        },
        OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 3,
        },
        OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: Some("crispy".into()),
        },
        OrderCommand::PlaceOrder { fire_all: false },
        start(1),
        bump(1),
        recall(1),
        serve(1),
        OrderCommand::ServeTicket { ticket_id: None },
        void("l2", Some(1), Some("dropped")),
        cancel(Some("left")),
        close(Some("card")),
    ]
}
