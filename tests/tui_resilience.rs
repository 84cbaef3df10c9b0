//! What a screen does when the database goes away, and without colour: it says so loudly,
//! hides what it can no longer vouch for, keeps retrying, and recovers by itself.

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::tui::app::{Screen, Thresholds};
use brigade::tui::theme::Theme;
use brigade::tui::{chrome, start_app, Start};
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;

fn screen_text(app: &brigade::tui::app::App) -> (String, ratatui::buffer::Buffer) {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| chrome::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    let text = buf
        .content()
        .chunks(100)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    (text, buf)
}

#[test]
fn a_kitchen_that_loses_its_database_says_so_and_shows_no_stale_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "cook")).unwrap();
    for line in [
        r#"{"type":"OpenOrder","order_id":"k1","table":"12"}"#,
        r#"{"type":"AddItem","order_id":"k1","item_id":"risotto","quantity":2}"#,
        r#"{"type":"PlaceOrder","order_id":"k1"}"#,
    ] {
        core.execute(&parse_line(line).unwrap()).unwrap();
    }
    let mut app = start_app(&mut core, Start::Kitchen { station: None });
    app.theme = Theme::plain();
    app.thresholds = Thresholds::default();
    app.size = (100, 30);
    assert_eq!(app.screen, Screen::Kitchen);
    let (before, _) = screen_text(&app);
    assert!(before.contains("Mushroom Risotto"), "{before}");

    // The file is moved away (a restore gone wrong, a disk unmounted…).
    let moved = dir.path().join("moved.db");
    std::fs::rename(&path, &moved).unwrap();
    app.reload(&mut core);
    assert!(app.db_error.is_some());
    let (during, _) = screen_text(&app);
    assert!(during.contains("CANNOT READ THE DATABASE"), "{during}");
    assert!(
        !during.contains("Risotto"),
        "a stale ticket is still shown:\n{during}"
    );

    // It comes back: the next retry shows the tickets again, without a key press.
    std::fs::rename(&moved, &path).unwrap();
    app.reload(&mut core);
    assert!(app.db_error.is_none());
    let (after, _) = screen_text(&app);
    assert!(after.contains("Mushroom Risotto"), "{after}");
    assert!(!after.contains("CANNOT READ"), "{after}");
}

#[test]
fn without_colour_the_screen_uses_no_colour_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = Brigade::open(&Config::new(dir.path().join("b.db"), "ana")).unwrap();
    core.execute(&parse_line(r#"{"type":"OpenOrder","order_id":"a","table":"1"}"#).unwrap())
        .unwrap();
    for screen in [
        Start::Waiter,
        Start::Kitchen { station: None },
        Start::History {
            order_id: Some("a".into()),
        },
    ] {
        let mut app = start_app(&mut core, screen);
        app.size = (100, 30);
        app.theme = Theme { color: false };
        let (_, plain) = screen_text(&app);
        assert!(
            plain
                .content()
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
            "a coloured cell without colour"
        );
        app.theme = Theme { color: true };
        let (_, coloured) = screen_text(&app);
        assert!(
            coloured.content().iter().any(|c| c.fg != Color::Reset),
            "the coloured theme colours something (so the check above can fail)"
        );
    }
}

#[test]
fn no_color_in_the_environment_turns_colour_off() {
    // Only this test in this binary touches NO_COLOR.
    std::env::set_var("NO_COLOR", "1");
    assert!(!Theme::from_env().color);
    std::env::set_var("NO_COLOR", "");
    assert!(Theme::from_env().color, "an empty NO_COLOR is not set");
    std::env::remove_var("NO_COLOR");
    assert!(Theme::from_env().color);
}

fn open_app(core: &mut Brigade, start: Start) -> brigade::tui::app::App {
    let mut app = start_app(core, start);
    app.theme = Theme::plain();
    app.size = (100, 30);
    app
}

fn run(core: &mut Brigade, lines: &[&str]) {
    for line in lines {
        core.execute(&parse_line(line).unwrap()).unwrap();
    }
}

/// A database with tables 1 and 2 open (orders `a` and `b`), and a terminal on it.
fn two_tables() -> (tempfile::TempDir, std::path::PathBuf, Brigade) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "ana")).unwrap();
    run(
        &mut core,
        &[
            r#"{"type":"OpenOrder","order_id":"a","table":"1"}"#,
            r#"{"type":"OpenOrder","order_id":"b","table":"2"}"#,
        ],
    );
    (dir, path, core)
}

