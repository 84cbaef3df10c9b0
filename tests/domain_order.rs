//! Given/when/then tests of the order decider: every command, every rejection, and the facts
//! `evolve` establishes (line and ticket ids, statuses, totals).

mod support;

use std::sync::LazyLock;

use brigade::domain::order::{
    line_id, order_of_ticket, ticket_id, Customer, CustomerInput, ItemAddedToOrder,
    ItemNoteChanged, ItemQuantityChanged, ItemRemovedFromOrder, ItemVoided, LineStatus,
    OrderCancelled, OrderClosed, OrderDecider, OrderKind, OrderOpened, OrderPlaced, OrderStatus,
    TicketMarkedReady, TicketRecalled, TicketServed, TicketStarted, TicketStatus,
};
use brigade::domain::rejection::codes;
use brigade::domain::text;
use brigade::domain::{Decider, Menu, MenuItem, Order, OrderCommand, OrderEvent};
use support::gwt::{self, Given};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const O: &str = "o1";

fn item(id: &str, name: &str, price_cents: i64, station: &str, available: bool) -> MenuItem {
    MenuItem {
        id: id.into(),
        name: name.into(),
        category: "mains".into(),
        price_cents,
        station: station.into(),
        allergens: vec![],
        available,
    }
}

fn menu() -> Menu {
    Menu {
        items: vec![
            item("margherita", "Margherita", 1200, "pizza", true),
            item("cola", "Cola", 300, "bar", true),
            item("tiramisu", "Tiramisu", 650, "pastry", true),
            item("soup", "Soup of the day", 800, "kitchen", false),
        ],
    }
}

static MENU: LazyLock<Menu> = LazyLock::new(menu);

/// A scenario decided against the standard menu.
fn given(history: impl IntoIterator<Item = OrderEvent>) -> Given<'static, OrderDecider> {
    gwt::given_with(&*MENU, history)
}

fn opened() -> OrderEvent {
    OrderEvent::OrderOpened(OrderOpened {
        order_id: O.into(),
        kind: OrderKind::DineIn,
        table: Some("7".into()),
        covers: Some(2),
        customer: None,
    })
}

/// The event adding `quantity` of a standard-menu item at stream revision `revision`.
fn added(revision: u64, item_id: &str, quantity: u32) -> OrderEvent {
    added_noted(revision, item_id, quantity, None)
}

fn added_noted(revision: u64, item_id: &str, quantity: u32, note: Option<&str>) -> OrderEvent {
    let item = MENU.item(item_id).expect("a standard menu item");
    OrderEvent::ItemAddedToOrder(ItemAddedToOrder {
        order_id: O.into(),
        line_id: line_id(revision),
        item_id: item.id.clone(),
        name: item.name.clone(),
        station: item.station.clone(),
        price_cents: item.price_cents,
        quantity,
        note: note.map(Into::into),
    })
}

fn removed(line: &str) -> OrderEvent {
    OrderEvent::ItemRemovedFromOrder(ItemRemovedFromOrder {
        order_id: O.into(),
        line_id: line.into(),
    })
}

fn placed(number: u32, lines: &[&str]) -> OrderEvent {
    OrderEvent::OrderPlaced(OrderPlaced {
        order_id: O.into(),
        ticket_id: ticket_id(O, number),
        ticket_number: number,
        line_ids: lines.iter().map(|l| l.to_string()).collect(),
    })
}

fn t(number: u32) -> String {
    ticket_id(O, number)
}

