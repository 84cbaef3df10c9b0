//! The TUI's update logic, driven the way a person drives it: `Key`s into `App::on_key`, with a
//! real `Brigade` on a temp database and no terminal. Where what is *shown* matters (hints, the
//! help overlay, escaped notes, errors inside forms) the app is drawn into a `TestBackend`.

use std::path::{Path, PathBuf};

use brigade::app::context::FixedClock;
use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::domain::order::{LineStatus, OrderCommand, OrderDecider};
use brigade::projections::OrderView;
use brigade::tui::app::{Action, App, Modal, Screen, Thresholds};
use brigade::tui::form::FormKind;
use brigade::tui::keys::{Cmd, Key};
use brigade::tui::theme::Theme;
use brigade::tui::{chrome, start_app, waiter, Start};
use chrono::{DateTime, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
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

    /// Another terminal on the same file (as another process would open it).
    fn core(&self, actor: &str) -> Brigade {
        open(&self.path, actor)
    }

    /// Runs `brigade exec`-style JSON commands through a brigade of its own.
    fn exec(&self, lines: &[&str]) {
        let mut core = self.core("script");
        for line in lines {
            if let Err(e) = core.execute(&parse_line(line).unwrap()) {
                panic!("{line}: {}: {}", e.code(), e.message());
            }
        }
    }
}

fn open(path: &Path, actor: &str) -> Brigade {
    Brigade::open_with_clock(&Config::new(path, actor), Box::new(FixedClock(t0()))).unwrap()
}

/// The app as `brigade` starts it, with the clock, theme and size pinned.
fn app(core: &mut Brigade, start: Start) -> App {
    let mut app = start_app(core, start);
    app.now = t0();
    app.theme = Theme::plain();
    app.thresholds = Thresholds::default();
    app.size = (80, 24);
    app.reload(core);
    app
}

fn keys(app: &mut App, core: &mut Brigade, keys: &[Key]) {
    for &k in keys {
        app.on_key(k, core);
    }
}

fn type_text(app: &mut App, core: &mut Brigade, text: &str) {
    for c in text.chars() {
        app.on_key(Key::Char(c), core);
    }
}

fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    app.size = (w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| chrome::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

fn text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

fn status_line(buf: &Buffer) -> String {
    row(buf, buf.area.height - 1)
}

fn offers(app: &App, key: Key) -> bool {
    app.commands().iter().any(|c| c.keys.contains(&key))
}

fn order(core: &Brigade, id: &str) -> OrderView {
    core.order_view(id).unwrap().expect("the order exists")
}

fn ticket_ids(core: &Brigade) -> Vec<String> {
    core.kitchen(None)
        .unwrap()
        .into_iter()
        .map(|t| t.ticket_id)
        .collect()
}

/// An open order `id` at `table` with one unsent margherita.
fn pending_margherita(db: &Db, id: &str, table: &str) {
    db.exec(&[
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"{table}"}}"#),
        &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"margherita"}}"#),
    ]);
}

