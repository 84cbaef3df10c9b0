//! Databases outlive releases: a database written by the previous release (the one before
//! tickets were per station: `tests/fixtures/release-0.2.0.db`, made with that release's
//! `brigade simulate --orders 40 --seed 3` and `exec < tests/fixtures/release-0.2.0.commands.jsonl`)
//! verifies against the anchor taken then, answers queries read-only with this release's read
//! models, reads its one-ticket-per-send tickets as one ticket per station, and takes this
//! release's commands.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use support::bin::{brigade_as, ok_json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A private copy of the fixture: the committed file is never written.
fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("previous.db");
    std::fs::copy(fixture("release-0.2.0.db"), &db).unwrap();
    (dir, db)
}

fn brigade(db: &Path, args: &[&str], stdin: &str) -> Output {
    brigade_as(db, "upgrade-test", args, stdin)
}

fn exec(db: &Path, lines: &[&str]) -> Vec<Value> {
    let out = brigade(db, &["exec"], &(lines.join("\n") + "\n"));
    let results: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (line, r) in lines.iter().zip(&results) {
        assert_eq!(r["ok"], true, "{line}: {r}");
    }
    assert_eq!(results.len(), lines.len());
    results
}

/// `(ticket_id, station, status, [item ids])` of the kitchen's tickets of `order`.
fn tickets(
    db: &Path,
    order: &str,
    station: Option<&str>,
) -> Vec<(String, String, String, Vec<String>)> {
    let mut args = vec!["query", "kitchen"];
    if let Some(s) = station {
        args.extend(["--station", s]);
    }
    let mut out: Vec<_> = ok_json(&brigade(db, &args, ""))
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["order_id"] == order)
        .map(|t| {
            (
                t["ticket_id"].as_str().unwrap().to_string(),
                t["station"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
                t["lines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["item_id"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    out.sort();
    out
}

fn t(
    id: &str,
    station: &str,
    status: &str,
    items: &[&str],
) -> (String, String, String, Vec<String>) {
    (
        id.into(),
        station.into(),
        status.into(),
        items.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn it_verifies_against_the_anchor_taken_by_the_previous_release_without_a_byte_written() {
    let (_d, db) = fixture_copy();
    let before = std::fs::read(&db).unwrap();
    let anchor = std::fs::read_to_string(fixture("release-0.2.0.anchor")).unwrap();
    let out = brigade(&db, &["verify", "--anchor", anchor.trim()], "");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "verify wrote to the file"
    );
}

#[test]
fn read_only_queries_show_its_sends_as_one_ticket_per_station() {
    let (_d, db) = fixture_copy();
    let before = std::fs::read(&db).unwrap();
    // A send of steak, lager and fries, started in the old release: the kitchen's part and the
    // bar's part, each in progress.
    assert_eq!(
        tickets(&db, "fx2-mixed", None),
        [
            t(
                "fx2-mixed-t1.1",
                "kitchen",
                "in_progress",
                &["steak", "fries"]
            ),
            t("fx2-mixed-t1.2", "bar", "in_progress", &["lager"]),
        ]
    );
    assert_eq!(
        tickets(&db, "fx2-mixed", Some("bar")),
        [t("fx2-mixed-t1.2", "bar", "in_progress", &["lager"])]
    );
    // The add-on (its first ticket was bumped): two new tickets, the void still on the
    // tiramisu.
    assert_eq!(
        tickets(&db, "fx2-addon", None),
        [
            t("fx2-addon-t2.1", "kitchen", "new", &["tiramisu"]),
            t("fx2-addon-t2.2", "bar", "new", &["espresso"]),
        ]
    );
    let kitchen = ok_json(&brigade(&db, &["query", "kitchen"], ""));
    let tiramisu = kitchen
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["ticket_id"] == "fx2-addon-t2.1")
        .unwrap();
    assert_eq!(tiramisu["lines"][0]["void_reasons"][0], "one guest left");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a query wrote to the file"
    );
}

#[test]
fn a_bump_at_the_bar_leaves_the_kitchen_s_part_of_an_old_send_alone() {
    let (_d, db) = fixture_copy();
    exec(
        &db,
        &[r#"{"type":"BumpTicket","ticket_id":"fx2-mixed-t1.2"}"#],
    );
    assert_eq!(
        tickets(&db, "fx2-mixed", None),
        [t(
            "fx2-mixed-t1.1",
            "kitchen",
            "in_progress",
            &["steak", "fries"]
        )]
    );
    // The old id still names the whole send, as the previous release's scripts use it.
    exec(
        &db,
        &[
            r#"{"type":"BumpTicket","ticket_id":"fx2-mixed-t1"}"#,
            r#"{"type":"ServeTicket","order_id":"fx2-mixed"}"#,
            r#"{"type":"CloseOrder","order_id":"fx2-mixed","payment":"card"}"#,
        ],
    );
    assert!(tickets(&db, "fx2-mixed", None).is_empty());
    let anchor = std::fs::read_to_string(fixture("release-0.2.0.anchor")).unwrap();
    let out = brigade(&db, &["verify", "--anchor", anchor.trim()], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn old_orders_take_modifiers_seats_courses_and_fires() {
    let (_d, db) = fixture_copy();
    // The restaurant adopts this release's menu (modifier groups, courses, a grill station);
    // its old menu had none, and an upgrade alone does not change a menu.
    let menu = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/menu.json");
    let out = brigade(&db, &["menu", "import", menu.to_str().unwrap()], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // fx2-long has a snapshot written by the previous release (an older shape: replayed).
    let r = exec(
        &db,
        &[
            r#"{"type":"AddItem","order_id":"fx2-long","item_id":"steak","modifiers":["medium-rare","peppercorn"],"seat":2}"#,
            r#"{"type":"AddItem","order_id":"fx2-long","item_id":"tiramisu","seat":3}"#,
            r#"{"type":"PlaceOrder","order_id":"fx2-long"}"#,
        ],
    );
    let price = &r[0]["events"][0]["payload"]["price_cents"];
    assert_eq!(
        price.as_i64(),
        Some(2800 + 250),
        "steak plus peppercorn sauce"
    );
    let long = tickets(&db, "fx2-long", None);
    // The carbonara (added in the old release, no course) and the steak (mains, course 2) go
    // now; the tiramisu (desserts, course 3) is held.
    assert_eq!(
        long,
        [
            t("fx2-long-t1", "kitchen", "new", &["carbonara"]),
            t("fx2-long-t2", "grill", "new", &["steak"]),
            t("fx2-long-t3", "kitchen", "held", &["tiramisu"]),
        ]
    );
    exec(&db, &[r#"{"type":"FireCourse","order_id":"fx2-long"}"#]);
    assert_eq!(tickets(&db, "fx2-long", None)[2].2, "new");
    // An add-on to an old order numbers on after its old tickets (and their parts).
    let r = exec(
        &db,
        &[
            r#"{"type":"AddItem","order_id":"fx2-addon","item_id":"burger","modifiers":["medium","bacon"]}"#,
            r#"{"type":"PlaceOrder","order_id":"fx2-addon"}"#,
        ],
    );
    assert_eq!(r[1]["ticket_id"], "fx2-addon-t3");
    let out = brigade(&db, &["verify"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let history = ok_json(&brigade(&db, &["history", "fx2-mixed", "--json"], ""));
    let placed = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "OrderPlaced")
        .expect("the old send is in the trail");
    let tickets_after = &placed["state"]["tickets"];
    assert_eq!(tickets_after.as_array().unwrap().len(), 2, "{placed}");
}

#[test]
fn a_till_retrying_a_command_the_previous_release_recorded_gets_its_first_answer() {
    let (_d, db) = fixture_copy();
    let events = String::from_utf8(brigade(&db, &["events"], "").stdout).unwrap();
    // Every AddItem and PlaceOrder the previous release's simulate recorded for three orders,
    // sent again with its command id, as a till retrying after the upgrade would.
    let mut retries = Vec::new();
    let mut revisions = Vec::new();
    for line in events.lines() {
        let e: Value = serde_json::from_str(line).unwrap();
        let order = e["stream_id"].as_str().unwrap();
        if !["s3-1", "s3-2", "s3-3"].contains(&order) {
            continue;
        }
        let id = e["metadata"]["command_id"].as_str().unwrap();
        let p = &e["payload"];
        let retry = match e["type"].as_str().unwrap() {
            "ItemAddedToOrder" => {
                let mut r = serde_json::json!({"type": "AddItem", "order_id": order,
                    "item_id": p["item_id"], "quantity": p["quantity"], "command_id": id});
                if !p["note"].is_null() {
                    r["note"] = p["note"].clone();
                }
                r
            }
            "OrderPlaced" => {
                serde_json::json!({"type": "PlaceOrder", "order_id": order, "command_id": id})
            }
            _ => continue,
        };
        retries.push(retry.to_string());
        revisions.push(e["revision"].clone());
    }
    assert!(retries.len() >= 6, "{retries:?}");
    let head = brigade(&db, &["anchor"], "").stdout;
    let lines: Vec<&str> = retries.iter().map(String::as_str).collect();
    let results = exec(&db, &lines);
    for ((retry, result), revision) in retries.iter().zip(&results).zip(&revisions) {
        assert_eq!(&result["revision"], revision, "{retry} → {result}");
    }
    assert_eq!(
        brigade(&db, &["anchor"], "").stdout,
        head,
        "a retry wrote something"
    );
}