fn started(number: u32) -> OrderEvent {
    OrderEvent::TicketStarted(TicketStarted {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

fn ready(number: u32) -> OrderEvent {
    OrderEvent::TicketMarkedReady(TicketMarkedReady {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

fn recalled(number: u32) -> OrderEvent {
    OrderEvent::TicketRecalled(TicketRecalled {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

fn served(number: u32) -> OrderEvent {
    OrderEvent::TicketServed(TicketServed {
        order_id: O.into(),
        ticket_id: t(number),
    })
}

fn voided(line: &str, quantity: u32, reason: &str) -> OrderEvent {
    OrderEvent::ItemVoided(ItemVoided {
        order_id: O.into(),
        line_id: line.into(),
        quantity,
        reason: reason.into(),
    })
}

fn cancelled(reason: &str) -> OrderEvent {
    OrderEvent::OrderCancelled(OrderCancelled {
        order_id: O.into(),
        reason: reason.into(),
    })
}

fn closed(total_cents: i64, payment: Option<&str>) -> OrderEvent {
    OrderEvent::OrderClosed(OrderClosed {
        order_id: O.into(),
        total_cents,
        payment: payment.map(Into::into),
    })
}

/// Open, with 2 × Margherita (l2) and 1 × Cola (l3) not sent yet.
fn with_pending() -> Vec<OrderEvent> {
    vec![opened(), added(2, "margherita", 2), added(3, "cola", 1)]
}

/// Both lines sent as ticket 1 (revision 4).
fn sent() -> Vec<OrderEvent> {
    let mut h = with_pending();
    h.push(placed(1, &["l2", "l3"]));
    h
}

/// Ticket 1 cooked and served (revision 7).
fn all_served() -> Vec<OrderEvent> {
    let mut h = sent();
    h.extend([started(1), ready(1), served(1)]);
    h
}

fn then(
    mut history: Vec<OrderEvent>,
    more: impl IntoIterator<Item = OrderEvent>,
) -> Vec<OrderEvent> {
    history.extend(more);
    history
}

fn open_cmd(
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

fn customer(name: Option<&str>, phone: Option<&str>, address: Option<&str>) -> CustomerInput {
    CustomerInput {
        name: name.map(Into::into),
        phone: phone.map(Into::into),
        address: address.map(Into::into),
    }
}

fn add(item_id: &str, quantity: i64) -> OrderCommand {
    OrderCommand::AddItem {
        item_id: item_id.into(),
        quantity,
        note: None,
    }
}

fn start(n: u32) -> OrderCommand {
    OrderCommand::StartTicket { ticket_id: t(n) }
}
fn bump(n: u32) -> OrderCommand {
    OrderCommand::BumpTicket { ticket_id: t(n) }
}
fn recall(n: u32) -> OrderCommand {
    OrderCommand::RecallTicket { ticket_id: t(n) }
}
fn serve(n: u32) -> OrderCommand {
    OrderCommand::ServeTicket {
        ticket_id: Some(t(n)),
    }
}

fn void(line: &str, quantity: Option<i64>, reason: Option<&str>) -> OrderCommand {
    OrderCommand::VoidItem {
        line_id: line.into(),
        quantity,
        reason: reason.map(Into::into),
    }
}

fn cancel(reason: Option<&str>) -> OrderCommand {
    OrderCommand::CancelOrder {
        reason: reason.map(Into::into),
    }
}

fn close(payment: Option<&str>) -> OrderCommand {
    OrderCommand::CloseOrder {
        payment: payment.map(Into::into),
    }
}

/// One of every command but OpenOrder, aimed at things that exist in [`all_served`].
fn every_command_but_open() -> Vec<OrderCommand> {
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
        OrderCommand::PlaceOrder,
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

// ---------------------------------------------------------------------------------------------
// OpenOrder
// ---------------------------------------------------------------------------------------------

#[test]
fn open_order_for_a_table_with_covers() {
    let state = given([])
        .when(open_cmd(O, Some("7"), Some(2), None))
        .then_events([opened()]);
    assert_eq!(state.status, OrderStatus::Open);
    assert_eq!(state.order_id, O);
    assert_eq!(state.kind, OrderKind::DineIn);
    assert_eq!(state.covers, Some(2));
    assert_eq!(state.revision, 1);
    assert_eq!(state.label(), "Table 7");
    assert!(state.lines.is_empty() && state.tickets.is_empty());
}

#[test]
fn open_order_trims_the_table_and_allows_no_covers() {
    given([])
        .when(open_cmd(O, Some("  12b "), None, None))
        .then_events([OrderEvent::OrderOpened(OrderOpened {
            order_id: O.into(),
            kind: OrderKind::DineIn,
            table: Some("12b".into()),
            covers: None,
            customer: None,
        })]);
}

#[test]
fn open_order_covers_bounds_are_inclusive() {
    for covers in [1, text::COVERS_MAX as i64] {
        let (events, state) = given([])
            .when(open_cmd(O, Some("7"), Some(covers), None))
            .then_accepted();
        assert_eq!(events.len(), 1);
        assert_eq!(state.covers, Some(covers as u32));
    }
}

#[test]
fn open_order_for_takeout() {
    let state = given([])
        .when(open_cmd(
            "take-1",
            None,
            None,
            Some(customer(Some(" Ada "), Some("555 0100"), None)),
        ))
        .then_events([OrderEvent::OrderOpened(OrderOpened {
            order_id: "take-1".into(),
            kind: OrderKind::Takeout,
            table: None,
            covers: None,
            customer: Some(Customer {
                name: "Ada".into(),
                phone: Some("555 0100".into()),
                address: None,
            }),
        })]);
    assert_eq!(state.kind, OrderKind::Takeout);
    assert_eq!(state.label(), "Ada");
}

#[test]
fn open_order_for_delivery_with_an_address() {
    let state = given([])
        .when(open_cmd(
            "d_1",
            None,
            None,
            Some(customer(Some("Grace"), None, Some("1 Main St"))),
        ))
        .then_events([OrderEvent::OrderOpened(OrderOpened {
            order_id: "d_1".into(),
            kind: OrderKind::Delivery,
            table: None,
            covers: None,
            customer: Some(Customer {
                name: "Grace".into(),
                phone: None,
                address: Some("1 Main St".into()),
            }),
        })]);
    assert_eq!(state.kind, OrderKind::Delivery);
}

#[test]
fn open_order_with_a_table_and_a_customer_is_dine_in() {
    let (_, state) = given([])
        .when(open_cmd(
            O,
            Some("3"),
            Some(4),
            Some(customer(Some("Ada"), None, Some("1 Main St"))),
        ))
        .then_accepted();
    assert_eq!(state.kind, OrderKind::DineIn);
    assert_eq!(
        state.customer.as_ref().map(|c| c.name.as_str()),
        Some("Ada")
    );
}

#[test]
fn open_order_needs_a_table_or_a_customer() {
    given([])
        .when(open_cmd(O, None, None, None))
        .then_rejected(codes::INVALID_ORDER);
    given([])
        .when(open_cmd(O, Some("   "), None, None))
        .then_rejected(codes::INVALID_ORDER);
    given([])
        .when(open_cmd(
            O,
            None,
            None,
            Some(customer(Some("  "), None, None)),
        ))
        .then_rejected(codes::INVALID_ORDER);
}

#[test]
fn open_order_customer_without_a_name_is_refused() {
    given([])
        .when(open_cmd(
            O,
            None,
            None,
            Some(customer(None, Some("555"), None)),
        ))
        .then_rejected_with(codes::INVALID_ORDER, "name");
    given([])
        .when(open_cmd(
            O,
            None,
            None,
            Some(customer(None, None, Some("1 Main St"))),
        ))
        .then_rejected_with(codes::INVALID_ORDER, "name");
    // even at a table: a half-typed customer is a mistake, not "no customer"
    given([])
        .when(open_cmd(
            O,
            Some("7"),
            None,
            Some(customer(None, Some("555"), None)),
        ))
        .then_rejected_with(codes::INVALID_ORDER, "customer needs a name");
}

#[test]
fn open_order_covers_out_of_range() {
    for covers in [0, -1, 100, i64::MAX, i64::MIN] {
        given([])
            .when(open_cmd(O, Some("7"), Some(covers), None))
            .then_rejected(codes::INVALID_COVERS);
    }
}

#[test]
fn open_order_covers_are_for_tables_only() {
    given([])
        .when(open_cmd(
            O,
            None,
            Some(2),
            Some(customer(Some("Ada"), None, None)),
        ))
        .then_rejected_with(codes::INVALID_COVERS, "table");
    given([])
        .when(open_cmd(
            O,
            None,
            Some(2),
            Some(customer(Some("Ada"), None, Some("1 Main St"))),
        ))
        .then_rejected(codes::INVALID_COVERS);
}

#[test]
fn open_order_that_already_exists() {
    for history in [
        vec![opened()],
        sent(),
        then(all_served(), [closed(2700, None)]),
        then(with_pending(), [cancelled("walked out")]),
    ] {
        given(history)
            .when(open_cmd(O, Some("9"), Some(1), None))
            .then_rejected(codes::ORDER_ALREADY_EXISTS);
    }
}

#[test]
fn open_order_with_a_bad_order_id() {
    let too_long = "o".repeat(text::ID_MAX + 1);
    for id in ["", "O1", "o 1", "o/1", "ö1", too_long.as_str()] {
        given([])
            .when(open_cmd(id, Some("7"), None, None))
            .then_rejected(codes::INVALID_ORDER);
    }
    let longest = "o".repeat(text::ID_MAX);
    given([])
        .when(open_cmd(&longest, Some("7"), None, None))
        .then_accepted();
}

#[test]
fn open_order_with_a_too_long_table_or_customer() {
    let table = "t".repeat(text::TABLE_MAX + 1);
    given([])
        .when(open_cmd(O, Some(&table), None, None))
        .then_rejected_with(codes::TEXT_TOO_LONG, "table");
    let fits = "t".repeat(text::TABLE_MAX);
    given([])
        .when(open_cmd(O, Some(&fits), None, None))
        .then_accepted();

    let name = "n".repeat(text::NAME_MAX + 1);
    given([])
        .when(open_cmd(
            O,
            None,
            None,
            Some(customer(Some(&name), None, None)),
        ))
        .then_rejected(codes::TEXT_TOO_LONG);
    let phone = "5".repeat(text::PHONE_MAX + 1);
    given([])
        .when(open_cmd(
            O,
            None,
            None,
            Some(customer(Some("Ada"), Some(&phone), None)),
        ))
        .then_rejected(codes::TEXT_TOO_LONG);
    let address = "a".repeat(text::ADDRESS_MAX + 1);
    given([])
        .when(open_cmd(
            O,
            None,
            None,
            Some(customer(Some("Ada"), None, Some(&address))),
        ))
        .then_rejected(codes::TEXT_TOO_LONG);
}

#[test]
fn every_other_command_needs_an_existing_order() {
    for command in every_command_but_open() {
        given([])
            .when(command)
            .then_rejected(codes::ORDER_NOT_FOUND);
    }
}

// ---------------------------------------------------------------------------------------------
// AddItem
// ---------------------------------------------------------------------------------------------

#[test]
fn add_item_with_a_note() {
    let state = given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "margherita".into(),
            quantity: 2,
            note: Some("  no basil ".into()),
        })
        .then_events([added_noted(2, "margherita", 2, Some("no basil"))]);
    let line = state.line("l2").expect("the new line");
    assert_eq!(line.status, LineStatus::Pending);
    assert_eq!(line.note.as_deref(), Some("no basil"));
    assert_eq!(line.live_quantity(), 2);
    assert_eq!(line.ticket_id, None);
    assert_eq!(state.total_cents(), 2400);
    assert_eq!(state.status, OrderStatus::Open);
}

#[test]
fn add_item_with_a_blank_note_has_no_note() {
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some("   ".into()),
        })
        .then_events([added(2, "cola", 1)]);
}

#[test]
fn add_item_copies_name_station_and_price_from_the_menu() {
    let mut special = menu();
    special.items.push(MenuItem {
        id: "special".into(),
        name: "Chef's Special".into(),
        category: "mains".into(),
        price_cents: 2345,
        station: "grill".into(),
        allergens: vec!["fish".into()],
        available: true,
    });
    gwt::given_with::<OrderDecider>(&special, [opened()])
        .when(add("special", 3))
        .then_events([OrderEvent::ItemAddedToOrder(ItemAddedToOrder {
            order_id: O.into(),
            line_id: "l2".into(),
            item_id: "special".into(),
            name: "Chef's Special".into(),
            station: "grill".into(),
            price_cents: 2345,
            quantity: 3,
            note: None,
        })]);
}

#[test]
fn add_item_to_a_placed_order_is_an_add_on() {
    let state = given(sent())
        .when(add("tiramisu", 1))
        .then_events([added(5, "tiramisu", 1)]);
    assert_eq!(state.status, OrderStatus::Placed);
    assert_eq!(state.pending_lines().count(), 1);
}

#[test]
fn add_item_unknown() {
    given([opened()])
        .when(add("calzone", 1))
        .then_rejected_with(codes::ITEM_NOT_FOUND, "calzone");
}

#[test]
fn add_item_that_is_86d() {
    given([opened()])
        .when(add("soup", 1))
        .then_rejected(codes::ITEM_UNAVAILABLE);
}

#[test]
fn add_item_quantity_out_of_range() {
    for quantity in [0, -1, 100, 1_000_000_000, i64::MAX, i64::MIN] {
        given([opened()])
            .when(add("cola", quantity))
            .then_rejected(codes::INVALID_QUANTITY);
    }
}

#[test]
fn add_item_quantity_bounds_are_inclusive() {
    given([opened()])
        .when(add("cola", 1))
        .then_events([added(2, "cola", 1)]);
    given([opened()])
        .when(add("cola", 99))
        .then_events([added(2, "cola", 99)]);
}

#[test]
fn add_item_with_a_100_kb_note() {
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some("x".repeat(100 * 1024)),
        })
        .then_rejected_with(codes::TEXT_TOO_LONG, "note");
}

#[test]
fn add_item_note_length_is_counted_in_characters() {
    let fits = "é".repeat(text::NOTE_MAX);
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some(fits.clone()),
        })
        .then_events([added_noted(2, "cola", 1, Some(&fits))]);
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some("é".repeat(text::NOTE_MAX + 1)),
        })
        .then_rejected(codes::TEXT_TOO_LONG);
}

#[test]
fn add_item_order_not_found() {
    given([])
        .when(add("cola", 1))
        .then_rejected(codes::ORDER_NOT_FOUND);
}

#[test]
fn add_item_to_a_closed_or_cancelled_order() {
    given(then(all_served(), [closed(2700, None)]))
        .when(add("cola", 1))
        .then_rejected(codes::ORDER_NOT_OPEN);
    given(then(with_pending(), [cancelled("walked out")]))
        .when(add("cola", 1))
        .then_rejected_with(codes::ORDER_NOT_OPEN, "cancelled");
}

// ---------------------------------------------------------------------------------------------
// RemoveItem
// ---------------------------------------------------------------------------------------------

#[test]
fn remove_a_pending_item() {
    let state = given(with_pending())
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_events([removed("l2")]);
    assert!(state.line("l2").is_none());
    assert_eq!(state.lines.len(), 1);
    assert_eq!(state.total_cents(), 300);
}

#[test]
fn remove_a_sent_item() {
    given(sent())
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_rejected_with(codes::LINE_ALREADY_SENT, "void");
}

#[test]
fn remove_an_unknown_or_already_removed_line() {
    given(with_pending())
        .when(OrderCommand::RemoveItem {
            line_id: "l9".into(),
        })
        .then_rejected(codes::LINE_NOT_FOUND);
    given(then(with_pending(), [removed("l2")]))
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_rejected(codes::LINE_NOT_FOUND);
}

#[test]
fn remove_from_a_cancelled_order() {
    given(then(with_pending(), [cancelled("walked out")]))
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_rejected(codes::ORDER_NOT_OPEN);
}

// ---------------------------------------------------------------------------------------------
// ChangeItemQuantity / ChangeItemNote
// ---------------------------------------------------------------------------------------------

#[test]
fn change_item_quantity() {
    let state = given(with_pending())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 5,
        })
        .then_events([OrderEvent::ItemQuantityChanged(ItemQuantityChanged {
            order_id: O.into(),
            line_id: "l2".into(),
            quantity: 5,
        })]);
    assert_eq!(state.line("l2").unwrap().quantity, 5);
    assert_eq!(state.total_cents(), 5 * 1200 + 300);
}

