//! Database work off the UI loop, so that the screens never freeze.
//!
//! One worker thread owns the [`Brigade`] and the authoritative [`App`]: it applies keys and
//! clicks (which may read or write the database), follows other terminals' changes and ticks
//! the clock, and after each round sends a copy of the `App` back to draw. The UI loop
//! ([`Front`]) only reads the terminal and draws the newest copy. While a request has been
//! unanswered for longer than [`WAITING_AFTER`] (a `rebuild` holding the write lock, say), the
//! screen says "waiting for the database…" and counts the keys typed meanwhile (they are
//! applied in order once the database answers); Ctrl-C quits at once, whatever the worker is
//! waiting for.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::app::{App, Notice};
use super::keys::Key;
use super::POLL;
use crate::app::Brigade;

/// How long a request may go unanswered before the screen says it is waiting.
pub const WAITING_AFTER: Duration = Duration::from_millis(300);

/// What the UI asks of the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Key(Key),
    Click(u16, u16),
    /// A bracketed paste: text for the field being edited, never keys.
    Paste(String),
    /// The terminal's size changed (for paging and layout-dependent clicks).
    Size(u16, u16),
}

/// The UI side: the newest state from the worker, and what is still unanswered.
pub struct Front {
    jobs: mpsc::Sender<Job>,
    replies: tokio::sync::mpsc::UnboundedReceiver<Reply>,
    view: App,
    /// Jobs sent and not yet answered.
    sent: u64,
    answered: u64,
    /// When the oldest unanswered job was sent.
    since: Option<Instant>,
    /// Ctrl-C: quit now, whatever the worker is doing.
    quit: bool,
}

/// The worker's state after it has handled `answered` jobs.
pub struct Reply {
    app: App,
    answered: u64,
}

impl Front {
    /// Starts the worker thread with the core and the app state it loaded.
    pub fn spawn(core: Brigade, app: App) -> Front {
        let (jobs, inbox) = mpsc::channel();
        let (outbox, replies) = tokio::sync::mpsc::unbounded_channel();
        let view = app.clone();
        std::thread::Builder::new()
            .name("brigade-db".into())
            .spawn(move || work(core, app, inbox, outbox))
            .expect("a thread can be started");
        Front {
            jobs,
            replies,
            view,
            sent: 0,
            answered: 0,
            since: None,
            quit: false,
        }
    }

    /// Sends a key to the worker; Ctrl-C quits here and now.
    pub fn key(&mut self, key: Key) {
        if key == Key::Ctrl('c') {
            self.quit = true;
            return;
        }
        self.send(Job::Key(key));
    }

    pub fn click(&mut self, x: u16, y: u16) {
        self.send(Job::Click(x, y));
    }

    pub fn paste(&mut self, text: String) {
        self.send(Job::Paste(text));
    }

    pub fn size(&mut self, width: u16, height: u16) {
        if self.view.size != (width, height) {
            self.view.size = (width, height);
            self.send(Job::Size(width, height));
        }
    }

    fn send(&mut self, job: Job) {
        if self.jobs.send(job).is_ok() {
            self.sent += 1;
            self.since.get_or_insert_with(Instant::now);
        }
    }

    /// Takes in a reply from the worker (see [`Front::next_reply`]).
    pub fn accept(&mut self, reply: Reply) {
        let size = self.view.size;
        self.view = reply.app;
        self.view.size = size;
        self.answered = reply.answered;
        self.since = if self.answered >= self.sent {
            None
        } else {
            Some(Instant::now())
        };
    }

    /// Waits for the worker's next reply (None: the worker is gone).
    pub async fn next_reply(&mut self) -> Option<Reply> {
        self.replies.recv().await
    }

    /// Takes every reply already waiting, without blocking; true if there was one.
    pub fn drain(&mut self) -> bool {
        let mut any = false;
        while let Ok(reply) = self.replies.try_recv() {
            self.accept(reply);
            any = true;
        }
        any
    }

    /// True while a request has been unanswered for longer than [`WAITING_AFTER`].
    pub fn waiting(&self) -> bool {
        self.since.is_some_and(|t| t.elapsed() >= WAITING_AFTER)
    }

    /// Whether the screen should close.
    pub fn quit(&self) -> bool {
        self.quit || self.view.quit
    }

    /// What to draw now: the worker's newest state, with the waiting state in the status line.
    pub fn view(&self) -> App {
        let mut app = self.view.clone();
        app.now = Utc::now();
        if self.waiting() {
            let queued = self.sent - self.answered;
            let text = format!(
                "waiting for the database… ({queued} key{} not applied yet; Ctrl-C quits)",
                if queued == 1 { "" } else { "s" }
            );
            app.notice = Some(Notice { text, error: false });
            app.notice_at = app.now;
        }
        app
    }
}

/// The worker: applies jobs, polls for other terminals' changes and ticks, and replies with
/// the state after each round.
fn work(
    mut core: Brigade,
    mut app: App,
    inbox: mpsc::Receiver<Job>,
    outbox: tokio::sync::mpsc::UnboundedSender<Reply>,
) {
    let mut watcher = core.watcher().ok();
    let mut answered = 0u64;
    let mut last_tick = Instant::now();
    loop {
        let mut changed = false;
        match inbox.recv_timeout(POLL) {
            Ok(job) => {
                apply(&mut app, &mut core, job);
                answered += 1;
                // Everything already queued is applied before the next reply.
                while let Ok(job) = inbox.try_recv() {
                    apply(&mut app, &mut core, job);
                    answered += 1;
                }
                changed = true;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            app.now = Utc::now();
            app.expire_notice();
            // A database that went away, was replaced or came back is noticed; a watcher is
            // only opened on the original file (and never creates one).
            if app.db_error.is_some() || core.check_file().is_err() {
                app.reload(&mut core);
                watcher = match core.check_file() {
                    Ok(()) => core.watcher().ok(),
                    Err(_) => None,
                };
            }
            changed = true;
        }
        if let Some(Ok(true)) = watcher.as_mut().map(|w| w.changed()) {
            app.reload(&mut core);
            changed = true;
        }
        if changed {
            app.now = Utc::now();
            let reply = Reply {
                app: app.clone(),
                answered,
            };
            if outbox.send(reply).is_err() {
                return;
            }
        }
    }
}

fn apply(app: &mut App, core: &mut Brigade, job: Job) {
    app.now = Utc::now();
    match job {
        Job::Key(key) => app.on_key(key, core),
        Job::Click(x, y) => super::on_click(app, core, x, y),
        Job::Paste(text) => super::paste::on_paste(app, &text),
        Job::Size(w, h) => app.size = (w, h),
    }
}
