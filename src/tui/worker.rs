//! Database work off the UI loop, so that the screens never freeze.
//!
//! The UI thread ([`Front`]) owns the [`App`]: keys, clicks and pastes change it at once
//! ([`App::update`]), so moving, help, dialogs and filters answer even while the database is
//! locked. What they ask of the database ([`Effect`]s) goes to one worker thread, which owns the
//! [`Brigade`], serves each in order, follows other terminals' changes and checks the file every
//! second; what it reads comes back as [`Msg`]s that the UI thread applies. While an effect has
//! been unanswered for longer than [`WAITING_AFTER`] (a `rebuild` holding the write lock, say),
//! the status line says "waiting for the database…"; Ctrl-C quits at once, whatever the worker
//! is waiting for. A database that keeps the worker or the waker waiting for longer than
//! [`STALE`](super::liveness::STALE) (a server that hangs) turns the screen's red banner on.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::app::{App, Notice};
use super::effect::{self, Effect, LoadSpec, Loaded, Msg};
use super::keys::Key;
use super::liveness::{self, Liveness, STALE};
use super::POLL;
use crate::app::Brigade;

/// How long a request may go unanswered before the screen says it is waiting.
pub const WAITING_AFTER: Duration = Duration::from_millis(300);

/// What the UI asks of the worker.
#[derive(Debug, Clone)]
pub enum Job {
    /// Do this, reading the screens' data as `LoadSpec` says; sent at that instant.
    Serve(Box<Effect>, LoadSpec, Instant),
    /// What a reload reads from now on (the screen or the open trail changed).
    Spec(LoadSpec),
    /// From the waker (a server's watcher, see [`wake_on_commits`]): another terminal
    /// committed, or (`lost`) the watcher lost the database.
    Changed { lost: bool },
}

/// What the worker sends back: messages, and how many effects it has served so far.
pub struct Reply {
    msgs: Vec<Msg>,
    answered: u64,
}

/// The UI side: the app's state, and the effects still unanswered.
pub struct Front {
    jobs: mpsc::Sender<Job>,
    replies: tokio::sync::mpsc::UnboundedReceiver<Reply>,
    app: App,
    /// What the worker was last told to read.
    spec: LoadSpec,
    /// Effects sent and not yet answered.
    sent: u64,
    answered: u64,
    /// When the oldest unanswered effect was sent.
    since: Option<Instant>,
    /// Whether the database still answers the worker and the waker.
    live: Arc<Liveness>,
}

impl Front {
    /// Starts the worker thread with the core; `app` is the state it loaded.
    pub fn spawn(core: Brigade, app: App) -> Front {
        let (jobs, inbox) = mpsc::channel();
        let (outbox, replies) = tokio::sync::mpsc::unbounded_channel();
        let spec = app.load_spec();
        let worker_spec = spec.clone();
        let live = Arc::new(Liveness::default());
        std::thread::Builder::new()
            .name("brigade-db".into())
            .spawn({
                let (jobs, live) = (jobs.clone(), live.clone());
                move || work(core, worker_spec, inbox, jobs, outbox, live)
            })
            .expect("a thread can be started");
        Front {
            jobs,
            replies,
            app,
            spec,
            sent: 0,
            answered: 0,
            since: None,
            live,
        }
    }

    /// A key, handled here and now; Ctrl-C quits at once.
    pub fn key(&mut self, key: Key) {
        self.app.now = Utc::now();
        let effects = self.app.update(key);
        self.dispatch(effects);
    }

    pub fn click(&mut self, x: u16, y: u16) {
        self.app.now = Utc::now();
        let effects = super::click(&mut self.app, x, y);
        self.dispatch(effects);
    }

    /// A bracketed paste: text for the field being edited, never keys.
    pub fn paste(&mut self, text: String) {
        super::paste::on_paste(&mut self.app, &text);
    }

    /// The terminal's size (for paging and layout-dependent clicks).
    pub fn size(&mut self, width: u16, height: u16) {
        self.app.size = (width, height);
    }

    /// The clock moved on: information notices fade.
    pub fn tick(&mut self) {
        self.app.now = Utc::now();
        self.app.expire_notice();
    }

