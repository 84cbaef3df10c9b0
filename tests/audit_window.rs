//! Long orders: the state at any revision comes from the nearest snapshot and a short tail,
//! and the audit screen loads the newest window of the trail, then earlier ones on demand.
//! Each test runs on SQLite and on a throwaway PostgreSQL server (`on_both_backends!`).

mod support;

use brigade::app::request::{parse_line, Request};
use brigade::app::{Brigade, Config};
use brigade::domain::OrderCommand;
use brigade::projections::audit;
use brigade::tui::app::{Action, Screen};
use brigade::tui::history::WINDOW;
use brigade::tui::keys::Key;
use brigade::tui::{start_app, Start};

/// An order with `n` events: items added, and most taken off again.
fn long_order(b: &mut Brigade, id: &str, n: u64) {
    b.execute(
        &parse_line(&format!(
            r#"{{"type":"OpenOrder","order_id":"{id}","table":"9"}}"#
        ))
        .unwrap(),
    )
    .unwrap();
    let mut revision = 1;
    while revision < n {
        let added = b
            .execute(&Request::order(
                id,
                OrderCommand::AddItem {
                    item_id: "espresso".into(),
                    quantity: 1 + (revision % 3) as i64,
                    note: None,
                    modifiers: Vec::new(),
                    seat: None,
                    course: None,
                },
            ))
            .unwrap();
        revision = added.revision();
        if revision < n && revision % 7 != 0 {
            let line_id = added.line_id().unwrap().to_string();
            revision = b
                .execute(&Request::order(id, OrderCommand::RemoveItem { line_id }))
                .unwrap()
                .revision();
        }
    }
}

on_both_backends!(the_state_at_any_revision_equals_a_replay_up_to_it);
fn the_state_at_any_revision_equals_a_replay_up_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(support::backends::database(dir.path()), "t");
    config.snapshot_every = 10;
    let mut b = Brigade::open(&config).unwrap();
    long_order(&mut b, "long", 95);
    let events = b.order_events("long").unwrap();
    let trail = audit::trail(events.clone()).unwrap();
    for revision in [0, 1, 9, 10, 11, 37, 50, 89, 90, 95, 500] {
        assert_eq!(
            b.order_at("long", revision).unwrap(),
            audit::state_at(&trail, revision).unwrap(),
            "revision {revision}"
        );
    }
    // A window's entries and summaries are those of the whole trail.
    let w = b.audit_window("long", 41, 60).unwrap();
    assert_eq!(w.head, 95);
    assert_eq!(w.entries.len(), 20);
    assert_eq!(w.before, audit::state_at(&trail, 40).unwrap());
    for (a, b) in w.entries.iter().zip(&trail[40..60]) {
        assert_eq!((a.revision, &a.summary), (b.revision, &b.summary));
    }
    assert!(b.audit_window("nope", 1, 10).is_err());
}

on_both_backends!(the_audit_screen_loads_the_newest_window_and_earlier_ones_on_the_way_up);
fn the_audit_screen_loads_the_newest_window_and_earlier_ones_on_the_way_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut core =
        Brigade::open(&Config::new(support::backends::database(dir.path()), "t")).unwrap();
    let n = WINDOW * 2 + 100;
    long_order(&mut core, "tab", n);
    let mut app = start_app(
        &mut core,
        Start::History {
            order_id: Some("tab".into()),
        },
    );
    assert_eq!(app.screen, Screen::History);
    let audit = app.history.audit.as_ref().unwrap();
    assert_eq!(audit.trail.len() as u64, WINDOW);
    assert_eq!(audit.first_revision(), n - WINDOW + 1);
    assert_eq!(
        app.history.event as u64,
        WINDOW - 1,
        "the newest event is selected"
    );

    // Up to the top of the window, then one more: the window before it comes in.
    app.act(Action::Home, &mut core);
    let audit = app.history.audit.as_ref().unwrap();
    assert_eq!(audit.first_revision(), 1, "Home loads the whole trail");
    assert_eq!(audit.trail.len() as u64, n);
    assert_eq!(app.history.event, 0);

    // Reopen, and walk up one key at a time across the window's edge.
    let mut app = start_app(
        &mut core,
        Start::History {
            order_id: Some("tab".into()),
        },
    );
    for _ in 0..WINDOW {
        app.on_key(Key::Up, &mut core);
    }
    let audit = app.history.audit.as_ref().unwrap();
    assert_eq!(audit.trail.len() as u64, WINDOW * 2);
    let selected = &audit.trail[app.history.event];
    assert_eq!(
        selected.revision,
        n - WINDOW,
        "one above the first window's top"
    );
    // The state shown beside it is the order right after that revision.
    assert_eq!(
        audit::state_after(audit.before.clone(), &audit.trail, selected.revision).unwrap(),
        core.order_at("tab", selected.revision).unwrap()
    );
}
