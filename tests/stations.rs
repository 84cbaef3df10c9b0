//! The kitchen's read models for a Friday night, through the application: one ticket per
//! station and course, a bar that bumps only its own, held courses that fire, rush first,
//! changes after sending highlighted on the station's ticket, recall's list, the expeditor's
//! tickets, stock counted down and back up — all equal to a rebuild from the log, and a
//! simulated service that uses all of it checks out.
//! Each test runs on SQLite and on a throwaway PostgreSQL server (`on_both_backends!`).

mod support;

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::domain::order::TicketStatus;
use brigade::projections::TicketView;
use brigade::store::Durability;

fn open(dir: &tempfile::TempDir) -> Brigade {
    let mut cfg = Config::new(support::backends::database(dir.path()), "ana");
    cfg.durability = Durability::Fast;
    Brigade::open(&cfg).unwrap()
}

fn run(b: &mut Brigade, lines: &[&str]) {
    for line in lines {
        b.execute(&parse_line(line).unwrap())
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }
}

fn ids(tickets: &[TicketView]) -> Vec<String> {
    tickets
        .iter()
        .map(|t| format!("{} {} {}", t.ticket_id, t.station, t.status.as_str()))
        .collect()
}

/// Table 12: a soup (kitchen, course 1), a steak (grill, course 2) for seat 3, a lager (bar).
fn table_12(b: &mut Brigade) {
    run(
        b,
        &[
            r#"{"type":"OpenOrder","order_id":"t12","table":"12","covers":3}"#,
            r#"{"type":"AddItem","order_id":"t12","item_id":"soup","seat":1}"#,
            r#"{"type":"AddItem","order_id":"t12","item_id":"steak","seat":3,"modifiers":["medium-rare","peppercorn"]}"#,
            r#"{"type":"AddItem","order_id":"t12","item_id":"lager","seat":2}"#,
            r#"{"type":"PlaceOrder","order_id":"t12"}"#,
        ],
    );
}

fn check_equals_rebuild(b: &mut Brigade) {
    assert_eq!(b.verify(&[]).unwrap().problems, Vec::<String>::new());
    let live = (
        b.kitchen(None).unwrap(),
        b.expo().unwrap(),
        b.stock().unwrap(),
    );
    b.rebuild().unwrap();
    assert_eq!(
        live,
        (
            b.kitchen(None).unwrap(),
            b.expo().unwrap(),
            b.stock().unwrap()
        )
    );
}