/// Orders `ids`, each with one margherita, sent to the kitchen in that order.
fn sent_orders(db: &Db, ids: &[&str]) {
    for (n, id) in ids.iter().enumerate() {
        pending_margherita(db, id, &(n + 1).to_string());
        db.exec(&[&format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#)]);
    }
}

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

    // Backspace recalls it, selected again.
    app.on_key(Key::Backspace, &mut core);
    assert_eq!(ticket_ids(&core), ["a-t1", "b-t1", "c-t1"]);
    assert_eq!(app.kitchen.selected.as_deref(), Some("b-t1"));
    assert!(core.last_bumped(None).unwrap().is_none());
}

#[test]
fn an_error_is_shown_and_the_next_key_only_clears_it() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    db.exec(&[r#"{"type":"MarkItemUnavailable","item_id":"funghi"}"#]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // `-` on a quantity-1 line is refused, in the status line.
    keys(&mut app, &mut core, &[Key::Enter]);
    assert_eq!(app.waiter.pane, waiter::Pane::Lines);
    app.on_key(Key::Char('-'), &mut core);
    let n = app.notice.clone().expect("an error notice");
    assert!(n.error);
    let status = status_line(&render(&mut app, 80, 24));
    assert!(status.contains("Already 1"), "{status}");
    assert!(status.contains("(any key)"), "{status}");
    // The next `+` only clears the error; the one after does its job.
    app.on_key(Key::Char('+'), &mut core);
    assert!(app.notice.is_none());
    assert_eq!(order(&core, "t4").order.lines[0].quantity, 1);
    app.on_key(Key::Char('+'), &mut core);
    assert_eq!(order(&core, "t4").order.lines[0].quantity, 2);

    // Enter on an 86'd item is refused too, and nothing is added.
    app.on_key(Key::Char('/'), &mut core);
    type_text(&mut app, &mut core, "funghi");
    app.on_key(Key::Enter, &mut core);
    let n = app.notice.clone().expect("an error notice");
    assert!(n.error && n.text.contains("86"), "{n:?}");
    assert_eq!(order(&core, "t4").order.lines.len(), 1);
    let status = status_line(&render(&mut app, 80, 24));
    assert!(status.contains("Funghi is 86'd"), "{status}");
    // The key that clears it is swallowed: it is not typed into the filter.
    app.on_key(Key::Char('x'), &mut core);
    assert!(app.notice.is_none());
    assert_eq!(app.waiter.filter, "funghi");
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

/// The overlay's entries as (keys, label), read off the screen.
fn help_entries(buf: &Buffer) -> Vec<(String, String)> {
    let title = "Keys here (any key closes)";
    let (top, line) = (0..buf.area.height)
        .map(|y| (y, row(buf, y)))
        .find(|(_, l)| l.contains(title))
        .expect("the help overlay is drawn");
    let cells: Vec<String> = (0..buf.area.width)
        .map(|x| buf[(x, top)].symbol().to_string())
        .collect();
    let left = cells
        .iter()
        .position(|s| s == "┌")
        .expect("its top-left corner") as u16;
    let right = (left + 1..buf.area.width)
        .find(|&x| buf[(x, top)].symbol() == "┐")
        .expect("its top-right corner");
    assert!(line.contains(title));
    let mut entries = Vec::new();
    for y in top + 1..buf.area.height {
        if buf[(left, y)].symbol() == "└" {
            return entries;
        }
        let inner: String = (left + 1..right)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        // Each column is a right-aligned key in 14 cells, two spaces, and a 22-cell label.
        let inner: Vec<char> = inner.chars().collect();
        for column in inner.chunks(38) {
            if column.len() < 17 {
                continue;
            }
            let key: String = column[..14].iter().collect();
            let label: String = column[16..].iter().collect();
            if !key.trim().is_empty() {
                entries.push((key.trim().to_string(), label.trim().to_string()));
            }
        }
    }
    panic!("the help overlay has no bottom border on screen");
}

fn expected_help(app: &App) -> Vec<(String, String)> {
    let mut e: Vec<(String, String)> = app
        .commands()
        .iter()
        .filter(|c| c.help)
        .map(|c| (c.key_label(), c.label.to_string()))
        .collect();
    e.push(("Ctrl-C".into(), "quit, always".into()));
    // Two columns are read row by row; the overlay fills them column by column.
    if e.len() > 36 {
        let per = e.len().div_ceil(2);
        let (a, b) = e.split_at(per);
        let mut rows = Vec::new();
        for (i, x) in a.iter().enumerate() {
            rows.push(x.clone());
            if let Some(y) = b.get(i) {
                rows.push(y.clone());
            }
        }
        e = rows;
    }
    e
}

#[test]
fn help_lists_exactly_the_commands_offered() {
    let db = Db::new();
    sent_orders(&db, &["a", "b"]);
    pending_margherita(&db, "c", "3");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    let check = |app: &mut App, core: &mut Brigade, what: &str| {
        app.on_key(Key::Char('?'), core);
        assert_eq!(app.modal, Some(Modal::Help), "{what}");
        let buf = render(app, 120, 40);
        assert_eq!(help_entries(&buf), expected_help(app), "{what}");
        // Any key closes it, and does nothing else.
        let before = app.commands();
        app.on_key(Key::Char('n'), core);
        assert!(app.modal.is_none(), "{what}");
        assert_eq!(app.commands(), before, "{what}");
    };
    check(&mut app, &mut core, "waiter, orders");
    keys(&mut app, &mut core, &[Key::Down, Key::Down, Key::Enter]);
    assert_eq!(waiter::selected_order(&app).unwrap().order.order_id, "c");
    check(&mut app, &mut core, "waiter, an unsent line");
    // (While a filter is typed `?` is text: Esc ends the typing, the menu keeps the focus.)
    keys(&mut app, &mut core, &[Key::Char('m'), Key::Esc]);
    assert_eq!(app.waiter.pane, waiter::Pane::Menu);
    check(&mut app, &mut core, "waiter, menu");
    app.act(Action::Show(Screen::Kitchen), &mut core);
    check(&mut app, &mut core, "kitchen");
    app.act(Action::Show(Screen::History), &mut core);
    check(&mut app, &mut core, "history");
    app.on_key(Key::Enter, &mut core);
    check(&mut app, &mut core, "history, an order open");
}

fn hint(c: &Cmd) -> String {
    format!(" {} {} ", c.key_label(), c.label)
}

#[test]
fn status_bar_hints_are_the_commands_offered() {
    let db = Db::new();
    sent_orders(&db, &["a"]);
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"a-t1"}"#]);
    pending_margherita(&db, "b", "2");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // Walk through states, collecting every hint any of them offers.
    type Step = fn(&mut App, &mut Brigade);
    let steps: Vec<(&str, Step)> = vec![
        ("waiter orders, a ready order", |_, _| {}),
        ("waiter lines, a served-ready line", |a, c| {
            a.on_key(Key::Enter, c)
        }),
        ("waiter orders, an unsent order", |a, c| {
            keys(a, c, &[Key::Esc, Key::Down])
        }),
        ("waiter lines, an unsent line", |a, c| {
            a.on_key(Key::Enter, c)
        }),
        ("waiter menu", |a, c| a.on_key(Key::Char('m'), c)),
        ("kitchen", |a, c| a.act(Action::Show(Screen::Kitchen), c)),
        ("history", |a, c| a.act(Action::Show(Screen::History), c)),
        ("history, an order open", |a, c| a.on_key(Key::Enter, c)),
    ];
    let mut seen: Vec<(String, Vec<Cmd>)> = Vec::new();
    for (what, step) in steps {
        step(&mut app, &mut core);
        assert!(app.notice.is_none() && app.modal.is_none(), "{what}");
        let status = status_line(&render(&mut app, 200, 30));
        seen.push((status, app.commands()));
    }
    let all: Vec<Cmd> = seen
        .iter()
        .flat_map(|(_, cmds)| cmds.iter().filter(|c| c.bar).cloned())
        .collect();
    assert!(all.iter().any(|c| c.keys.contains(&Key::Char('s'))));
    assert!(all.iter().any(|c| c.keys.contains(&Key::Char('v'))));
    for (status, cmds) in &seen {
        for c in &all {
            let offered = cmds.iter().any(|o| o.bar && hint(o) == hint(c));
            assert_eq!(
                status.contains(&hint(c)),
                offered,
                "hint {:?} in {status:?}",
                hint(c)
            );
        }
        // Quiet commands are for the overlay only.
        for c in cmds.iter().filter(|c| !c.bar) {
            assert!(!status.contains(&hint(c)), "{:?} in {status:?}", hint(c));
        }
    }
}

#[test]
fn only_what_the_order_allows_is_offered() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    app.on_key(Key::Enter, &mut core);
    assert_eq!(app.waiter.pane, waiter::Pane::Lines);

    // An unsent line: change it, send it; nothing to void, serve or pay yet.
    for k in ['+', '-', 'e', 'd', 's', 'c'] {
        assert!(offers(&app, Key::Char(k)), "{k} should be offered");
    }
    for k in ['x', 'v', 'p'] {
        assert!(!offers(&app, Key::Char(k)), "{k} should not be offered");
    }
    app.on_key(Key::Char('p'), &mut core);
    app.on_key(Key::Char('x'), &mut core);
    assert!(app.modal.is_none() && app.notice.is_none());

    // Sent: it can be voided, no longer changed; still nothing to pay.
    app.on_key(Key::Char('s'), &mut core);
    assert_eq!(order(&core, "t4").order.lines[0].status, LineStatus::Sent);
    for k in ['x', 'c'] {
        assert!(offers(&app, Key::Char(k)), "{k} should be offered");
    }
    for k in ['+', '-', 'e', 'd', 's', 'v', 'p'] {
        assert!(!offers(&app, Key::Char(k)), "{k} should not be offered");
    }
    assert!(!offers(&app, Key::Delete));
    app.on_key(Key::Char('p'), &mut core);
    assert!(
        app.modal.is_none(),
        "no payment before everything is served"
    );

    // Ready at the pass: it can be served, still not paid.
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"t4-t1"}"#]);
    app.reload(&mut core);
    assert!(offers(&app, Key::Char('v')));
    assert!(!offers(&app, Key::Char('p')));
    app.on_key(Key::Char('v'), &mut core);
    assert_eq!(order(&core, "t4").order.lines[0].status, LineStatus::Served);

    // Served: now it can be paid.
    assert!(offers(&app, Key::Char('p')));
    assert!(!offers(&app, Key::Char('v')));
    app.on_key(Key::Char('p'), &mut core);
    match &app.modal {
        Some(Modal::Form(f)) => {
            assert!(matches!(f.kind, FormKind::Close { .. }));
            assert!(f.title.contains("12.00"), "{}", f.title);
        }
        other => panic!("expected the payment form, got {other:?}"),
    }
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none());
    assert_eq!(order(&core, "t4").order.status.as_str(), "closed");

    // A closed order is gone from the waiter's list, and with it every order action.
    assert!(app.data.orders.is_empty());
    for k in ['x', 'v', 'p', 's', 'c'] {
        assert!(!offers(&app, Key::Char(k)), "{k} should not be offered");
    }
}

