//! The command-line contract, end to end on the real binary — on both backends: each test
//! marked `on_both_backends!` runs once on a SQLite file and once on a fresh database of a
//! throwaway PostgreSQL server (skipped with a note where none can be started, unless
//! `BRIGADE_REQUIRE_POSTGRES` is set, as `.ci/run` does).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_brigade")
}

fn brigade(db: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BRIGADE_DB")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn exec(db: &Path, input: &str) -> (Vec<Value>, Output) {
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(["--as", "ana", "exec"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, out)
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn head(db: &Path) -> usize {
    let out = brigade(db, &["events"]);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().lines().count()
}

/// A fresh database on this test's backend, and a directory for the test's files: a SQLite
/// file in it, or a new database on the shared PostgreSQL server.
fn db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = support::backends::database(dir.path());
    (dir, path)
}

on_both_backends!(exec_answers_every_line_in_order_and_fails_the_run_if_any_failed);
fn exec_answers_every_line_in_order_and_fails_the_run_if_any_failed() {
    let (_d, db) = db();
    let input = r#"{"type":"OpenOrder","order_id":"t4","table":"4","covers":2}
{"type":"AddItem","order_id":"t4","item_id":"margherita","quantity":2,"note":"no basil"}
this is not json
{"type":"Teleport","order_id":"t4"}

{"type":"AddItem","order_id":"t4","item_id":"lemonade","quantity":1}
{"type":"PlaceOrder","order_id":"t4"}
"#;
    let (lines, out) = exec(&db, input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines.len(),
        6,
        "blank lines are skipped, every other line answered"
    );
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[0]["order_id"], "t4");
    assert_eq!(lines[0]["revision"], 1);
    assert_eq!(lines[1]["line_id"], "l2");
    assert_eq!(lines[1]["events"][0]["type"], "ItemAddedToOrder");
    assert_eq!(lines[2]["ok"], false);
    assert_eq!(lines[2]["error"]["code"], "BAD_JSON");
    assert_eq!(lines[3]["error"]["code"], "UNKNOWN_COMMAND");
    assert_eq!(lines[4]["line_id"], "l3");
    assert_eq!(lines[5]["revision"], 4);
    assert_eq!(lines[5]["ticket_id"], "t4-t1");

    let orders = json(&brigade(&db, &["query", "open-orders"]));
    let o = &orders[0];
    assert_eq!(o["order_id"], "t4");
    assert_eq!(o["table"], "4");
    assert_eq!(o["status"], "placed");
    assert_eq!(o["revision"], 4);
    assert_eq!(o["lines"][0]["line_id"], "l2");
    assert_eq!(o["lines"][0]["name"], "Margherita");
    assert_eq!(o["lines"][0]["quantity"], 2);
    assert_eq!(o["lines"][0]["note"], "no basil");
    assert_eq!(o["lines"][0]["status"], "sent");
    assert_eq!(o["lines"][0]["price_cents"], 1200);
    assert_eq!(o["opened_by"], "ana");

    let kitchen = json(&brigade(&db, &["query", "kitchen"]));
    // One ticket per station: the lemonade (a drink, with the send) and the margheritas.
    assert_eq!(kitchen[0]["ticket_id"], "t4-t1");
    assert_eq!(kitchen[0]["order_id"], "t4");
    assert_eq!(kitchen[0]["table"], "4");
    assert_eq!(kitchen[0]["status"], "new");
    assert_eq!(kitchen[0]["station"], "bar");
    assert!(kitchen[0]["sent_at"].is_string());
    assert!(kitchen[0]["fired_at"].is_string());
    assert_eq!(kitchen[1]["ticket_id"], "t4-t2");
    assert_eq!(kitchen[1]["station"], "kitchen");
    assert_eq!(kitchen[1]["course"], 2);
    assert_eq!(kitchen[1]["lines"][0]["item_id"], "margherita");
    assert_eq!(kitchen[1]["lines"][0]["seat"], 0);
    assert_eq!(kitchen[1]["lines"][0]["modifiers"], serde_json::json!([]));
    let bar = json(&brigade(&db, &["query", "kitchen", "--station", "bar"]));
    assert_eq!(bar.as_array().unwrap().len(), 1);
    assert_eq!(bar[0]["lines"][0]["item_id"], "lemonade");

    let menu = json(&brigade(&db, &["query", "menu"]));
    let m = menu.as_array().unwrap();
    assert!(m.len() >= 20, "the default menu is loaded");
    let margherita = m.iter().find(|i| i["id"] == "margherita").unwrap();
    assert_eq!(margherita["price_cents"], 1200);
    assert_eq!(margherita["available"], true);
    assert_eq!(margherita["station"], "kitchen");
    assert_eq!(margherita["category"], "Pizza");

    let pop = json(&brigade(&db, &["query", "popularity"]));
    assert_eq!(pop[0]["item_id"], "margherita");
    assert_eq!(pop[0]["quantity"], 2);
}

