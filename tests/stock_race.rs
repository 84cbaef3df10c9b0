//! Two terminals selling the last portion at the same instant: one gets it, the other is told
//! none is left. Both decide against "1 left" before either writes (a clock that waits for the
//! other terminal at the moment of writing makes sure of it); the loser's append is refused as
//! a conflict inside its transaction, decided again, and refused with `ITEM_UNAVAILABLE`.
//! Each test runs on SQLite and on a throwaway PostgreSQL server (`on_both_backends!`).

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

use brigade::app::context::Clock;
use brigade::app::request::parse_line;
use brigade::app::{AppError, Brigade, Config};
use brigade::store::Durability;
use chrono::{DateTime, Utc};

/// Waits for the other terminal the first time it is asked the time (just before writing).
struct MeetOnce {
    barrier: Arc<Barrier>,
    met: AtomicBool,
}

impl Clock for MeetOnce {
    fn now(&self) -> DateTime<Utc> {
        if !self.met.swap(true, Ordering::SeqCst) {
            self.barrier.wait();
        }
        Utc::now()
    }
}

fn config(dir: &tempfile::TempDir) -> Config {
    let mut cfg = Config::new(support::backends::database(dir.path()), "tester");
    cfg.durability = Durability::Fast;
    cfg
}

fn run(b: &mut Brigade, line: &str) -> Result<(), AppError> {
    b.execute(&parse_line(line).unwrap()).map(|_| ())
}

on_both_backends!(the_last_salmon_is_sold_once_when_two_tills_take_it_at_the_same_instant);
fn the_last_salmon_is_sold_once_when_two_tills_take_it_at_the_same_instant() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(&dir);
        let mut setup = Brigade::open(&cfg).unwrap();
        for id in ["a", "b"] {
            run(
                &mut setup,
                &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"{id}"}}"#),
            )
            .unwrap();
        }
        run(
            &mut setup,
            r#"{"type":"SetItemStock","item_id":"salmon","count":1}"#,
        )
        .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let tills: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|id| {
                let cfg = cfg.clone();
                let clock = MeetOnce {
                    barrier: barrier.clone(),
                    met: AtomicBool::new(false),
                };
                std::thread::spawn(move || {
                    let mut b = Brigade::open_with_clock(&cfg, Box::new(clock)).unwrap();
                    run(
                        &mut b,
                        &format!(
                            r#"{{"type":"AddItem","order_id":"{id}","item_id":"salmon","modifiers":["salmon-greens"]}}"#
                        ),
                    )
                })
            })
            .collect();
        let results: Vec<_> = tills.into_iter().map(|t| t.join().unwrap()).collect();
        let sold = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(sold, 1, "round {round}: {results:?}");
        let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert_eq!(refused.code(), "ITEM_UNAVAILABLE", "{refused}");
        let stock = setup.stock().unwrap();
        assert_eq!((stock[0].count, stock[0].used, stock[0].left()), (1, 1, 0));
        // And the log agrees: one salmon line in all.
        let lines: usize = ["a", "b"]
            .iter()
            .map(|id| setup.load_order(id).unwrap().lines.len())
            .sum();
        assert_eq!(lines, 1);
    }
}