#[test]
fn an_order_closed_elsewhere_never_hands_its_panes_to_another_table() {
    use brigade::tui::keys::Key;
    use brigade::tui::waiter::Pane;
    let (_dir, path, mut core) = two_tables();
    let mut app = open_app(&mut core, Start::Waiter);
    app.on_key(Key::Down, &mut core);
    assert_eq!(app.waiter.order_id.as_deref(), Some("b"));
    app.on_key(Key::Char('m'), &mut core);
    app.on_key(Key::Down, &mut core);
    assert_eq!(app.waiter.pane, Pane::Menu);

    // Another terminal cancels table 2.
    let mut other = Brigade::open(&Config::new(&path, "bob")).unwrap();
    run(
        &mut other,
        &[r#"{"type":"CancelOrder","order_id":"b","reason":"left"}"#],
    );
    app.reload(&mut core);
    assert_eq!(app.waiter.pane, Pane::Orders, "back to the list");
    assert!(app
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("no longer open")));
    app.on_key(Key::Enter, &mut core);
    assert!(
        core.load_order("a").unwrap().lines.is_empty(),
        "nothing was added to table 1"
    );
}

#[test]
fn a_double_pressed_enter_on_a_new_order_adds_nothing() {
    use brigade::tui::keys::Key;
    let dir = tempfile::tempdir().unwrap();
    let mut core = Brigade::open(&Config::new(dir.path().join("b.db"), "ana")).unwrap();
    let mut app = open_app(&mut core, Start::Waiter);
    app.on_key(Key::Char('n'), &mut core);
    app.on_key(Key::Char('5'), &mut core);
    app.on_key(Key::Enter, &mut core);
    app.on_key(Key::Enter, &mut core);
    let orders = core.open_orders().unwrap();
    assert_eq!(orders.len(), 1);
    assert!(
        orders[0].order.lines.is_empty(),
        "the second Enter added nothing"
    );
    // Choosing the item first makes Enter add it.
    app.on_key(Key::Down, &mut core);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(core.open_orders().unwrap()[0].order.lines.len(), 1);
}

#[test]
fn on_a_screen_too_small_to_show_anything_keys_do_nothing_but_quit() {
    use brigade::tui::keys::Key;
    let dir = tempfile::tempdir().unwrap();
    let mut core = Brigade::open(&Config::new(dir.path().join("b.db"), "ana")).unwrap();
    let mut app = open_app(&mut core, Start::Waiter);
    app.size = (60, 20);
    app.on_key(Key::Char('n'), &mut core);
    assert!(app.modal.is_none(), "no form opened blind");
    app.on_key(Key::Char('q'), &mut core);
    assert!(app.quit);
}

#[test]
fn information_fades_after_a_few_seconds_errors_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = Brigade::open(&Config::new(dir.path().join("b.db"), "ana")).unwrap();
    let mut app = open_app(&mut core, Start::Waiter);
    app.info("Sent");
    app.now += chrono::Duration::seconds(brigade::tui::app::NOTICE_SECONDS);
    app.expire_notice();
    assert!(app.notice.is_none());
    app.error("ITEM_UNAVAILABLE: 86'd");
    app.now += chrono::Duration::seconds(600);
    app.expire_notice();
    assert!(app.notice.is_some());
}

