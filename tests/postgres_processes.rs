//! Several OS processes append to one PostgreSQL database at once (four `brigade exec`, each
//! its own orders, every command with its own command id) while a reader in this process
//! follows "everything after the last position I saw": it sees every position exactly once,
//! in order, with no gap — during the run, not only at the end; the log holds exactly the
//! events the processes' acknowledged answers name; and `brigade verify` passes. Skipped with a
//! note where no server can be started, unless `BRIGADE_REQUIRE_POSTGRES` is set.

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use brigade::store::postgres::PgStore;
use brigade::store::EventStore;
use support::bin::brigade_as;
use support::pg::{PgServer, ADMIN};

const PROCESSES: usize = 4;
const ORDERS: usize = 10;
/// Per order: one OpenOrder and this many AddItem.
const ITEMS: usize = 4;

/// One process's commands, one JSON line each, each with its own command id.
fn commands(p: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for o in 0..ORDERS {
        let order = format!("p{p}-o{o}");
        lines.push(format!(
            r#"{{"type":"OpenOrder","order_id":"{order}","table":"{}","command_id":"{order}-open"}}"#,
            p * 10 + o + 1
        ));
        for i in 0..ITEMS {
            lines.push(format!(
                r#"{{"type":"AddItem","order_id":"{order}","item_id":"lager","command_id":"{order}-add{i}"}}"#
            ));
        }
    }
    lines
}

/// Runs `brigade exec` on `url` with `lines`: the first line alone, then (once every process
/// has answered its first, so that all of them are connected and writing at the same time)
/// the rest at once. Returns the answers, one per line, and whether it exited 0.
fn exec_process(
    url: &str,
    p: usize,
    lines: Vec<String>,
    together: &Barrier,
) -> (Vec<String>, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brigade"))
        .args(["--db", url, "--as", &format!("till{p}"), "exec"])
        .env_remove("BRIGADE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut answers = Vec::new();
    writeln!(stdin, "{}", lines[0]).unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    answers.push(first.trim().to_string());
    together.wait();
    // Written from another thread: the child answers while it reads, and a full pipe either
    // way must not stop both.
    let rest = lines[1..].join("\n") + "\n";
    let writer = std::thread::spawn(move || {
        stdin.write_all(rest.as_bytes()).unwrap();
        // stdin dropped here: the end of the commands.
    });
    for line in stdout.lines() {
        answers.push(line.unwrap());
    }
    writer.join().unwrap();
    let ok = child.wait().unwrap().success();
    (answers, ok)
}

#[test]
fn processes_appending_at_once_are_followed_by_position_without_a_gap_or_a_repeat() {
    let Some(server) = PgServer::start_or_skip("postgres_processes") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let url = server.url(ADMIN, "floor");
    let db = Path::new(&url);
    assert!(brigade_as(db, "it", &["setup"], "").status.success());
    // The default menu goes in before the tills start (the first writer seeds it).
    let seeded = brigade_as(db, "it", &["exec"], "");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let menu_events = PgStore::open(&url).unwrap().head().unwrap();
    assert!(menu_events > 0, "the default menu was not seeded");

    // The reader: everything after the last position it saw, again and again, until the
    // processes are done; then once more.
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (url, done) = (url.clone(), done.clone());
        std::thread::spawn(move || {
            let store = PgStore::open(&url).unwrap();
            let mut seen: Vec<i64> = Vec::new();
            let mut seen_while_running = 0usize;
            let mut passes_with_news = 0usize;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let before = seen.len();
                let last = seen.last().copied().unwrap_or(0);
                store
                    .for_each_after(last, &mut |e| {
                        seen.push(e.position);
                        Ok(true)
                    })
                    .unwrap();
                if seen.len() > before {
                    passes_with_news += 1;
                }
                if finished {
                    return (seen, seen_while_running, passes_with_news);
                }
                seen_while_running = seen.len();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };

    let together = Arc::new(Barrier::new(PROCESSES));
    let started = Instant::now();
    let tills: Vec<_> = (0..PROCESSES)
        .map(|p| {
            let (url, together) = (url.clone(), together.clone());
            std::thread::spawn(move || exec_process(&url, p, commands(p), &together))
        })
        .collect();
    let results: Vec<(Vec<String>, bool)> = tills.into_iter().map(|t| t.join().unwrap()).collect();
    done.store(true, Ordering::SeqCst);
    let (seen, seen_while_running, passes_with_news) = reader.join().unwrap();

    // Every command acknowledged, and the positions its answer names.
    let mut acknowledged = BTreeSet::new();
    for (p, (answers, ok)) in results.iter().enumerate() {
        assert!(ok, "process {p} failed: {answers:?}");
        assert_eq!(
            answers.len(),
            ORDERS * (1 + ITEMS),
            "process {p}: {answers:?}"
        );
        for a in answers {
            let v: serde_json::Value = serde_json::from_str(a).unwrap();
            assert_eq!(v["ok"], true, "process {p}: {a}");
            let events = v["events"].as_array().unwrap();
            assert!(
                !events.is_empty(),
                "an acknowledged command wrote nothing: {a}"
            );
            for e in events {
                let position = e["position"].as_i64().unwrap();
                assert!(
                    acknowledged.insert(position),
                    "two answers name position {position}"
                );
            }
        }
    }

    // The reader saw 1, 2, 3… N: nothing skipped, nothing twice, in order.
    let n = seen.len() as i64;
    assert_eq!(
        seen,
        (1..=n).collect::<Vec<i64>>(),
        "the reader following the log saw a gap, a repeat or a disorder"
    );
    // It followed the run as it happened, not only the finished log.
    assert!(
        seen_while_running > menu_events as usize && passes_with_news > 2,
        "the reader saw nothing while the processes ran ({seen_while_running} events, \
         {passes_with_news} reads with news, in {:?})",
        started.elapsed()
    );
    // The log holds the menu and exactly the events the answers acknowledged.
    let expected: BTreeSet<i64> = (menu_events + 1..=n).collect();
    assert_eq!(
        acknowledged, expected,
        "the log and the acknowledged answers differ"
    );
    let store = PgStore::open(&url).unwrap();
    assert_eq!(store.head().unwrap(), n);
    // And the processes really wrote at the same time: their events interleave in the log
    // (one after the other would switch from one process to the next only a few times).
    let mut writers = Vec::new();
    store
        .for_each_after(menu_events, &mut |e| {
            let p = e.stream_id.split('-').next().unwrap_or("").to_string();
            if writers.last() != Some(&p) {
                writers.push(p);
            }
            Ok(true)
        })
        .unwrap();
    assert!(
        writers.len() > 2 * PROCESSES,
        "the processes did not write at the same time: {writers:?}"
    );
    eprintln!(
        "{n} events; the reader caught up {passes_with_news} times as they were written; the \
         log switches writer {} times",
        writers.len() - 1
    );
    support::bin::assert_verifies(db);
}