    fn dispatch(&mut self, effects: Vec<Effect>) {
        for mut e in effects {
            if let (Some(silent), Effect::Execute { then, .. }) = (self.silent_for(), &e) {
                // The database has not answered for a while (a server that hangs): a command
                // now would wait behind the stuck call and be done later, unseen. Refused here
                // and now, as on a lost server; the screen reads again once it answers.
                self.app.now = Utc::now();
                let loaded = Loaded {
                    data: Err(format!("DB_UNREACHABLE: {}", liveness::why(silent))),
                    guards_missing: None,
                };
                self.app
                    .apply(liveness::refused((**then).clone(), silent, loaded));
                e = Effect::Reload;
            }
            let spec = self.app.load_spec();
            self.spec = spec.clone();
            if self
                .jobs
                .send(Job::Serve(Box::new(e), spec, Instant::now()))
                .is_ok()
            {
                self.sent += 1;
                self.since.get_or_insert_with(Instant::now);
            }
        }
        self.follow();
    }

    /// Tells the worker what to read when what the screens show changed.
    fn follow(&mut self) {
        let spec = self.app.load_spec();
        if spec != self.spec {
            self.spec = spec.clone();
            let _ = self.jobs.send(Job::Spec(spec));
        }
    }

    /// Takes in a reply from the worker (see [`Front::next_reply`]).
    pub fn accept(&mut self, reply: Reply) {
        self.app.now = Utc::now();
        for msg in reply.msgs {
            self.app.apply(msg);
        }
        self.answered = reply.answered;
        self.since = if self.answered >= self.sent {
            None
        } else {
            Some(Instant::now())
        };
        self.follow();
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

    /// True while an effect has been unanswered for longer than [`WAITING_AFTER`].
    pub fn waiting(&self) -> bool {
        self.since.is_some_and(|t| t.elapsed() >= WAITING_AFTER)
    }

    /// Whether the screen should close.
    pub fn quit(&self) -> bool {
        self.app.quit
    }

    /// The state as it stands (for tests).
    pub fn app(&self) -> &App {
        &self.app
    }

    /// How long the database has kept this screen waiting, past [`STALE`](super::liveness::STALE).
    pub fn silent_for(&self) -> Option<Duration> {
        self.live.silent_for()
    }

    /// What to draw now: the state, with the waiting state in the status line, and the red
    /// banner (nothing stale shown) while the database keeps the screen waiting too long.
    pub fn view(&self) -> App {
        let mut app = self.app.clone();
        app.now = Utc::now();
        if let Some(silent) = self.silent_for() {
            app.db_error.get_or_insert_with(|| {
                format!(
                    "DB_UNREACHABLE: the database has not answered for {} s; nothing on this \
                     screen can be vouched for until it does",
                    silent.as_secs()
                )
            });
        }
        if self.waiting() {
            let pending = self.sent - self.answered;
            let text = format!(
                "waiting for the database… ({pending} request{} pending; keys still work; Ctrl-C quits)",
                if pending == 1 { "" } else { "s" }
            );
            app.notice = Some(Notice { text, error: false });
            app.notice_at = app.now;
        }
        app
    }
}

/// The worker: serves effects in order, polls for other terminals' changes, checks the file
/// every second, and replies with what it read.
fn work(
    mut core: Brigade,
    mut spec: LoadSpec,
    inbox: mpsc::Receiver<Job>,
    jobs: mpsc::Sender<Job>,
    outbox: tokio::sync::mpsc::UnboundedSender<Reply>,
    live: Arc<Liveness>,
) {
    let alive = Arc::new(());
    live.busy();
    let (mut watcher, mut waking) = follow(core.watcher().ok(), &jobs, &alive, &live);
    // Read once the watcher is open: a commit between the screen's first read (before this
    // thread started) and the watcher's opening is not missed.
    let mut changed = true;
    let mut lost = false;
    let mut answered = 0u64;
    let mut last_tick = Instant::now();
    // The last read failed: read again every second until it works.
    let mut failing = false;
    loop {
        let mut msgs = Vec::new();
        let mut served = false;
        let mut handle = |job: Job, msgs: &mut Vec<Msg>, core: &mut Brigade| match job {
            Job::Serve(e, s, sent) => {
                spec = s;
                msgs.extend(match *e {
                    // Keyed before the screen could tell that the database hangs, it waited
                    // behind the stuck call past the banner's time: it is refused now, as one
                    // keyed under the banner is, not done later unseen.
                    Effect::Execute { then, .. } if sent.elapsed() >= STALE => {
                        let loaded = effect::load(core, &spec);
                        vec![liveness::refused(*then, sent.elapsed(), loaded)]
                    }
                    e => effect::serve(e, &spec, core),
                });
                answered += 1;
                served = true;
            }
            Job::Spec(s) => spec = s,
            Job::Changed { lost: true } => lost = true,
            Job::Changed { lost: false } => changed = true,
        };
        live.idle();
        let first = match inbox.recv_timeout(POLL) {
            Ok(job) => Some(job),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // From here to the reply, the round's database work.
        live.busy();
        if let Some(job) = first {
            handle(job, &mut msgs, &mut core);
            // Everything already queued is served before the next reply.
            while let Ok(job) = inbox.try_recv() {
                handle(job, &mut msgs, &mut core);
            }
        }
        // The screen is gone (it keeps no sender to close the inbox: this thread and its
        // waker hold some): the worker ends, and its connections with it.
        if outbox.is_closed() {
            return;
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            // A database that went away, was replaced or came back is noticed, and so is a
            // watcher that could not be opened (a server away when the screen started): it is
            // opened again, before the read, so that nothing committed in between is missed.
            // A watcher is only opened on the original file (and never creates one).
            let unwatched = watcher.is_none() && !waking;
            if failing || unwatched || core.check_file().is_err() {
                if !waking {
                    let opened = match core.check_file() {
                        Ok(()) => core.watcher().ok(),
                        Err(_) => None,
                    };
                    (watcher, waking) = follow(opened, &jobs, &alive, &live);
                }
                msgs.push(Msg::Loaded(effect::load(&mut core, &spec)));
            }
        }
        let seen: Option<Result<bool, ()>> = match watcher.as_mut().map(|w| w.changed()) {
            Some(r) => Some(r.map(|c| c || changed).map_err(drop)),
            None if changed => Some(Ok(true)),
            None if lost => Some(Err(())),
            None => None,
        };
        (changed, lost) = (false, false);
        match seen {
            Some(Ok(true)) => msgs.push(Msg::Loaded(effect::load(&mut core, &spec))),
            // The watcher lost the database (a PostgreSQL server that went away: there is no
            // file for `check_file` to miss): read now, so that a read that fails shows in the
            // banner at once rather than when a key is next pressed; from then on the read is
            // retried every second until it works.
            Some(Err(_)) if !failing => msgs.push(Msg::Loaded(effect::load(&mut core, &spec))),
            _ => {}
        }
        for m in &msgs {
            let loaded: Option<&Loaded> = match m {
                Msg::Loaded(l) => Some(l),
                Msg::Executed { loaded, .. } => Some(loaded),
                _ => None,
            };
            if let Some(l) = loaded {
                failing = l.data.is_err();
            }
        }
        if (!msgs.is_empty() || served) && outbox.send(Reply { msgs, answered }).is_err() {
            return;
        }
    }
}

/// Follows other terminals' commits with `watcher`: a watcher that can wait for a commit (a
/// server's LISTEN) waits on a thread of its own ([`wake_on_commits`]) and wakes the worker at
/// once; a file's is returned, to be polled by the worker. The second value: a waker runs.
fn follow(
    watcher: Option<crate::app::Watcher>,
    jobs: &mpsc::Sender<Job>,
    alive: &Arc<()>,
    live: &Arc<Liveness>,
) -> (Option<crate::app::Watcher>, bool) {
    match watcher {
        Some(w) if w.can_wait() => {
            let (alive, jobs, live) = (Arc::downgrade(alive), jobs.clone(), live.clone());
            live.heard();
            let started = std::thread::Builder::new()
                .name("brigade-watch".into())
                .spawn(move || wake_on_commits(w, jobs, alive, live))
                .is_ok();
            (None, started)
        }
        other => (other, false),
    }
}

/// The waker: waits for commits on a watcher that can (a server's LISTEN, with its own
/// once-a-second read of the head as the safety net) and tells the worker at once. While the
/// database is lost it says so once a second. Ends when the worker has gone (`alive`).
fn wake_on_commits(
    mut watcher: crate::app::Watcher,
    jobs: mpsc::Sender<Job>,
    alive: std::sync::Weak<()>,
    live: Arc<Liveness>,
) {
    while alive.upgrade().is_some() {
        let waited = watcher.wait(Duration::from_secs(1));
        if waited.is_ok() {
            // An answer (or a read of the head within the last second): the server is there.
            live.heard();
        }
        let job = match waited {
            Ok(false) => continue,
            Ok(true) => Job::Changed { lost: false },
            Err(_) => {
                // Not a busy loop while the server is away: try again in a second.
                std::thread::sleep(Duration::from_secs(1));
                Job::Changed { lost: true }
            }
        };
        if jobs.send(job).is_err() {
            return;
        }
    }
}