#[test]
fn escape_sequences_in_notes_reach_no_cell() {
    let db = Db::new();
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t4","table":"4\u001b[2J"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"margherita","note":"\u001b]0;pwned\u0007"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    let note = &order(&core, "t4").order.lines[0].note;
    assert_eq!(
        note.as_deref(),
        Some("\u{1b}]0;pwned\u{7}"),
        "stored as typed"
    );

    let clean = |buf: &Buffer, what: &str| {
        for cell in &buf.content {
            assert!(
                !cell.symbol().chars().any(char::is_control),
                "{what}: a control character in {:?}",
                cell.symbol()
            );
        }
    };
    app.on_key(Key::Enter, &mut core);
    let buf = render(&mut app, 100, 30);
    clean(&buf, "waiter");
    let screen = text(&buf);
    assert!(screen.contains("^[]0;pwned^G"), "shown escaped:\n{screen}");
    assert!(screen.contains("Table 4^[[2J"), "shown escaped:\n{screen}");

    app.on_key(Key::Char('s'), &mut core);
    app.act(Action::Show(Screen::Kitchen), &mut core);
    let buf = render(&mut app, 100, 30);
    clean(&buf, "kitchen");
    assert!(text(&buf).contains("^[]0;pwned^G"), "{}", text(&buf));

    app.act(Action::Show(Screen::History), &mut core);
    app.on_key(Key::Enter, &mut core);
    let buf = render(&mut app, 160, 50);
    clean(&buf, "history");
    assert!(text(&buf).contains("pwned"), "{}", text(&buf));
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
        r#"{"type":"AddItem","order_id":"t12","item_id":"steak"}"#,
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
fn ctrl_c_quits_from_anywhere() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");

    let mut a = app(&mut core, Start::Waiter);
    a.on_key(Key::Char('n'), &mut core);
    assert!(matches!(a.modal, Some(Modal::Form(_))));
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "with a form open");

    let mut a = app(&mut core, Start::Waiter);
    a.on_key(Key::Char('?'), &mut core);
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "with the help open");

    let mut a = app(&mut core, Start::Waiter);
    keys(&mut a, &mut core, &[Key::Enter, Key::Char('-')]);
    assert!(a.notice.as_ref().is_some_and(|n| n.error));
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "with an error showing");

    let mut a = app(&mut core, Start::Waiter);
    keys(&mut a, &mut core, &[Key::Char('/'), Key::Char('q')]);
    assert!(!a.quit, "q while typing a filter is text");
    assert_eq!(a.waiter.filter, "q");
    a.on_key(Key::Ctrl('c'), &mut core);
    assert!(a.quit, "while typing a filter");
}

