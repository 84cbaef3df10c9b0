//! Input handling: errors and the key that clears them, escape sequences in notes, Ctrl-C,
//! errors inside forms, and keys that change the screen at once with database work as effects.

use brigade::domain::order::{LineStatus, OrderCommand};
use brigade::tui::app::{Action, Modal, Screen};
use brigade::tui::form::FormKind;
use brigade::tui::keys::Key;
use brigade::tui::{waiter, Start};
use ratatui::buffer::Buffer;

use super::common::*;

#[test]
fn an_error_is_shown_and_the_next_key_only_clears_it() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    db.exec(&[r#"{"type":"MarkItemUnavailable","item_id":"funghi"}"#]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // `-` on a quantity-1 line is refused, in the status line.
    keys(&mut app, &mut core, &[Key::Enter]);
    assert_eq!(app.waiter.pane, waiter::Pane::Lines);
    app.on_key(Key::Char('-'), &mut core);
    let n = app.notice.clone().expect("an error notice");
    assert!(n.error);
    let status = status_line(&render(&mut app, 80, 24));
    assert!(status.contains("Already 1"), "{status}");
    assert!(status.contains("(any key)"), "{status}");
    // The next `+` only clears the error; the one after does its job.
    app.on_key(Key::Char('+'), &mut core);
    assert!(app.notice.is_none());
    assert_eq!(order(&core, "t4").order.lines[0].quantity, 1);
    app.on_key(Key::Char('+'), &mut core);
    assert_eq!(order(&core, "t4").order.lines[0].quantity, 2);

    // Enter on an 86'd item is refused too, and nothing is added.
    app.on_key(Key::Char('/'), &mut core);
    type_text(&mut app, &mut core, "funghi");
    app.on_key(Key::Enter, &mut core);
    let n = app.notice.clone().expect("an error notice");
    assert!(n.error && n.text.contains("86"), "{n:?}");
    assert_eq!(order(&core, "t4").order.lines.len(), 1);
    let status = status_line(&render(&mut app, 80, 24));
    assert!(status.contains("Funghi is 86'd"), "{status}");
    // The key that clears it is swallowed: it is not typed into the filter.
    app.on_key(Key::Char('x'), &mut core);
    assert!(app.notice.is_none());
    assert_eq!(app.waiter.filter, "funghi");
}

#[test]
fn escape_sequences_in_notes_reach_no_cell() {
    let db = Db::new();
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t4","table":"4\u001b[2J"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"margherita","note":"\u001b]0;pwned\u0007"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    let note = &order(&core, "t4").order.lines[0].note;
    assert_eq!(
        note.as_deref(),
        Some("\u{1b}]0;pwned\u{7}"),
        "stored as typed"
    );

    let clean = |buf: &Buffer, what: &str| {
        for cell in &buf.content {
            assert!(
                !cell.symbol().chars().any(char::is_control),
                "{what}: a control character in {:?}",
                cell.symbol()
            );
        }
    };
    app.on_key(Key::Enter, &mut core);
    let buf = render(&mut app, 100, 30);
    clean(&buf, "waiter");
    let screen = text(&buf);
    assert!(screen.contains("^[]0;pwned^G"), "shown escaped:\n{screen}");
    assert!(screen.contains("Table 4^[[2J"), "shown escaped:\n{screen}");

    app.on_key(Key::Char('s'), &mut core);
    app.act(Action::Show(Screen::Kitchen), &mut core);
    let buf = render(&mut app, 100, 30);
    clean(&buf, "kitchen");
    assert!(text(&buf).contains("^[]0;pwned^G"), "{}", text(&buf));

    app.act(Action::Show(Screen::History), &mut core);
    app.on_key(Key::Enter, &mut core);
    let buf = render(&mut app, 160, 50);
    clean(&buf, "history");
    assert!(text(&buf).contains("pwned"), "{}", text(&buf));
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");

    let mut a = app(&mut core, Start::Waiter);
    a.on_key(Key::Char('n'), &mut core);
    assert!(matches!(a.modal, Some(Modal::Form(_))));
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "with a form open");

    let mut a = app(&mut core, Start::Waiter);
    a.on_key(Key::Char('?'), &mut core);
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "with the help open");

    let mut a = app(&mut core, Start::Waiter);
    keys(&mut a, &mut core, &[Key::Enter, Key::Char('-')]);
    assert!(a.notice.as_ref().is_some_and(|n| n.error));
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "with an error showing");

    let mut a = app(&mut core, Start::Waiter);
    keys(&mut a, &mut core, &[Key::Char('/'), Key::Char('q')]);
    assert!(!a.quit, "q while typing a filter is text");
    assert_eq!(a.waiter.filter, "q");
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "while typing a filter");
}

