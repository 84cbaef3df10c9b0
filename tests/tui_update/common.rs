//! What the update tests share: a temp database, the app as `brigade` starts it (clock, theme
//! and size pinned), typing keys, drawing into a `TestBackend` and reading it back, and a few
//! orders set up by script.

use std::path::{Path, PathBuf};

use brigade::app::context::FixedClock;
use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::domain::order::{OrderCommand, OrderDecider};
use brigade::projections::OrderView;
use brigade::tui::app::{App, Thresholds};
use brigade::tui::keys::{Cmd, Key};
use brigade::tui::theme::Theme;
use brigade::tui::{chrome, start_app, waiter, Start};
use chrono::{DateTime, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use tempfile::TempDir;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 18, 0, 0).unwrap()
}

pub struct Db {
    pub _dir: TempDir,
    pub path: PathBuf,
}

impl Db {
    pub fn new() -> Db {
        let dir = TempDir::new().unwrap();
        Db {
            path: dir.path().join("brigade.db"),
            _dir: dir,
        }
    }

    /// Another terminal on the same file (as another process would open it).
    pub fn core(&self, actor: &str) -> Brigade {
        open(&self.path, actor)
    }

    /// Runs `brigade exec`-style JSON commands through a brigade of its own.
    pub fn exec(&self, lines: &[&str]) {
        let mut core = self.core("script");
        for line in lines {
            if let Err(e) = core.execute(&parse_line(line).unwrap()) {
                panic!("{line}: {}: {}", e.code(), e.message());
            }
        }
    }
}

pub fn open(path: &Path, actor: &str) -> Brigade {
    Brigade::open_with_clock(&Config::new(path, actor), Box::new(FixedClock(t0()))).unwrap()
}

/// The app as `brigade` starts it, with the clock, theme and size pinned.
pub fn app(core: &mut Brigade, start: Start) -> App {
    let mut app = start_app(core, start);
    app.now = t0();
    app.theme = Theme::plain();
    app.thresholds = Thresholds::default();
    app.size = (80, 24);
    app.reload(core);
    app
}

pub fn keys(app: &mut App, core: &mut Brigade, keys: &[Key]) {
    for &k in keys {
        app.on_key(k, core);
    }
}

pub fn type_text(app: &mut App, core: &mut Brigade, text: &str) {
    for c in text.chars() {
        app.on_key(Key::Char(c), core);
    }
}

pub fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    app.size = (w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| chrome::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

pub fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

pub fn text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn status_line(buf: &Buffer) -> String {
    row(buf, buf.area.height - 1)
}

pub fn offers(app: &App, key: Key) -> bool {
    app.commands().iter().any(|c| c.keys.contains(&key))
}

pub fn order(core: &Brigade, id: &str) -> OrderView {
    core.order_view(id).unwrap().expect("the order exists")
}

pub fn ticket_ids(core: &Brigade) -> Vec<String> {
    core.kitchen(None)
        .unwrap()
        .into_iter()
        .map(|t| t.ticket_id)
        .collect()
}

/// An open order `id` at `table` with one unsent margherita.
pub fn pending_margherita(db: &Db, id: &str, table: &str) {
    db.exec(&[
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"{table}"}}"#),
        &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"margherita"}}"#),
    ]);
}

/// Orders `ids`, each with one margherita, sent to the kitchen in that order.
pub fn sent_orders(db: &Db, ids: &[&str]) {
    for (n, id) in ids.iter().enumerate() {
        pending_margherita(db, id, &(n + 1).to_string());
        db.exec(&[&format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#)]);
    }
}

/// The overlay's entries as (keys, label), read off the screen.
pub fn help_entries(buf: &Buffer) -> Vec<(String, String)> {
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

pub fn expected_help(app: &App) -> Vec<(String, String)> {
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

pub fn hint(c: &Cmd) -> String {
    format!(" {} {} ", c.key_label(), c.label)
}

/// The waiter's screen on a new order for table 4, the menu ready to filter.
pub fn new_order_at_menu(core: &mut Brigade) -> (App, String) {
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

pub fn item_ids(core: &Brigade, id: &str) -> Vec<String> {
    order(core, id)
        .order
        .lines
        .iter()
        .map(|l| l.item_id.clone())
        .collect()
}

/// What the domain says to `command` on order `id` as the database has it now.
pub fn domain_allows(core: &mut Brigade, id: &str, command: OrderCommand) -> Result<(), String> {
    use brigade::domain::Decider;
    let order = order(core, id).order;
    let menu = core.menu().unwrap();
    OrderDecider::decide(&order, &command, &menu)
        .map(|_| ())
        .map_err(|r| r.code.to_string())
}