#[test]
fn change_item_quantity_to_the_same() {
    given(with_pending())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 2,
        })
        .then_rejected(codes::NO_CHANGE);
}

#[test]
fn change_item_quantity_out_of_range() {
    for quantity in [0, -3, 100] {
        given(with_pending())
            .when(OrderCommand::ChangeItemQuantity {
                line_id: "l2".into(),
                quantity,
            })
            .then_rejected(codes::INVALID_QUANTITY);
    }
}

#[test]
fn change_item_quantity_of_a_sent_or_unknown_line() {
    given(sent())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 3,
        })
        .then_rejected(codes::LINE_ALREADY_SENT);
    given(with_pending())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "nope".into(),
            quantity: 3,
        })
        .then_rejected(codes::LINE_NOT_FOUND);
}

#[test]
fn change_item_note_sets_and_clears() {
    let state = given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some(" no ice ".into()),
        })
        .then_events([OrderEvent::ItemNoteChanged(ItemNoteChanged {
            order_id: O.into(),
            line_id: "l3".into(),
            note: Some("no ice".into()),
        })]);
    assert_eq!(state.line("l3").unwrap().note.as_deref(), Some("no ice"));

    let noted = vec![opened(), added_noted(2, "cola", 1, Some("no ice"))];
    let state = given(noted)
        .when(OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: None,
        })
        .then_events([OrderEvent::ItemNoteChanged(ItemNoteChanged {
            order_id: O.into(),
            line_id: "l2".into(),
            note: None,
        })]);
    assert_eq!(state.line("l2").unwrap().note, None);
}

