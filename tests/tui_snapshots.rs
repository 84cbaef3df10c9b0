//! What each screen looks like, pinned as insta snapshots of a `TestBackend`: the waiter's
//! screen (plain, with a menu filter, with the help overlay, with the void form), the kitchen
//! (every kind of card, and the bar station alone), the audit trail (the list, and an order
//! opened on one event), each at 80×24 and 120×40, plus the "too small" note and a 1×1
//! terminal.
//!
//! The data is fixed: a temp database written through `parse_line` commands with explicit
//! order ids, by brigades with fixed clocks and fixed actors; the screen's clock is fixed too,
//! and times are shown in UTC. The only thing left that varies, event ids (UUID v7), is
//! filtered out of the snapshots.
//!
//! Regenerate with `INSTA_UPDATE=always cargo test --test tui_snapshots`.

use std::path::PathBuf;

use brigade::app::context::FixedClock;
use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::tui::app::{App, Thresholds};
use brigade::tui::keys::Key;
use brigade::tui::theme::Theme;
use brigade::tui::{chrome, history, start_app, waiter, Start};
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tempfile::TempDir;

/// The sizes every screen is pinned at.
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// When service starts; the screens are looked at twelve minutes later.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 18, 0, 0).unwrap()
}

const NOW_MINUTES: i64 = 12;

/// Times on screen are local; pin local to UTC.
fn utc() {
    std::env::set_var("TZ", "UTC");
}

struct Fixture {
    _dir: TempDir,
    db: PathBuf,
}

impl Fixture {
    /// A brigade whose clock is stopped `minute` minutes into service, acting as `actor`.
    fn core(&self, minute: i64, actor: &str) -> Brigade {
        Brigade::open_with_clock(
            &Config::new(&self.db, actor),
            Box::new(FixedClock(t0() + Duration::minutes(minute))),
        )
        .unwrap()
    }

    fn exec(&self, minute: i64, actor: &str, lines: &[&str]) {
        let mut core = self.core(minute, actor);
        for line in lines {
            let request = parse_line(line).unwrap();
            if let Err(e) = core.execute(&request) {
                panic!("{line}: {}: {}", e.code(), e.message());
            }
        }
    }

