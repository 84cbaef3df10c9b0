//! A kitchen screen on PostgreSQL, in a pseudo-terminal: another process places an order on
//! the server and the screen shows it by itself (LISTEN wakes it, the head read answers); the
//! cook bumps it there and the server has it ready; quitting gives the terminal back (the
//! client is owned by the screen's worker thread, never by its async runtime). Skipped with a
//! note where no server can be started, unless `BRIGADE_REQUIRE_POSTGRES` is set.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::bin::brigade_as;
use support::pg::{PgServer, ADMIN};
use support::term::Term;

#[test]
fn a_kitchen_screen_on_the_server_shows_another_process_s_order_and_bumps_it() {
    let Some(server) = PgServer::start_or_skip("postgres_screens") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let url = server.url(ADMIN, "floor");
    let db = Path::new(&url);
    assert!(brigade_as(db, "it", &["setup"], "").status.success());
    let mut kitchen = Term::spawn(db, &["--as", "cook", "kitchen"], 80, 24);
    kitchen.wait_text("No open tickets");
    let order = r#"{"type":"OpenOrder","order_id":"t6","table":"6"}
{"type":"AddItem","order_id":"t6","item_id":"burger","modifiers":["medium","cheese"]}
{"type":"PlaceOrder","order_id":"t6"}
"#;
    let out = brigade_as(db, "ana", &["exec"], order);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    kitchen.wait_text("1 House Burger");
    kitchen.wait_text("+ Cheddar");
    kitchen.keys("\r");
    kitchen.wait_text("Bumped Table 6");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let q = brigade_as(db, "it", &["query", "open-orders"], "");
        let text = String::from_utf8_lossy(&q.stdout);
        if text.contains("\"ready\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the bump never reached the server: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    kitchen.quit();
}
