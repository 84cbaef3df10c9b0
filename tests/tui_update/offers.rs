//! What is offered: the help overlay and the hint bar list exactly the commands offered, and a
//! key is offered exactly when the domain would accept its command.

use brigade::app::Brigade;
use brigade::domain::order::{LineStatus, OrderCommand};
use brigade::tui::app::{Action, App, Modal, Screen};
use brigade::tui::form::FormKind;
use brigade::tui::keys::{Cmd, Key};
use brigade::tui::{waiter, Start};

use super::common::*;

#[test]
fn help_lists_exactly_the_commands_offered() {
    let db = Db::new();
    sent_orders(&db, &["a", "b"]);
    pending_margherita(&db, "c", "3");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    let check = |app: &mut App, core: &mut Brigade, what: &str| {
        app.on_key(Key::Char('?'), core);
        assert_eq!(app.modal, Some(Modal::Help), "{what}");
        let buf = render(app, 120, 40);
        assert_eq!(help_entries(&buf), expected_help(app), "{what}");
        // Any key closes it, and does nothing else.
        let before = app.commands();
        app.on_key(Key::Char('n'), core);
        assert!(app.modal.is_none(), "{what}");
        assert_eq!(app.commands(), before, "{what}");
    };
    check(&mut app, &mut core, "waiter, orders");
    keys(&mut app, &mut core, &[Key::Down, Key::Down, Key::Enter]);
    assert_eq!(waiter::selected_order(&app).unwrap().order.order_id, "c");
    check(&mut app, &mut core, "waiter, an unsent line");
    // (While a filter is typed `?` is text: Esc ends the typing, the menu keeps the focus.)
    keys(&mut app, &mut core, &[Key::Char('m'), Key::Esc]);
    assert_eq!(app.waiter.pane, waiter::Pane::Menu);
    check(&mut app, &mut core, "waiter, menu");
    app.act(Action::Show(Screen::Kitchen), &mut core);
    check(&mut app, &mut core, "kitchen");
    app.act(Action::Show(Screen::History), &mut core);
    check(&mut app, &mut core, "history");
    app.on_key(Key::Enter, &mut core);
    check(&mut app, &mut core, "history, an order open");
}

#[test]
fn status_bar_hints_are_the_commands_offered() {
    let db = Db::new();
    sent_orders(&db, &["a"]);
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"a-t1"}"#]);
    pending_margherita(&db, "b", "2");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // Walk through states, collecting every hint any of them offers.
    type Step = fn(&mut App, &mut Brigade);
    let steps: Vec<(&str, Step)> = vec![
        ("waiter orders, a ready order", |_, _| {}),
        ("waiter lines, a served-ready line", |a, c| {
            a.on_key(Key::Enter, c)
        }),
        ("waiter orders, an unsent order", |a, c| {
            keys(a, c, &[Key::Esc, Key::Down])
        }),
        ("waiter lines, an unsent line", |a, c| {
            a.on_key(Key::Enter, c)
        }),
        ("waiter menu", |a, c| a.on_key(Key::Char('m'), c)),
        ("kitchen", |a, c| a.act(Action::Show(Screen::Kitchen), c)),
        ("history", |a, c| a.act(Action::Show(Screen::History), c)),
        ("history, an order open", |a, c| a.on_key(Key::Enter, c)),
    ];
    let mut seen: Vec<(String, Vec<Cmd>)> = Vec::new();
    for (what, step) in steps {
        step(&mut app, &mut core);
        assert!(app.notice.is_none() && app.modal.is_none(), "{what}");
        let status = status_line(&render(&mut app, 200, 30));
        seen.push((status, app.commands()));
    }
    let all: Vec<Cmd> = seen
        .iter()
        .flat_map(|(_, cmds)| cmds.iter().filter(|c| c.bar).cloned())
        .collect();
    assert!(all.iter().any(|c| c.keys.contains(&Key::Char('s'))));
    assert!(all.iter().any(|c| c.keys.contains(&Key::Char('v'))));
    for (status, cmds) in &seen {
        for c in &all {
            let offered = cmds.iter().any(|o| o.bar && hint(o) == hint(c));
            assert_eq!(
                status.contains(&hint(c)),
                offered,
                "hint {:?} in {status:?}",
                hint(c)
            );
        }
        // Quiet commands are for the overlay only.
        for c in cmds.iter().filter(|c| !c.bar) {
            assert!(!status.contains(&hint(c)), "{:?} in {status:?}", hint(c));
        }
    }
}

