//! A kitchen screen on PostgreSQL, in a pseudo-terminal, through a server crash: the server
//! killed, the screen says so in its red banner by itself (no key pressed) and shows nothing
//! stale; a bump pressed meanwhile is refused on the screen and never queued; the server
//! started again, the banner goes away by itself, and an order another process places then
//! appears; Ctrl-C gives the terminal back. A server that hangs (SIGSTOP): the screen says so
//! and recovers, and `brigade exec` gives up with `DB_UNREACHABLE` instead of waiting forever.
//! Skipped with a note where no server can be started, unless `BRIGADE_REQUIRE_POSTGRES` is set.

mod support;

use std::path::Path;

use support::bin::brigade_as;
use support::pg::{PgServer, ADMIN};
use support::term::Term;

const BANNER: &str = "CANNOT READ THE DATABASE";

fn exec(db: &Path, commands: &str) {
    let out = brigade_as(db, "ana", &["exec"], commands);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The tickets' statuses on the server, as `query kitchen` gives them.
fn statuses(db: &Path) -> Vec<(String, String)> {
    let out = brigade_as(db, "it", &["query", "kitchen"], "");
    assert!(out.status.success());
    let tickets: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    tickets
        .as_array()
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

/// A throwaway server with a Brigade database `floor`, set up; its URL.
fn floor(test: &str) -> Option<(PgServer, String)> {
    let server = PgServer::start_or_skip(test)?;
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let url = server.url(ADMIN, "floor");
    assert!(brigade_as(Path::new(&url), "it", &["setup"], "")
        .status
        .success());
    Some((server, url))
}

#[test]
fn a_kitchen_screen_shows_the_outage_refuses_a_bump_and_recovers_by_itself() {
    let Some((server, url)) = floor("postgres_outage") else {
        return;
    };
    let db = Path::new(&url);
    exec(
        db,
        r#"{"type":"OpenOrder","order_id":"t6","table":"6"}
{"type":"AddItem","order_id":"t6","item_id":"burger","modifiers":["medium","cheese"]}
{"type":"PlaceOrder","order_id":"t6"}
"#,
    );
    let before = statuses(db);
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0].1, "new", "{before:?}");

    let mut kitchen = Term::spawn(db, &["--as", "cook", "kitchen"], 80, 24);
    kitchen.wait_text("1 House Burger");
    assert!(!kitchen.screen().contains(BANNER));

    // The server crashes: the screen says so by itself, and hides what it can no longer vouch
    // for.
    server.kill().unwrap();
    kitchen.wait_for("the banner and nothing stale", |s| {
        s.contains(BANNER) && !s.contains("House Burger")
    });

    // The cook bumps meanwhile: refused, said on the screen.
    kitchen.keys("\r");
    kitchen.wait_text("DB_UNREACHABLE");
    assert!(kitchen.screen().contains(BANNER));

    // The server is back: the banner goes by itself, the ticket is shown again, not bumped.
    server.restart().unwrap();
    kitchen.wait_for("the banner to go and the ticket to come back", |s| {
        !s.contains(BANNER) && s.contains("1 House Burger")
    });
    // Another till places an order now: the screen shows it (it follows the server again).
    exec(
        db,
        r#"{"type":"OpenOrder","order_id":"t7","table":"7"}
{"type":"AddItem","order_id":"t7","item_id":"lemonade"}
{"type":"PlaceOrder","order_id":"t7"}
"#,
    );
    kitchen.wait_text("1 Lemonade");
    assert!(kitchen.screen().contains("1 House Burger"));
    // The refused bump was not kept to be sent later: the burger is still to make.
    let after = statuses(db);
    assert_eq!(
        after
            .iter()
            .find(|(id, _)| *id == before[0].0)
            .map(|(_, s)| s.as_str()),
        Some("new"),
        "{after:?}"
    );
    kitchen.quit_with("\u{3}");
}