on_both_backends!(a_table_s_send_is_one_ticket_per_station_and_the_bar_bumps_only_its_own);
fn a_table_s_send_is_one_ticket_per_station_and_the_bar_bumps_only_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = open(&dir);
    table_12(&mut b);
    assert_eq!(
        ids(&b.kitchen(None).unwrap()),
        ["t12-t1 bar new", "t12-t2 kitchen new", "t12-t3 grill held"]
    );
    let bar = b.kitchen(Some("bar")).unwrap();
    assert_eq!(ids(&bar), ["t12-t1 bar new"]);
    assert_eq!(bar[0].lines[0].seat, 2);
    run(&mut b, &[r#"{"type":"BumpTicket","ticket_id":"t12-t1"}"#]);
    assert_eq!(
        ids(&b.kitchen(Some("kitchen")).unwrap()),
        ["t12-t2 kitchen new"]
    );
    // The grill's steak is held (course 2): shown, not in the expeditor's tickets yet.
    let grill = b.kitchen(Some("grill")).unwrap();
    assert!(grill[0].is_held() && grill[0].fired_at.is_none());
    assert_eq!(grill[0].lines[0].modifiers.len(), 2);
    assert_eq!(
        grill[0].lines[0].allergens,
        ["milk"],
        "the sauce's allergen"
    );
    assert_eq!(
        ids(&b.expo().unwrap()),
        ["t12-t1 bar ready", "t12-t2 kitchen new"]
    );
    check_equals_rebuild(&mut b);
}

on_both_backends!(a_fired_course_arrives_as_new_and_a_rush_goes_first);
fn a_fired_course_arrives_as_new_and_a_rush_goes_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = open(&dir);
    table_12(&mut b);
    run(
        &mut b,
        &[
            r#"{"type":"OpenOrder","order_id":"t5","table":"5"}"#,
            r#"{"type":"AddItem","order_id":"t5","item_id":"soup"}"#,
            r#"{"type":"PlaceOrder","order_id":"t5"}"#,
            r#"{"type":"FireCourse","order_id":"t12"}"#,
        ],
    );
    let grill = &b.kitchen(Some("grill")).unwrap()[0];
    assert_eq!(grill.status, TicketStatus::New);
    assert!(grill.fired_at.is_some() && grill.fired_position > grill.sent_position);
    assert_eq!(
        ids(&b.kitchen(Some("kitchen")).unwrap()),
        ["t12-t2 kitchen new", "t5-t1 kitchen new"]
    );
    run(&mut b, &[r#"{"type":"RushOrder","order_id":"t5"}"#]);
    let kitchen = b.kitchen(Some("kitchen")).unwrap();
    assert_eq!(ids(&kitchen), ["t5-t1 kitchen new", "t12-t2 kitchen new"]);
    assert!(kitchen[0].rush);
    check_equals_rebuild(&mut b);
}

on_both_backends!(changes_after_sending_show_on_the_station_s_ticket_and_survive_a_recall);
fn changes_after_sending_show_on_the_station_s_ticket_and_survive_a_recall() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = open(&dir);
    table_12(&mut b);
    run(
        &mut b,
        &[
            r#"{"type":"ChangeItemSeat","order_id":"t12","line_id":"l3","seat":1}"#,
            r#"{"type":"ChangeItemQuantity","order_id":"t12","line_id":"l3","quantity":2}"#,
            r#"{"type":"VoidItem","order_id":"t12","line_id":"l2","reason":"no soup left"}"#,
        ],
    );
    let grill = &b.kitchen(Some("grill")).unwrap()[0];
    assert!(grill.changed);
    assert_eq!(grill.lines[0].changes, ["seat 3 → 1", "×1 → ×2"]);
    // The soup's ticket lost its only line: it left the kitchen's screen by itself.
    assert!(b.kitchen(Some("kitchen")).unwrap().is_empty());
    run(
        &mut b,
        &[
            r#"{"type":"FireCourse","order_id":"t12"}"#,
            r#"{"type":"BumpTicket","ticket_id":"t12-t3"}"#,
        ],
    );
    let recall = b.recently_bumped(Some("grill"), 15, 10).unwrap();
    assert_eq!(ids(&recall), ["t12-t3 grill ready"]);
    assert!(b.recently_bumped(Some("bar"), 15, 10).unwrap().is_empty());
    run(&mut b, &[r#"{"type":"RecallTicket","ticket_id":"t12-t3"}"#]);
    let back = &b.kitchen(Some("grill")).unwrap()[0];
    assert!(back.changed, "a recalled ticket keeps its changed mark");
    assert_eq!(back.lines[0].changes.len(), 2);
    check_equals_rebuild(&mut b);
}

on_both_backends!(stock_counts_down_with_each_line_and_back_up_before_cooking);
fn stock_counts_down_with_each_line_and_back_up_before_cooking() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = open(&dir);
    let salmon =
        r#"{"type":"AddItem","order_id":"a","item_id":"salmon","modifiers":["salmon-rice"]}"#;
    run(
        &mut b,
        &[
            r#"{"type":"SetItemStock","item_id":"salmon","count":2}"#,
            r#"{"type":"OpenOrder","order_id":"a","table":"1"}"#,
            salmon,
            salmon,
        ],
    );
    let left = |b: &Brigade| b.stock().unwrap()[0].left();
    assert_eq!(left(&b), 0);
    let refused = b.execute(&parse_line(salmon).unwrap()).unwrap_err();
    assert_eq!(refused.code(), "ITEM_UNAVAILABLE");
    let menu = b.menu_with_stock().unwrap();
    assert!(
        !menu.item("salmon").unwrap().orderable(),
        "86'd by itself at 0"
    );
    // A removal before sending, and a void before the kitchen started, count back up.
    run(
        &mut b,
        &[r#"{"type":"RemoveItem","order_id":"a","line_id":"l2"}"#],
    );
    assert_eq!(left(&b), 1);
    run(
        &mut b,
        &[
            r#"{"type":"PlaceOrder","order_id":"a"}"#,
            r#"{"type":"VoidItem","order_id":"a","line_id":"l3","reason":"changed mind"}"#,
        ],
    );
    assert_eq!(left(&b), 2);
    // Once cooking has started, a void does not put the fish back.
    run(
        &mut b,
        &[
            salmon,
            r#"{"type":"PlaceOrder","order_id":"a"}"#,
            r#"{"type":"StartTicket","ticket_id":"a-t2"}"#,
            r#"{"type":"VoidItem","order_id":"a","line_id":"l7","reason":"burnt"}"#,
        ],
    );
    assert_eq!(left(&b), 1);
    check_equals_rebuild(&mut b);
}

on_both_backends!(a_simulated_service_uses_stations_courses_and_modifiers_and_checks_out);
fn a_simulated_service_uses_stations_courses_and_modifiers_and_checks_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = open(&dir);
    let report = brigade::app::simulate::run(&mut b, 80, 5, 8, &mut |_, _| {}).unwrap();
    assert_eq!(report.rejected, 0, "{report:?}");
    let mut kinds = std::collections::BTreeSet::new();
    b.events()
        .for_each_after(0, &mut |e| {
            kinds.insert(e.event_type.clone());
            Ok(true)
        })
        .unwrap();
    for kind in ["CourseFired", "OrderPlaced", "TicketServed", "OrderClosed"] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    let with_modifiers = b
        .recent_orders(200)
        .unwrap()
        .iter()
        .flat_map(|o| o.order.lines.clone())
        .filter(|l| !l.modifiers.is_empty() && l.seat > 0)
        .count();
    assert!(with_modifiers > 0);
    let verified = b.verify(&[]).unwrap();
    assert!(verified.problems.is_empty(), "{:?}", verified.problems);
    check_equals_rebuild(&mut b);
}