#[test]
fn change_item_note_to_the_same() {
    let noted = vec![opened(), added_noted(2, "cola", 1, Some("no ice"))];
    given(noted)
        .when(OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: Some("  no ice  ".into()),
        })
        .then_rejected(codes::NO_CHANGE);
    // No note, and a blank one is no note.
    given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: Some("   ".into()),
        })
        .then_rejected(codes::NO_CHANGE);
}

#[test]
fn change_item_note_of_a_sent_line_or_too_long() {
    given(sent())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some("no ice".into()),
        })
        .then_rejected(codes::LINE_ALREADY_SENT);
    given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some("x".repeat(text::NOTE_MAX + 1)),
        })
        .then_rejected(codes::TEXT_TOO_LONG);
    given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l4".into(),
            note: Some("x".into()),
        })
        .then_rejected(codes::LINE_NOT_FOUND);
}

// ---------------------------------------------------------------------------------------------
// PlaceOrder
// ---------------------------------------------------------------------------------------------

#[test]
fn place_order_sends_every_pending_line_as_ticket_1() {
    let state = given(with_pending())
        .when(OrderCommand::PlaceOrder)
        .then_events([placed(1, &["l2", "l3"])]);
    assert_eq!(state.status, OrderStatus::Placed);
    assert_eq!(state.tickets.len(), 1);
    let ticket = state.ticket("o1-t1").expect("ticket o1-t1");
    assert_eq!(ticket.number, 1);
    assert_eq!(ticket.status, TicketStatus::Queued);
    assert_eq!(ticket.line_ids, ["l2", "l3"]);
    for line in &state.lines {
        assert_eq!(line.status, LineStatus::Sent);
        assert_eq!(line.ticket_id.as_deref(), Some("o1-t1"));
    }
    assert_eq!(state.pending_lines().count(), 0);
}

#[test]
fn place_order_again_sends_only_the_new_lines_as_ticket_2() {
    let history = then(sent(), [added(5, "tiramisu", 2), added(6, "cola", 1)]);
    let state = given(history)
        .when(OrderCommand::PlaceOrder)
        .then_events([placed(2, &["l5", "l6"])]);
    assert_eq!(state.tickets.len(), 2);
    assert_eq!(state.tickets[1].ticket_id, "o1-t2");
    assert_eq!(state.tickets[1].number, 2);
    assert_eq!(
        state.line("l2").unwrap().ticket_id.as_deref(),
        Some("o1-t1")
    );
    assert_eq!(
        state.line("l5").unwrap().ticket_id.as_deref(),
        Some("o1-t2")
    );
}

#[test]
fn place_order_skips_removed_lines() {
    given(then(with_pending(), [removed("l2")]))
        .when(OrderCommand::PlaceOrder)
        .then_events([placed(1, &["l3"])]);
}

#[test]
fn place_order_with_nothing_to_send() {
    given([opened()])
        .when(OrderCommand::PlaceOrder)
        .then_rejected(codes::NOTHING_TO_SEND);
    given(sent())
        .when(OrderCommand::PlaceOrder)
        .then_rejected(codes::NOTHING_TO_SEND);
    given(then(with_pending(), [removed("l2"), removed("l3")]))
        .when(OrderCommand::PlaceOrder)
        .then_rejected(codes::NOTHING_TO_SEND);
}

#[test]
fn place_a_cancelled_order() {
    given(then(with_pending(), [cancelled("walked out")]))
        .when(OrderCommand::PlaceOrder)
        .then_rejected(codes::ORDER_NOT_OPEN);
}

// ---------------------------------------------------------------------------------------------
// Tickets: Start, Bump, Recall, Serve
// ---------------------------------------------------------------------------------------------

#[test]
fn start_a_queued_ticket() {
    let state = given(sent()).when(start(1)).then_events([started(1)]);
    assert_eq!(state.tickets[0].status, TicketStatus::InProgress);
    assert!(state
        .lines
        .iter()
        .all(|l| l.status == LineStatus::InProgress));
}

#[test]
fn start_a_ticket_that_is_not_queued() {
    for history in [
        then(sent(), [started(1)]),
        then(sent(), [ready(1)]),
        then(sent(), [ready(1), served(1)]),
    ] {
        given(history)
            .when(start(1))
            .then_rejected(codes::INVALID_TICKET_STATE);
    }
}

#[test]
fn ticket_commands_on_an_unknown_ticket() {
    for command in [
        start(2),
        bump(2),
        recall(2),
        serve(2),
        OrderCommand::StartTicket {
            ticket_id: "o2-t1".into(),
        },
        OrderCommand::BumpTicket {
            ticket_id: "garbage".into(),
        },
    ] {
        given(sent())
            .when(command)
            .then_rejected(codes::TICKET_NOT_FOUND);
    }
}

#[test]
fn bump_a_queued_or_in_progress_ticket() {
    let state = given(sent()).when(bump(1)).then_events([ready(1)]);
    assert_eq!(state.tickets[0].status, TicketStatus::Ready);
    assert!(state.lines.iter().all(|l| l.status == LineStatus::Ready));

    given(then(sent(), [started(1)]))
        .when(bump(1))
        .then_events([ready(1)]);
}

#[test]
fn bump_a_ready_or_served_ticket() {
    given(then(sent(), [ready(1)]))
        .when(bump(1))
        .then_rejected(codes::INVALID_TICKET_STATE);
    given(all_served())
        .when(bump(1))
        .then_rejected_with(codes::INVALID_TICKET_STATE, "served");
}

#[test]
fn bump_is_allowed_on_a_cancelled_orders_open_ticket() {
    let history = then(sent(), [started(1), cancelled("fire alarm")]);
    let state = given(history).when(bump(1)).then_events([ready(1)]);
    assert_eq!(state.status, OrderStatus::Cancelled);
    assert_eq!(state.tickets[0].status, TicketStatus::Ready);
    // The cancelled order's lines stay voided.
    assert!(state.lines.iter().all(|l| l.status == LineStatus::Voided));
    assert_eq!(state.total_cents(), 0);
}

#[test]
fn other_ticket_commands_are_refused_on_a_cancelled_order() {
    let history = then(sent(), [ready(1), cancelled("fire alarm")]);
    for command in [
        start(1),
        recall(1),
        serve(1),
        OrderCommand::ServeTicket { ticket_id: None },
    ] {
        given(history.clone())
            .when(command)
            .then_rejected(codes::ORDER_NOT_OPEN);
    }
    // and bumping a cancelled order's ticket that is already ready is still a bad state
    given(history)
        .when(bump(1))
        .then_rejected(codes::INVALID_TICKET_STATE);
}

#[test]
fn bump_on_a_closed_order() {
    // A ticket whose only line was voided stays queued after the order is paid.
    let history = then(
        all_served(),
        [
            added(8, "tiramisu", 1),
            placed(2, &["l8"]),
            voided("l8", 1, "out of mascarpone"),
            closed(2700, None),
        ],
    );
    assert_eq!(
        OrderDecider::fold(&history).tickets[1].status,
        TicketStatus::Queued
    );
    given(history)
        .when(bump(2))
        .then_rejected(codes::ORDER_NOT_OPEN);
}