#[test]
fn a_screen_whose_watcher_could_not_connect_at_first_follows_the_server_once_it_can() {
    let Some(server) = PgServer::start_or_skip("postgres_outage::watcher") else {
        return;
    };
    server.psql("postgres", "CREATE DATABASE floor").unwrap();
    let owner = server.url(ADMIN, "floor");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .args(["--db", &owner, "setup", "--terminal-role", "till"])
        .env("BRIGADE_ROLE_PASSWORD", "s3cret")
        .env_remove("BRIGADE_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exec(
        Path::new(&owner),
        r#"{"type":"OpenOrder","order_id":"t6","table":"6"}
{"type":"AddItem","order_id":"t6","item_id":"burger","modifiers":["medium","cheese"]}
{"type":"PlaceOrder","order_id":"t6"}
"#,
    );
    // The till may hold one connection: the screen's store gets it, its watcher is refused
    // (as when the server blinks just as a screen starts).
    server
        .psql("floor", "ALTER ROLE till CONNECTION LIMIT 1")
        .unwrap();
    let till = server.url("till", "floor");
    let kitchen = Term::spawn(Path::new(&till), &["--as", "cook", "kitchen"], 80, 24);
    kitchen.wait_text("1 House Burger");
    let log = server.socket_dir().join("server.log");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("too many connections for role \"till\"")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the watcher was never refused"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    // The server lets it in again: the screen follows another process's order.
    server
        .psql("floor", "ALTER ROLE till CONNECTION LIMIT -1")
        .unwrap();
    exec(
        Path::new(&owner),
        r#"{"type":"OpenOrder","order_id":"t7","table":"7"}
{"type":"AddItem","order_id":"t7","item_id":"lemonade"}
{"type":"PlaceOrder","order_id":"t7"}
"#,
    );
    kitchen.wait_text("1 Lemonade");
    assert!(!kitchen.screen().contains(BANNER));
    kitchen.quit_with("\u{3}");
}

#[test]
fn a_screen_on_a_server_that_hangs_says_so_and_recovers_when_it_answers() {
    let Some((server, url, mut kitchen)) = kitchen_on("postgres_outage::frozen", BURGER) else {
        return;
    };
    let db = Path::new(&url);
    kitchen.wait_text("1 House Burger");
    let before = statuses(db);
    // The server hangs: no call fails, none returns. An idle screen says so by itself, and
    // shows nothing it can no longer vouch for.
    server.signal_all("-STOP").unwrap();
    let thaw = Thaw(&server);
    kitchen.wait_for("the banner saying the database does not answer", |s| {
        s.contains(BANNER) && s.contains("the database has not") && !s.contains("House Burger")
    });
    // The cook bumps the ticket the screen no longer shows: refused at once, never queued to
    // be done once the server answers.
    kitchen.keys("\r");
    kitchen.wait_text("nothing was sent");
    drop(thaw);
    kitchen.wait_for("the banner to go and the ticket to come back", |s| {
        !s.contains(BANNER) && s.contains("1 House Burger")
    });
    assert_eq!(statuses(db), before, "the bump was not done later");
    kitchen.quit_with("\u{3}");
}

#[test]
fn keys_pressed_before_the_banner_on_a_server_that_hangs_are_not_done_once_it_answers() {
    let orders = format!(
        "{BURGER}{}",
        r#"{"type":"OpenOrder","order_id":"t7","table":"7"}
{"type":"AddItem","order_id":"t7","item_id":"lemonade"}
{"type":"PlaceOrder","order_id":"t7"}
"#
    );
    let Some((server, url, mut kitchen)) = kitchen_on("postgres_outage::keyed_early", &orders)
    else {
        return;
    };
    let db = Path::new(&url);
    kitchen.wait_text("1 Lemonade");
    // The server hangs; before the screen can tell (the banner comes after a few seconds),
    // the cook bumps both tickets. The first may already be on its way to the server; the
    // second waits behind it, and once the banner is up it must not be sent any more.
    server.signal_all("-STOP").unwrap();
    let thaw = Thaw(&server);
    kitchen.keys("1\r");
    kitchen.keys("2\r");
    // Thawed once the banner has been up for a while, so that the queued bump has waited
    // past the banner's time whatever the scheduling.
    kitchen.wait_for("the banner, up for 7 s", |s| {
        s.contains(BANNER) && silent_secs(s).is_some_and(|n| n >= 7)
    });
    drop(thaw);
    kitchen.wait_text("nothing was sent");
    kitchen.wait_for("the banner to go", |s| !s.contains(BANNER));
    let after = statuses(db);
    let second = after.iter().find(|(id, _)| id.starts_with("t7")).unwrap();
    assert_eq!(second.1, "new", "the queued bump was done later: {after:?}");
    kitchen.quit_with("\u{3}");
}