#[test]
fn the_void_form_keeps_its_error_inside_the_form() {
    let db = Db::new();
    sent_orders(&db, &["t4"]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    keys(&mut app, &mut core, &[Key::Enter, Key::Char('x')]);
    assert!(matches!(
        &app.modal,
        Some(Modal::Form(f)) if matches!(f.kind, FormKind::Void { .. })
    ));

    // No reason: refused, the form stays open with the error in it.
    app.on_key(Key::Enter, &mut core);
    let error = match &app.modal {
        Some(Modal::Form(f)) => f.error.clone().expect("the form shows why"),
        other => panic!("the form should stay open, got {other:?}"),
    };
    assert!(error.contains("REASON_REQUIRED"), "{error}");
    assert!(app.notice.is_none(), "not in the status line");
    assert_eq!(order(&core, "t4").order.lines[0].voided, 0);
    let buf = render(&mut app, 80, 24);
    let screen = text(&buf);
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows
        .iter()
        .position(|r| r.contains("Void Margherita"))
        .unwrap();
    let bottom = rows
        .iter()
        .position(|r| r.contains("Enter ok · Esc cancel"))
        .unwrap();
    assert!(
        rows[top..bottom]
            .iter()
            .any(|r| r.contains("REASON_REQUIRED")),
        "the error is drawn inside the form:\n{screen}"
    );
    assert!(!status_line(&buf).contains("REASON_REQUIRED"));

    // With a reason it goes through and the form closes.
    app.on_key(Key::Tab, &mut core);
    type_text(&mut app, &mut core, "burnt");
    app.on_key(Key::Enter, &mut core);
    assert!(app.modal.is_none());
    let line = &order(&core, "t4").order.lines[0];
    assert_eq!((line.voided, line.status), (1, LineStatus::Voided));
    assert!(app.notice.as_ref().is_some_and(|n| !n.error));
}

/// The waiter's screen on a new order for table 4, the menu ready to filter.
fn new_order_at_menu(core: &mut Brigade) -> (App, String) {
    let mut a = app(core, Start::Waiter);
    a.on_key(Key::Char('n'), core);
    type_text(&mut a, core, "4");
    a.on_key(Key::Enter, core);
    assert!(waiter::typing_filter(&a));
    let id = a
        .waiter
        .order_id
        .clone()
        .expect("the new order is selected");
    (a, id)
}

fn item_ids(core: &Brigade, id: &str) -> Vec<String> {
    order(core, id)
        .order
        .lines
        .iter()
        .map(|l| l.item_id.clone())
        .collect()
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
    app.on_key(Key::Enter, &mut core);
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
fn while_a_dialog_is_open_the_hint_bar_shows_its_keys() {
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    keys(&mut app, &mut core, &[Key::Enter, Key::Char('e')]);
    let bar = status_line(&render(&mut app, 80, 24));
    assert!(bar.contains("Enter ok"), "{bar}");
    assert!(bar.contains("Esc cancel"), "{bar}");
    assert!(
        !bar.contains("send"),
        "the screen's keys are not offered: {bar}"
    );
    assert!(!offers(&app, Key::Char('s')));
    app.on_key(Key::Esc, &mut core);
    let bar = status_line(&render(&mut app, 80, 24));
    assert!(bar.contains("send"), "{bar}");
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
    assert!(fries.contains("│1 "), "{screen}");
    assert!(cola.contains("│2 "), "{screen}");
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
    app.on_key(Key::Esc, &mut core); // clears the refusal
    app.on_key(Key::Down, &mut core);
    app.on_key(Key::Char('d'), &mut core);
    app.on_key(Key::Char('d'), &mut core);
    let screen = text(&render(&mut app, 80, 24));
    assert!(!screen.contains("86'd!"), "{screen}");
    app.on_key(Key::Char('s'), &mut core);
    assert_eq!(order(&core, "t5").order.tickets.len(), 1);
}

/// What the domain says to `command` on order `id` as the database has it now.
fn domain_allows(core: &mut Brigade, id: &str, command: OrderCommand) -> Result<(), String> {
    use brigade::domain::Decider;
    let order = order(core, id).order;
    let menu = core.menu().unwrap();
    OrderDecider::decide(&order, &command, &menu)
        .map(|_| ())
        .map_err(|r| r.code.to_string())
}

#[test]
fn a_key_is_offered_exactly_when_the_domain_would_accept_its_command() {
    let db = Db::new();
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t1","table":"1"}"#,
        r#"{"type":"AddItem","order_id":"t1","item_id":"margherita"}"#,
        r#"{"type":"AddItem","order_id":"t1","item_id":"funghi","note":"extra"}"#,
    ]);
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);
    app.on_key(Key::Enter, &mut core);
    let r = || Some("r".to_string());
    let check = |app: &mut App, core: &mut Brigade, stage: &str| {
        app.reload(core);
        let lines = order(core, "t1").order.lines;
        for (i, line) in lines.iter().enumerate() {
            app.waiter.line = i;
            let id = || line.line_id.clone();
            let other_note = if line.note.is_some() { None } else { r() };
            let cases = [
                (
                    '+',
                    OrderCommand::ChangeItemQuantity {
                        line_id: id(),
                        quantity: line.quantity as i64 + 1,
                    },
                ),
                ('d', OrderCommand::RemoveItem { line_id: id() }),
                (
                    'e',
                    OrderCommand::ChangeItemNote {
                        line_id: id(),
                        note: other_note,
                    },
                ),
                (
                    'x',
                    OrderCommand::VoidItem {
                        line_id: id(),
                        quantity: None,
                        reason: r(),
                    },
                ),
                ('s', OrderCommand::PlaceOrder),
                ('v', OrderCommand::ServeTicket { ticket_id: None }),
                ('p', OrderCommand::CloseOrder { payment: None }),
                ('c', OrderCommand::CancelOrder { reason: r() }),
            ];
            for (key, command) in cases {
                let answer = domain_allows(core, "t1", command);
                // Send stays offered when only an 86'd item stops it: the key shows why.
                let expected = answer.is_ok()
                    || (key == 's' && answer.as_ref().is_err_and(|c| c == "ITEM_UNAVAILABLE"));
                assert_eq!(
                    offers(app, Key::Char(key)),
                    expected,
                    "{stage}, line {}: {key} (the domain says {answer:?})",
                    i + 1
                );
            }
        }
    };
    check(&mut app, &mut core, "two unsent lines");
    // At the most a line may hold, `+` is refused by the domain, so not offered.
    db.exec(&[r#"{"type":"ChangeItemQuantity","order_id":"t1","line_id":"l2","quantity":99}"#]);
    check(&mut app, &mut core, "99 margheritas");
    db.exec(&[r#"{"type":"MarkItemUnavailable","item_id":"funghi"}"#]);
    check(&mut app, &mut core, "funghi 86'd");
    db.exec(&[
        r#"{"type":"MarkItemAvailable","item_id":"funghi"}"#,
        r#"{"type":"PlaceOrder","order_id":"t1"}"#,
    ]);
    check(&mut app, &mut core, "sent");
    db.exec(&[r#"{"type":"VoidItem","order_id":"t1","line_id":"l3","reason":"burnt"}"#]);
    check(&mut app, &mut core, "funghi voided");
    db.exec(&[r#"{"type":"BumpTicket","ticket_id":"t1-t1"}"#]);
    check(&mut app, &mut core, "ready");
    db.exec(&[r#"{"type":"ServeTicket","order_id":"t1"}"#]);
    check(&mut app, &mut core, "served");

    // The kitchen: start and bump are the domain's answers for the picked ticket, a cancelled
    // order's ticket included (it can be cleared, not started).
    db.exec(&[
        r#"{"type":"OpenOrder","order_id":"t2","table":"2"}"#,
        r#"{"type":"AddItem","order_id":"t2","item_id":"margherita"}"#,
        r#"{"type":"PlaceOrder","order_id":"t2"}"#,
        r#"{"type":"OpenOrder","order_id":"t3","table":"3"}"#,
        r#"{"type":"AddItem","order_id":"t3","item_id":"margherita"}"#,
        r#"{"type":"PlaceOrder","order_id":"t3"}"#,
        r#"{"type":"StartTicket","ticket_id":"t3-t1"}"#,
        r#"{"type":"OpenOrder","order_id":"t4","table":"4"}"#,
        r#"{"type":"AddItem","order_id":"t4","item_id":"margherita"}"#,
        r#"{"type":"PlaceOrder","order_id":"t4"}"#,
        r#"{"type":"CancelOrder","order_id":"t4","reason":"left"}"#,
    ]);
    app.on_key(Key::F(2), &mut core);
    app.reload(&mut core);
    for (slot, order_id) in [('1', "t2"), ('2', "t3"), ('3', "t4")] {
        app.on_key(Key::Char(slot), &mut core);
        let ticket = format!("{order_id}-t1");
        assert_eq!(app.kitchen.selected.as_deref(), Some(ticket.as_str()));
        let start = domain_allows(
            &mut core,
            order_id,
            OrderCommand::StartTicket {
                ticket_id: ticket.clone(),
            },
        );
        let bump = domain_allows(
            &mut core,
            order_id,
            OrderCommand::BumpTicket {
                ticket_id: ticket.clone(),
            },
        );
        assert_eq!(
            offers(&app, Key::Char(' ')),
            start.is_ok(),
            "{ticket}: start {start:?}"
        );
        assert_eq!(
            offers(&app, Key::Enter),
            bump.is_ok(),
            "{ticket}: bump {bump:?}"
        );
    }
}

#[test]
fn keys_change_the_screen_at_once_and_hand_database_work_back_as_effects() {
    use brigade::app::request::AppCommand;
    use brigade::tui::effect::Effect;
    let db = Db::new();
    pending_margherita(&db, "t4", "4");
    let mut core = db.core("maria");
    let mut app = app(&mut core, Start::Waiter);

    // Moving, help and dialogs need no database: no effects, the state changes at once.
    assert!(app.update(Key::Enter).is_empty());
    assert_eq!(app.waiter.pane, waiter::Pane::Lines);
    assert!(app.update(Key::Char('?')).is_empty());
    assert!(matches!(app.modal, Some(Modal::Help)));
    assert!(app.update(Key::Esc).is_empty());
    assert!(app.update(Key::Char('e')).is_empty());
    assert!(matches!(app.modal, Some(Modal::Form(_))));
    assert!(app.update(Key::Esc).is_empty());

    // Sending is an effect: nothing is written until it is served.
    let effects = app.update(Key::Char('s'));
    match effects.as_slice() {
        [Effect::Execute { request, .. }] => assert!(
            matches!(
                &request.command,
                AppCommand::Order {
                    command: OrderCommand::PlaceOrder,
                    ..
                }
            ),
            "{request:?}"
        ),
        other => panic!("expected one Execute, got {other:?}"),
    }
    assert!(order(&core, "t4").order.tickets.is_empty());
    app.run_effects(effects, &mut core);
    assert_eq!(order(&core, "t4").order.tickets.len(), 1);
    assert!(app
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("t4-t1")));

    // The kitchen's recall and the history's list are effects too.
    let effects = app.update(Key::F(2));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(
        app.update(Key::Backspace).as_slice(),
        [Effect::Recall { .. }]
    ));
    assert!(matches!(app.update(Key::F(3)).as_slice(), [Effect::Reload]));
    assert_eq!(app.screen, Screen::History);
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
