//! The kitchen screen never hides a dish: a 15-line ticket, every line with a note, is shown in
//! full at 80×24, 120×36 and 200×60 — every line and every word of every note is on screen,
//! on a continued card or a later page, with the markers that say so — and a ticket is bumped
//! whole from any of its slots.
//!
//! Regenerate the snapshots with `INSTA_UPDATE=always cargo test --test kitchen_cards`.

use std::path::PathBuf;

use brigade::app::context::FixedClock;
use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::tui::app::{App, Thresholds};
use brigade::tui::keys::Key;
use brigade::tui::theme::Theme;
use brigade::tui::{chrome, kitchen, start_app, Start};
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use tempfile::TempDir;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 36), (200, 60)];

/// Fifteen different dishes.
const ITEMS: [&str; 15] = [
    "bruschetta",
    "calamari",
    "caesar",
    "soup",
    "margherita",
    "diavola",
    "carbonara",
    "risotto",
    "burger",
    "salmon",
    "steak",
    "fries",
    "greens",
    "tiramisu",
    "pannacotta",
];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 18, 0, 0).unwrap()
}

/// The note of line `i`: seven words found nowhere else (`d03w1` … `d03w7`) among ordinary ones.
fn note(i: usize) -> String {
    let filler = ["keep", "apart", "from", "the", "sauce", "please", "thanks"];
    filler
        .iter()
        .enumerate()
        .map(|(k, f)| format!("{f} d{i:02}w{}", k + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

fn tokens() -> Vec<String> {
    (0..15)
        .flat_map(|i| (1..=7).map(move |k| format!("d{i:02}w{k}")))
        .collect()
}

struct Fixture {
    _dir: TempDir,
    db: PathBuf,
}

impl Fixture {
    /// Table 1 with one salad, then table 15 with fifteen lines, each with a long note.
    fn new() -> Fixture {
        std::env::set_var("TZ", "UTC");
        let dir = TempDir::new().unwrap();
        let f = Fixture {
            db: dir.path().join("brigade.db"),
            _dir: dir,
        };
        let mut lines = vec![
            r#"{"type":"OpenOrder","order_id":"t1","table":"1"}"#.to_string(),
            r#"{"type":"AddItem","order_id":"t1","item_id":"greens"}"#.to_string(),
            r#"{"type":"PlaceOrder","order_id":"t1"}"#.to_string(),
            r#"{"type":"OpenOrder","order_id":"t15","table":"15","covers":15}"#.to_string(),
        ];
        // One station cooks all fifteen, in one course, so that they make one long ticket;
        // the dishes that need a choice get one (a row more each on the card).
        for item in ["burger", "salmon", "steak"] {
            lines.push(format!(
                r#"{{"type":"ChangeMenuItem","item_id":"{item}","station":"kitchen"}}"#
            ));
        }
        for (i, item) in ITEMS.iter().enumerate() {
            let modifiers = match *item {
                "burger" => r#"["medium"]"#,
                "salmon" => r#"["salmon-rice"]"#,
                "steak" => r#"["rare"]"#,
                _ => "[]",
            };
            lines.push(format!(
                r#"{{"type":"AddItem","order_id":"t15","item_id":"{item}","course":1,"modifiers":{modifiers},"note":"{}"}}"#,
                note(i)
            ));
        }
        lines.push(r#"{"type":"PlaceOrder","order_id":"t15"}"#.to_string());
        let mut core = f.core();
        for line in &lines {
            let request = parse_line(line).unwrap();
            if let Err(e) = core.execute(&request) {
                panic!("{line}: {}: {}", e.code(), e.message());
            }
        }
        f
    }

    fn core(&self) -> Brigade {
        Brigade::open_with_clock(&Config::new(&self.db, "chef"), Box::new(FixedClock(t0())))
            .unwrap()
    }

    fn app(&self, (w, h): (u16, u16)) -> (App, Brigade) {
        let mut core = self.core();
        let mut app = start_app(&mut core, Start::Kitchen { station: None });
        app.now = t0() + Duration::minutes(3);
        app.theme = Theme::plain();
        app.thresholds = Thresholds::default();
        app.size = (w, h);
        app.reload(&mut core);
        (app, core)
    }
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| chrome::draw(f, app)).unwrap();
    terminal
}

/// The text of the cards' area only (not the all-day panel, which also names dishes).
fn cards_text(app: &App, terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let body = chrome::body_area(Rect::new(0, 0, app.size.0, app.size.1), app);
    let cards = kitchen::areas(body).cards;
    let mut out = String::new();
    for y in cards.top()..cards.bottom() {
        for x in cards.left()..cards.right() {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Every page of the screen, turning with PgDn while a page says there are more.
fn pages(app: &mut App, core: &mut Brigade) -> Vec<String> {
    let mut pages = Vec::new();
    for _ in 0..20 {
        let text = cards_text(app, &render(app));
        let more = text.contains("more tickets →") || text.contains("more →");
        pages.push(text);
        if !more {
            return pages;
        }
        app.on_key(Key::PageDown, core);
    }
    panic!("more than 20 pages");
}

#[test]
fn every_line_and_every_word_of_every_note_is_on_screen_at_every_size() {
    let f = Fixture::new();
    let names: Vec<String> = {
        let core = f.core();
        let t = core.kitchen(None).unwrap();
        assert_eq!(t.len(), 2);
        t[1].lines.iter().map(|l| l.name.clone()).collect()
    };
    assert_eq!(names.len(), 15);
    for size in SIZES {
        let (mut app, mut core) = f.app(size);
        let pages = pages(&mut app, &mut core);
        let all = pages.join("\n");
        for token in tokens() {
            assert_eq!(
                all.matches(&token).count(),
                1,
                "{token} at {size:?} should be shown exactly once:\n{all}"
            );
        }
        for name in &names {
            assert!(
                all.contains(&format!("1 {name}")),
                "{name} at {size:?}:\n{all}"
            );
        }
        // The long ticket is a run of cards, each but the last saying it continues.
        assert!(all.contains("▼ continued →"), "{size:?}:\n{all}");
        assert!(all.contains("Table 15 cont. 2/"), "{size:?}:\n{all}");
        if pages.len() > 1 {
            assert!(
                pages[0].contains("more tickets → PgDn"),
                "{size:?}:\n{}",
                pages[0]
            );
            assert!(!pages.last().unwrap().contains("more"), "{size:?}");
        }
    }
}

#[test]
fn the_long_ticket_at_80x24_and_120x36() {
    let f = Fixture::new();
    for size in [(80, 24), (120, 36)] {
        let (mut app, mut core) = f.app(size);
        let mut page = 1;
        loop {
            let t = render(&app);
            let text = cards_text(&app, &t);
            insta::assert_snapshot!(
                format!("long_ticket_{}x{}_page{page}", size.0, size.1),
                t.backend()
            );
            if !text.contains("more") {
                break;
            }
            app.on_key(Key::PageDown, &mut core);
            page += 1;
            assert!(page < 10);
        }
    }
}

#[test]
fn a_digit_on_any_slot_of_a_ticket_picks_and_bumps_the_whole_ticket() {
    let f = Fixture::new();
    let (mut app, mut core) = f.app((80, 24));
    // Slot 1: table 1; slots 2, 3 and 4: the first parts of table 15.
    app.on_key(Key::Char('3'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("t15-t1"));
    app.on_key(Key::Char('1'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("t1-t1"));
    app.on_key(Key::Char('4'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("t15-t1"));
    app.on_key(Key::Enter, &mut core);
    let left: Vec<String> = core
        .kitchen(None)
        .unwrap()
        .into_iter()
        .map(|t| t.ticket_id)
        .collect();
    assert_eq!(left, ["t1-t1"]);
    // And on the next page, a continuation slot picks it too: recall's list (Backspace)
    // offers the ticket bumped last first, Enter brings it back.
    app.on_key(Key::Backspace, &mut core);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("t15-t1"));
    app.on_key(Key::PageDown, &mut core);
    assert_eq!(app.kitchen.page, 1);
    app.on_key(Key::Char('1'), &mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("t15-t1"));
    assert_eq!(app.kitchen.page, 1);
}