on_both_backends!(a_whole_service_runs_through_exec_and_history_tells_it);
fn a_whole_service_runs_through_exec_and_history_tells_it() {
    let (_d, db) = db();
    let input = [
        r#"{"type":"OpenOrder","order_id":"w1","customer":{"name":"Ines","phone":"555-0101"}}"#,
        r#"{"type":"AddItem","order_id":"w1","item_id":"burger","modifiers":["medium"],"quantity":2}"#,
        r#"{"type":"ChangeItemQuantity","order_id":"w1","line_id":"l2","quantity":3}"#,
        r#"{"type":"ChangeItemNote","order_id":"w1","line_id":"l2","note":"well done"}"#,
        r#"{"type":"AddItem","order_id":"w1","item_id":"cola","quantity":1}"#,
        r#"{"type":"RemoveItem","order_id":"w1","line_id":"l5"}"#,
        r#"{"type":"PlaceOrder","order_id":"w1"}"#,
        r#"{"type":"StartTicket","ticket_id":"w1-t1"}"#,
        r#"{"type":"VoidItem","order_id":"w1","line_id":"l2","quantity":1,"reason":"dropped one"}"#,
        r#"{"type":"BumpTicket","ticket_id":"w1-t1"}"#,
        r#"{"type":"RecallTicket","ticket_id":"w1-t1"}"#,
        r#"{"type":"BumpTicket","ticket_id":"w1-t1"}"#,
        r#"{"type":"ServeTicket","order_id":"w1"}"#,
        r#"{"type":"CloseOrder","order_id":"w1","payment":"card"}"#,
        r#"{"type":"OpenOrder","order_id":"w2","table":"9"}"#,
        r#"{"type":"CancelOrder","order_id":"w2","reason":"walked out"}"#,
        r#"{"type":"MarkItemUnavailable","item_id":"salmon"}"#,
        r#"{"type":"OpenOrder","order_id":"w3","table":"2"}"#,
        r#"{"type":"AddItem","order_id":"w3","item_id":"salmon","modifiers":["salmon-greens"]}"#,
    ]
    .join("\n");
    let (lines, out) = exec(&db, &input);
    for (i, l) in lines.iter().enumerate().take(18) {
        assert_eq!(l["ok"], true, "line {i}: {l}");
    }
    assert_eq!(lines[18]["error"]["code"], "ITEM_UNAVAILABLE");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines[13]["events"][0]["payload"]["total_cents"], 2 * 1650);

    let trail = json(&brigade(&db, &["history", "w1", "--json"]));
    let trail = trail.as_array().unwrap();
    assert_eq!(trail.len(), 14);
    assert_eq!(trail[0]["type"], "OrderOpened");
    assert_eq!(trail[0]["actor"], "ana");
    assert_eq!(trail[13]["type"], "OrderClosed");
    assert_eq!(trail[13]["state"]["status"], "closed");
    assert_eq!(trail[6]["state"]["status"], "placed");
    assert!(trail[8]["summary"]
        .as_str()
        .unwrap()
        .contains("dropped one"));
    assert!(trail[3]["metadata"]["event_id"].is_string());

    let at = json(&brigade(&db, &["history", "w1", "--at", "3", "--json"]));
    assert_eq!(at["lines"][0]["quantity"], 3);
    assert_eq!(at["status"], "open");
    let bad = brigade(&db, &["history", "w1", "--at", "99"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("REVISION_NOT_FOUND"));

    let text = brigade(&db, &["history", "w1"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Ines"));
    assert!(text.contains("Voided 1× House Burger (l2): dropped one"));

    // The default menu's events come first (its items and its categories' courses); the export
    // after the one before w1's first event starts with it.
    let all: Vec<Value> = String::from_utf8(brigade(&db, &["events"]).stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first_w1 = all.iter().position(|e| e["stream_id"] == "w1").unwrap();
    let menu_events = first_w1;
    let after = menu_events.to_string();
    let events = brigade(&db, &["events", "--after", &after]);
    let lines: Vec<Value> = String::from_utf8(events.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["position"], menu_events + 1);
    assert_eq!(lines[0]["stream_id"], "w1");
    assert_eq!(lines[0]["revision"], 1);
    assert!(lines.iter().all(|l| l["metadata"]["actor"] == "ana"));

    let verify = brigade(&db, &["verify"]);
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).starts_with("ok: "));
    let rebuild = json(&brigade(&db, &["rebuild"]));
    assert_eq!(rebuild["ok"], true);
    assert!(brigade(&db, &["verify"]).status.success());
}

on_both_backends!(the_same_command_id_twice_adds_one_burger_not_two);
fn the_same_command_id_twice_adds_one_burger_not_two() {
    let (_d, db) = db();
    let add = r#"{"type":"AddItem","order_id":"o","item_id":"burger","modifiers":["medium"],"quantity":1,"command_id":"tap-1"}"#;
    let (lines, _) = exec(
        &db,
        &format!("{{\"type\":\"OpenOrder\",\"order_id\":\"o\",\"table\":\"1\"}}\n{add}\n{add}\n"),
    );
    assert_eq!(lines[1], lines[2]);
    let (again, _) = exec(&db, &format!("{add}\n"));
    assert_eq!(again[0], lines[1], "even from another process");
    let orders = json(&brigade(&db, &["query", "open-orders"]));
    assert_eq!(orders[0]["lines"].as_array().unwrap().len(), 1);
}

on_both_backends!(bad_input_is_refused_with_a_code_and_nothing_is_written);
fn bad_input_is_refused_with_a_code_and_nothing_is_written() {
    let (_d, db) = db();
    exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"o\",\"table\":\"1\"}\n",
    );
    let before = head(&db);
    let note = "x".repeat(100_000);
    let cases = [
        ("{\"type\":\"AddItem\"", "BAD_JSON"),
        ("[1,2]", "BAD_COMMAND"),
        ("{\"order_id\":\"o\"}", "BAD_COMMAND"),
        ("{\"type\":\"Dance\"}", "UNKNOWN_COMMAND"),
        ("{\"type\":\"AddItem\",\"order_id\":\"nope\",\"item_id\":\"fries\"}", "ORDER_NOT_FOUND"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"caviar\"}", "ITEM_NOT_FOUND"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":0}", "INVALID_QUANTITY"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":-1}", "INVALID_QUANTITY"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":1000000000}", "INVALID_QUANTITY"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":1e30}", "INVALID_QUANTITY"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":\"2\"}", "INVALID_QUANTITY"),
        (&format!("{{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"note\":\"{note}\"}}"), "TEXT_TOO_LONG"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"colour\":\"red\"}", "UNKNOWN_FIELD"),
        ("{\"type\":\"AddItem\",\"order_id\":\"o\"}", "MISSING_FIELD"),
        ("{\"type\":\"RemoveItem\",\"order_id\":\"o\",\"line_id\":\"l9\"}", "LINE_NOT_FOUND"),
        ("{\"type\":\"PlaceOrder\",\"order_id\":\"o\"}", "NOTHING_TO_SEND"),
        ("{\"type\":\"BumpTicket\",\"ticket_id\":\"o-t1\"}", "TICKET_NOT_FOUND"),
        ("{\"type\":\"BumpTicket\",\"ticket_id\":\"garbage\"}", "TICKET_NOT_FOUND"),
        ("{\"type\":\"CancelOrder\",\"order_id\":\"o\"}", "REASON_REQUIRED"),
        ("{\"type\":\"OpenOrder\",\"order_id\":\"o\",\"table\":\"2\"}", "ORDER_ALREADY_EXISTS"),
        ("{\"type\":\"OpenOrder\",\"table\":\"2\",\"covers\":0}", "INVALID_COVERS"),
        ("{\"type\":\"OpenOrder\"}", "INVALID_ORDER"),
        ("{\"type\":\"OpenOrder\",\"order_id\":\"menu\",\"table\":\"2\"}", "INVALID_ORDER"),
    ];
    for (line, code) in cases {
        let (lines, out) = exec(&db, &format!("{line}\n"));
        assert_eq!(out.status.code(), Some(1), "{code}");
        assert_eq!(lines.len(), 1, "{code}");
        assert_eq!(lines[0]["ok"], false, "{code}");
        assert_eq!(
            lines[0]["error"]["code"],
            code,
            "{}",
            &line[..line.len().min(80)]
        );
        assert!(lines[0]["error"]["message"].as_str().unwrap().len() > 5);
        assert!(
            out.stderr.is_empty() || !String::from_utf8_lossy(&out.stderr).contains("panicked")
        );
    }
    assert_eq!(head(&db), before, "nothing was written");
}

