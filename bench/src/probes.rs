//! The parts of the benchmarks that run in a process of their own
//! (`brigade-bench probe …`), and the small measuring helpers they share.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::figures::Figure;
use brigade::app::{AppError, Brigade};
use brigade::domain::order::{OrderKind, TicketStatus};
use brigade::projections::{TicketLine, TicketView};
use brigade::tui::{self, app::App, app::Screen, Start};

/// Wall-clock nanoseconds (comparable across processes on one machine).
pub fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// User + system CPU seconds a process (and its children's live threads) has used, from /proc.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    let mut total = (utime + stime) / 100.0;
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok();
    for child in children.iter().flat_map(|c| c.split_whitespace()) {
        if let Some(c) = child.parse().ok().and_then(cpu_seconds) {
            total += c;
        }
    }
    Some(total)
}

/// This process's peak resident memory in MB (Linux: VmHWM).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `brigade-bench probe watch`: follows the database as a screen does — the screen's own
/// worker thread (polling for other terminals' changes, reloading the screen's data) and a UI
/// loop drawing each reply — printing `ui <ns>` each time a change is on screen. With `bare`,
/// the floor: on SQLite a plain thread polling `PRAGMA data_version` every millisecond, on
/// PostgreSQL a plain connection blocked in `LISTEN`; printing `bare <ns>`.
pub fn watch(mut core: Brigade, db: &Path, bare: bool) -> Result<(), AppError> {
    use std::io::Write;
    let say = |kind: &str| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{kind} {}", now_ns());
        let _ = out.flush();
    };
    let bench_err = |e: String| AppError::invalid("BENCH_FAILED", e);
    match (
        bare,
        db.to_str().filter(|d| brigade::store::postgres::is_url(d)),
    ) {
        (true, Some(url)) => {
            use brigade::store::postgres::raw_client;
            let mut client = raw_client(url)?;
            client
                .batch_execute(&format!("LISTEN {}", brigade::store::postgres::CHANNEL))
                .map_err(|e| bench_err(e.to_string()))?;
            say("ready");
            loop {
                use postgres::fallible_iterator::FallibleIterator;
                let next = client.notifications().blocking_iter().next();
                if next.map_err(|e| bench_err(e.to_string()))?.is_some() {
                    say("bare");
                }
            }
        }
        (true, None) => {
            let mut watcher = core.watcher()?;
            say("ready");
            loop {
                std::thread::sleep(Duration::from_millis(1));
                if watcher.changed()? {
                    say("bare");
                }
            }
        }
        (false, _) => {
            let app = tui::start_app(&mut core, Start::Kitchen { station: None });
            let mut front = tui::worker::Front::spawn(core, app);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
            // As the screens' UI loop does: wait on the worker's replies, draw each one.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .map_err(|e| bench_err(e.to_string()))?;
            say("ready");
            runtime.block_on(async {
                while let Some(reply) = front.next_reply().await {
                    front.accept(reply);
                    let view = front.view();
                    terminal
                        .draw(|f| tui::chrome::draw(f, &view))
                        .expect("draw");
                    say("ui");
                }
            });
            Ok(())
        }
    }
}

/// `brigade-bench probe memory`: opens the database as a UI process does, draws the kitchen and the
/// history screens at 200×60, and prints the peak resident memory in MB. With `floor`, only
/// opens the file with rusqlite and reads the kitchen's rows.
pub fn memory(path: &Path, core: Option<Brigade>) -> Result<f64, AppError> {
    match core {
        None => {
            crate::floor::open_and_read_kitchen(path)
                .map_err(|e| AppError::invalid("BENCH_FAILED", e.to_string()))?;
        }
        Some(mut core) => {
            let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
            let mut app = tui::start_app(&mut core, Start::Kitchen { station: None });
            terminal.draw(|f| tui::chrome::draw(f, &app)).expect("draw");
            app.act(tui::app::Action::Show(Screen::History), &mut core);
            app.act(tui::app::Action::Right, &mut core);
            terminal.draw(|f| tui::chrome::draw(f, &app)).expect("draw");
        }
    }
    peak_memory_mb().ok_or_else(|| AppError::invalid("BENCH_FAILED", "no /proc/self/status"))
}

/// Synthetic open tickets, as varied as a busy kitchen's.
pub fn tickets(n: usize) -> Vec<TicketView> {
    tickets_of(n, false)
}

/// Like [`tickets`], with seats and modifiers on most lines (a steak's temperature and sauce, a
/// burger's extras), as a Friday night's tickets carry them.
pub fn tickets_with_modifiers(n: usize) -> Vec<TicketView> {
    tickets_of(n, true)
}

fn modifier(group: &str, name: &str) -> brigade::domain::menu::ChosenModifier {
    brigade::domain::menu::ChosenModifier {
        group_id: group.to_lowercase(),
        group_name: group.into(),
        option_id: name.to_lowercase().replace(' ', "-"),
        name: name.into(),
        price_cents: 0,
        allergens: Vec::new(),
    }
}