    /// A service twelve minutes in:
    /// - table 4: two margheritas (one voided after sending), a caesar with a note, two
    ///   lemonades; then an add-on ticket #2 of tiramisu with a note;
    /// - table 7: sent and started by the kitchen;
    /// - table 2: its ticket bumped (ready at the pass);
    /// - table 9: sent, then cancelled (its ticket stays up, marked cancelled);
    /// - Alice: a takeout not sent yet;
    /// - Funghi is 86'd.
    fn service() -> Fixture {
        let dir = TempDir::new().unwrap();
        let f = Fixture {
            db: dir.path().join("brigade.db"),
            _dir: dir,
        };
        f.exec(
            0,
            "maria",
            &[
                r#"{"type":"OpenOrder","order_id":"t4","table":"4","covers":2}"#,
                r#"{"type":"AddItem","order_id":"t4","item_id":"margherita","quantity":2}"#,
                r#"{"type":"AddItem","order_id":"t4","item_id":"caesar","note":"no anchovies"}"#,
                r#"{"type":"AddItem","order_id":"t4","item_id":"lemonade","quantity":2}"#,
            ],
        );
        f.exec(
            1,
            "maria",
            &[
                r#"{"type":"OpenOrder","order_id":"t7","table":"7","covers":3}"#,
                r#"{"type":"AddItem","order_id":"t7","item_id":"carbonara"}"#,
                r#"{"type":"AddItem","order_id":"t7","item_id":"risotto"}"#,
                r#"{"type":"AddItem","order_id":"t7","item_id":"house-red","quantity":3}"#,
                r#"{"type":"PlaceOrder","order_id":"t7"}"#,
            ],
        );
        f.exec(
            2,
            "chef",
            &[r#"{"type":"StartTicket","ticket_id":"t7-t1"}"#],
        );
        f.exec(3, "maria", &[r#"{"type":"PlaceOrder","order_id":"t4"}"#]);
        f.exec(
            4,
            "maria",
            &[
                r#"{"type":"OpenOrder","order_id":"t2","table":"2"}"#,
                r#"{"type":"AddItem","order_id":"t2","item_id":"salmon","modifiers":["salmon-greens"]}"#,
                r#"{"type":"PlaceOrder","order_id":"t2"}"#,
            ],
        );
        f.exec(
            5,
            "maria",
            &[
                r#"{"type":"OpenOrder","order_id":"t9","table":"9","covers":2}"#,
                r#"{"type":"AddItem","order_id":"t9","item_id":"steak","modifiers":["medium-rare"]}"#,
                r#"{"type":"AddItem","order_id":"t9","item_id":"espresso"}"#,
                r#"{"type":"PlaceOrder","order_id":"t9"}"#,
            ],
        );
        f.exec(6, "chef", &[r#"{"type":"BumpTicket","ticket_id":"t2-t1"}"#]);
        f.exec(
            7,
            "maria",
            &[
                r#"{"type":"VoidItem","order_id":"t4","line_id":"l2","quantity":1,"reason":"dropped on the floor"}"#,
            ],
        );
        f.exec(
            9,
            "maria",
            &[
                r#"{"type":"AddItem","order_id":"t4","item_id":"tiramisu","quantity":2,"note":"two spoons"}"#,
                r#"{"type":"PlaceOrder","order_id":"t4"}"#,
            ],
        );
        f.exec(
            10,
            "maria",
            &[
                r#"{"type":"CancelOrder","order_id":"t9","reason":"guest left"}"#,
                r#"{"type":"OpenOrder","order_id":"alice","customer":"Alice"}"#,
                r#"{"type":"AddItem","order_id":"alice","item_id":"burger","modifiers":["medium"]}"#,
                r#"{"type":"AddItem","order_id":"alice","item_id":"fries"}"#,
                r#"{"type":"MarkItemUnavailable","item_id":"funghi"}"#,
            ],
        );
        f
    }

    /// The app as `brigade` would start it, with the clock, theme, thresholds and size pinned.
    fn app(&self, start: Start, (w, h): (u16, u16)) -> (App, Brigade) {
        let mut core = self.core(NOW_MINUTES, "maria");
        let mut app = start_app(&mut core, start);
        app.now = t0() + Duration::minutes(NOW_MINUTES);
        app.theme = Theme::plain();
        app.thresholds = Thresholds::default();
        app.size = (w, h);
        // Paging depends on the size: load again now that it is known.
        app.reload(&mut core);
        (app, core)
    }
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| chrome::draw(f, app)).unwrap();
    terminal
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

/// Event ids are UUID v7: different every run. Every hex digit of anything that starts like a
/// UUID (eight hex digits and a dash: a pane may cut one short) becomes `x`, keeping the width so
/// that the snapshot still shows the layout. (insta's regex `filters` need a crate feature this
/// project does not enable.)
fn redact_uuids(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_uuid = chars.len() > i + 8
            && chars[i..i + 8].iter().all(|&c| hex(c))
            && chars[i + 8] == '-'
            && (i == 0 || !hex(chars[i - 1]));
        if starts_uuid {
            while i < chars.len() && (hex(chars[i]) || chars[i] == '-') {
                out.push(if chars[i] == '-' { '-' } else { 'x' });
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn name(base: &str, (w, h): (u16, u16)) -> String {
    format!("{base}_{w}x{h}")
}

#[test]
fn waiter_orders() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (app, _core) = f.app(Start::Waiter, size);
        let t = render(&app);
        let text = screen_text(&t);
        // Open orders only (table 9 was cancelled), oldest first.
        assert!(text.contains("Open orders (4)"), "{text}");
        assert!(!text.contains("Table 9"), "{text}");
        // An 86'd item keeps its whole tag inside the menu's border.
        assert!(text.contains("13.50 86 "), "{text}");
        insta::assert_snapshot!(name("waiter_orders", size), t.backend());
    }
}

#[test]
fn waiter_menu_filtered() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (mut app, mut core) = f.app(Start::Waiter, size);
        for key in [
            Key::Char('/'),
            Key::Char('p'),
            Key::Char('i'),
            Key::Char('z'),
        ] {
            app.on_key(key, &mut core);
        }
        assert_eq!(app.waiter.pane, waiter::Pane::Menu);
        assert_eq!(app.waiter.filter, "piz");
        let t = render(&app);
        let text = screen_text(&t);
        assert!(
            text.contains("Margherita") && text.contains("Diavola"),
            "{text}"
        );
        assert!(!text.contains("Bruschetta"), "{text}");
        insta::assert_snapshot!(name("waiter_menu_filtered", size), t.backend());
    }
}

#[test]
fn waiter_help_overlay() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (mut app, mut core) = f.app(Start::Waiter, size);
        app.on_key(Key::Char('?'), &mut core);
        let t = render(&app);
        assert!(screen_text(&t).contains("Keys here (any key closes)"));
        insta::assert_snapshot!(name("waiter_help", size), t.backend());
    }
}

#[test]
fn waiter_void_form() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (mut app, mut core) = f.app(Start::Waiter, size);
        // Table 4 is selected; open it, go to the margherita (its lines go by course: the
        // lemonade with the send, the caesar in course 1, then the pizza) and void.
        app.on_key(Key::Enter, &mut core);
        assert_eq!(app.waiter.pane, waiter::Pane::Lines);
        app.on_key(Key::Down, &mut core);
        app.on_key(Key::Down, &mut core);
        app.on_key(Key::Char('x'), &mut core);
        app.on_key(Key::Tab, &mut core);
        for c in "burnt".chars() {
            app.on_key(Key::Char(c), &mut core);
        }
        let t = render(&app);
        let text = screen_text(&t);
        assert!(text.contains("Void Margherita"), "{text}");
        assert!(text.contains("burnt"), "{text}");
        insta::assert_snapshot!(name("waiter_void_form", size), t.backend());
    }
}

