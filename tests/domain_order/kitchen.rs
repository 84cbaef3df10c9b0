//! Sending to the kitchen and the tickets' life: PlaceOrder (including lines whose item was
//! 86'd or removed while unsent), StartTicket, BumpTicket, RecallTicket, ServeTicket.

use crate::fixtures::*;

// PlaceOrder

#[test]
fn place_order_sends_every_pending_line_as_ticket_1() {
    let state = given(with_pending())
        .when(OrderCommand::PlaceOrder { fire_all: false })
        .then_events([placed(1, &["l2", "l3"])]);
    assert_eq!(state.status, OrderStatus::Placed);
    assert_eq!(state.tickets.len(), 1);
    let ticket = state.ticket("o1-t1").expect("ticket o1-t1");
    assert_eq!(ticket.number, 1);
    assert_eq!(ticket.status, TicketStatus::New);
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
        .when(OrderCommand::PlaceOrder { fire_all: false })
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
        .when(OrderCommand::PlaceOrder { fire_all: false })
        .then_events([placed(1, &["l3"])]);
}

#[test]
fn place_order_with_nothing_to_send() {
    given([opened()])
        .when(OrderCommand::PlaceOrder { fire_all: false })
        .then_rejected(codes::NOTHING_TO_SEND);
    given(sent())
        .when(OrderCommand::PlaceOrder { fire_all: false })
        .then_rejected(codes::NOTHING_TO_SEND);
    given(then(with_pending(), [removed("l2"), removed("l3")]))
        .when(OrderCommand::PlaceOrder { fire_all: false })
        .then_rejected(codes::NOTHING_TO_SEND);
}

#[test]
fn place_a_cancelled_order() {
    given(then(with_pending(), [cancelled("walked out")]))
        .when(OrderCommand::PlaceOrder { fire_all: false })
        .then_rejected(codes::ORDER_NOT_OPEN);
}

// Tickets: Start, Bump, Recall, Serve

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
        TicketStatus::New
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
            TicketStatus::New,
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

// An item 86'd or removed while it sits unsent is not sent to the kitchen

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
            .when(OrderCommand::PlaceOrder { fire_all: false })
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
    .when(OrderCommand::PlaceOrder { fire_all: false })
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