#[test]
fn recall_a_ready_ticket() {
    let state = given(then(sent(), [started(1), ready(1)]))
        .when(recall(1))
        .then_events([recalled(1)]);
    assert_eq!(state.tickets[0].status, TicketStatus::InProgress);
    assert!(state
        .lines
        .iter()
        .all(|l| l.status == LineStatus::InProgress));
}

#[test]
fn recall_a_ticket_that_is_not_ready() {
    for history in [sent(), then(sent(), [started(1)]), all_served()] {
        given(history)
            .when(recall(1))
            .then_rejected(codes::INVALID_TICKET_STATE);
    }
}

#[test]
fn serve_a_ready_ticket() {
    let state = given(then(sent(), [ready(1)]))
        .when(serve(1))
        .then_events([served(1)]);
    assert_eq!(state.tickets[0].status, TicketStatus::Served);
    assert!(state.lines.iter().all(|l| l.status == LineStatus::Served));
}

#[test]
fn serve_a_ticket_that_is_not_ready() {
    for history in [sent(), then(sent(), [started(1)]), all_served()] {
        given(history)
            .when(serve(1))
            .then_rejected(codes::INVALID_TICKET_STATE);
    }
}

#[test]
fn serve_without_an_id_serves_every_ready_ticket() {
    // Three tickets: 1 ready, 2 queued, 3 ready.
    let history = then(
        sent(),
        [
            ready(1),
            added(6, "tiramisu", 1),
            placed(2, &["l6"]),
            added(8, "cola", 2),
            placed(3, &["l8"]),
            started(3),
            ready(3),
        ],
    );
    let state = given(history)
        .when(OrderCommand::ServeTicket { ticket_id: None })
        .then_events([served(1), served(3)]);
    let statuses: Vec<_> = state.tickets.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        [
            TicketStatus::Served,
            TicketStatus::Queued,
            TicketStatus::Served
        ]
    );
    assert_eq!(state.line("l6").unwrap().status, LineStatus::Sent);
    assert_eq!(state.line("l8").unwrap().status, LineStatus::Served);
}

#[test]
fn serve_without_an_id_when_nothing_is_ready() {
    for history in [[opened()].to_vec(), with_pending(), sent(), all_served()] {
        given(history)
            .when(OrderCommand::ServeTicket { ticket_id: None })
            .then_rejected(codes::INVALID_TICKET_STATE);
    }
}

#[test]
fn ticket_moves_do_not_resurrect_voided_lines() {
    let history = then(sent(), [voided("l3", 1, "spilled")]);
    let state = given(history).when(bump(1)).then_events([ready(1)]);
    assert_eq!(state.line("l2").unwrap().status, LineStatus::Ready);
    assert_eq!(state.line("l3").unwrap().status, LineStatus::Voided);
}

// ---------------------------------------------------------------------------------------------
// VoidItem
// ---------------------------------------------------------------------------------------------

#[test]
fn void_part_of_a_sent_line() {
    let state = given(sent())
        .when(void("l2", Some(1), Some(" dropped ")))
        .then_events([voided("l2", 1, "dropped")]);
    let line = state.line("l2").unwrap();
    assert_eq!(
        line.quantity, 2,
        "voids do not rewrite the ordered quantity"
    );
    assert_eq!(line.voided, 1);
    assert_eq!(line.live_quantity(), 1);
    assert_eq!(line.status, LineStatus::Sent);
    assert_eq!(state.total_cents(), 1200 + 300);
}

#[test]
fn void_all_of_a_sent_line() {
    let state = given(sent())
        .when(void("l2", Some(2), Some("wrong table")))
        .then_events([voided("l2", 2, "wrong table")]);
    let line = state.line("l2").unwrap();
    assert_eq!(line.live_quantity(), 0);
    assert_eq!(line.status, LineStatus::Voided);
    assert_eq!(state.total_cents(), 300);
}

#[test]
fn void_without_a_quantity_voids_all_that_remains() {
    given(sent())
        .when(void("l2", None, Some("wrong table")))
        .then_events([voided("l2", 2, "wrong table")]);
    let state = given(then(sent(), [voided("l2", 1, "dropped")]))
        .when(void("l2", None, Some("burnt")))
        .then_events([voided("l2", 1, "burnt")]);
    assert_eq!(state.line("l2").unwrap().status, LineStatus::Voided);
}

#[test]
fn void_a_served_line_is_a_comp() {
    let state = given(all_served())
        .when(void("l3", None, Some("on the house")))
        .then_events([voided("l3", 1, "on the house")]);
    assert_eq!(state.total_cents(), 2400);
}

#[test]
fn void_more_than_remains() {
    given(sent())
        .when(void("l2", Some(3), Some("x")))
        .then_rejected_with(codes::INVALID_QUANTITY, "1 to 2");
    given(then(sent(), [voided("l2", 1, "dropped")]))
        .when(void("l2", Some(2), Some("x")))
        .then_rejected_with(codes::INVALID_QUANTITY, "1 to 1");
    for quantity in [0, -1, i64::MIN, i64::MAX] {
        given(sent())
            .when(void("l2", Some(quantity), Some("x")))
            .then_rejected(codes::INVALID_QUANTITY);
    }
}

#[test]
fn void_a_pending_line() {
    given(with_pending())
        .when(void("l2", None, Some("x")))
        .then_rejected_with(codes::LINE_NOT_SENT, "remove");
}

#[test]
fn void_needs_a_reason() {
    given(sent())
        .when(void("l2", Some(1), None))
        .then_rejected(codes::REASON_REQUIRED);
    given(sent())
        .when(void("l2", Some(1), Some(" \t ")))
        .then_rejected(codes::REASON_REQUIRED);
    given(sent())
        .when(void("l2", Some(1), Some(&"r".repeat(text::REASON_MAX + 1))))
        .then_rejected(codes::TEXT_TOO_LONG);
}

#[test]
fn void_an_already_voided_line() {
    given(then(sent(), [voided("l2", 2, "wrong table")]))
        .when(void("l2", None, Some("again")))
        .then_rejected(codes::LINE_ALREADY_VOIDED);
    given(then(sent(), [voided("l2", 1, "a"), voided("l2", 1, "b")]))
        .when(void("l2", Some(1), Some("again")))
        .then_rejected(codes::LINE_ALREADY_VOIDED);
}

#[test]
fn void_an_unknown_line_or_on_a_closed_order() {
    given(sent())
        .when(void("l99", None, Some("x")))
        .then_rejected(codes::LINE_NOT_FOUND);
    given(then(all_served(), [closed(2700, None)]))
        .when(void("l2", None, Some("x")))
        .then_rejected(codes::ORDER_NOT_OPEN);
}

// ---------------------------------------------------------------------------------------------
// CancelOrder
// ---------------------------------------------------------------------------------------------

#[test]
fn cancel_needs_a_reason() {
    for reason in [None, Some(""), Some("   ")] {
        given(with_pending())
            .when(cancel(reason))
            .then_rejected(codes::REASON_REQUIRED);
    }
    given(with_pending())
        .when(cancel(Some(&"r".repeat(text::REASON_MAX + 1))))
        .then_rejected(codes::TEXT_TOO_LONG);
}

