//! Whether the database is still answering, as the screen can tell without asking it: the
//! worker marks when it starts and ends each round of database work, and the waker (a
//! server's watcher) when the server last answered it. A server that hangs (stopped, frozen,
//! a link that swallows packets) fails no call: the call just never returns. Past [`STALE`]
//! the screen says so in its red banner instead of showing what it can no longer vouch for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::effect::{Loaded, Msg, Then};
use crate::app::AppError;

/// How long the database may keep the screen waiting before it says so.
pub const STALE: Duration = Duration::from_secs(5);

/// Never (in [`Liveness`]'s fields).
const NEVER: u64 = u64::MAX;

/// Shared by the screen, its worker and its waker.
#[derive(Debug)]
pub struct Liveness {
    start: Instant,
    /// Milliseconds since `start` when the worker's current round began; `NEVER`: idle.
    busy_since: AtomicU64,
    /// Milliseconds since `start` when the waker last heard the server; `NEVER`: no waker.
    heard: AtomicU64,
}

impl Default for Liveness {
    fn default() -> Self {
        Liveness {
            start: Instant::now(),
            busy_since: AtomicU64::new(NEVER),
            heard: AtomicU64::new(NEVER),
        }
    }
}

impl Liveness {
    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// The worker starts a round of database work.
    pub fn busy(&self) {
        self.busy_since.store(self.now(), Ordering::Relaxed);
    }

    /// The worker's round is over.
    pub fn idle(&self) {
        self.busy_since.store(NEVER, Ordering::Relaxed);
    }

    /// The waker heard the server (it answered a wait).
    pub fn heard(&self) {
        self.heard.store(self.now(), Ordering::Relaxed);
    }

    /// How long the database has kept the screen waiting, once that is [`STALE`] or more:
    /// the worker stuck in one round, or the waker not answered.
    pub fn silent_for(&self) -> Option<Duration> {
        let now = self.now();
        let since = |at: u64| (at != NEVER).then(|| Duration::from_millis(now.saturating_sub(at)));
        let busy = since(self.busy_since.load(Ordering::Relaxed));
        let unheard = since(self.heard.load(Ordering::Relaxed));
        busy.max(unheard).filter(|d| *d >= STALE)
    }
}

/// Why a command keyed while the database kept the screen waiting `silent` was refused.
pub fn why(silent: Duration) -> String {
    format!(
        "the database has not answered for {} s; nothing was sent",
        silent.as_secs()
    )
}

/// That refusal, as the answer to the command (`then` says what the screen does with it).
pub fn refused(then: Then, silent: Duration, loaded: Loaded) -> Msg {
    Msg::Executed {
        then,
        result: Err(AppError::invalid("DB_UNREACHABLE", why(silent))),
        loaded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(l: &Liveness, field: &AtomicU64, ago: Duration) {
        field.store(
            l.now().saturating_sub(ago.as_millis() as u64),
            Ordering::Relaxed,
        );
    }

    #[test]
    fn silence_is_told_only_past_the_stale_time() {
        let l = Liveness {
            start: Instant::now() - Duration::from_secs(60),
            ..Liveness::default()
        };
        assert_eq!(l.silent_for(), None, "idle, and no waker");
        at(&l, &l.busy_since, Duration::from_secs(2));
        assert_eq!(l.silent_for(), None, "a round of 2 s");
        at(&l, &l.busy_since, Duration::from_secs(7));
        assert!(l.silent_for().is_some_and(|d| d >= Duration::from_secs(7)));
        l.idle();
        assert_eq!(l.silent_for(), None, "the round ended");
        at(&l, &l.heard, Duration::from_secs(1));
        assert_eq!(
            l.silent_for(),
            None,
            "the waker heard the server a second ago"
        );
        at(&l, &l.heard, Duration::from_secs(9));
        assert!(l.silent_for().is_some_and(|d| d >= Duration::from_secs(9)));
        l.heard();
        assert_eq!(l.silent_for(), None);
    }
}
