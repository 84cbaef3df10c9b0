//! The kitchen queue as the read model decides it: a ticket whose lines were all voided leaves
//! the queue by itself, the reasons of voids are on the ticket, each line carries its allergens
//! as the menu had them when it was added, and the queue and recall follow the log's order,
//! never the recorded times. Every case is also checked against a rebuild from the log.

use std::path::PathBuf;

use brigade::app::context::FixedClock;
use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::projections::{self, TicketView};
use brigade::tui::app::{App, Thresholds};
use brigade::tui::theme::Theme;
use brigade::tui::{chrome, start_app, Start};
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tempfile::TempDir;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 18, 0, 0).unwrap()
}

struct Db {
    _dir: TempDir,
    path: PathBuf,
}

impl Db {
    fn new() -> Db {
        let dir = TempDir::new().unwrap();
        Db {
            path: dir.path().join("brigade.db"),
            _dir: dir,
        }
    }

    /// A brigade whose clock reads `minute` minutes into service.
    fn core(&self, minute: i64) -> Brigade {
        Brigade::open_with_clock(
            &Config::new(&self.path, "chef"),
            Box::new(FixedClock(t0() + Duration::minutes(minute))),
        )
        .unwrap()
    }

    fn exec(&self, minute: i64, lines: &[&str]) {
        let mut core = self.core(minute);
        for line in lines {
            let request = parse_line(line).unwrap();
            if let Err(e) = core.execute(&request) {
                panic!("{line}: {}: {}", e.code(), e.message());
            }
        }
    }