#[test]
fn cancel_an_open_order() {
    let state = given(with_pending())
        .when(cancel(Some(" walked out ")))
        .then_events([cancelled("walked out")]);
    assert_eq!(state.status, OrderStatus::Cancelled);
    assert_eq!(state.cancel_reason.as_deref(), Some("walked out"));
    assert!(state
        .lines
        .iter()
        .all(|l| l.status == LineStatus::Voided && l.live_quantity() == 0));
    assert_eq!(state.total_cents(), 0);
}

#[test]
fn cancel_voids_unserved_lines_but_keeps_served_ones() {
    // Ticket 1 (l2, l3) served; l8 sent on ticket 2; l10 still pending.
    let history = then(
        all_served(),
        [
            added(8, "tiramisu", 2),
            placed(2, &["l8"]),
            added(10, "cola", 1),
        ],
    );
    let state = given(history)
        .when(cancel(Some("fire alarm")))
        .then_events([cancelled("fire alarm")]);
    let status = |id: &str| state.line(id).unwrap().status;
    assert_eq!(status("l2"), LineStatus::Served);
    assert_eq!(status("l3"), LineStatus::Served);
    assert_eq!(status("l8"), LineStatus::Voided);
    assert_eq!(status("l10"), LineStatus::Voided);
    assert_eq!(state.line("l8").unwrap().voided, 2);
    assert_eq!(state.total_cents(), 2 * 1200 + 300);
}

#[test]
fn cancel_a_cancelled_or_closed_order() {
    given(then(with_pending(), [cancelled("walked out")]))
        .when(cancel(Some("again")))
        .then_rejected(codes::ORDER_NOT_OPEN);
    given(then(all_served(), [closed(2700, None)]))
        .when(cancel(Some("too late")))
        .then_rejected_with(codes::ORDER_NOT_OPEN, "closed");
}

