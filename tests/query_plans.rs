//! Every statement Brigade runs during a service, checked with EXPLAIN QUERY PLAN: none reads a
//! whole table of events, orders, tickets or commands when it means a few rows.

use std::collections::BTreeSet;
use std::sync::Mutex;

use brigade::app::request::parse_line;
use brigade::app::{simulate, Brigade, Config};
use brigade::projections;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::Connection;

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, _) = event {
        // The statement as prepared, with `?` placeholders (bound values would hide repeats).
        SEEN.lock().unwrap().push(stmt.sql().to_string());
    }
}

/// Tables that grow with the service: reading one of them whole is a bug unless meant.
const GROWING: &[&str] = &[
    "events",
    "order_views",
    "kitchen_tickets",
    "commands",
    "snapshots",
];

#[test]
fn statements_of_a_service_use_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&Config::new(dir.path().join("b.db"), "t")).unwrap();
    b.store()
        .connection()
        .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
    simulate::run(&mut b, 30, 5, 6, &mut |_, _| {}).unwrap();
    for line in [
        r#"{"type":"OpenOrder","order_id":"q","table":"3","covers":2}"#,
        r#"{"type":"AddItem","order_id":"q","item_id":"burger","modifiers":["medium"],"quantity":2,"command_id":"x1"}"#,
        r#"{"type":"AddItem","order_id":"q","item_id":"burger","modifiers":["medium"],"quantity":2,"command_id":"x1"}"#,
        r#"{"type":"PlaceOrder","order_id":"q"}"#,
        r#"{"type":"BumpTicket","ticket_id":"q-t1"}"#,
        r#"{"type":"RecallTicket","ticket_id":"q-t1"}"#,
    ] {
        b.execute(&parse_line(line).unwrap()).unwrap();
    }
    b.open_orders().unwrap();
    b.kitchen(Some("bar")).unwrap();
    b.last_bumped(None).unwrap();
    b.recent_orders(50).unwrap();
    b.popularity().unwrap();
    b.order_view("q").unwrap();
    b.order_events("q").unwrap();
    b.load_order("q").unwrap();
    b.store()
        .connection()
        .trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, None);

    let seen: BTreeSet<String> = SEEN.lock().unwrap().iter().cloned().collect();
    let conn = Connection::open(b.path()).unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    for sql in &seen {
        let head = sql.trim_start().to_ascii_uppercase();
        if !(head.starts_with("SELECT") || head.starts_with("DELETE") || head.starts_with("UPDATE"))
        {
            continue;
        }
        checked += 1;
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        // Unbound placeholders are NULL to EXPLAIN; the plan does not depend on them.
        let mut rows = stmt.raw_query();
        let mut plan = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            plan.push(r.get::<_, String>(3).unwrap());
        }
        for step in &plan {
            let whole_table = GROWING.iter().any(|t| step == &format!("SCAN {t}"));
            if whole_table {
                problems.push(format!("{sql}\n    -> {step}"));
            }
        }
    }
    assert!(checked >= 10, "the service ran queries ({checked} checked)");
    assert!(problems.is_empty(), "full scans:\n{}", problems.join("\n"));
    // And the maintenance fold reads the log in position order through the rowid.
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE position > 0 ORDER BY position",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("INTEGER PRIMARY KEY"), "{plan}");
    assert!(projections::check(b.store().connection())
        .unwrap()
        .is_empty());
}
