//! The server killed (an immediate stop, as a crash or a power cut) in the middle of a busy
//! service and started again, while a till keeps sending: every command refused while the
//! server is away is refused with `DB_UNREACHABLE` (nothing queued), the till re-sends it with
//! the same command id until it is acknowledged, and in the end every acknowledged command's
//! events are in the log exactly once — at the positions its answer names, even for a command
//! whose commit reached the disk but whose answer was lost with the server — and `brigade
//! verify` passes. Then `brigade simulate`, stopped by an outage, is run again with its seed
//! and finishes the service without doing anything twice. Skipped with a note where no server
//! can be started, unless `BRIGADE_REQUIRE_POSTGRES` is set.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use brigade::app::simulate::order_script;
use brigade::app::{Brigade, Config, Request};
use brigade::store::postgres::PgStore;
use brigade::store::EventStore;
use support::bin::brigade_as;
use support::pg::{PgServer, ADMIN};

const SEED: u64 = 11;
const ORDERS: u64 = 40;
/// The server is killed once this many commands were acknowledged.
const KILL_AFTER: usize = 40;

/// Waits until `ready`, failing with `what` after a generous deadline.
fn wait_until(what: &str, deadline: Duration, ready: impl Fn() -> bool) {
    let until = Instant::now() + deadline;
    while !ready() {
        assert!(Instant::now() < until, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The command ids of the log's events, each with the positions it wrote.
fn positions_by_command(url: &str) -> (BTreeMap<String, Vec<i64>>, i64) {
    let store = PgStore::open(url).unwrap();
    let mut by_command: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut n = 0;
    store
        .for_each_after(0, &mut |e| {
            n += 1;
            if let Some(id) = e.metadata.command_id {
                by_command.entry(id).or_default().push(e.position);
            }
            Ok(true)
        })
        .unwrap();
    (by_command, n)
}

fn floor(test: &str) -> Option<(PgServer, String)> {
    let server = PgServer::start_or_skip(test)?;
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let url = server.url(ADMIN, "floor");
    let setup = brigade_as(Path::new(&url), "it", &["setup"], "");
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    Some((server, url))
}

#[test]
fn a_till_retrying_through_a_server_crash_gets_every_command_applied_exactly_once() {
    let Some((server, url)) = floor("postgres_crash") else {
        return;
    };
    let mut till = Brigade::open(&Config::new(&url, "till")).unwrap();
    // The simulated service's commands, orders interleaved step by step as on a floor, each
    // with its fixed command id.
    let mut menu = till.menu().unwrap();
    menu.items.retain(|i| i.available && i.stock.is_none());
    let mut scripts: Vec<std::vec::IntoIter<Request>> = (0..ORDERS)
        .map(|i| order_script(SEED, i, &menu).into_iter())
        .collect();
    let mut requests = Vec::new();
    while !scripts.is_empty() {
        scripts.retain_mut(|s| match s.next() {
            Some(r) => {
                requests.push(r);
                true
            }
            None => false,
        });
    }
    assert!(
        requests.len() > KILL_AFTER * 4,
        "too short a service to crash in the middle of: {}",
        requests.len()
    );

    let acknowledged = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let restarted = AtomicBool::new(false);
    let (answers, refused_ids) = std::thread::scope(|s| {
        // The crash: after some commands were acknowledged, an immediate stop; back once the
        // till has been refused at least once.
        let crash = s.spawn(|| {
            wait_until(
                "some commands were acknowledged",
                Duration::from_secs(120),
                || acknowledged.load(Ordering::SeqCst) >= KILL_AFTER,
            );
            server.kill().unwrap();
            let before = refused.load(Ordering::SeqCst);
            wait_until(
                "the till was refused while the server was away",
                Duration::from_secs(60),
                || refused.load(Ordering::SeqCst) > before,
            );
            // Refused once: the server is gone. A few re-sends more, all refused.
            let at_first_refusal = acknowledged.load(Ordering::SeqCst);
            wait_until(
                "the till re-sent while the server was away",
                Duration::from_secs(60),
                || refused.load(Ordering::SeqCst) > before + 5,
            );
            let at_restart = acknowledged.load(Ordering::SeqCst);
            server.restart().unwrap();
            restarted.store(true, Ordering::SeqCst);
            (at_first_refusal, at_restart)
        });
        // The till: each command until it is acknowledged, re-sent with the same command id.
        let mut answers: Vec<(String, serde_json::Value, bool)> = Vec::new();
        let mut refused_ids = BTreeSet::new();
        for request in &requests {
            let id = request.command_id.clone().unwrap();
            let until = Instant::now() + Duration::from_secs(120);
            loop {
                match till.execute(request) {
                    Ok(outcome) => {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                        answers.push((id, outcome.value(), outcome.duplicate));
                        break;
                    }
                    Err(e) if e.code() == "DB_UNREACHABLE" => {
                        refused.fetch_add(1, Ordering::SeqCst);
                        refused_ids.insert(id.clone());
                        assert!(
                            Instant::now() < until,
                            "{id} was refused for two minutes: {e}"
                        );
                        // A till's pause before re-sending (not a synchronisation).
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    Err(e) => panic!(
                        "{id}: {e} (restarted: {})",
                        restarted.load(Ordering::SeqCst)
                    ),
                }
            }
        }
        let (at_first_refusal, at_restart) = crash.join().unwrap();
        // While the server was away nothing was acknowledged (nothing queued, nothing
        // pretended): only refusals.
        assert!(at_first_refusal >= KILL_AFTER, "{at_first_refusal}");
        assert_eq!(
            at_first_refusal, at_restart,
            "commands were acknowledged while the server was away"
        );
        (answers, refused_ids)
    });

    assert!(
        restarted.load(Ordering::SeqCst),
        "the server was never restarted"
    );
    assert!(
        !refused_ids.is_empty(),
        "nothing was refused: the outage tested nothing"
    );
    assert_eq!(answers.len(), requests.len());
    // Every acknowledged command wrote exactly the events its answer names, once; the log has
    // no command the till did not get an answer for.
    let (in_log, events) = positions_by_command(&url);
    let mut answered_ids = BTreeSet::new();
    for (id, answer, _) in &answers {
        assert_eq!(answer["ok"], true, "{id}: {answer}");
        let named: Vec<i64> = answer["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["position"].as_i64().unwrap())
            .collect();
        assert!(!named.is_empty(), "{id} wrote nothing: {answer}");
        assert_eq!(
            in_log.get(id),
            Some(&named),
            "{id}: the log's events for it are not the ones its answer names"
        );
        assert!(answered_ids.insert(id.clone()), "{id} answered twice");
    }
    let logged: BTreeSet<String> = in_log.keys().cloned().collect();
    assert_eq!(
        logged, answered_ids,
        "the log and the acknowledged commands differ"
    );
    let written: usize = in_log.values().map(Vec::len).sum();
    let menu_events = events - written as i64;
    assert!(
        menu_events > 0,
        "only the default menu is without a command id"
    );
    let duplicates = answers.iter().filter(|(_, _, dup)| *dup).count();
    // A command in flight at the crash may have committed without its answer: its re-send got
    // the first answer (a duplicate), which the checks above hold to the log as well.
    eprintln!(
        "{} commands; {} refusals of {} commands during the outage; {duplicates} answered as \
         duplicates after it",
        answers.len(),
        refused.load(Ordering::SeqCst),
        refused_ids.len(),
    );
    support::bin::assert_verifies(Path::new(&url));
}

#[test]
fn a_simulation_stopped_by_a_crash_is_finished_by_running_its_seed_again() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let Some((server, url)) = floor("postgres_crash::simulate") else {
        return;
    };
    let simulate = |db: &str, log: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_brigade"));
        c.args(["--db", db, "--as", "sim", "simulate", "--orders", "30"])
            .args(["--seed", "5", "--concurrent", "4"])
            .env_remove("BRIGADE_DB");
        if log {
            c.arg("--log");
        }
        c
    };
    // The service runs; once it has acknowledged some commands, the server crashes under it.
    let mut child = simulate(&url, true)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..20 {
        let line = lines.next().expect("simulate stopped early").unwrap();
        assert!(line.contains("\"ok\":true"), "{line}");
    }
    server.kill().unwrap();
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // It stops, saying why: nothing is queued behind the user's back.
    assert_eq!(out.status.code(), Some(1), "{rest:?} {err}");
    assert!(err.contains("DB_UNREACHABLE"), "{err}");
    server.restart().unwrap();
    let (before, _) = positions_by_command(&url);
    assert!(!before.is_empty());

    // The same seed again finishes it, doing nothing twice.
    let again = simulate(&url, false).output().unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert!(
        report["duplicates"].as_u64().unwrap() >= before.len() as u64,
        "the commands done before the crash were not recognised: {report}"
    );
    assert_eq!(report["rejected"], 0, "{report}");

    // The interrupted-and-finished service wrote what an uninterrupted one writes.
    server.psql("postgres", "CREATE DATABASE calm").unwrap();
    let calm = server.url(ADMIN, "calm");
    assert!(brigade_as(Path::new(&calm), "it", &["setup"], "")
        .status
        .success());
    let whole = simulate(&calm, false).output().unwrap();
    assert!(whole.status.success());
    let count = |log: BTreeMap<String, Vec<i64>>| -> BTreeMap<String, usize> {
        log.into_iter().map(|(id, p)| (id, p.len())).collect()
    };
    let (resumed, _) = positions_by_command(&url);
    let (uninterrupted, _) = positions_by_command(&calm);
    assert_eq!(count(resumed), count(uninterrupted));
    let verify = brigade_as(Path::new(&url), "it", &["verify"], "");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn a_till_left_idle_through_a_server_restart_is_not_refused_its_next_command() {
    use std::io::{BufRead, BufReader, Write};
    let Some((server, url)) = floor("postgres_crash::idle_till") else {
        return;
    };
    // One long-running till: a command, then the server restarts while it sits idle.
    let mut till = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .args(["--db", &url, "--as", "ana", "exec"])
        .env_remove("BRIGADE_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = till.stdin.take().unwrap();
    let mut answers = BufReader::new(till.stdout.take().unwrap()).lines();
    writeln!(
        input,
        r#"{{"type":"OpenOrder","order_id":"i1","table":"3"}}"#
    )
    .unwrap();
    let first = answers.next().unwrap().unwrap();
    assert!(first.contains(r#""ok":true"#), "{first}");
    let idle_since = Instant::now();
    server.kill().unwrap();
    server.restart().unwrap();
    wait_until("the server answers", Duration::from_secs(60), || {
        server.psql("floor", "SELECT 1").is_ok()
    });
    // Idle for longer than the store's idle check, however fast the restart was.
    wait_until(
        "the till has been idle 3 s",
        Duration::from_secs(60),
        || idle_since.elapsed() >= Duration::from_secs(3),
    );
    writeln!(
        input,
        r#"{{"type":"AddItem","order_id":"i1","item_id":"fries"}}"#
    )
    .unwrap();
    let second = answers.next().unwrap().unwrap();
    assert!(second.contains(r#""ok":true"#), "{second}");
    drop(input);
    assert!(till.wait().unwrap().success());
}
