//! End to end: the real binary in pseudo-terminals. A waiter takes an order with keystrokes
//! and sends it; a second process running `brigade kitchen` on the same database shows the
//! ticket; the cook bumps it there; the waiter's screen shows it ready — without a key press.
//! Every wait is for a condition on screen, with a generous deadline. The tests marked
//! `on_both_backends!` run on SQLite and on a throwaway PostgreSQL server.

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use support::term::Term;

on_both_backends!(an_order_taken_at_the_waiter_s_terminal_is_cooked_on_the_kitchen_screen);
fn an_order_taken_at_the_waiter_s_terminal_is_cooked_on_the_kitchen_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db = support::backends::database(dir.path());
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(&db)
        .args(["query", "menu"])
        .output()
        .unwrap();
    assert!(seeded.status.success());

    let mut waiter = Term::spawn(&db, &["--as", "ana"], 80, 24);
    waiter.wait_text("Open orders (0)");

    // A new order for table 4: n, the table, Enter.
    waiter.keys("n");
    waiter.wait_text("New order");
    waiter.keys("4\r");
    waiter.wait_text("Opened an order for table 4");
    // The menu has focus, ready to filter: type to find the margherita and add it; Tab
    // leaves the menu; s sends.
    waiter.keys("marg");
    waiter.wait_text("filter: marg");
    waiter.keys("\r");
    waiter.wait_text("Added Margherita");
    waiter.keys("\t");
    waiter.wait_for("the send key", |s| s.contains(" s send"));
    waiter.keys("s");
    waiter.wait_text("Sent to the kitchen: ");
    waiter.wait_text("in kitchen");

    // The kitchen screen, another process on the same database, shows the ticket.
    let mut kitchen = Term::spawn(&db, &["--as", "cook", "kitchen"], 80, 24);
    kitchen.wait_for("the ticket", |s| {
        s.contains("Table 4") && s.contains("1 Margherita")
    });
    // Bump bar: slot 1, Enter.
    kitchen.keys("1\r");
    kitchen.wait_text("Bumped Table 4");
    kitchen.wait_text("No open tickets");

    // The waiter sees it ready without pressing anything.
    waiter.wait_text("READY");

    // Recall from the kitchen (its list, Enter) brings it back on both screens.
    kitchen.keys("\x7f");
    kitchen.wait_text("Recall —");
    kitchen.keys("\r");
    kitchen.wait_text("Recalled Table 4");
    kitchen.wait_text("1 Margherita");
    waiter.wait_text("cooking");

    kitchen.quit();
    waiter.quit();
}

#[test]
fn tiny_terminals_get_a_note_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let term = Term::spawn(&db, &["kitchen"], 40, 10);
    term.wait_text("too small");
    term.quit();
}

on_both_backends!(ctrl_c_quits_even_from_a_form_and_gives_the_terminal_back);
fn ctrl_c_quits_even_from_a_form_and_gives_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = support::backends::database(dir.path());
    let mut waiter = Term::spawn(&db, &["--as", "ana"], 80, 24);
    waiter.wait_text("Open orders (0)");
    waiter.keys("n");
    waiter.wait_text("New order");
    waiter.keys("\x03");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = waiter.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "Ctrl-C did not quit");
        std::thread::sleep(Duration::from_millis(25));
    }
    waiter.wait_for("the terminal given back", |_| true);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (alt, hidden) = {
            let p = waiter.parser.lock().unwrap();
            (p.screen().alternate_screen(), p.screen().hide_cursor())
        };
        if !alt && !hidden {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "terminal not restored after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn a_crash_leaves_one_line_and_a_working_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let mut term = Term::spawn_env(
        &db,
        &["kitchen"],
        80,
        24,
        &[("BRIGADE_PANIC_AFTER_FIRST_FRAME", "1")],
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = term.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "did not exit");
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(!status.success());
    term.wait_for("the terminal given back with a message", |s| {
        s.contains("brigade: INTERNAL_ERROR") && !s.contains("stack backtrace")
    });
    let p = term.parser.lock().unwrap();
    assert!(
        !p.screen().alternate_screen(),
        "still on the alternate screen"
    );
    assert!(!p.screen().hide_cursor(), "cursor still hidden");
}

on_both_backends!(a_bracketed_paste_goes_into_the_note_and_a_newline_in_it_sends_nothing);
fn a_bracketed_paste_goes_into_the_note_and_a_newline_in_it_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = support::backends::database(dir.path());
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(&db)
        .args(["exec"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(
                b"{\"type\":\"OpenOrder\",\"order_id\":\"t4\",\"table\":\"4\"}\n\
                  {\"type\":\"AddItem\",\"order_id\":\"t4\",\"item_id\":\"steak\",\"modifiers\":[\"rare\"]}\n",
            )?;
            c.wait()
        })
        .unwrap();
    assert!(seeded.success());

    let mut waiter = Term::spawn(&db, &["--as", "ana"], 80, 24);
    waiter.wait_text("Open orders (1)");
    waiter.wait_for("bracketed paste turned on", |_| {
        waiter.parser.lock().unwrap().screen().bracketed_paste()
    });
    // The order, its first line, e: the note form; then a paste with a newline in it.
    waiter.keys("\re");
    waiter.wait_text("Note on Sirloin Steak");
    waiter.keys("\x1b[200~well done\nsend\x1b[201~");
    waiter.wait_text("well done send");
    // Still the form: the newline neither submitted it nor reached the screen as `s`.
    waiter.keys("\r");
    waiter.wait_text("Note saved");
    waiter.wait_text("✎ well done send");
    assert!(!waiter.screen().contains("in kitchen"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(&db)
        .args(["query", "kitchen"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    // Quitting turns bracketed paste off again (checked in `quit`).
    waiter.quit();
}

#[test]
fn a_locked_database_shows_waiting_keys_still_answer_and_ctrl_c_quits_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let mut exec = std::process::Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(&db)
        .arg("exec")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    exec.stdin
        .take()
        .unwrap()
        .write_all(
            concat!(
                r#"{"type":"OpenOrder","order_id":"k1","table":"9"}"#,
                "\n",
                r#"{"type":"AddItem","order_id":"k1","item_id":"risotto"}"#,
                "\n",
                r#"{"type":"PlaceOrder","order_id":"k1"}"#,
                "\n"
            )
            .as_bytes(),
        )
        .unwrap();
    assert!(exec.wait().unwrap().success());

    let mut kitchen = Term::spawn(&db, &["--as", "cook", "kitchen"], 80, 24);
    kitchen.wait_text("Table 9");
    // Another process holds the write lock (a rebuild, a backup) for as long as this test runs.
    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // Bump: the write waits for the lock — off the UI loop.
    kitchen.keys("1\r");
    kitchen.wait_text("waiting for the database");
    // Keys still answer at once, while the bump waits: help opens (and closes), the station
    // filter moves.
    kitchen.keys("?");
    kitchen.wait_text("Keys here");
    kitchen.keys("x");
    kitchen.keys("f");
    kitchen.wait_for("the station filter", |s| {
        s.contains("All day · ") && !s.contains("Keys here")
    });
    kitchen.wait_text("waiting for the database");
    // Ctrl-C ends the process at once, with the lock still held.
    kitchen.keys("\x03");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = kitchen.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Ctrl-C did not quit while the database was locked"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    lock.execute_batch("ROLLBACK").unwrap();
}
