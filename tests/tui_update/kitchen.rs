//! The kitchen screen driven like a bump bar: pick, bump, recall; an error's clearing key; a
//! bump still in flight.

use brigade::tui::keys::Key;
use brigade::tui::Start;

use super::common::*;

#[test]
fn the_kitchen_picks_bumps_and_recalls_like_a_bump_bar() {
    let db = Db::new();
    sent_orders(&db, &["a", "b", "c"]);
    let mut core = db.core("chef");
    let mut app = app(&mut core, Start::Kitchen { station: None });
    assert_eq!(ticket_ids(&core), ["a-t1", "b-t1", "c-t1"]);
    assert_eq!(app.kitchen.selected.as_deref(), Some("a-t1"));

    app.on_key(Key::Char('2'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    // An empty slot selects nothing new.
    app.on_key(Key::Char('9'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    assert!(app.notice.as_ref().is_some_and(|n| !n.error));

    // Enter bumps the selected ticket off the screen.
    app.on_key(Key::Enter, &mut core);
    assert_eq!(ticket_ids(&core), ["a-t1", "c-t1"]);
    assert!(app.data.tickets.iter().all(|t| t.ticket_id != "b-t1"));
    assert!(app.notice.as_ref().is_some_and(|n| !n.error));

    // Backspace opens recall's list (newest bump first); Enter brings it back, selected.
    app.on_key(Key::Backspace, &mut core);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(ticket_ids(&core), ["a-t1", "b-t1", "c-t1"]);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    assert!(core.last_bumped(None).unwrap().is_none());
}

#[test]
fn on_the_kitchen_the_enter_that_clears_an_error_does_not_bump() {
    let db = Db::new();
    sent_orders(&db, &["a", "b"]);
    let mut core = db.core("chef");
    let mut app = app(&mut core, Start::Kitchen { station: None });
    assert_eq!(app.kitchen.selected.as_deref(), Some("a-t1"));

    // Another kitchen screen bumps a-t1 first; this one has not reloaded yet.
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"a-t1"}"#]);
    app.on_key(Key::Enter, &mut core);
    assert!(
        app.notice.as_ref().is_some_and(|n| n.error),
        "{:?}",
        app.notice
    );
    // The screen has reloaded: the picked ticket is gone, and nothing else is picked for the
    // cook behind their back.
    assert_eq!(app.kitchen.selected, None);

    app.on_key(Key::Enter, &mut core);
    assert!(app.notice.is_none());
    assert_eq!(
        ticket_ids(&core),
        ["b-t1"],
        "the clearing Enter bumped nothing"
    );
    app.on_key(Key::Enter, &mut core);
    assert_eq!(
        ticket_ids(&core),
        ["b-t1"],
        "nothing picked, nothing bumped"
    );

    app.on_key(Key::Char('1'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    app.on_key(Key::Enter, &mut core);
    assert!(ticket_ids(&core).is_empty());
}

#[test]
fn a_bump_not_answered_yet_is_not_offered_again() {
    let db = Db::new();
    sent_orders(&db, &["a", "b"]);
    let mut core = db.core("chef");
    let mut app = app(&mut core, Start::Kitchen { station: None });
    assert_eq!(app.kitchen.selected.as_deref(), Some("a-t1"));
    // The database is slow: the bump is asked for, not answered yet.
    let effects = app.update(Key::Enter);
    assert_eq!(effects.len(), 1);
    assert!(
        !offers(&app, Key::Enter),
        "a second Enter would bump a-t1 again"
    );
    assert!(app.update(Key::Enter).is_empty());
    // Once answered, Enter is offered again, on the next ticket.
    app.run_effects(effects, &mut core);
    assert_eq!(ticket_ids(&core), ["b-t1"]);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    assert!(offers(&app, Key::Enter));
    assert!(app.notice.as_ref().is_some_and(|n| !n.error));
}