fn tickets_of(n: usize, modifiers: bool) -> Vec<TicketView> {
    let sent = Utc.with_ymd_and_hms(2026, 11, 27, 19, 0, 0).unwrap();
    let names = [
        "Margherita",
        "House Burger",
        "Caesar Salad",
        "Lemonade",
        "Tiramisu",
        "Sirloin Steak",
    ];
    (0..n)
        .map(|i| TicketView {
            ticket_id: format!("o{i}-t1"),
            order_id: format!("o{i}"),
            number: 1 + (i % 5 == 4) as u32,
            station: "kitchen".into(),
            course: if modifiers { 1 + (i % 3) as u32 } else { 0 },
            fired_at: Some(sent + chrono::Duration::seconds(i as i64 * 7)),
            fired_position: i as i64,
            rush: modifiers && i % 11 == 0,
            add_on: i % 5 == 4,
            table: Some(format!("{}", 1 + i % 40)),
            label: format!("Table {}", 1 + i % 40),
            kind: OrderKind::DineIn,
            covers: Some(2),
            server: "ana".into(),
            status: if i % 3 == 0 {
                TicketStatus::InProgress
            } else {
                TicketStatus::New
            },
            sent_at: sent + chrono::Duration::seconds(i as i64 * 7),
            started_at: None,
            ready_at: None,
            sent_position: i as i64,
            ready_position: None,
            lines: (0..1 + i % 5)
                .map(|j| TicketLine {
                    line_id: format!("l{j}"),
                    item_id: names[(i + j) % names.len()].to_lowercase(),
                    name: names[(i + j) % names.len()].into(),
                    station: if j % 4 == 3 { "bar" } else { "kitchen" }.into(),
                    quantity: 1 + (j % 3) as u32,
                    voided: (i % 7 == 0 && j == 0) as u32,
                    note: (j % 3 == 1).then(|| "no onions, allergy".to_string()),
                    allergens: if modifiers && j % 2 == 0 {
                        vec!["milk".into(), "egg".into()]
                    } else {
                        Vec::new()
                    },
                    void_reasons: Vec::new(),
                    seat: if modifiers { 1 + (j % 4) as u32 } else { 0 },
                    modifiers: if modifiers && j % 3 != 2 {
                        vec![
                            modifier("Temperature", "Medium rare"),
                            modifier("Sauce", "Peppercorn sauce"),
                            modifier("Extras", "No onions"),
                        ][..1 + (i + j) % 3]
                            .to_vec()
                    } else {
                        Vec::new()
                    },
                    changes: Vec::new(),
                })
                .collect(),
            changed: i % 7 == 0,
            cancelled: false,
            cancel_reason: None,
            void: false,
        })
        .collect()
}

/// Milliseconds per frame of the kitchen screen with `n` open tickets at `w`×`h`, beside a
/// floor of a plain paragraph covering the same screen.
pub fn render_kitchen(n: usize, w: u16, h: u16, frames: u32) -> Figure {
    render_tickets(tickets(n), "", w, h, frames)
}

/// Like [`render_kitchen`], the tickets with seats, options, courses and rushes.
pub fn render_kitchen_modifiers(n: usize, w: u16, h: u16, frames: u32) -> Figure {
    render_tickets(
        tickets_with_modifiers(n),
        " with seats and modifiers",
        w,
        h,
        frames,
    )
}

fn render_tickets(tickets: Vec<TicketView>, what: &str, w: u16, h: u16, frames: u32) -> Figure {
    let n = tickets.len();
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 19, 30, 0).unwrap();
    let mut app = App::new(Screen::Kitchen, "bench", now);
    app.data.tickets = tickets;
    app.size = (w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    // Every frame is drawn from scratch, as after a change.
    let time = |terminal: &mut Terminal<TestBackend>, f: &mut dyn FnMut(&mut ratatui::Frame)| {
        let mut samples = Vec::new();
        for _ in 0..frames {
            terminal.clear().expect("clear");
            let start = Instant::now();
            terminal.draw(|frame| f(frame)).expect("draw");
            samples.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        crate::figures::median(samples)
    };
    let value = time(&mut terminal, &mut |frame| tui::chrome::draw(frame, &app));
    let text = "x".repeat(w as usize * h as usize);
    let floor = time(&mut terminal, &mut |frame| {
        frame.render_widget(
            ratatui::widgets::Paragraph::new(text.as_str())
                .wrap(ratatui::widgets::Wrap { trim: false }),
            frame.area(),
        )
    });
    Figure {
        name: format!("render the kitchen screen, {n} open tickets{what} at {w}×{h}: per frame"),
        size: n as u64,
        value,
        floor: Some(floor),
        unit: "ms",
        higher_is_better: false,
        target: "< 2 ms",
    }
}
