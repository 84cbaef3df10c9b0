//! Dropped append-only guards and edited read-model columns: reported by verify (and the
//! screens).

use brigade::app::Brigade;
use rusqlite::Connection;

use super::common::*;

#[test]
fn dropped_guards_are_reported_by_verify_and_on_the_screens() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    assert!(b.missing_guards().unwrap().is_empty());
    let mut app = brigade::tui::app::App::new(
        brigade::tui::app::Screen::Kitchen,
        "cook",
        chrono::Utc::now(),
    );
    app.reload(&mut b);
    assert_eq!(app.guards_missing, None);
    Connection::open(b.path())
        .unwrap()
        .execute_batch("DROP TRIGGER events_are_append_only_delete;")
        .unwrap();
    verify_fails(b.path(), &[], "events_are_append_only_delete is missing");
    // A trigger of the same name that guards nothing is no guard either.
    Connection::open(b.path())
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events \
             WHEN 0 BEGIN SELECT 1; END;",
        )
        .unwrap();
    verify_fails(b.path(), &[], "was replaced");
    app.reload(&mut b);
    assert!(app.guards_missing.is_some());
    assert_eq!(app.db_error, None, "the screens keep working");
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|f| brigade::tui::chrome::draw(f, &app))
        .unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("TAMPERING"), "{screen}");
    assert!(
        screen.contains("Margherita"),
        "the tickets are still shown: {screen}"
    );
}

#[test]
fn an_edited_status_column_that_hides_a_ticket_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&config(&dir)).unwrap();
    served_order(&mut b, "o1");
    served_order(&mut b, "o2");
    assert_eq!(b.kitchen(None).unwrap().len(), 2);
    let conn = Connection::open(b.path()).unwrap();
    conn.execute(
        "UPDATE kitchen_tickets SET status = 'served' WHERE ticket_id = 'o1-t1'",
        [],
    )
    .unwrap();
    assert_eq!(b.kitchen(None).unwrap().len(), 1, "gone from every screen");
    verify_fails(b.path(), &[], "kitchen ticket o1-t1");
    // The same for an order that no longer shows as open.
    b.rebuild().unwrap();
    assert!(problems(&b).is_empty());
    conn.execute(
        "UPDATE order_views SET status = 'closed' WHERE order_id = 'o2'",
        [],
    )
    .unwrap();
    verify_fails(b.path(), &[], "order view o2");
    conn.execute(
        "UPDATE order_views SET status = 'placed', opened_at = '2000-01-01T00:00:00.000Z' \
         WHERE order_id = 'o2'",
        [],
    )
    .unwrap();
    verify_fails(b.path(), &[], "order view o2");
}