#[test]
fn the_void_form_keeps_its_error_inside_the_form() {
    let db = Db::new();
    sent_orders(&db, &["t4"]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    keys(&mut app, &mut core, &[Key::Enter, Key::Char('x')]);
    assert!(matches!(
        &app.modal,
        Some(Modal::Form(f)) if matches!(f.kind, FormKind::Void { .. })
    ));

    // No reason: refused, the form stays open with the error in it.
    app.on_key(Key::Enter, &mut core);
    let error = match &app.modal {
        Some(Modal::Form(f)) => f.error.clone().expect("the form shows why"),
        other => panic!("the form should stay open, got {other:?}"),
    };
    assert!(error.contains("REASON_REQUIRED"), "{error}");
    assert!(app.notice.is_none(), "not in the status line");
    assert_eq!(order(&core, "t4").order.lines[0].voided, 0);
    let buf = render(&mut app, 80, 24);
    let screen = text(&buf);
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows
        .iter()
        .position(|r| r.contains("Void Margherita"))
        .unwrap();
    let bottom = rows
        .iter()
        .position(|r| r.contains("Enter ok · Esc cancel"))
        .unwrap();
    assert!(
        rows[top..bottom]
            .iter()
            .any(|r| r.contains("REASON_REQUIRED")),
        "the error is drawn inside the form:\n{screen}"
    );
    assert!(!status_line(&buf).contains("REASON_REQUIRED"));

    // With a reason it goes through and the form closes.
    app.on_key(Key::Tab, &mut core);
    type_text(&mut app, &mut core, "burnt");
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none());
    let line = &order(&core, "t4").order.lines[0];
    assert_eq!((line.voided, line.status), (1, LineStatus::Voided));
    assert!(app.notice.as_ref().is_some_and(|n| !n.error));
}

#[test]
fn keys_change_the_screen_at_once_and_hand_database_work_back_as_effects() {
    use brigade::app::request::AppCommand;
    use brigade::tui::effect::Effect;
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // Moving, help and dialogs need no database: no effects, the state changes at once.
    assert!(app.update(Key::Enter).is_empty());
    assert_eq!(app.waiter.pane, waiter::Pane::Lines);
    assert!(app.update(Key::Char('?')).is_empty());
    assert!(matches!(app.modal, Some(Modal::Help)));
    assert!(app.update(Key::Esc).is_empty());
    assert!(app.update(Key::Char('e')).is_empty());
    assert!(matches!(app.modal, Some(Modal::Form(_))));
    assert!(app.update(Key::Esc).is_empty());

    // Sending is an effect: nothing is written until it is served.
    let effects = app.update(Key::Char('s'));
    match effects.as_slice() {
        [Effect::Execute { request, .. }] => assert!(
            matches!(
                &request.command,
                AppCommand::Order {
                    command: OrderCommand::PlaceOrder { fire_all: false },
                    ..
                }
            ),
            "{request:?}"
        ),
        other => panic!("expected one Execute, got {other:?}"),
    }
    assert!(order(&core, "t4").order.tickets.is_empty());
    app.run_effects(effects, &mut core);
    assert_eq!(order(&core, "t4").order.tickets.len(), 1);
    assert!(app
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("t4-t1")));

    // The kitchen's recall opens its list on the UI thread (nothing asked of the database);
    // the history's list is an effect.
    let effects = app.update(Key::F(2));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.update(Key::Backspace).is_empty());
    assert_eq!(app.kitchen.recall, Some(0));
    assert!(app.update(Key::Esc).is_empty());
    assert_eq!(app.kitchen.recall, None);
    assert!(matches!(app.update(Key::F(3)).as_slice(), [Effect::Reload]));
    assert_eq!(app.screen, Screen::History);
}
