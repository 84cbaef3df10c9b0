//! The waiter's screen driven by keys: taking and sending an order, the menu filter, pasted
//! text, line numbers, a second order on a table, allergens, 86'd items, other processes' changes.

use brigade::app::request::parse_line;
use brigade::app::Brigade;
use brigade::domain::order::LineStatus;
use brigade::tui::app::{App, Modal};
use brigade::tui::form::FormKind;
use brigade::tui::keys::Key;
use brigade::tui::{waiter, Start};

use super::common::*;

#[test]
fn a_new_order_taken_and_sent_with_keys() {
    let db = Db::new();
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    assert!(app.data.orders.is_empty());

    // n, table 4, Enter: the order is open and the menu has the focus.
    app.on_key(Key::Char('n'), &mut core);
    assert!(matches!(
        &app.modal,
        Some(Modal::Form(f)) if f.kind == FormKind::NewOrder
    ));
    type_text(&mut app, &mut core, "4");
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none(), "the form closes on success");
    let orders = core.open_orders().unwrap();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].order.table.as_deref(), Some("4"));
    let id = orders[0].order.order_id.clone();
    assert_eq!(app.waiter.order_id.as_deref(), Some(id.as_str()));
    assert_eq!(app.waiter.pane, waiter::Pane::Menu);

    // The menu is ready to filter: "marg", Enter adds a margherita.
    assert!(waiter::typing_filter(&app));
    type_text(&mut app, &mut core, "marg");
    assert_eq!(waiter::menu_items(&app).len(), 1);
    app.on_key(Key::Enter, &mut core);
    let lines = order(&core, &id).order.lines;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].item_id, "margherita");
    assert_eq!(lines[0].status, LineStatus::Pending);
    assert!(core.kitchen(None).unwrap().is_empty());

    // While the filter is being typed, `s` is text; Esc ends the filter and `s` sends.
    app.on_key(Key::Char('s'), &mut core);
    assert_eq!(app.waiter.filter, "margs");
    assert!(core.kitchen(None).unwrap().is_empty());
    app.on_key(Key::Esc, &mut core);
    app.on_key(Key::Char('s'), &mut core);
    let tickets = core.kitchen(None).unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].order_id, id);
    assert_eq!(tickets[0].lines[0].item_id, "margherita");
    let notice = app.notice.as_ref().expect("a notice says it was sent");
    assert!(!notice.error);
    assert!(notice.text.contains(&tickets[0].ticket_id), "{notice:?}");
}

#[test]
fn another_process_s_changes_appear_after_reload() {
    let db = Db::new();
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    assert!(app.data.orders.is_empty());

    let mut other = db.core("luca");
    for line in [
        r#"{"type":"OpenOrder","order_id":"t12","table":"12"}"#,
        r#"{"type":"AddItem","order_id":"t12","item_id":"steak","modifiers":["medium-rare"]}"#,
        r#"{"type":"PlaceOrder","order_id":"t12"}"#,
    ] {
        other.execute(&parse_line(line).unwrap()).unwrap();
    }
    assert!(app.data.orders.is_empty(), "nothing moves before a reload");

    app.reload(&mut core);
    assert!(app.db_error.is_none());
    assert_eq!(app.data.orders.len(), 1);
    assert_eq!(app.data.orders[0].order.order_id, "t12");
    assert_eq!(app.data.orders[0].opened_by, "luca");
    assert_eq!(app.data.tickets.len(), 1);
    assert_eq!(
        app.waiter.order_id.as_deref(),
        Some("t12"),
        "and it is selected"
    );
    assert!(text(&render(&mut app, 80, 24)).contains("Table 12"));
}

#[test]
fn typing_mar_and_enter_adds_the_margherita_not_the_calamari() {
    let db = Db::new();
    let mut core = db.core("maria");
    let (mut app, id) = new_order_at_menu(&mut core);
    type_text(&mut app, &mut core, "mar");
    let first = waiter::menu_items(&app)[0].id.clone();
    assert_eq!(first, "margherita", "a name starting with the text first");
    app.on_key(Key::Enter, &mut core);
    assert_eq!(item_ids(&core, &id), ["margherita"]);
}

#[test]
fn esc_clears_the_filter_and_the_choice() {
    let db = Db::new();
    let mut core = db.core("maria");
    let (mut app, id) = new_order_at_menu(&mut core);
    type_text(&mut app, &mut core, "burg");
    // The burger's temperature is required: the add dialog asks it (one key), then its
    // optional extras and bun (Enter passes them), then the details (Enter adds).
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_some(), "the add dialog opened");
    keys(
        &mut app,
        &mut core,
        &[Key::Char('1'), Key::Enter, Key::Enter, Key::Enter],
    );
    assert_eq!(item_ids(&core, &id), ["burger"]);
    // Esc, then Enter: nothing was chosen in the whole menu, so nothing is added.
    keys(&mut app, &mut core, &[Key::Esc, Key::Enter]);
    assert!(app.waiter.filter.is_empty());
    assert!(!waiter::typing_filter(&app));
    assert_eq!(item_ids(&core, &id), ["burger"], "not the bruschetta");
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("Pick")));
    // `a` (add with a quantity and a note) does not open a form for an item nobody chose.
    keys(&mut app, &mut core, &[Key::Char('a')]);
    assert!(app.modal.is_none(), "a form opened for an unchosen item");
    // Moving to an item chooses it again.
    keys(&mut app, &mut core, &[Key::Down, Key::Enter]);
    assert_eq!(item_ids(&core, &id), ["burger", "calamari"]);
}