#[test]
fn kitchen_all_stations() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (mut app, mut core) = f.app(Start::Kitchen { station: None }, size);
        let t = render(&app);
        let mut text = screen_text(&t);
        // Cards that do not fit run on to further pages, each pinned too.
        let mut page = 1;
        let mut last = text.clone();
        while last.contains("more tickets →") {
            assert!(page < 5, "{last}");
            app.on_key(Key::PageDown, &mut core);
            page += 1;
            let next = render(&app);
            insta::assert_snapshot!(
                format!("{}_page{page}", name("kitchen_all", size)),
                next.backend()
            );
            last = screen_text(&next);
            text.push_str(&last);
        }
        assert!(text.contains("ADD-ON"), "{text}");
        assert!(text.contains("CANCELLED"), "{text}");
        assert!(text.contains("(-1 void)"), "{text}");
        assert!(text.contains("! no anchovies"), "{text}");
        // Table 2's ticket was bumped: it is at the pass, not on the screen.
        assert!(!text.contains("Table 2"), "{text}");
        insta::assert_snapshot!(name("kitchen_all", size), t.backend());
    }
}

#[test]
fn kitchen_bar_station() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (app, _core) = f.app(
            Start::Kitchen {
                station: Some("bar".into()),
            },
            size,
        );
        let t = render(&app);
        let text = screen_text(&t);
        assert!(text.contains("[bar]"), "{text}");
        assert!(text.contains("Lemonade"), "{text}");
        assert!(!text.contains("Tiramisu"), "{text}");
        insta::assert_snapshot!(name("kitchen_bar", size), t.backend());
    }
}

#[test]
fn history_list() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (app, _core) = f.app(Start::History { order_id: None }, size);
        let t = render(&app);
        let text = screen_text(&t);
        assert!(text.contains("Pick an order"), "{text}");
        assert!(text.contains("cancelled"), "{text}");
        insta::assert_snapshot!(name("history_list", size), t.backend());
    }
}

#[test]
fn history_order_event() {
    utc();
    let f = Fixture::service();
    for size in SIZES {
        let (mut app, mut core) = f.app(
            Start::History {
                order_id: Some("t4".into()),
            },
            size,
        );
        assert_eq!(app.history.pane, history::Pane::Events);
        // From the newest event (the add-on send) up to the void.
        while app
            .history
            .audit
            .as_ref()
            .map(|a| {
                a.trail[app.history.event.min(a.trail.len() - 1)]
                    .event_type
                    .clone()
            })
            .as_deref()
            != Some("ItemVoided")
        {
            let before = app.history.event;
            app.on_key(Key::Up, &mut core);
            assert_ne!(
                before, app.history.event,
                "no ItemVoided event in t4's trail"
            );
        }
        let t = render(&app);
        let mut text = screen_text(&t);
        assert!(text.contains("ItemVoided"), "{text}");
        assert!(text.contains("revision 6"), "{text}");
        let mut shown = redact_uuids(&text);
        insta::assert_snapshot!(name("history_event", size), shown);

        if size.0 < 120 {
            // Narrow, the JSON comes below the order: scroll down to the event's metadata.
            app.on_key(Key::Char(']'), &mut core);
            app.on_key(Key::Char(']'), &mut core);
            assert_eq!(app.history.scroll, 10);
            text = screen_text(&render(&app));
            shown = redact_uuids(&text);
            insta::assert_snapshot!(name("history_event_scrolled", size), shown);
        }
        assert!(
            text.contains("\"event_id\"") && shown != text,
            "the event's id should be on screen (and redacted): {text}"
        );
    }
}

#[test]
fn too_small_terminal() {
    utc();
    let f = Fixture::service();
    let (app, _core) = f.app(Start::Waiter, (30, 10));
    let t = render(&app);
    assert!(screen_text(&t).contains("Terminal too small"));
    insta::assert_snapshot!("too_small_30x10", t.backend());
}

#[test]
fn one_by_one_does_not_panic() {
    utc();
    let f = Fixture::service();
    for start in [
        Start::Waiter,
        Start::Kitchen { station: None },
        Start::History {
            order_id: Some("t4".into()),
        },
    ] {
        let (mut app, mut core) = f.app(start, (1, 1));
        app.on_key(Key::Char('?'), &mut core);
        let t = render(&app);
        assert_eq!(t.backend().buffer().area.width, 1);
        insta::assert_snapshot!("one_by_one", t.backend());
    }
}

#[test]
fn waiter_unavailable_line() {
    utc();
    let f = Fixture::service();
    // The burger on Alice's unsent takeout runs out.
    f.exec(
        11,
        "chef",
        &[r#"{"type":"MarkItemUnavailable","item_id":"burger"}"#],
    );
    for size in SIZES {
        let (mut app, mut core) = f.app(Start::Waiter, size);
        for key in [Key::Down, Key::Down, Key::Down, Key::Enter] {
            app.on_key(key, &mut core);
        }
        let t = render(&app);
        let text = screen_text(&t);
        assert!(text.contains("86'd!"), "{text}");
        assert!(text.contains(waiter::UNAVAILABLE_HINT), "{text}");
        insta::assert_snapshot!(name("waiter_unavailable_line", size), t.backend());
    }
}