fn one_error_line(out: &Output, code: &str) {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(code), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn unusable_database_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    one_error_line(&brigade(dir.path(), &["query", "menu"]), "DB_IS_DIRECTORY");

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "shopping list: eggs, flour, more eggs\n".repeat(200)).unwrap();
    one_error_line(&brigade(&text, &["query", "menu"]), "NOT_A_DATABASE");
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "shopping list: eggs, flour, more eggs\n".repeat(200),
        "the file was not touched"
    );

    let other = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE recipes (name TEXT);")
        .unwrap();
    drop(conn);
    one_error_line(
        &brigade(&other, &["query", "menu"]),
        "NOT_A_BRIGADE_DATABASE",
    );

    let newer = dir.path().join("newer.db");
    assert!(brigade(&newer, &["query", "menu"]).status.success());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    one_error_line(&brigade(&newer, &["query", "menu"]), "DB_TOO_NEW");

    let missing = dir.path().join("no/such/dir/b.db");
    one_error_line(&brigade(&missing, &["query", "menu"]), "DB_OPEN_FAILED");

    one_error_line(
        &brigade(
            &dir.path().join("x.db"),
            &["menu", "import", "/no/such/menu.json"],
        ),
        "FILE_UNREADABLE",
    );
}

on_both_backends!(menu_import_replaces_the_menu_in_one_step);
fn menu_import_replaces_the_menu_in_one_step() {
    let (dir, db) = db();
    let file = dir.path().join("menu.json");
    std::fs::write(
        &file,
        r#"{"items":[
        {"id":"margherita","name":"Margherita","category":"Pizza","price_cents":1300,"station":"kitchen"},
        {"id":"negroni","name":"Negroni","category":"Cocktails","price_cents":900,"station":"bar","allergens":[]}]}"#,
    )
    .unwrap();
    let out = json(&brigade(&db, &["menu", "import", file.to_str().unwrap()]));
    assert_eq!(out["items"], 2);
    let menu = json(&brigade(&db, &["query", "menu"]));
    let ids: Vec<&str> = menu
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["margherita", "negroni"]);
    assert_eq!(menu[0]["price_cents"], 1300);
    // Importing the same file again changes nothing.
    let again = json(&brigade(&db, &["menu", "import", file.to_str().unwrap()]));
    assert_eq!(again["events"], 0);
    // A bad file writes nothing.
    std::fs::write(
        &file,
        r#"{"items":[{"id":"Bad Id","name":"x","category":"y","price_cents":1}]}"#,
    )
    .unwrap();
    let before = head(&db);
    one_error_line(
        &brigade(&db, &["menu", "import", file.to_str().unwrap()]),
        "INVALID_ITEM_ID",
    );
    assert_eq!(head(&db), before);
}

