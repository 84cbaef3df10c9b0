//! The history screen: the orders list and the menu's own trail.

use brigade::tui::Start;

use super::common::*;

#[test]
fn the_history_list_shows_id_table_and_opening_time() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::History { order_id: None });
    let screen = text(&render(&mut app, 80, 24));
    // Two rows an order: the table and status, then the id and opening time.
    let rows: Vec<&str> = screen.lines().collect();
    let i = rows
        .iter()
        .position(|r| r.contains("│ t4 "))
        .expect("listed");
    let row = rows[i];
    assert!(rows[i - 1].contains("Table 4"), "{screen}");
    let opened = order(&core, "t4")
        .opened_at
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    assert!(row.contains(&opened), "{row}");
}

#[test]
fn the_history_screen_opens_the_menu_s_own_trail() {
    let db = Db::new();
    db.exec(&[r#"{"type":"MarkItemUnavailable","item_id":"salmon"}"#]);
    let mut core = db.core("maria");
    let mut app = app(
        &mut core,
        Start::History {
            order_id: Some("menu".into()),
        },
    );
    let audit = app
        .history
        .audit
        .as_ref()
        .expect("the menu's trail is open");
    let last = audit.trail.last().unwrap();
    assert_eq!(last.event_type, "MenuItemMarkedUnavailable");
    assert_eq!(last.actor, "script");
    assert!(
        last.summary.contains("86'd Grilled Salmon"),
        "{}",
        last.summary
    );
    assert!(text(&render(&mut app, 120, 40)).contains("86'd Grilled Salmon"));

    // Live: another terminal brings it back, and the trail follows.
    db.exec(&[r#"{"type":"MarkItemAvailable","item_id":"salmon"}"#]);
    app.reload(&mut core);
    let audit = app.history.audit.as_ref().unwrap();
    assert!(audit.trail.last().unwrap().summary.contains("back on"));
}
