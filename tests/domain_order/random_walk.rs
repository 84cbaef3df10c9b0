//! Random but reproducible services: folding is consistent whatever the order of commands.

use crate::fixtures::*;

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
        7 => OrderCommand::PlaceOrder { fire_all: false },
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
