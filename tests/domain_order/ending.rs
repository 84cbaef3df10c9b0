//! How an order ends, or parts of it: VoidItem, CancelOrder, CloseOrder.

use crate::fixtures::*;

// VoidItem

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

// CancelOrder

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

// CloseOrder

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
