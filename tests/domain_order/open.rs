//! OpenOrder: tables, takeout and delivery, covers, and every refusal.

use crate::fixtures::*;

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
