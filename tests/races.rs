//! Races between terminals, and clocks that step back: the same command id sent twice at once
//! answers the first result both times; recorded times never go backwards. On both backends
//! (`on_both_backends!`: SQLite, and a throwaway PostgreSQL server).

mod support;

use std::sync::{Arc, Barrier};

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config, Outcome};
use brigade::store::Durability;

fn config(dir: &tempfile::TempDir) -> Config {
    let mut cfg = Config::new(support::backends::database(dir.path()), "tester");
    cfg.durability = Durability::Fast;
    cfg
}

fn exec(b: &mut Brigade, line: &str) -> Outcome {
    b.execute(&parse_line(line).unwrap())
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// An order with one line sent to the kitchen and served: ready to close.
fn served(b: &mut Brigade, id: &str) {
    exec(
        b,
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"1"}}"#),
    );
    exec(
        b,
        &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"fries"}}"#),
    );
    let placed = exec(b, &format!(r#"{{"type":"PlaceOrder","order_id":"{id}"}}"#));
    let ticket = placed.ticket_id.clone().unwrap();
    exec(
        b,
        &format!(r#"{{"type":"BumpTicket","ticket_id":"{ticket}"}}"#),
    );
    exec(
        b,
        &format!(r#"{{"type":"ServeTicket","ticket_id":"{ticket}"}}"#),
    );
}

/// An order with one unsent line: ready to place.
fn unsent(b: &mut Brigade, id: &str) {
    exec(
        b,
        &format!(r#"{{"type":"OpenOrder","order_id":"{id}","table":"1"}}"#),
    );
    exec(
        b,
        &format!(r#"{{"type":"AddItem","order_id":"{id}","item_id":"fries"}}"#),
    );
}

fn count_events(b: &Brigade, stream: &str, kind: &str) -> usize {
    b.events()
        .read_stream(stream, 0)
        .unwrap()
        .iter()
        .filter(|e| e.event_type == kind)
        .count()
}

/// Two threads, each with its own connection, send `line` at the same instant, `rounds` times
/// (a fresh order each round, prepared by `setup`); both must answer ok with the same result,
/// and `kind` must be written exactly once.
fn same_command_twice_at_once(
    setup: fn(&mut Brigade, &str),
    command: &str,
    kind: &str,
    rounds: usize,
) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&dir);
    let mut main = Brigade::open(&cfg).unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let (to_a, from_main_a) = std::sync::mpsc::channel::<Option<String>>();
    let (to_b, from_main_b) = std::sync::mpsc::channel::<Option<String>>();
    let (done, results) = std::sync::mpsc::channel();
    let workers: Vec<_> = [from_main_a, from_main_b]
        .into_iter()
        .enumerate()
        .map(|(who, inbox)| {
            let cfg = cfg.clone();
            let barrier = barrier.clone();
            let done = done.clone();
            std::thread::spawn(move || {
                let mut b = Brigade::open(&cfg).unwrap();
                while let Ok(Some(line)) = inbox.recv() {
                    barrier.wait();
                    let result = b
                        .execute(&parse_line(&line).unwrap())
                        .map(|o| o.json)
                        .map_err(|e| format!("{}: {}", e.code(), e.message()));
                    done.send((who, result)).unwrap();
                }
            })
        })
        .collect();
    for round in 0..rounds {
        let id = format!("r{round}");
        setup(&mut main, &id);
        let line = command
            .replace("ORDER", &id)
            .replace("CMD", &format!("cmd-{round}"));
        to_a.send(Some(line.clone())).unwrap();
        to_b.send(Some(line)).unwrap();
        let (_, first) = results.recv().unwrap();
        let (_, second) = results.recv().unwrap();
        let first = first.unwrap_or_else(|e| panic!("round {round}: a till was refused: {e}"));
        let second = second.unwrap_or_else(|e| panic!("round {round}: a till was refused: {e}"));
        assert_eq!(
            first, second,
            "round {round}: both tills get the first result"
        );
        assert_eq!(
            count_events(&main, &id, kind),
            1,
            "round {round}: one {kind}"
        );
    }
    to_a.send(None).unwrap();
    to_b.send(None).unwrap();
    for w in workers {
        w.join().unwrap();
    }
}

on_both_backends!(the_same_close_order_sent_twice_at_once_answers_ok_twice_and_closes_once);
fn the_same_close_order_sent_twice_at_once_answers_ok_twice_and_closes_once() {
    same_command_twice_at_once(
        served,
        r#"{"type":"CloseOrder","order_id":"ORDER","command_id":"CMD"}"#,
        "OrderClosed",
        300,
    );
}

on_both_backends!(the_same_place_order_sent_twice_at_once_answers_ok_twice_and_places_once);
fn the_same_place_order_sent_twice_at_once_answers_ok_twice_and_places_once() {
    same_command_twice_at_once(
        unsent,
        r#"{"type":"PlaceOrder","order_id":"ORDER","command_id":"CMD"}"#,
        "OrderPlaced",
        300,
    );
}

/// A clock the test moves (shared with the Brigade that reads it).
#[derive(Clone)]
struct StepClock(Arc<std::sync::Mutex<chrono::DateTime<chrono::Utc>>>);

impl brigade::app::context::Clock for StepClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

on_both_backends!(a_clock_stepped_back_never_records_an_event_before_the_one_before_it);
fn a_clock_stepped_back_never_records_an_event_before_the_one_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-01T19:00:00.250Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let clock = StepClock(Arc::new(std::sync::Mutex::new(start)));
    let mut b = Brigade::open_with_clock(&config(&dir), Box::new(clock.clone())).unwrap();
    unsent(&mut b, "a");
    exec(&mut b, r#"{"type":"PlaceOrder","order_id":"a"}"#);
    // NTP steps the clock back an hour.
    *clock.0.lock().unwrap() = start - chrono::Duration::hours(1);
    unsent(&mut b, "b");
    exec(&mut b, r#"{"type":"PlaceOrder","order_id":"b"}"#);
    // The new ticket is not moved ahead of the older one (to slot 1).
    let kitchen: Vec<String> = b
        .kitchen(None)
        .unwrap()
        .into_iter()
        .map(|t| t.ticket_id)
        .collect();
    assert_eq!(kitchen, ["a-t1", "b-t1"]);
    exec(&mut b, r#"{"type":"BumpTicket","ticket_id":"a-t1"}"#);
    exec(&mut b, r#"{"type":"BumpTicket","ticket_id":"b-t1"}"#);

    let mut times = Vec::new();
    b.events()
        .for_each_after(0, &mut |e| {
            times.push(e.recorded_at);
            Ok(true)
        })
        .unwrap();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "recorded times go backwards: {times:?}"
    );
    assert_eq!(
        *times.last().unwrap(),
        start,
        "held at the newest time seen"
    );
    // Backspace recalls the last bump.
    assert_eq!(b.last_bumped(None).unwrap().unwrap().ticket_id, "b-t1");
}
