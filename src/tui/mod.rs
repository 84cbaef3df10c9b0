//! The terminal UI: the waiter's screen, the kitchen screen and the audit trail, live across
//! processes.
//!
//! One tokio event loop reads terminal input, updates the app state and draws; it never waits
//! for the database. A key becomes a state change at once plus [`effect::Effect`]s (what it asks
//! of the database); a worker thread ([`worker`]) owns the [`crate::app::Brigade`], serves the
//! effects, polls the database's change counter (a burst of changes becomes one reload) and
//! sends back [`effect::Msg`]s that update the state. The screens ask the domain what they may
//! offer ([`allowed`]). Nothing here talks SQL.

pub mod allowed;
pub mod app;
pub mod chrome;
pub mod component;
pub mod effect;
pub mod form;
pub mod history;
pub mod keys;
pub mod kitchen;
pub mod liveness;
pub mod paste;
pub mod settings;
pub mod terminal;
pub mod theme;
pub mod waiter;
pub mod worker;

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures_util::StreamExt;

use crate::app::AppError;
use crate::app::Brigade;
use app::{App, Screen};

/// Which screen a `brigade` process opens on.
pub enum Start {
    Waiter,
    Kitchen { station: Option<String> },
    History { order_id: Option<String> },
}

/// How often the database's change counter is read. The read costs microseconds; the wake-up
/// around it costs most of an idle screen's CPU, so 20 ms: a change is on screen ~10 ms after
/// its commit on average, and an idle screen uses about half a percent of a core.
pub const POLL: Duration = Duration::from_millis(20);

/// Runs the screens on `core` from `start`; `started` is called once the first read is done
/// and the screen is about to show (from then on the screen watches the database itself).
pub fn run(mut core: Brigade, start: Start, started: impl FnOnce()) -> Result<i32, AppError> {
    let thresholds = settings::thresholds((!core.is_postgres()).then(|| core.path()))?;
    // The database is touched here, before the async runtime starts, and then only on the
    // worker thread: a PostgreSQL client must never run (or be dropped) inside the runtime.
    // A screen must not freeze behind a lock held for long: one call waits a second at most
    // before it says the database cannot be read (and tries again on the next tick).
    let _ = core.set_busy_timeout(Duration::from_secs(1));
    let mut app = start_app(&mut core, start);
    app.thresholds = thresholds;
    let front = worker::Front::spawn(core, app);
    started();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| AppError::invalid("TUI_FAILED", e.to_string()))?;
    runtime
        .block_on(event_loop(front))
        .map_err(|e| AppError::invalid("TUI_FAILED", format!("terminal: {e}")))
}

/// Builds the app state for a start screen and loads its data.
pub fn start_app(core: &mut Brigade, start: Start) -> App {
    let screen = match start {
        Start::Waiter => Screen::Waiter,
        Start::Kitchen { .. } => Screen::Kitchen,
        Start::History { .. } => Screen::History,
    };
    let mut app = App::new(screen, core.actor(), Utc::now());
    if let Start::Kitchen { station } = &start {
        app.kitchen.station = station.clone();
    }
    app.reload(core);
    if let Start::History { order_id: Some(id) } = &start {
        let mut fx = Vec::new();
        history::open_order(id, &mut fx);
        app.run_effects(fx, core);
    }
    app
}

async fn event_loop(mut front: worker::Front) -> std::io::Result<i32> {
    let mut guard = terminal::TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    front.size(size.width, size.height);
    let mut input = EventStream::new();
    // Redraws the waiting state and the ages even when nothing else happens.
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = true;
    let mut was_waiting = false;
    let mut last_second = std::time::Instant::now();
    // For the cold-start benchmark: quit as soon as the first frame is on screen. For the test
    // that the terminal survives a crash: panic there instead.
    let exit_after_first_frame = std::env::var_os("BRIGADE_EXIT_AFTER_FIRST_FRAME").is_some();
    let panic_after_first_frame = std::env::var_os("BRIGADE_PANIC_AFTER_FIRST_FRAME").is_some();
    loop {
        if front.quit() {
            return Ok(0);
        }
        if dirty {
            let size = guard.terminal.size()?;
            front.size(size.width, size.height);
            let view = front.view();
            guard.terminal.draw(|f| chrome::draw(f, &view))?;
            dirty = false;
            if exit_after_first_frame {
                return Ok(0);
            }
            if panic_after_first_frame {
                panic!("a deliberate crash (BRIGADE_PANIC_AFTER_FIRST_FRAME)");
            }
        }
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => {
                    if let Some(key) = keys::Key::from_event(&k) {
                        front.key(key);
                        dirty = true;
                    }
                }
                Some(Ok(Event::Mouse(m))) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
                    front.click(m.column, m.row);
                    dirty = true;
                }
                Some(Ok(Event::Paste(text))) => {
                    front.paste(text);
                    dirty = true;
                }
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            },
            reply = front.next_reply() => match reply {
                Some(reply) => {
                    front.accept(reply);
                    front.drain();
                    dirty = true;
                }
                // The worker is gone (it panicked): nothing more can be shown.
                None => return Ok(1),
            },
            _ = tick.tick() => {
                // The waiting state appears (and goes) without a key press; the clock and the
                // tickets' ages move every second, and information notices fade.
                let waiting = front.waiting();
                dirty |= waiting != was_waiting;
                was_waiting = waiting;
                if last_second.elapsed() >= Duration::from_secs(1) {
                    last_second = std::time::Instant::now();
                    front.tick();
                    dirty = true;
                }
            }
        }
    }
}

/// A left click, done here and now (tests): see [`click`].
pub fn on_click(app: &mut App, core: &mut Brigade, x: u16, y: u16) {
    let effects = click(app, x, y);
    app.run_effects(effects, core);
}

/// A left click: close a modal, or select what is under the pointer. What it asks of the
/// database is returned as effects.
pub fn click(app: &mut App, x: u16, y: u16) -> Vec<effect::Effect> {
    let mut fx = Vec::new();
    // Like a key, a click clears an error notice and does nothing else.
    if app.notice.as_ref().is_some_and(|n| n.error) {
        app.notice = None;
        return fx;
    }
    if app.modal.is_some() || app.too_small() {
        return fx;
    }
    let area = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
    if y == 0 {
        // The title bar: the screen names.
        let screen = match x {
            9..=19 => Some(Screen::Waiter),
            20..=31 => Some(Screen::Kitchen),
            32..=43 => Some(Screen::History),
            _ => None,
        };
        if let Some(s) = screen {
            app.perform(app::Action::Show(s), &mut fx);
        }
        return fx;
    }
    let body = chrome::body_area(area, app);
    component::of(app.screen).click(app, body, x, y);
    fx
}