#[test]
fn only_what_the_order_allows_is_offered() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(app.waiter.pane, waiter::Pane::Lines);

    // An unsent line: change it, send it; nothing to void, serve or pay yet.
    for k in ['+', '-', 'e', 'd', 's', 'c'] {
        assert!(offers(&app, Key::Char(k)), "{k} should be offered");
    }
    for k in ['x', 'v', 'p'] {
        assert!(!offers(&app, Key::Char(k)), "{k} should not be offered");
    }
    app.on_key(Key::Char('p'), &mut core);
    app.on_key(Key::Char('x'), &mut core);
    assert!(app.modal.is_none() && app.notice.is_none());

    // Sent: it can be voided, no longer changed; still nothing to pay.
    app.on_key(Key::Char('s'), &mut core);
    assert_eq!(order(&core, "t4").order.lines[0].status, LineStatus::Sent);
    for k in ['x', 'c'] {
        assert!(offers(&app, Key::Char(k)), "{k} should be offered");
    }
    for k in ['+', '-', 'e', 'd', 's', 'v', 'p'] {
        assert!(!offers(&app, Key::Char(k)), "{k} should not be offered");
    }
    assert!(!offers(&app, Key::Delete));
    app.on_key(Key::Char('p'), &mut core);
    assert!(
        app.modal.is_none(),
        "no payment before everything is served"
    );

    // Ready at the pass: it can be served, still not paid.
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"t4-t1"}"#]);
    app.reload(&mut core);
    assert!(offers(&app, Key::Char('v')));
    assert!(!offers(&app, Key::Char('p')));
    app.on_key(Key::Char('v'), &mut core);
    assert_eq!(order(&core, "t4").order.lines[0].status, LineStatus::Served);

    // Served: now it can be paid.
    assert!(offers(&app, Key::Char('p')));
    assert!(!offers(&app, Key::Char('v')));
    app.on_key(Key::Char('p'), &mut core);
    match &app.modal {
        Some(Modal::Form(f)) => {
            assert!(matches!(f.kind, FormKind::Close { .. }));
            assert!(f.title.contains("12.00"), "{}", f.title);
        }
        other => panic!("expected the payment form, got {other:?}"),
    }
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none());
    assert_eq!(order(&core, "t4").order.status.as_str(), "closed");

    // A closed order is gone from the waiter's list, and with it every order action.
    assert!(app.data.orders.is_empty());
    for k in ['x', 'v', 'p', 's', 'c'] {
        assert!(!offers(&app, Key::Char(k)), "{k} should not be offered");
    }
}

#[test]
fn while_a_dialog_is_open_the_hint_bar_shows_its_keys() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    keys(&mut app, &mut core, &[Key::Enter, Key::Char('e')]);
    let bar = status_line(&render(&mut app, 80, 24));
    assert!(bar.contains("Enter ok"), "{bar}");
    assert!(bar.contains("Esc cancel"), "{bar}");
    assert!(
        !bar.contains("send"),
        "the screen's keys are not offered: {bar}"
    );
    assert!(!offers(&app, Key::Char('s')));
    app.on_key(Key::Esc, &mut core);
    let bar = status_line(&render(&mut app, 80, 24));
    assert!(bar.contains("send"), "{bar}");
}