on_both_backends!(several_exec_processes_on_one_order_lose_no_update);
fn several_exec_processes_on_one_order_lose_no_update() {
    let (_d, db) = db();
    exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"big\",\"table\":\"20\",\"covers\":12}\n",
    );
    let procs = 4;
    let per = 20;
    let children: Vec<_> = (0..procs)
        .map(|p| {
            let input: String = (0..per)
                .map(|i| {
                    format!(
                        "{{\"type\":\"AddItem\",\"order_id\":\"big\",\"item_id\":\"lager\",\"quantity\":{}}}\n",
                        1 + (p + i) % 4
                    )
                })
                .collect();
            let mut child = Command::new(bin())
                .arg("--db")
                .arg(&db)
                .arg("exec")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
            child
        })
        .collect();
    let mut acked = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["ok"], true, "{v}");
            acked += v["events"][0]["payload"]["quantity"].as_u64().unwrap();
        }
    }
    let orders = json(&brigade(&db, &["query", "open-orders"]));
    let lines = orders[0]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), procs * per);
    let total: u64 = lines.iter().map(|l| l["quantity"].as_u64().unwrap()).sum();
    assert_eq!(total, acked);
    assert!(brigade(&db, &["verify"]).status.success());
}

on_both_backends!(a_simulation_killed_mid_service_keeps_every_acknowledged_command);
fn a_simulation_killed_mid_service_keeps_every_acknowledged_command() {
    let (_d, db) = db();
    // Create the database (and its menu) first so the kill lands in the service itself.
    assert!(brigade(&db, &["query", "menu"]).status.success());
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["simulate", "--orders", "100000", "--seed", "3", "--log"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut acked = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut line = String::new();
    while acked.len() < 150 && Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let v: Value = serde_json::from_str(&line).unwrap();
        if v["ok"] == true {
            acked.push(v["command_id"].as_str().unwrap().to_string());
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(acked.len() >= 150, "the simulation acknowledged commands");

    let verify = brigade(&db, &["verify"]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let events = brigade(&db, &["events"]);
    let stored: std::collections::HashSet<String> = String::from_utf8(events.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["metadata"]["command_id"].as_str().map(str::to_string)
        })
        .collect();
    for id in &acked {
        assert!(stored.contains(id), "acknowledged command {id} was lost");
    }
}

on_both_backends!(simulate_is_deterministic_for_a_seed);
fn simulate_is_deterministic_for_a_seed() {
    let (_d, a) = db();
    let (_e, b) = db();
    for db in [&a, &b] {
        let out = json(&brigade(
            db,
            &["simulate", "--orders", "20", "--seed", "42"],
        ));
        assert_eq!(out["orders"], 20);
        assert_eq!(out["rejected"], 0);
    }
    let strip = |db: &Path| -> Vec<Value> {
        let out = brigade(db, &["events"]);
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                serde_json::json!([v["stream_id"], v["type"], v["payload"]])
            })
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
    // Re-running the same seed finds every command already done.
    let again = json(&brigade(
        &a,
        &["simulate", "--orders", "20", "--seed", "42"],
    ));
    assert_eq!(again["commands"], 0);
    assert!(again["duplicates"].as_u64().unwrap() > 20);
    // Even after the menu changed (the same seed would now pick other items), it goes on.
    exec(
        &a,
        "{\"type\":\"MarkItemUnavailable\",\"item_id\":\"margherita\"}\n",
    );
    let changed = brigade(&a, &["simulate", "--orders", "20", "--seed", "42"]);
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
}

#[test]
fn usage_errors_exit_non_zero_without_a_backtrace() {
    let (_d, db) = db();
    let out = brigade(&db, &["query", "everything"]);
    assert_eq!(out.status.code(), Some(2));
    // Inspecting a database that is not there does not create one.
    for args in [&["verify"][..], &["events"], &["history", "x", "--json"]] {
        one_error_line(&brigade(&db, args), "DB_NOT_FOUND");
    }
    assert!(!db.exists(), "no database was created by looking");
    assert!(brigade(&db, &["query", "menu"]).status.success());
    let out = brigade(&db, &["history", "nope", "--json"]);
    one_error_line(&out, "ORDER_NOT_FOUND");
    let out = Command::new(bin())
        .args(["--db"])
        .arg(&db)
        .args(["--as", "", "query", "menu"])
        .output()
        .unwrap();
    one_error_line(&out, "INVALID_ACTOR");
}

on_both_backends!(control_characters_in_notes_never_reach_the_terminal_raw);
fn control_characters_in_notes_never_reach_the_terminal_raw() {
    let (_d, db) = db();
    let note = "\\u001b]0;pwned\\u0007\\u001b[2Jextra cheese";
    exec(
        &db,
        &format!(
            "{{\"type\":\"OpenOrder\",\"order_id\":\"x\",\"table\":\"\\u001b[31m5\"}}\n\
             {{\"type\":\"AddItem\",\"order_id\":\"x\",\"item_id\":\"fries\",\"note\":\"{note}\"}}\n"
        ),
    );
    for args in [&["history", "x"][..], &["history", "x", "--at", "2"], &[]] {
        let out = brigade(&db, args);
        assert!(out.status.success());
        assert!(!out.stdout.contains(&0x1b), "raw ESC in {args:?}");
        assert!(!out.stdout.contains(&0x07), "raw BEL in {args:?}");
    }
    let text = String::from_utf8(brigade(&db, &["history", "x"]).stdout).unwrap();
    assert!(text.contains("^[]0;pwned^G^[[2Jextra cheese"), "{text}");

    // JSON output too: C1 controls, DEL and bidi overrides (which serde_json leaves raw) are
    // escaped, and the JSON still says exactly what was typed.
    let (lines, _) = exec(
        &db,
        concat!(
            r#"{"type":"AddItem","order_id":"x","item_id":"fries","note":"a\u009b2J\u007f\u202eb"}"#,
            "\n"
        ),
    );
    assert_eq!(lines[0]["ok"], true);
    for args in [
        &["query", "open-orders"][..],
        &["events"],
        &["history", "x", "--json"],
    ] {
        let out = brigade(&db, args);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || c == '\u{202e}'),
            "raw control in {args:?}"
        );
    }
    let orders = json(&brigade(&db, &["query", "open-orders"]));
    assert_eq!(orders[0]["lines"][1]["note"], "a\u{9b}2J\u{7f}\u{202e}b");
}