#[test]
fn nothing_but_bump_is_accepted_after_cancel_or_close() {
    let cancelled_history = then(all_served(), [cancelled("x")]);
    let closed_history = then(all_served(), [closed(2700, None)]);
    for history in [cancelled_history, closed_history] {
        for command in every_command_but_open() {
            let rejection = OrderDecider::decide(&OrderDecider::fold(&history), &command, &MENU)
                .expect_err("a finished order accepts nothing here");
            if matches!(command, OrderCommand::BumpTicket { .. }) {
                // Bumping is let through on a cancelled order; this ticket was served though.
                assert!(
                    [codes::ORDER_NOT_OPEN, codes::INVALID_TICKET_STATE].contains(&rejection.code),
                    "{rejection}"
                );
            } else {
                assert_eq!(rejection.code, codes::ORDER_NOT_OPEN, "{command:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CloseOrder
// ---------------------------------------------------------------------------------------------

#[test]
fn close_a_fully_served_order() {
    let state = given(all_served())
        .when(close(Some(" card ")))
        .then_events([closed(2 * 1200 + 300, Some("card"))]);
    assert_eq!(state.status, OrderStatus::Closed);
    assert_eq!(state.paid_cents, Some(2700));
}

#[test]
fn close_without_a_payment_method() {
    given(all_served())
        .when(close(None))
        .then_events([closed(2700, None)]);
    given(all_served())
        .when(close(Some(&"p".repeat(text::NAME_MAX + 1))))
        .then_rejected(codes::TEXT_TOO_LONG);
}

#[test]
fn close_charges_live_quantities_at_the_price_they_were_sold_at() {
    // Margherita ×3 at 12.00, then the menu raises it to 15.00 and a second Margherita ×1 is
    // sold at the new price; one of the first three is voided.
    let mut dearer = menu();
    dearer.items[0].price_cents = 1500;

    let (first, _) = given([opened()]).when(add("margherita", 3)).then_accepted();
    let mut history = then(vec![opened()], first);
    let (second, _) = gwt::given_with::<OrderDecider>(&dearer, history.clone())
        .when(add("margherita", 1))
        .then_accepted();
    let OrderEvent::ItemAddedToOrder(ref a) = second[0] else {
        panic!("expected an item added, got {second:?}")
    };
    assert_eq!(a.price_cents, 1500);
    history.extend(second);
    history.extend([
        placed(1, &["l2", "l3"]),
        voided("l2", 1, "burnt"),
        ready(1),
        served(1),
    ]);
    let state = OrderDecider::fold(&history);
    assert_eq!(state.line("l2").unwrap().price_cents, 1200);
    assert_eq!(state.total_cents(), 2 * 1200 + 1500);

    // Closing against a menu where everything has changed again changes nothing.
    let mut cheaper = menu();
    cheaper.items[0].price_cents = 100;
    gwt::given_with::<OrderDecider>(&cheaper, history)
        .when(close(Some("cash")))
        .then_events([closed(2 * 1200 + 1500, Some("cash"))]);
}

#[test]
fn close_with_unsent_items() {
    given(then(all_served(), [added(8, "tiramisu", 1)]))
        .when(close(None))
        .then_rejected(codes::UNSENT_ITEMS);
    given(with_pending())
        .when(close(None))
        .then_rejected(codes::UNSENT_ITEMS);
}

#[test]
fn close_with_items_not_served() {
    for history in [
        sent(),
        then(sent(), [started(1)]),
        then(sent(), [ready(1)]),
        then(sent(), [ready(1), recalled(1)]),
        then(
            all_served(),
            [added(8, "tiramisu", 1), placed(2, &["l8"]), ready(2)],
        ),
    ] {
        given(history)
            .when(close(None))
            .then_rejected(codes::ITEMS_NOT_SERVED);
    }
    // A partly voided line still has something to serve.
    given(then(
        sent(),
        [voided("l2", 1, "dropped"), voided("l3", 1, "spilled")],
    ))
    .when(close(None))
    .then_rejected_with(codes::ITEMS_NOT_SERVED, "1 line");
}

#[test]
fn close_ignores_fully_voided_lines_that_were_never_served() {
    let history = then(
        all_served(),
        [
            added(8, "tiramisu", 1),
            placed(2, &["l8"]),
            voided("l8", 1, "out of mascarpone"),
        ],
    );
    given(history)
        .when(close(None))
        .then_events([closed(2700, None)]);
}

#[test]
fn close_an_order_with_nothing_to_pay_for() {
    given(then(sent(), [voided("l2", 2, "x"), voided("l3", 1, "y")]))
        .when(close(None))
        .then_rejected_with(codes::ORDER_EMPTY, "cancel");
    given([opened()])
        .when(close(None))
        .then_rejected(codes::ORDER_EMPTY);
    given(then(with_pending(), [removed("l2"), removed("l3")]))
        .when(close(None))
        .then_rejected(codes::ORDER_EMPTY);
}

#[test]
fn close_twice() {
    given(then(all_served(), [closed(2700, None)]))
        .when(close(None))
        .then_rejected(codes::ORDER_NOT_OPEN);
}

// ---------------------------------------------------------------------------------------------
// Evolve-level facts
// ---------------------------------------------------------------------------------------------

/// Decides `commands` one after the other against the standard menu; every one must succeed.
fn run(commands: impl IntoIterator<Item = OrderCommand>) -> (Vec<OrderEvent>, Order) {
    let mut events = Vec::new();
    let mut state = Order::default();
    for command in commands {
        let decided = OrderDecider::decide(&state, &command, &MENU)
            .unwrap_or_else(|r| panic!("{command:?} was rejected: {r}"));
        state = decided.iter().fold(state, OrderDecider::evolve);
        events.extend(decided);
    }
    (events, state)
}

#[test]
fn line_ids_are_the_revision_of_the_event_that_added_them() {
    let (events, state) = run([
        open_cmd(O, Some("1"), None, None),
        add("cola", 1),
        add("margherita", 1),
        OrderCommand::RemoveItem {
            line_id: "l2".into(),
        },
        OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some("extra cheese".into()),
        },
        add("cola", 2),
        OrderCommand::PlaceOrder,
        add("tiramisu", 1),
    ]);
    for (i, e) in events.iter().enumerate() {
        if let OrderEvent::ItemAddedToOrder(a) = e {
            assert_eq!(a.line_id, line_id(i as u64 + 1));
        }
    }
    let ids: Vec<_> = state.lines.iter().map(|l| l.line_id.as_str()).collect();
    assert_eq!(
        ids,
        ["l3", "l6", "l8"],
        "a removed line's id is never reused"
    );
    assert_eq!(state.revision, events.len() as u64);
    assert_eq!(line_id(42), "l42");
}

#[test]
fn ticket_ids_are_the_order_id_and_the_send_number() {
    assert_eq!(ticket_id("o1", 1), "o1-t1");
    assert_eq!(ticket_id("a-t-b", 12), "a-t-b-t12");
    let (_, state) = run([
        open_cmd("table-t9", Some("9"), None, None),
        add("cola", 1),
        OrderCommand::PlaceOrder,
        add("cola", 1),
        OrderCommand::PlaceOrder,
        add("cola", 1),
        OrderCommand::PlaceOrder,
    ]);
    let ids: Vec<_> = state.tickets.iter().map(|t| t.ticket_id.as_str()).collect();
    assert_eq!(ids, ["table-t9-t1", "table-t9-t2", "table-t9-t3"]);
    for (i, ticket) in state.tickets.iter().enumerate() {
        assert_eq!(ticket.number, i as u32 + 1);
        assert_eq!(order_of_ticket(&ticket.ticket_id), Some("table-t9"));
    }
}

#[test]
fn order_of_ticket_parses_only_ticket_ids() {
    assert_eq!(order_of_ticket("o1-t2"), Some("o1"));
    assert_eq!(order_of_ticket("o123-t10"), Some("o123"));
    assert_eq!(order_of_ticket("a-t-t3"), Some("a-t"));
    assert_eq!(order_of_ticket("x-t1-t1"), Some("x-t1"));
    for not_a_ticket in [
        "o1", "o1-t", "-t1", "o1-tx", "o1-t1a", "", "o1-t-1", "o1-T1",
    ] {
        assert_eq!(order_of_ticket(not_a_ticket), None, "{not_a_ticket:?}");
    }
    for order in ["o1", "a-t", "t", "x_-t-t", "0199-abc"] {
        for n in [1, 2, 10, u32::MAX] {
            assert_eq!(order_of_ticket(&ticket_id(order, n)), Some(order));
        }
    }
}

#[test]
fn statuses_and_totals_through_a_whole_service() {
    let steps: Vec<(OrderCommand, OrderStatus, i64)> = vec![
        (open_cmd(O, Some("7"), Some(2), None), OrderStatus::Open, 0),
        (add("margherita", 2), OrderStatus::Open, 2400),
        (add("cola", 2), OrderStatus::Open, 3000),
        (
            OrderCommand::ChangeItemQuantity {
                line_id: "l3".into(),
                quantity: 1,
            },
            OrderStatus::Open,
            2700,
        ),
        (OrderCommand::PlaceOrder, OrderStatus::Placed, 2700),
        (start(1), OrderStatus::Placed, 2700),
        (
            void("l2", Some(1), Some("burnt")),
            OrderStatus::Placed,
            1500,
        ),
        (bump(1), OrderStatus::Placed, 1500),
        (recall(1), OrderStatus::Placed, 1500),
        (bump(1), OrderStatus::Placed, 1500),
        (add("tiramisu", 2), OrderStatus::Placed, 2800),
        (OrderCommand::PlaceOrder, OrderStatus::Placed, 2800),
        (serve(1), OrderStatus::Placed, 2800),
        (bump(2), OrderStatus::Placed, 2800),
        (
            OrderCommand::ServeTicket { ticket_id: None },
            OrderStatus::Placed,
            2800,
        ),
        (close(Some("card")), OrderStatus::Closed, 2800),
    ];
    let mut state = Order::default();
    let mut history = Vec::new();
    for (command, status, total) in steps {
        let name = command.name();
        let events = OrderDecider::decide(&state, &command, &MENU)
            .unwrap_or_else(|r| panic!("{name} was rejected: {r}"));
        history.extend(events.iter().cloned());
        state = events.iter().fold(state, OrderDecider::evolve);
        assert_eq!(state.status, status, "status after {name}");
        assert_eq!(state.total_cents(), total, "total after {name}");
        assert_eq!(state, OrderDecider::fold(&history), "state after {name}");
    }
    assert_eq!(state.paid_cents, Some(2800));
    assert!(state
        .tickets
        .iter()
        .all(|t| t.status == TicketStatus::Served));
    let line_statuses: Vec<_> = state
        .lines
        .iter()
        .map(|l| (l.line_id.as_str(), l.status))
        .collect();
    assert_eq!(
        line_statuses,
        [
            ("l2", LineStatus::Served),
            ("l3", LineStatus::Served),
            ("l11", LineStatus::Served),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Property-ish: random but reproducible services
// ---------------------------------------------------------------------------------------------

/// SplitMix64: a tiny seedable generator, so every run tries the same services.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len() as u64) as usize])
    }
}

/// A plausible (not always valid) command for `state`.
fn random_command(rng: &mut Rng, state: &Order) -> OrderCommand {
    let lines: Vec<String> = state
        .lines
        .iter()
        .map(|l| l.line_id.clone())
        .chain(["l999".to_string()])
        .collect();
    let tickets: Vec<String> = state
        .tickets
        .iter()
        .map(|t| t.ticket_id.clone())
        .chain([ticket_id(O, 99)])
        .collect();
    let line = rng.pick(&lines).cloned().unwrap_or_default();
    let ticket = rng.pick(&tickets).cloned().unwrap_or_default();
    let quantity = rng.below(6) as i64 - 1;
    let items = ["margherita", "cola", "tiramisu", "soup", "calzone"];
    let item = rng.pick(&items).copied().unwrap_or("cola");
    match rng.below(16) {
        0 => open_cmd(O, Some("4"), Some(quantity), None),
        1..=3 => add(item, quantity),
        4 => OrderCommand::RemoveItem { line_id: line },
        5 => OrderCommand::ChangeItemQuantity {
            line_id: line,
            quantity,
        },
        6 => OrderCommand::ChangeItemNote {
            line_id: line,
            note: (rng.below(2) == 0).then(|| "spicy".to_string()),
        },
        7 => OrderCommand::PlaceOrder,
        8 => OrderCommand::StartTicket { ticket_id: ticket },
        9 => OrderCommand::BumpTicket { ticket_id: ticket },
        10 => OrderCommand::RecallTicket { ticket_id: ticket },
        11 => OrderCommand::ServeTicket {
            ticket_id: (rng.below(2) == 0).then_some(ticket),
        },
        12 => void(
            &line,
            (rng.below(2) == 0).then_some(quantity),
            (rng.below(4) != 0).then_some("reason"),
        ),
        13 => cancel((rng.below(10) == 0).then_some("reason")),
        _ => close(Some("card")),
    }
}

fn check_invariants(state: &Order, history: &[OrderEvent]) {
    // Folding one by one, all at once, or from any midpoint gives the same state.
    assert_eq!(*state, OrderDecider::fold(history));
    let mid = history.len() / 2;
    let resumed = history[mid..]
        .iter()
        .fold(OrderDecider::fold(&history[..mid]), OrderDecider::evolve);
    assert_eq!(*state, resumed);
    assert_eq!(state.revision, history.len() as u64);

    let mut ids = std::collections::HashSet::new();
    for line in &state.lines {
        assert!(
            ids.insert(line.line_id.clone()),
            "duplicate {}",
            line.line_id
        );
        let n: u64 = line.line_id[1..].parse().expect("l{revision}");
        assert!(n >= 2 && n <= state.revision);
        assert!((1..=99).contains(&line.quantity));
        assert!(line.voided <= line.quantity);
        assert_eq!(
            line.voided == line.quantity,
            line.status == LineStatus::Voided,
            "{line:?} after {:#?}",
            &history[history.len().saturating_sub(4)..]
        );
        if line.ticket_id.is_none() {
            // never sent: still pending, or voided by a cancellation
            assert!(matches!(
                line.status,
                LineStatus::Pending | LineStatus::Voided
            ));
        } else {
            assert_ne!(line.status, LineStatus::Pending);
        }
        if let Some(t) = &line.ticket_id {
            let ticket = state.ticket(t).expect("a line's ticket exists");
            assert!(ticket.line_ids.contains(&line.line_id));
        }
    }
    for (i, ticket) in state.tickets.iter().enumerate() {
        assert_eq!(ticket.number, i as u32 + 1);
        assert_eq!(ticket.ticket_id, ticket_id(O, ticket.number));
        assert_eq!(order_of_ticket(&ticket.ticket_id), Some(O));
        assert!(!ticket.line_ids.is_empty());
    }
    let live: i64 = state
        .lines
        .iter()
        .map(|l| l.price_cents * i64::from(l.quantity - l.voided))
        .sum();
    assert_eq!(state.total_cents(), live);
    match state.status {
        OrderStatus::New => assert!(history.is_empty()),
        OrderStatus::Open => assert!(state.tickets.is_empty()),
        OrderStatus::Placed => assert!(!state.tickets.is_empty()),
        OrderStatus::Closed => {
            assert_eq!(state.paid_cents, Some(state.total_cents()));
            assert!(state.paid_cents > Some(0));
            assert!(state
                .lines
                .iter()
                .all(|l| l.status == LineStatus::Served || l.status == LineStatus::Voided));
        }
        OrderStatus::Cancelled => {
            assert!(state.cancel_reason.is_some());
            assert!(state
                .lines
                .iter()
                .all(|l| l.status == LineStatus::Served || l.status == LineStatus::Voided));
        }
    }
}

#[test]
fn random_services_keep_every_invariant() {
    let mut accepted = std::collections::HashMap::<&str, usize>::new();
    for seed in 0..300 {
        let mut rng = Rng(seed);
        let mut history = vec![opened()];
        let mut state = OrderDecider::fold(&history);
        for _ in 0..80 {
            let command = random_command(&mut rng, &state);
            match OrderDecider::decide(&state, &command, &MENU) {
                Ok(events) => {
                    assert!(!events.is_empty(), "{command:?} was accepted with no event");
                    *accepted.entry(command.name()).or_default() += 1;
                    for e in &events {
                        assert_eq!(
                            OrderEvent::from_payload(e.event_type(), &e.payload_json()).as_ref(),
                            Ok(e),
                            "events round-trip through their stored form"
                        );
                        state = OrderDecider::evolve(state, e);
                        history.push(e.clone());
                    }
                }
                Err(r) => assert!(!r.code.is_empty() && !r.message.is_empty()),
            }
            check_invariants(&state, &history);
        }
    }
    // The generator really exercised every command (except OpenOrder, which is always refused).
    for command in every_command_but_open() {
        assert!(
            accepted.get(command.name()).copied().unwrap_or(0) > 0,
            "{} was never accepted: {accepted:?}",
            command.name()
        );
    }
    assert_eq!(accepted.get("OpenOrder"), None);
}

// ---------------------------------------------------------------------------------------------
// Issue 7: an item 86'd or removed while it sits unsent is not sent to the kitchen
// ---------------------------------------------------------------------------------------------

/// The standard menu with `item_id` 86'd, or removed when `removed`.
fn menu_without(item_id: &str, removed: bool) -> Menu {
    let mut menu = menu();
    if removed {
        menu.items.retain(|i| i.id != item_id);
    } else {
        menu.items
            .iter_mut()
            .filter(|i| i.id == item_id)
            .for_each(|i| i.available = false);
    }
    menu
}

#[test]
fn place_order_refuses_a_line_whose_item_was_86d_or_removed_since_it_was_added() {
    for (removed, why) in [(false, "86'd"), (true, "no longer on the menu")] {
        let menu = menu_without("margherita", removed);
        let history = [opened(), added(2, "cola", 1), added(3, "margherita", 2)];
        let given = gwt::given_with::<OrderDecider>(&menu, history);
        let state = given.state();
        let flagged: Vec<&str> = state
            .unavailable_lines(&menu)
            .iter()
            .map(|l| l.line_id.as_str())
            .collect();
        assert_eq!(flagged, ["l3"]);
        let r = given
            .when(OrderCommand::PlaceOrder)
            .then_rejected_with(codes::ITEM_UNAVAILABLE, "l3");
        assert!(r.message.contains(why), "{}", r.message);
    }
}

#[test]
fn place_order_after_the_unavailable_line_is_removed_sends_the_rest() {
    let menu = menu_without("margherita", false);
    gwt::given_with::<OrderDecider>(
        &menu,
        [
            opened(),
            added(2, "cola", 1),
            added(3, "margherita", 2),
            removed("l3"),
        ],
    )
    .when(OrderCommand::PlaceOrder)
    .then_events([placed(1, &["l2"])]);
}

#[test]
fn lines_already_sent_are_not_flagged_when_their_item_is_86d() {
    let menu = menu_without("margherita", false);
    let state = gwt::given_with::<OrderDecider>(
        &menu,
        [opened(), added(2, "margherita", 1), placed(1, &["l2"])],
    )
    .state();
    assert!(state.unavailable_lines(&menu).is_empty());
}

#[test]
fn the_one_fold_from_a_snapshot_equals_the_fold_of_the_whole_history() {
    let history = all_served();
    for cut in 0..=history.len() {
        let snapshot = OrderDecider::fold(&history[..cut]);
        assert_eq!(snapshot.revision, cut as u64);
        let from_snapshot = OrderDecider::fold_from(Some(snapshot), &history[cut..]);
        assert_eq!(from_snapshot, OrderDecider::fold(&history), "cut at {cut}");
    }
    assert_eq!(OrderDecider::fold_from(None, &[]), Order::default());
}