#[test]
fn a_key_is_offered_exactly_when_the_domain_would_accept_its_command() {
    let db = Db::new();
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t1","table":"1"}"#,
        r#"{"type":"AddItem","order_id":"t1","item_id":"margherita"}"#,
        r#"{"type":"AddItem","order_id":"t1","item_id":"funghi","note":"extra"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    app.on_key(Key::Enter, &mut core);
    let r = || Some("r".to_string());
    let check = |app: &mut App, core: &mut Brigade, stage: &str| {
        app.reload(core);
        let lines = order(core, "t1").order.lines;
        for (i, line) in lines.iter().enumerate() {
            app.waiter.line = i;
            let id = || line.line_id.clone();
            let other_note = if line.note.is_some() { None } else { r() };
            let cases = [
                (
                    '+',
                    OrderCommand::ChangeItemQuantity {
                        line_id: id(),
                        quantity: line.quantity as i64 + 1,
                    },
                ),
                ('d', OrderCommand::RemoveItem { line_id: id() }),
                (
                    'e',
                    OrderCommand::ChangeItemNote {
                        line_id: id(),
                        note: other_note,
                    },
                ),
                (
                    'x',
                    OrderCommand::VoidItem {
                        line_id: id(),
                        quantity: None,
                        reason: r(),
                    },
                ),
                ('s', OrderCommand::PlaceOrder { fire_all: false }),
                ('v', OrderCommand::ServeTicket { ticket_id: None }),
                ('p', OrderCommand::CloseOrder { payment: None }),
                ('c', OrderCommand::CancelOrder { reason: r() }),
            ];
            for (key, command) in cases {
                let answer = domain_allows(core, "t1", command);
                // Send stays offered when only an 86'd item stops it: the key shows why.
                let expected = answer.is_ok()
                    || (key == 's' && answer.as_ref().is_err_and(|c| c == "ITEM_UNAVAILABLE"));
                assert_eq!(
                    offers(app, Key::Char(key)),
                    expected,
                    "{stage}, line {}: {key} (the domain says {answer:?})",
                    i + 1
                );
            }
        }
    };
    check(&mut app, &mut core, "two unsent lines");
    // At the most a line may hold, `+` is refused by the domain, so not offered.
    db.exec(&[r#"{"type":"ChangeItemQuantity","order_id":"t1","line_id":"l2","quantity":99}"#]);
    check(&mut app, &mut core, "99 margheritas");
    db.exec(&[r#"{"type":"MarkItemUnavailable","item_id":"funghi"}"#]);
    check(&mut app, &mut core, "funghi 86'd");
    db.exec(&[
        r#"{"type":"MarkItemAvailable","item_id":"funghi"}"#,
        r#"{"type":"PlaceOrder","order_id":"t1"}"#,
    ]);
    check(&mut app, &mut core, "sent");
    db.exec(&[r#"{"type":"VoidItem","order_id":"t1","line_id":"l3","reason":"burnt"}"#]);
    check(&mut app, &mut core, "funghi voided");
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"t1-t1"}"#]);
    check(&mut app, &mut core, "ready");
    db.exec(&[r#"{"type":"ServeTicket","order_id":"t1"}"#]);
    check(&mut app, &mut core, "served");

    // The kitchen: start and bump are the domain's answers for the picked ticket, a cancelled
    // order's ticket included (it can be cleared, not started).
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t2","table":"2"}"#,
        r#"{"type":"AddItem","order_id":"t2","item_id":"margherita"}"#,
        r#"{"type":"PlaceOrder","order_id":"t2"}"#,
        r#"{"type":"OpenOrder","order_id":"t3","table":"3"}"#,
        r#"{"type":"AddItem","order_id":"t3","item_id":"margherita"}"#,
        r#"{"type":"PlaceOrder","order_id":"t3"}"#,
        r#"{"type":"StartTicket","ticket_id":"t3-t1"}"#,
        r#"{"type":"OpenOrder","order_id":"t4","table":"4"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"margherita"}"#,
        r#"{"type":"PlaceOrder","order_id":"t4"}"#,
        r#"{"type":"CancelOrder","order_id":"t4","reason":"left"}"#,
    ]);
    app.on_key(Key::F(2), &mut core);
    app.reload(&mut core);
    for (slot, order_id) in [('1', "t2"), ('2', "t3"), ('3', "t4")] {
        app.on_key(Key::Char(slot), &mut core);
        let ticket = format!("{order_id}-t1");
        assert_eq!(app.kitchen.selected.as_deref(), Some(ticket.as_str()));
        let start = domain_allows(
            &mut core,
            order_id,
            OrderCommand::StartTicket {
                ticket_id: ticket.clone(),
            },
        );
        let bump = domain_allows(
            &mut core,
            order_id,
            OrderCommand::BumpTicket {
                ticket_id: ticket.clone(),
            },
        );
        assert_eq!(
            offers(&app, Key::Char(' ')),
            start.is_ok(),
            "{ticket}: start {start:?}"
        );
        assert_eq!(
            offers(&app, Key::Enter),
            bump.is_ok(),
            "{ticket}: bump {bump:?}"
        );
    }
}