on_both_backends!(a_command_id_reused_for_another_command_is_refused_not_answered);
fn a_command_id_reused_for_another_command_is_refused_not_answered() {
    let (_d, db) = db();
    let input = r#"{"type":"OpenOrder","order_id":"a","table":"1","command_id":"x"}
{"type":"OpenOrder","order_id":"b","table":"2"}
{"type":"CancelOrder","order_id":"b","reason":"gone","command_id":"x"}
{"type":"OpenOrder","order_id":"a","table":"1","command_id":"x"}
"#;
    let (lines, out) = exec(&db, input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[2]["ok"], false);
    assert_eq!(lines[2]["error"]["code"], "COMMAND_ID_REUSED");
    assert_eq!(
        lines[3], lines[0],
        "the same command again gets its first result"
    );
    let orders = json(&brigade(&db, &["query", "open-orders"]));
    let ids: Vec<&str> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"], "b was not cancelled");
}

on_both_backends!(history_menu_prints_the_menu_s_own_trail);
fn history_menu_prints_the_menu_s_own_trail() {
    let (_dir, db) = db();
    let (_, out) = exec(
        &db,
        r#"{"type":"MarkItemUnavailable","item_id":"salmon"}
"#,
    );
    assert!(out.status.success());
    let text = brigade(&db, &["history", "menu"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.contains("ana"), "{last}");
    assert!(last.contains("MenuItemMarkedUnavailable"), "{last}");
    assert!(last.contains("86'd Grilled Salmon (salmon)"), "{last}");

    let trail = json(&brigade(&db, &["history", "menu", "--json"]));
    let entries = trail.as_array().unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last["type"], "MenuItemMarkedUnavailable");
    assert_eq!(last["actor"], "ana");
    assert!(last["recorded_at"].is_string());
    assert_eq!(entries[0]["type"], "MenuItemAdded");

    let list = json(&brigade(&db, &["history", "--json"]));
    assert!(list.as_array().unwrap().is_empty());
}