/// Table 6's burger, placed.
const BURGER: &str = r#"{"type":"OpenOrder","order_id":"t6","table":"6"}
{"type":"AddItem","order_id":"t6","item_id":"burger","modifiers":["medium"]}
{"type":"PlaceOrder","order_id":"t6"}
"#;

/// A throwaway server with `orders` placed on it, and a cook's kitchen screen on it (80×24).
fn kitchen_on(test: &str, orders: &str) -> Option<(PgServer, String, Term)> {
    let (server, url) = floor(test)?;
    exec(Path::new(&url), orders);
    let kitchen = Term::spawn(Path::new(&url), &["--as", "cook", "kitchen"], 80, 24);
    Some((server, url, kitchen))
}

/// How long the banner says the database has not answered ("…answered for N s"), if it does.
fn silent_secs(screen: &str) -> Option<u64> {
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = &flat[flat.find("answered for ")? + "answered for ".len()..];
    rest.split(' ').next()?.parse().ok()
}

/// Thaws a frozen server when dropped (a failed assertion too), so that it can be stopped.
struct Thaw<'a>(&'a PgServer);

impl Drop for Thaw<'_> {
    fn drop(&mut self) {
        let _ = self.0.signal_all("-CONT");
    }
}

#[test]
fn exec_on_a_server_that_hangs_gives_up_and_the_command_sent_again_applies_once() {
    use std::io::Write;
    use std::time::{Duration, Instant};
    let Some((server, url)) = floor("postgres_outage::exec_frozen") else {
        return;
    };
    let db = Path::new(&url);
    exec(
        db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"t1\",\"table\":\"1\"}\n",
    );
    let add = "{\"type\":\"AddItem\",\"order_id\":\"t1\",\"item_id\":\"fries\",\"command_id\":\"till-1-42\"}\n";
    // A till that is running (connected) when the server hangs.
    let mut till = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .args(["--db", &url, "--as", "ana", "exec"])
        .env("BRIGADE_COMMAND_TIMEOUT", "3")
        .env_remove("BRIGADE_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = till.stdin.take().unwrap();
    let mut answers = std::io::BufReader::new(till.stdout.take().unwrap());
    let mut line = String::new();
    input
        .write_all(b"{\"type\":\"OpenOrder\",\"order_id\":\"t2\",\"table\":\"2\"}\n")
        .unwrap();
    std::io::BufRead::read_line(&mut answers, &mut line).unwrap();
    assert!(line.contains("\"ok\""), "the till answers: {line}");
    server.signal_all("-STOP").unwrap();
    let thaw = Thaw(&server);
    input.write_all(add.as_bytes()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while till.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = till.kill();
            panic!("exec waited for the frozen server for a minute");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let out = till.wait_with_output().unwrap();
    let mut said = String::new();
    std::io::Read::read_to_string(&mut answers, &mut said).unwrap();
    let told = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}{told}");
    assert!(said.contains("DB_UNREACHABLE"), "{said}");
    assert!(told.contains("has not answered for 3 s"), "{told}");
    // A command that only connects (to read) gives up too, rather than hang on the login.
    let query = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .args(["--db", &url, "query", "kitchen"])
        .env("BRIGADE_COMMAND_TIMEOUT", "3")
        .env_remove("BRIGADE_DB")
        .output()
        .unwrap();
    let told = String::from_utf8_lossy(&query.stderr);
    assert_eq!(query.status.code(), Some(1), "{told}");
    assert!(told.contains("DB_UNREACHABLE"), "{told}");
    assert!(
        !told.contains("send it again"),
        "a read has nothing to send again: {told}"
    );
    // And a kitchen screen started now says so and ends, rather than stay blank.
    let kitchen = Term::spawn_env(
        db,
        &["--as", "cook", "kitchen"],
        80,
        24,
        &[("BRIGADE_COMMAND_TIMEOUT", "3")],
    );
    kitchen.wait_text("DB_UNREACHABLE");
    drop(thaw);
    // The server answers again: the till sends the command again, with the same id; it
    // applies once, whether or not the first attempt had reached the server.
    exec(db, add);
    exec(db, add);
    let events = brigade_as(db, "it", &["events"], "");
    let added = String::from_utf8_lossy(&events.stdout)
        .lines()
        .filter(|l| l.contains("\"type\":\"ItemAddedToOrder\""))
        .count();
    assert_eq!(added, 1, "{}", String::from_utf8_lossy(&events.stdout));
}