#[test]
fn the_history_list_keeps_the_picked_order_when_others_open() {
    let (_dir, path, mut core) = two_tables();
    let mut app = open_app(&mut core, Start::History { order_id: None });
    let picked =
        |app: &brigade::tui::app::App| app.data.recent[app.history.order].order.order_id.clone();
    app.act(brigade::tui::app::Action::Down, &mut core);
    let before = picked(&app);
    let mut other = Brigade::open(&Config::new(&path, "bob")).unwrap();
    run(
        &mut other,
        &[r#"{"type":"OpenOrder","order_id":"c","table":"3"}"#],
    );
    app.reload(&mut core);
    assert_eq!(app.data.recent.len(), 3);
    assert_eq!(picked(&app), before);
}

#[test]
fn after_the_cook_bumps_the_last_ticket_the_next_one_to_arrive_is_picked() {
    use brigade::tui::keys::Key;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "chef")).unwrap();
    let send = |core: &mut Brigade, id: &str| {
        run(
            core,
            &[
                &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"5"}}"#),
                &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"soup"}}"#),
                &format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#),
            ],
        )
    };
    send(&mut core, "a");
    let mut app = open_app(&mut core, Start::Kitchen { station: None });
    app.on_key(Key::Enter, &mut core);
    assert!(core.kitchen(None).unwrap().is_empty());
    let mut waiter = Brigade::open(&Config::new(&path, "ana")).unwrap();
    send(&mut waiter, "b");
    app.reload(&mut core);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    app.on_key(Key::Enter, &mut core);
    assert!(
        core.kitchen(None).unwrap().is_empty(),
        "Enter bumped the new ticket"
    );
}

#[test]
fn a_screen_says_nothing_about_what_another_screen_would_show() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "ana")).unwrap();
    run(
        &mut core,
        &[
            r#"{"type":"OpenOrder","order_id":"a","table":"1"}"#,
            r#"{"type":"AddItem","order_id":"a","item_id":"soup"}"#,
            r#"{"type":"PlaceOrder","order_id":"a"}"#,
            r#"{"type":"OpenOrder","order_id":"b","table":"2"}"#,
            r#"{"type":"AddItem","order_id":"b","item_id":"soup"}"#,
            r#"{"type":"PlaceOrder","order_id":"b"}"#,
        ],
    );
    let mut waiter = open_app(&mut core, Start::Waiter);
    let mut kitchen = open_app(&mut core, Start::Kitchen { station: None });
    let mut other = Brigade::open(&Config::new(&path, "bob")).unwrap();
    run(
        &mut other,
        &[
            r#"{"type":"BumpTicket","ticket_id":"a-t1"}"#,
            r#"{"type":"CancelOrder","order_id":"a","reason":"left"}"#,
        ],
    );
    waiter.reload(&mut core);
    kitchen.reload(&mut core);
    let waiter_notice = waiter
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    let kitchen_notice = kitchen
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(!waiter_notice.contains("ticket"), "{waiter_notice}");
    assert!(waiter_notice.contains("no longer open"), "{waiter_notice}");
    assert!(
        !kitchen_notice.contains("no longer open"),
        "{kitchen_notice}"
    );
    assert!(kitchen_notice.contains("gone"), "{kitchen_notice}");
}

