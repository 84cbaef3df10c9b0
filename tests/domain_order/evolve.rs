//! Facts `evolve` establishes: line and ticket ids, statuses, totals.

use crate::fixtures::*;

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
        OrderCommand::PlaceOrder { fire_all: false },
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
        OrderCommand::PlaceOrder { fire_all: false },
        add("cola", 1),
        OrderCommand::PlaceOrder { fire_all: false },
        add("cola", 1),
        OrderCommand::PlaceOrder { fire_all: false },
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
        (
            OrderCommand::PlaceOrder { fire_all: false },
            OrderStatus::Placed,
            2700,
        ),
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
        (
            OrderCommand::PlaceOrder { fire_all: false },
            OrderStatus::Placed,
            2800,
        ),
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