    /// A table with `items` (one each), sent to the kitchen, at `minute`.
    fn sent(&self, minute: i64, order: &str, items: &[&str]) {
        let mut lines = vec![format!(
            r#"{{"type":"OpenOrder","order_id":"{order}","table":"{order}"}}"#
        )];
        for item in items {
            // The dishes that need a choice get one.
            let modifiers = match *item {
                "steak" | "burger" => r#","modifiers":["medium"]"#,
                "salmon" => r#","modifiers":["salmon-rice"]"#,
                _ => "",
            };
            lines.push(format!(
                r#"{{"type":"AddItem","order_id":"{order}","item_id":"{item}"{modifiers}}}"#
            ));
        }
        lines.push(format!(r#"{{"type":"PlaceOrder","order_id":"{order}"}}"#));
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        self.exec(minute, &refs);
    }

    fn queue(&self) -> Vec<TicketView> {
        self.core(0).kitchen(None).unwrap()
    }

    fn queue_ids(&self) -> Vec<String> {
        self.queue().into_iter().map(|t| t.ticket_id).collect()
    }

    /// The stored read models agree with a fresh fold, and a rebuild changes nothing visible.
    fn check_rebuild(&self) {
        let mut core = self.core(0);
        let problems = projections::check(core.store().connection()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let before = core.kitchen(None).unwrap();
        let recall = core.last_bumped(None).unwrap();
        core.rebuild().unwrap();
        assert_eq!(core.kitchen(None).unwrap(), before);
        assert_eq!(core.last_bumped(None).unwrap(), recall);
    }
}

fn screen(db: &Db) -> String {
    std::env::set_var("TZ", "UTC");
    let mut core = db.core(0);
    let mut app: App = start_app(&mut core, Start::Kitchen { station: None });
    app.now = t0() + Duration::minutes(20);
    app.theme = Theme::plain();
    app.thresholds = Thresholds::default();
    app.size = (120, 36);
    app.reload(&mut core);
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    terminal.draw(|f| chrome::draw(f, &app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_ticket_whose_lines_were_all_voided_leaves_the_queue_by_itself() {
    let db = Db::new();
    // Two pizzas: one station, one course, one ticket.
    db.sent(0, "a", &["margherita", "funghi"]);
    db.sent(1, "b", &["steak"]);
    assert_eq!(db.queue_ids(), ["a-t1", "b-t1"]);

    db.exec(
        2,
        &[r#"{"type":"VoidItem","order_id":"a","line_id":"l2","reason":"out of oven space"}"#],
    );
    // One line left to make: still queued, the void and its reason on the ticket.
    let a = db.queue().into_iter().next().unwrap();
    assert_eq!(a.ticket_id, "a-t1");
    assert!(!a.void && a.changed);
    assert_eq!(a.lines[0].void_reasons, ["out of oven space"]);
    let text = screen(&db);
    assert!(text.contains("void: out of oven space"), "{text}");

    db.exec(
        3,
        &[r#"{"type":"VoidItem","order_id":"a","line_id":"l3","reason":"guest changed mind"}"#],
    );
    // Nothing left to make: gone from the queue, not waiting to be bumped as READY, and
    // nothing to recall.
    assert_eq!(db.queue_ids(), ["b-t1"]);
    assert!(db.core(0).last_bumped(None).unwrap().is_none());
    let text = screen(&db);
    assert!(!text.contains("Table a"), "{text}");
    // A station view does not show it either.
    assert!(db.core(0).kitchen(Some("kitchen")).unwrap().is_empty());
    assert_eq!(db.core(0).kitchen(Some("grill")).unwrap().len(), 1);
    db.check_rebuild();
}

#[test]
fn each_line_carries_the_allergens_its_item_had_when_it_was_added() {
    let db = Db::new();
    db.exec(
        0,
        &[
            r#"{"type":"OpenOrder","order_id":"a","table":"5"}"#,
            r#"{"type":"AddItem","order_id":"a","item_id":"caesar"}"#,
            r#"{"type":"AddItem","order_id":"a","item_id":"steak","modifiers":["medium-rare"]}"#,
            // The recipe changes between two caesars of the same order.
            r#"{"type":"ChangeMenuItem","item_id":"caesar","name":"Caesar Salad","category":"Starters","price_cents":950,"allergens":["nuts"]}"#,
            r#"{"type":"AddItem","order_id":"a","item_id":"caesar"}"#,
            r#"{"type":"PlaceOrder","order_id":"a"}"#,
        ],
    );
    // The caesars are the kitchen's ticket (the steak, a later course, is the grill's).
    let t = db.queue().into_iter().next().unwrap();
    assert_eq!(t.station, "kitchen");
    let allergens: Vec<Vec<String>> = t.lines.iter().map(|l| l.allergens.clone()).collect();
    assert_eq!(
        allergens,
        [vec!["egg", "fish", "milk", "gluten"], vec!["nuts"]]
    );
    let text = screen(&db);
    assert!(text.contains("⚠ egg, fish, milk, gluten"), "{text}");
    assert!(text.contains("⚠ nuts"), "{text}");
    // A rebuild folds the menu's events in log order: the same allergens on each line.
    db.check_rebuild();
    let again = db.queue().into_iter().next().unwrap();
    assert_eq!(again, t);
}

#[test]
fn read_models_of_the_previous_release_are_rebuilt_with_allergens_on_open() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-0.1.0.db");
    std::fs::copy(src, &path).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert!(
            projections::version::stored(&conn).unwrap() < projections::version::READ_MODEL_VERSION
        );
    }
    let core = Brigade::open(&Config::new(&path, "chef")).unwrap();
    assert_eq!(
        projections::version::stored(core.store().connection()).unwrap(),
        projections::version::READ_MODEL_VERSION
    );
    let tickets = core.kitchen(None).unwrap();
    let menu_has_allergens = ["soup", "margherita", "caesar", "burger", "carbonara"];
    let lines: Vec<_> = tickets
        .iter()
        .flat_map(|t| &t.lines)
        .filter(|l| menu_has_allergens.contains(&l.item_id.as_str()))
        .collect();
    assert!(!lines.is_empty(), "{tickets:?}");
    assert!(lines.iter().all(|l| !l.allergens.is_empty()), "{lines:?}");
    assert!(projections::check(core.store().connection())
        .unwrap()
        .is_empty());
}

#[test]
fn the_queue_and_recall_follow_the_log_even_when_recorded_times_go_backwards() {
    let db = Db::new();
    // The clock of the terminal that sends `b` is behind: b's times are earlier, yet it was
    // sent after a.
    db.sent(30, "a", &["margherita"]);
    db.sent(10, "b", &["steak"]);
    db.sent(20, "c", &["soup"]);
    assert_eq!(db.queue_ids(), ["a-t1", "b-t1", "c-t1"]);

    // Bumped a, then b (its time earlier than a's).
    db.exec(40, &[r#"{"type":"BumpTicket","ticket_id":"a-t1"}"#]);
    db.exec(35, &[r#"{"type":"BumpTicket","ticket_id":"b-t1"}"#]);
    let last = db.core(0).last_bumped(None).unwrap().unwrap();
    assert_eq!(last.ticket_id, "b-t1");
    db.check_rebuild();

    // Recall's list (Backspace) on the kitchen screen offers b first, then a.
    use brigade::tui::keys::Key;
    let mut core = db.core(50);
    let mut app = start_app(&mut core, Start::Kitchen { station: None });
    app.size = (120, 36);
    app.reload(&mut core);
    app.on_key(Key::Backspace, &mut core);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    app.on_key(Key::Backspace, &mut core);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("a-t1"));
    // Recalled tickets take their place in the queue by when they were sent.
    assert_eq!(db.queue_ids(), ["a-t1", "b-t1", "c-t1"]);
}

#[test]
fn a_cancelled_order_s_ticket_stays_up_marked_with_its_reason() {
    let db = Db::new();
    db.sent(0, "c", &["steak"]);
    db.exec(
        1,
        &[r#"{"type":"CancelOrder","order_id":"c","reason":"walked out"}"#],
    );
    // Still up, so that a cook who started it stops: marked, with why.
    let c = db.queue().into_iter().next().unwrap();
    assert!(c.cancelled);
    assert_eq!(c.cancel_reason.as_deref(), Some("walked out"));
    let text = screen(&db);
    assert!(text.contains("CANCELLED"), "{text}");
    assert!(text.contains("cancelled: walked out"), "{text}");
    db.check_rebuild();
}