/// Polls `front` until `ok` holds of what it would draw, or panics after a generous deadline.
fn wait_for_view(
    front: &mut brigade::tui::worker::Front,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        front.drain();
        let (text, _) = screen_text(&front.view());
        if ok(&text) {
            return text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}:\n{text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn a_locked_database_never_freezes_the_screen_and_ctrl_c_quits_at_once() {
    use brigade::tui::keys::Key;
    use brigade::tui::worker::Front;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "cook")).unwrap();
    for line in [
        r#"{"type":"OpenOrder","order_id":"k1","table":"12"}"#,
        r#"{"type":"AddItem","order_id":"k1","item_id":"risotto"}"#,
        r#"{"type":"PlaceOrder","order_id":"k1"}"#,
    ] {
        core.execute(&parse_line(line).unwrap()).unwrap();
    }
    let mut app = start_app(&mut core, Start::Kitchen { station: None });
    app.theme = Theme::plain();
    app.size = (100, 30);
    let mut front = Front::spawn(core, app);
    wait_for_view(&mut front, "the ticket", |t| t.contains("Mushroom Risotto"));

    // Someone holds the database's write lock for long (a `rebuild`, a backup).
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // The cook bumps the ticket: the write waits for the lock, on the worker.
    front.key(Key::Char('1'));
    front.key(Key::Enter);
    let waiting = wait_for_view(&mut front, "the waiting state", |t| {
        t.contains("waiting for the database")
    });
    // Keys still answer at once: help opens and closes, the station filter changes, all while
    // the bump waits.
    assert!(!waiting.contains("Keys here"), "{waiting}");
    front.key(Key::Char('?'));
    let text = wait_for_view(&mut front, "the help overlay", |t| t.contains("Keys here"));
    assert!(text.contains("waiting for the database"), "{text}");
    front.key(Key::Esc);
    front.key(Key::Char('f'));
    assert!(
        front.app().kitchen.station.is_some(),
        "the filter changed at once"
    );
    let text = wait_for_view(&mut front, "the station filter", |t| {
        !t.contains("Keys here") && t.contains("All day · ")
    });
    assert!(text.contains("waiting for the database"), "{text}");
    assert!(
        front.waiting(),
        "the lock was released too early for this test"
    );
    // Ctrl-C quits at once, with the lock still held and the worker still waiting.
    assert!(!front.quit());
    front.key(Key::Ctrl('c'));
    assert!(
        front.quit(),
        "Ctrl-C must quit while the database is locked"
    );
    assert!(
        front.waiting(),
        "the lock was released too early for this test"
    );

    // Once the lock goes, the waiting bump goes through and the state is shown again.
    lock.execute_batch("COMMIT").unwrap();
    let after = wait_for_view(&mut front, "the bump to go through", |t| {
        !t.contains("waiting for the database") && !t.contains("Mushroom Risotto")
    });
    assert!(!after.contains("CANNOT READ"), "{after}");
}

/// Moves a database file with its WAL and shared-memory files, as a restore would.
fn move_db(from: &std::path::Path, to: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let with = |p: &std::path::Path| {
            let mut s = p.as_os_str().to_owned();
            s.push(suffix);
            std::path::PathBuf::from(s)
        };
        if with(from).exists() {
            std::fs::rename(with(from), with(to)).unwrap();
        }
    }
}

fn events_in(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_database_moved_away_is_never_recreated_by_a_screen() {
    use brigade::tui::worker::Front;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "cook")).unwrap();
    for line in [
        r#"{"type":"OpenOrder","order_id":"k1","table":"12"}"#,
        r#"{"type":"AddItem","order_id":"k1","item_id":"risotto"}"#,
        r#"{"type":"PlaceOrder","order_id":"k1"}"#,
    ] {
        core.execute(&parse_line(line).unwrap()).unwrap();
    }
    let mut app = start_app(&mut core, Start::Kitchen { station: None });
    app.theme = Theme::plain();
    app.size = (100, 30);
    let mut front = Front::spawn(core, app);
    wait_for_view(&mut front, "the ticket", |t| t.contains("Mushroom Risotto"));

    let moved = dir.path().join("moved.db");
    std::fs::rename(&path, &moved).unwrap();
    // The worker notices on its next tick, reloads and tries to watch again in the same round.
    wait_for_view(&mut front, "the red banner", |t| {
        t.contains("CANNOT READ THE DATABASE")
    });
    assert!(
        !path.exists(),
        "a screen created a new database where the old one was"
    );
    std::fs::rename(&moved, &path).unwrap();
    wait_for_view(&mut front, "the tickets again", |t| {
        t.contains("Mushroom Risotto") && !t.contains("CANNOT READ")
    });
}

