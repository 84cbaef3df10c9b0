//! End to end, a Friday night in pseudo-terminals (the real binary, several processes on one
//! database): the add dialog walking a required choice; a held course fired from the waiter's
//! screen; a bar bump that leaves the grill's ticket alone; the expeditor's order turning
//! green and served from there. Every wait is for a condition on screen or in the database.
//! Each runs on SQLite and on a throwaway PostgreSQL server (`on_both_backends!`).

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::bin::brigade_as;
use support::term::Term;

fn brigade(db: &Path, args: &[&str], stdin: &str) -> String {
    let out = brigade_as(db, "script", args, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn exec(db: &Path, lines: &[&str]) {
    brigade(db, &["exec"], &(lines.join("\n") + "\n"));
}

/// The kitchen's tickets of a station, `(ticket id, status)`.
fn tickets(db: &Path, station: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(&brigade(
        db,
        &["query", "kitchen", "--station", station],
        "",
    ))
    .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["ticket_id"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Waits for a condition on the database (another process's commit), with a deadline.
fn eventually(what: &str, ok: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = support::backends::database(dir.path());
    (dir, db)
}

on_both_backends!(the_add_dialog_walks_a_required_choice_before_it_adds);
fn the_add_dialog_walks_a_required_choice_before_it_adds() {
    let (_d, db) = db();
    exec(
        &db,
        &[r#"{"type":"OpenOrder","order_id":"t7","table":"7","covers":2}"#],
    );
    let mut waiter = Term::spawn(&db, &["--as", "ana"], 80, 24);
    waiter.wait_text("Open orders (1)");
    // The order, its menu filtered to the burger, Enter: the dialog asks the temperature.
    waiter.keys("\r/burg");
    waiter.wait_text("filter: burg");
    waiter.keys("\r");
    waiter.wait_text("Temperature (required — choose 1 more)");
    // Enter cannot go past a required group.
    waiter.keys("\r");
    waiter.wait_text("Temperature: choose 1 more");
    // One key chooses (medium) and moves on to the optional extras; 1 toggles bacon.
    waiter.keys("2");
    waiter.wait_text("Extras (optional");
    waiter.keys("1");
    waiter.wait_text("[x] Bacon");
    // On past the bun to the details; seat 2; Enter adds.
    waiter.keys("\r\r");
    waiter.wait_text("Seat (0 = table)");
    waiter.keys("\t\t2\r"); // from the quantity: note, then seat
    waiter.wait_text("Added House Burger");
    waiter.wait_text("+ Medium");
    let orders: Value = serde_json::from_str(&brigade(&db, &["query", "open-orders"], "")).unwrap();
    let line = &orders[0]["lines"][0];
    let chosen: Vec<&str> = line["modifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["option_id"].as_str().unwrap())
        .collect();
    assert_eq!(chosen, ["medium", "bacon"]);
    assert_eq!(line["seat"], 2);
    assert_eq!(line["price_cents"], 1650 + 200);
    // Out of the menu's filter (where q is a letter), then quit.
    waiter.keys("\x1b");
    waiter.wait_text("Menu (/ to filter)");
    waiter.quit();
}

on_both_backends!(a_held_course_is_fired_from_the_waiter_s_screen);
fn a_held_course_is_fired_from_the_waiter_s_screen() {
    let (_d, db) = db();
    exec(
        &db,
        &[
            r#"{"type":"OpenOrder","order_id":"t3","table":"3"}"#,
            r#"{"type":"AddItem","order_id":"t3","item_id":"soup"}"#,
            r#"{"type":"AddItem","order_id":"t3","item_id":"steak","modifiers":["rare"]}"#,
            r#"{"type":"PlaceOrder","order_id":"t3"}"#,
        ],
    );
    assert_eq!(tickets(&db, "grill"), [("t3-t2".into(), "held".into())]);
    let mut waiter = Term::spawn(&db, &["--as", "ana"], 80, 24);
    waiter.wait_text("HELD (f fires)");
    waiter.wait_for("the fire key", |s| s.contains("f fire course 2"));
    waiter.keys("f");
    waiter.wait_text("Fired course 2");
    waiter.wait_for("no course held", |s| {
        !s.contains("HOLD") && !s.contains("HELD")
    });
    eventually("the grill's ticket to be new", || {
        tickets(&db, "grill") == [("t3-t2".to_string(), "new".to_string())]
    });
    waiter.quit();
}

on_both_backends!(a_bump_at_the_bar_leaves_the_grill_s_ticket_alone);
fn a_bump_at_the_bar_leaves_the_grill_s_ticket_alone() {
    let (_d, db) = db();
    exec(
        &db,
        &[
            r#"{"type":"OpenOrder","order_id":"t8","table":"8"}"#,
            r#"{"type":"AddItem","order_id":"t8","item_id":"steak","modifiers":["medium"]}"#,
            r#"{"type":"AddItem","order_id":"t8","item_id":"lager","quantity":2}"#,
            r#"{"type":"PlaceOrder","order_id":"t8"}"#,
        ],
    );
    let mut bar = Term::spawn(&db, &["--as", "bea", "kitchen", "--station", "bar"], 80, 24);
    let grill = Term::spawn(
        &db,
        &["--as", "gus", "kitchen", "--station", "grill"],
        80,
        24,
    );
    bar.wait_text("2 Lager (pint)");
    assert!(!bar.screen().contains("Sirloin"), "{}", bar.screen());
    grill.wait_text("1 Sirloin Steak");
    bar.keys("\r");
    bar.wait_text("Bumped Table 8");
    bar.wait_text("No open tickets for bar");
    eventually("the bar's ticket to be ready", || {
        tickets(&db, "bar").is_empty()
    });
    // The grill's screen and ticket are untouched.
    assert_eq!(tickets(&db, "grill"), [("t8-t2".into(), "new".into())]);
    grill.wait_text("1 Sirloin Steak");
    assert!(grill.screen().contains("+ Medium"), "{}", grill.screen());
    bar.quit();
    grill.quit();
}

on_both_backends!(
    the_expeditor_s_order_turns_green_when_every_station_has_bumped_and_is_served_there
);
fn the_expeditor_s_order_turns_green_when_every_station_has_bumped_and_is_served_there() {
    let (_d, db) = db();
    exec(
        &db,
        &[
            r#"{"type":"OpenOrder","order_id":"t2","table":"2"}"#,
            r#"{"type":"AddItem","order_id":"t2","item_id":"soup"}"#,
            r#"{"type":"AddItem","order_id":"t2","item_id":"cola"}"#,
            r#"{"type":"PlaceOrder","order_id":"t2"}"#,
        ],
    );
    let mut expo = Term::spawn(
        &db,
        &["--as", "eve", "kitchen", "--station", "expo"],
        80,
        24,
    );
    expo.wait_text("0/2 ready");
    exec(&db, &[r#"{"type":"BumpTicket","ticket_id":"t2-t1"}"#]);
    expo.wait_text("1/2 ready");
    // Not every station has bumped: Enter says who is still cooking and serves nothing.
    expo.keys("\r");
    expo.wait_text("still waiting on kitchen");
    exec(&db, &[r#"{"type":"BumpTicket","ticket_id":"t2-t2"}"#]);
    expo.wait_text("ALL READY");
    expo.keys("\r");
    expo.wait_text("Served Table 2");
    expo.wait_text("no order at the pass");
    let orders: Value = serde_json::from_str(&brigade(&db, &["query", "open-orders"], "")).unwrap();
    let statuses: Vec<&str> = orders[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["served", "served"]);
    expo.quit();
}