#[test]
fn a_pasted_newline_stays_text_in_the_note_and_sends_nothing() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    // The order's lines, the first line, e: the note form.
    keys(&mut app, &mut core, &[Key::Enter, Key::Char('e')]);
    assert!(matches!(
        &app.modal,
        Some(Modal::Form(f)) if matches!(f.kind, FormKind::Note { .. })
    ));
    brigade::tui::paste::on_paste(&mut app, "well done\nsend\r\x1b[A");
    match &app.modal {
        Some(Modal::Form(f)) => assert_eq!(f.value(0), "well done send  [A"),
        other => panic!("the form stays open, got {other:?}"),
    }
    assert!(core.kitchen(None).unwrap().is_empty(), "nothing was sent");
    assert!(order(&core, "t4").order.lines[0].note.is_none());
    // A paste is bounded by the field's limit (140 for a note).
    brigade::tui::paste::on_paste(&mut app, &"x".repeat(10_000));
    match &app.modal {
        Some(Modal::Form(f)) => assert_eq!(f.value(0).chars().count(), 140),
        other => panic!("the form stays open, got {other:?}"),
    }
    app.on_key(Key::Esc, &mut core);

    // With no text field in focus a paste does nothing; into a filter it filters.
    brigade::tui::paste::on_paste(&mut app, "s\n");
    assert!(core.kitchen(None).unwrap().is_empty());
    assert!(app.modal.is_none());
    app.on_key(Key::Char('/'), &mut core);
    brigade::tui::paste::on_paste(&mut app, "mar\n");
    assert_eq!(app.waiter.filter, "mar ");
    assert!(core.kitchen(None).unwrap().is_empty());
}

#[test]
fn waiters_see_line_numbers_not_internal_ids() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    db.exec(&[
        r#"{"type":"AddItem","order_id":"t4","item_id":"fries"}"#,
        r#"{"type":"RemoveItem","order_id":"t4","line_id":"l2"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"cola"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    let screen = text(&render(&mut app, 80, 24));
    let fries = screen.lines().find(|r| r.contains("Fries")).unwrap();
    let cola = screen
        .lines()
        .find(|r| r.contains("Cola") && r.contains("×"))
        .unwrap();
    // Numbered as shown, by course: the cola goes with the send, the fries are course 2.
    assert!(cola.contains("│1 "), "{screen}");
    assert!(fries.contains("│2 "), "{screen}");
    // The internal ids are l3 and l5 (the revisions that added them).
    assert!(
        !screen.contains("l3 ") && !screen.contains("l5 "),
        "{screen}"
    );
}

#[test]
fn a_second_open_order_on_a_table_asks_first() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    let new_order = |app: &mut App, core: &mut Brigade, table: &str| {
        app.on_key(Key::Char('n'), core);
        type_text(app, core, table);
        app.on_key(Key::Enter, core);
    };

    new_order(&mut app, &mut core, "4");
    assert!(matches!(
        &app.modal,
        Some(Modal::Form(f)) if matches!(f.kind, FormKind::ConfirmSecondOrder { .. })
    ));
    assert_eq!(core.open_orders().unwrap().len(), 1, "nothing opened yet");
    let screen = render(&mut app, 80, 24);
    assert!(text(&screen).contains("already has an open order (t4)"));
    assert!(status_line(&screen).contains("Enter yes"));
    // Esc: no second order.
    app.on_key(Key::Esc, &mut core);
    assert!(app.modal.is_none());
    assert_eq!(core.open_orders().unwrap().len(), 1);

    // Enter on the question: a second order on table 4, and the menu ready for it.
    new_order(&mut app, &mut core, "4");
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    let open = core.open_orders().unwrap();
    assert_eq!(open.len(), 2);
    assert!(open.iter().all(|o| o.order.table.as_deref() == Some("4")));
    assert!(waiter::typing_filter(&app));
    assert_ne!(app.waiter.order_id.as_deref(), Some("t4"));

    // Another table: no question.
    app.on_key(Key::Esc, &mut core);
    new_order(&mut app, &mut core, "5");
    assert!(app.modal.is_none());
    assert_eq!(core.open_orders().unwrap().len(), 3);
}