#[test]
fn a_database_replaced_under_a_screen_is_neither_read_nor_written_until_the_original_is_back() {
    use brigade::tui::keys::Key;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "cook")).unwrap();
    for line in [
        r#"{"type":"OpenOrder","order_id":"k1","table":"12"}"#,
        r#"{"type":"AddItem","order_id":"k1","item_id":"risotto"}"#,
        r#"{"type":"PlaceOrder","order_id":"k1"}"#,
    ] {
        core.execute(&parse_line(line).unwrap()).unwrap();
    }
    let mut app = start_app(&mut core, Start::Kitchen { station: None });
    app.theme = Theme::plain();
    app.size = (100, 30);

    // Another Brigade database (a restore of another day, say) takes the file's place.
    let other = dir.path().join("other.db");
    drop(Brigade::open(&Config::new(&other, "someone")).unwrap());
    let other_events = events_in(&other);
    let original = dir.path().join("original.db");
    move_db(&path, &original);
    move_db(&other, &path);

    app.reload(&mut core);
    let error = app.db_error.clone().unwrap_or_default();
    assert!(error.contains("replaced"), "{error:?}");
    let (during, _) = screen_text(&app);
    assert!(during.contains("CANNOT READ THE DATABASE"), "{during}");
    assert!(!during.contains("Risotto"), "{during}");
    assert!(core.watcher().is_ok(), "the path has a database to watch");
    // A bump typed now writes to neither file.
    let original_events = events_in(&original);
    app.on_key(Key::Char('1'), &mut core);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(events_in(&path), other_events, "wrote to the replacement");
    assert_eq!(
        events_in(&original),
        original_events,
        "wrote while replaced"
    );
    // Reloading again keeps the banner: the replacement is never taken for the database.
    app.reload(&mut core);
    assert!(app.db_error.is_some());

    // The original comes back: the screen recovers by itself.
    move_db(&path, &other);
    move_db(&original, &path);
    app.reload(&mut core);
    assert!(app.db_error.is_none(), "{:?}", app.db_error);
    let (after, _) = screen_text(&app);
    assert!(after.contains("Mushroom Risotto"), "{after}");
}

/// Every write goes through `Brigade::execute`, which checks the file first: a waiter's dialog
/// (new order, add with a note, void…) typed while the file is moved away or replaced writes to
/// neither file, and leaves no `-wal` at the old path to corrupt a database made there later.
#[test]
fn no_command_writes_while_the_database_is_moved_away_or_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut core = Brigade::open(&Config::new(&path, "ana")).unwrap();
    core.execute(&parse_line(r#"{"type":"OpenOrder","order_id":"o1","table":"1"}"#).unwrap())
        .unwrap();
    let moved = dir.path().join("moved.db");
    move_db(&path, &moved);
    let before = events_in(&moved);
    for line in [
        r#"{"type":"OpenOrder","order_id":"o5","table":"5"}"#,
        r#"{"type":"AddItem","order_id":"o1","item_id":"steak","modifiers":["medium-rare"],"note":"rare"}"#,
    ] {
        let err = core.execute(&parse_line(line).unwrap()).unwrap_err();
        assert_eq!(err.code(), "DB_GONE", "{line}");
    }
    assert_eq!(events_in(&moved), before, "wrote to the moved file");
    for suffix in ["", "-wal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        assert!(
            !std::path::Path::new(&p).exists(),
            "left {p:?} at the old path"
        );
    }
    // Replaced: another database at the path is not written either.
    let other = dir.path().join("other.db");
    drop(Brigade::open(&Config::new(&other, "someone")).unwrap());
    move_db(&other, &path);
    let theirs = events_in(&path);
    let err = core
        .execute(&parse_line(r#"{"type":"OpenOrder","order_id":"o6","table":"6"}"#).unwrap())
        .unwrap_err();
    assert_eq!(err.code(), "DB_REPLACED");
    assert_eq!(events_in(&path), theirs);
    assert_eq!(events_in(&moved), before);
}