#[test]
fn the_waiter_s_menu_shows_allergens_and_never_drops_them() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    db.exec(&[
        r#"{"type":"AddMenuItem","item_id":"platter","name":"Sea Platter","category":"Starters","price_cents":2400,"allergens":["crustaceans","fish","molluscs","gluten","egg","milk","mustard","celery"]}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // Wide: full names in the row.
    let wide = text(&render(&mut app, 120, 40));
    let row = wide.lines().find(|r| r.contains("House Burger")).unwrap();
    assert!(row.contains("gluten, milk, sesame"), "{row}");

    // Narrow: codes in the row.
    let narrow = text(&render(&mut app, 80, 24));
    let row = narrow
        .lines()
        .find(|r| r.contains("Fried Calamari"))
        .unwrap();
    assert!(row.contains("GL MO"), "{row}");

    // Too many to fit: a marker, and the selected item's detail line has them in full,
    // wrapped to the pane.
    app.on_key(Key::Char('/'), &mut core);
    type_text(&mut app, &mut core, "sea");
    let narrow = text(&render(&mut app, 80, 24));
    let row = narrow.lines().find(|r| r.contains("Sea Platter")).unwrap();
    assert!(row.contains("+ "), "a marker: {row}");
    let menu: String = narrow
        .lines()
        .map(|r| r.rsplit('│').nth(1).unwrap_or("").trim().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    for a in [
        "allergens: crustaceans,",
        "fish,",
        "molluscs,",
        "gluten,",
        "egg,",
        "milk,",
        "mustard,",
        "celery",
    ] {
        assert!(menu.contains(a), "{a} missing:\n{narrow}");
    }
}

#[test]
fn an_unsent_line_whose_item_was_86d_or_removed_is_flagged_and_send_shows_the_refusal() {
    let db = Db::new();
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t5","table":"5"}"#,
        r#"{"type":"AddItem","order_id":"t5","item_id":"margherita"}"#,
        r#"{"type":"AddItem","order_id":"t5","item_id":"funghi"}"#,
        r#"{"type":"AddItem","order_id":"t5","item_id":"lemonade"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    app.on_key(Key::Enter, &mut core);
    let before = text(&render(&mut app, 80, 24));
    assert!(!before.contains("86'd!"), "{before}");
    assert!(!before.contains(waiter::UNAVAILABLE_HINT), "{before}");

    // The kitchen runs out of funghi; the lemonade leaves the menu altogether.
    db.exec(&[
        r#"{"type":"MarkItemUnavailable","item_id":"funghi"}"#,
        r#"{"type":"RemoveMenuItem","item_id":"lemonade"}"#,
    ]);
    app.reload(&mut core);
    let buf = render(&mut app, 80, 24);
    let screen = text(&buf);
    let rows: Vec<String> = (0..24).map(|y| row(&buf, y)).collect();
    let row_of = |name: &str| rows.iter().find(|r| r.contains(name)).cloned().unwrap();
    assert!(row_of("Margherita").contains("not sent"), "{screen}");
    assert!(row_of("Funghi").contains("86'd!"), "{screen}");
    assert!(row_of("Lemonade").contains("86'd!"), "{screen}");
    assert_eq!(
        screen.matches(waiter::UNAVAILABLE_HINT).count(),
        2,
        "{screen}"
    );

    // Send is still offered, and pressing it shows the domain's refusal; nothing is sent.
    assert!(offers(&app, Key::Char('s')));
    app.on_key(Key::Char('s'), &mut core);
    let notice = app.notice.clone().expect("a refusal");
    assert!(notice.error, "{notice:?}");
    assert!(notice.text.starts_with("ITEM_UNAVAILABLE"), "{notice:?}");
    assert!(order(&core, "t5").order.tickets.is_empty());
    assert!(status_line(&render(&mut app, 80, 24)).contains("ITEM_UNAVAILABLE"));

    // Removing the flagged lines clears the flags, and then the order goes.
    // (Lines go by course: the lemonade, with the send, is line 1; then the pizzas.)
    app.on_key(Key::Esc, &mut core); // clears the refusal
    app.on_key(Key::Char('d'), &mut core);
    app.on_key(Key::Down, &mut core);
    app.on_key(Key::Char('d'), &mut core);
    let screen = text(&render(&mut app, 80, 24));
    assert!(!screen.contains("86'd!"), "{screen}");
    app.on_key(Key::Char('s'), &mut core);
    assert_eq!(order(&core, "t5").order.tickets.len(), 1);
}

#[test]
fn t_moves_a_line_to_another_seat_and_the_kitchen_sees_the_change() {
    let db = Db::new();
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t2","table":"2"}"#,
        r#"{"type":"AddItem","order_id":"t2","item_id":"soup","seat":1}"#,
        r#"{"type":"PlaceOrder","order_id":"t2"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    app.on_key(Key::Enter, &mut core);
    assert!(offers(&app, Key::Char('t')));
    app.on_key(Key::Char('t'), &mut core);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Now at seat 1"), "{screen}");
    // Empty is not a seat: the dialog says so and stays.
    app.on_key(Key::Enter, &mut core);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Type a seat"), "{screen}");
    type_text(&mut app, &mut core, "4");
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none(), "{:?}", app.modal);
    assert_eq!(order(&core, "t2").order.lines[0].seat, 4);
    assert!(text(&render(&mut app, 80, 24)).contains("s4"));
    let ticket = &core.kitchen(Some("kitchen")).unwrap()[0];
    assert_eq!(ticket.lines[0].changes, ["seat 1 → 4"]);
}
