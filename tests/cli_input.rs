//! Issue 7 §4 on the real binary: bad input is refused clearly, nothing is written, nothing is
//! lost.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
        .env_remove("BRIGADE_CONFIG")
        .env_remove("BRIGADE_STAFF")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs `brigade exec` with `input` as raw bytes on stdin.
fn exec_bytes(db: &Path, input: &[u8]) -> (Vec<Value>, Output) {
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(["--as", "ana", "exec"])
        .env_remove("BRIGADE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A process that refuses its database exits before reading stdin: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    let lines = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, out)
}

fn exec(db: &Path, input: &str) -> (Vec<Value>, Output) {
    exec_bytes(db, input.as_bytes())
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

fn db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    (dir, path)
}

/// One line on stderr, `brigade: CODE: …`, a non-zero exit, no panic.
fn one_error_line(out: &Output, code: &str) -> String {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with(&format!("brigade: {code}: ")), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn menu_ids(db: &Path) -> Vec<String> {
    json(&brigade(db, &["query", "menu"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn menu_files_are_bounded_and_empty_or_unknown_content_is_refused() {
    let (dir, db) = db();
    let before_menu = menu_ids(&db);
    let before = head(&db);
    assert!(!before_menu.is_empty());

    // /dev/zero never ends: refused once past the limit, without reading it all.
    let err = one_error_line(
        &brigade(&db, &["menu", "import", "/dev/zero"]),
        "FILE_TOO_LARGE",
    );
    assert!(err.contains("/dev/zero"), "{err}");
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 5 << 20]).unwrap();
    one_error_line(
        &brigade(&db, &["menu", "import", big.to_str().unwrap()]),
        "FILE_TOO_LARGE",
    );

    let file = dir.path().join("menu.json");
    for (text, code) in [
        ("", "EMPTY_MENU"),
        ("  \n", "EMPTY_MENU"),
        (r#"{"items": []}"#, "EMPTY_MENU"),
        ("[]", "EMPTY_MENU"),
        (
            r#"{"items":[{"id":"tea","name":"Tea","category":"Drinks","price_cents":300,"colour":"green"}]}"#,
            "UNKNOWN_FIELD",
        ),
        (
            r#"{"items":[{"id":"tea","name":"Tea","category":"Drinks","price_cents":300}],"version":2}"#,
            "UNKNOWN_FIELD",
        ),
    ] {
        std::fs::write(&file, text).unwrap();
        one_error_line(
            &brigade(&db, &["menu", "import", file.to_str().unwrap()]),
            code,
        );
    }
    assert_eq!(menu_ids(&db), before_menu, "the menu is unchanged");
    assert_eq!(head(&db), before, "nothing was written");

    // A good file, with a byte-order mark, still imports.
    std::fs::write(
        &file,
        "\u{feff}{\"items\":[{\"id\":\"tea\",\"name\":\"Tea\",\"category\":\"Drinks\",\"price_cents\":300}]}",
    )
    .unwrap();
    json(&brigade(&db, &["menu", "import", file.to_str().unwrap()]));
    assert_eq!(menu_ids(&db), ["tea"]);
}

#[test]
fn a_settings_file_is_bounded_too() {
    let (dir, db) = db();
    assert!(brigade(&db, &["query", "menu"]).status.success());
    let settings = dir.path().join("huge.json");
    std::fs::write(&settings, vec![b' '; 1 << 20]).unwrap();
    let t = brigade::tui::settings::thresholds_from(&settings);
    match t {
        Err(f) => assert_eq!(f.code(), "FILE_TOO_LARGE"),
        Ok(_) => panic!("a 1 MB settings file was read"),
    }
    match brigade::tui::settings::thresholds_from(Path::new("/dev/zero")) {
        Err(f) => assert_eq!(f.code(), "FILE_TOO_LARGE"),
        Ok(_) => panic!("/dev/zero was read as settings"),
    }
}

#[test]
fn change_menu_item_with_only_a_price_keeps_the_rest() {
    let (_d, db) = db();
    let (lines, out) = exec(
        &db,
        concat!(
            r#"{"type":"AddMenuItem","item_id":"spritz","name":"Spritz","category":"Drinks","price_cents":800,"station":"bar","allergens":["sulphites"]}"#,
            "\n",
            r#"{"type":"ChangeMenuItem","item_id":"spritz","price_cents":900}"#,
            "\n",
        ),
    );
    assert!(out.status.success(), "{lines:?}");
    let menu = json(&brigade(&db, &["query", "menu"]));
    let item = menu
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "spritz")
        .unwrap()
        .clone();
    assert_eq!(item["price_cents"], 900);
    assert_eq!(item["station"], "bar");
    assert_eq!(item["allergens"], serde_json::json!(["sulphites"]));
    assert_eq!(item["name"], "Spritz");
}

#[test]
fn an_item_86d_while_unsent_is_not_sent_to_the_kitchen() {
    let (_d, db) = db();
    let (lines, _) = exec(
        &db,
        concat!(
            r#"{"type":"OpenOrder","order_id":"t1","table":"1"}"#,
            "\n",
            r#"{"type":"AddItem","order_id":"t1","item_id":"margherita"}"#,
            "\n",
            r#"{"type":"MarkItemUnavailable","item_id":"margherita"}"#,
            "\n",
            r#"{"type":"PlaceOrder","order_id":"t1"}"#,
            "\n",
        ),
    );
    assert_eq!(lines[3]["ok"], false, "{lines:?}");
    assert_eq!(lines[3]["error"]["code"], "ITEM_UNAVAILABLE");
    // Named as the waiter numbers the lines, with the id for scripts.
    let message = lines[3]["error"]["message"].as_str().unwrap();
    assert!(message.contains("line 1 (Margherita, id l2)"), "{message}");
    let kitchen = json(&brigade(&db, &["query", "kitchen"]));
    assert_eq!(kitchen.as_array().unwrap().len(), 0, "no ticket went out");
}

/// Every file in `dir` with its bytes' digest (so that nothing created, deleted or changed
/// goes unseen).
fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    use sha2::{Digest, Sha256};
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (
                e.file_name().to_string_lossy().into_owned(),
                Sha256::digest(&bytes).to_vec(),
            )
        })
        .collect();
    files.sort();
    files
}

const READ_ONLY: &[&[&str]] = &[
    &["verify"],
    &["events"],
    &["history", "t1", "--json"],
    &["history", "t1", "--print"],
    &["query", "menu"],
    &["query", "open-orders"],
    &["query", "kitchen"],
];

#[test]
fn read_only_commands_write_nothing_not_even_wal_files() {
    let (dir, db) = db();
    let (_, out) = exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"t1\",\"table\":\"1\"}\n\
         {\"type\":\"AddItem\",\"order_id\":\"t1\",\"item_id\":\"margherita\"}\n",
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // As root a read-only directory is still writable: stand in for one by making the `-wal`
    // and `-shm` files impossible to create (directories are in their place).
    for suffix in ["-wal", "-shm"] {
        let mut p = db.clone().into_os_string();
        p.push(suffix);
        std::fs::create_dir(&p).unwrap();
    }
    let before = snapshot_dir(dir.path());
    for args in READ_ONLY {
        let out = brigade(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(snapshot_dir(dir.path()), before, "{args:?} wrote something");
    }
}

#[test]
fn read_only_commands_refuse_an_empty_file_and_leave_it_empty() {
    let (dir, db) = db();
    std::fs::write(&db, b"").unwrap();
    for args in READ_ONLY {
        one_error_line(&brigade(&db, args), "NOT_A_BRIGADE_DATABASE");
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "{args:?}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{args:?} created a file"
        );
    }
}

#[test]
fn read_only_commands_read_through_a_live_wal() {
    let (_d, db) = db();
    exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"t1\",\"table\":\"1\"}\n",
    );
    // Another process keeps the database open with commits still in its WAL.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")
        .unwrap();
    let _: i64 = conn
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    let events_before = head(&db);
    let (lines, _) = exec(
        &db,
        "{\"type\":\"AddItem\",\"order_id\":\"t1\",\"item_id\":\"margherita\"}\n",
    );
    assert_eq!(lines[0]["ok"], true);
    let mut wal = db.clone().into_os_string();
    wal.push("-wal");
    assert!(Path::new(&wal).exists(), "the WAL is live");
    assert_eq!(head(&db), events_before + 1, "the WAL's commit is seen");
    let out = brigade(&db, &["verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop(conn);
}

/// A database with one order, closed cleanly.
fn service(db: &Path) {
    let (_, out) = exec(
        db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"t1\",\"table\":\"1\"}\n\
         {\"type\":\"AddItem\",\"order_id\":\"t1\",\"item_id\":\"margherita\"}\n\
         {\"type\":\"PlaceOrder\",\"order_id\":\"t1\"}\n",
    );
    assert!(out.status.success());
}

#[test]
fn an_unreadable_event_payload_is_db_corrupt_not_null() {
    let (_d, db) = db();
    service(&db);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_are_append_only_update;
         UPDATE events SET payload = '{not json' WHERE position = (SELECT max(position) FROM events);",
    )
    .unwrap();
    drop(conn);
    let out = brigade(&db, &["events"]);
    let err = one_error_line(&out, "DB_CORRUPT");
    assert!(err.contains("position"), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("\"payload\":null"),
        "no null payload printed"
    );
}

#[test]
fn a_truncated_or_damaged_file_is_db_corrupt_from_every_command() {
    let (dir, db) = db();
    service(&db);
    // Enough events for the file to span many pages.
    let many: String = (0..300)
        .map(|i| format!("{{\"type\":\"OpenOrder\",\"order_id\":\"o{i}\",\"table\":\"{i}\"}}\n"))
        .collect();
    exec(&db, &many);
    let whole = std::fs::read(&db).unwrap();
    let menu = dir.path().join("menu.json");
    std::fs::write(
        &menu,
        r#"[{"id":"tea","name":"Tea","category":"Drinks","price_cents":300}]"#,
    )
    .unwrap();
    let every: &[&[&str]] = &[
        &["verify"],
        &["events"],
        &["history", "o150", "--json"],
        &["query", "open-orders"],
        &["rebuild"],
        &["menu", "import", menu.to_str().unwrap()],
    ];
    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let damaged = dir.path().join("damaged.db");
    let mut bytes = whole.clone();
    let page = 4096;
    for b in &mut bytes[3 * page..whole.len() - page] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    for file in [&truncated, &damaged] {
        for args in every {
            let out = brigade(file, args);
            let err = one_error_line(&out, "DB_CORRUPT");
            assert!(
                err.contains(file.file_name().unwrap().to_str().unwrap()),
                "where: {err}"
            );
        }
        let (lines, out) = exec(
            file,
            "{\"type\":\"OpenOrder\",\"order_id\":\"new\",\"table\":\"9\"}\n",
        );
        assert!(!out.status.success());
        let code = lines
            .first()
            .map(|l| l["error"]["code"].as_str().unwrap().to_string())
            .unwrap_or_else(|| String::from_utf8_lossy(&out.stderr).into_owned());
        assert!(code.contains("DB_CORRUPT"), "exec: {code}");
    }
}

#[test]
fn exec_refuses_what_json_libraries_let_through() {
    let (_d, db) = db();
    exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"o\",\"table\":\"1\"}\n",
    );
    let before = head(&db);
    let cases: &[(&[u8], &str)] = &[
        (
            b"{\"type\":\"OpenOrder\",\"order_id\":\"x\",\"table\":\"\xff\xfe\"}",
            "BAD_JSON",
        ),
        (
            b"{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":1,\"quantity\":99}",
            "BAD_JSON",
        ),
        (
            b"{\"type\":\"OpenOrder\",\"order_id\":\"x\",\"customer\":{\"name\":\"A\",\"name\":\"B\"}}",
            "BAD_JSON",
        ),
        (
            b"{\"type\":\"OpenOrder\",\"order_id\":\"x\",\"customer\":\"Ana\",\"customer_name\":\"Bea\"}",
            "INVALID_FIELD",
        ),
        (
            b"{\"type\":\"OpenOrder\",\"order_id\":\"x\",\"customer\":{\"name\":\"Ana\"},\"phone\":\"555\"}",
            "INVALID_FIELD",
        ),
        (
            b"{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":3.0}",
            "INVALID_QUANTITY",
        ),
    ];
    for (line, code) in cases {
        let mut input = line.to_vec();
        input.push(b'\n');
        let (lines, out) = exec_bytes(&db, &input);
        assert_eq!(out.status.code(), Some(1), "{code}");
        assert_eq!(lines.len(), 1, "{code}");
        assert_eq!(
            lines[0]["error"]["code"],
            *code,
            "{}",
            String::from_utf8_lossy(line)
        );
    }
    // quantity 3.0: the message says what is wrong, not that 3 is out of range.
    let (lines, _) = exec(
        &db,
        "{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":3.0}\n",
    );
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("not 3.0"), "{message}");
    assert!(!message.contains("range"), "{message}");
    assert_eq!(head(&db), before, "nothing was written");

    // A line after an invalid UTF-8 line is still processed; a BOM is accepted.
    let (lines, out) = exec_bytes(
        &db,
        b"\xff\n\xef\xbb\xbf{\"type\":\"OpenOrder\",\"order_id\":\"bom\",\"table\":\"2\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines[0]["error"]["code"], "BAD_JSON");
    assert_eq!(lines[1]["ok"], true, "{lines:?}");
}

#[test]
fn text_limits_count_characters_as_people_see_them() {
    let (_d, db) = db();
    exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"o\",\"table\":\"1\"}\n",
    );
    // "é" typed as "e" and a combining acute accent: two code points, one character.
    let note = |n: usize| "e\u{301}".repeat(n);
    let add = |n: usize| {
        format!(
            "{{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"note\":\"{}\"}}\n",
            note(n)
        )
    };
    let (lines, _) = exec(&db, &add(140));
    assert_eq!(lines[0]["ok"], true, "140 characters fit: {lines:?}");
    let (lines, _) = exec(&db, &add(141));
    assert_eq!(lines[0]["error"]["code"], "TEXT_TOO_LONG");
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("141"), "{message}");
    // One character with a hundred thousand combining marks is still one character, but not
    // 200 KB in the log and on every screen: text is bounded in bytes too.
    let heavy = format!("a{}", "\u{301}".repeat(100_000));
    let (lines, _) = exec(
        &db,
        &format!(
            "{{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"note\":\"{heavy}\"}}\n"
        ),
    );
    assert_eq!(lines[0]["error"]["code"], "TEXT_TOO_LONG", "{lines:?}");
    assert!(lines[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("bytes long"));
}

#[test]
fn a_negative_zero_quantity_gets_a_message_that_does_not_contradict_itself() {
    let (_d, db) = db();
    exec(
        &db,
        "{\"type\":\"OpenOrder\",\"order_id\":\"o\",\"table\":\"1\"}\n",
    );
    let (lines, _) = exec(
        &db,
        "{\"type\":\"AddItem\",\"order_id\":\"o\",\"item_id\":\"fries\",\"quantity\":-0}\n",
    );
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(!message.contains("(-0, not"), "{message}");
}

#[test]
fn station_only_where_it_applies_and_only_one_that_exists() {
    let (_d, db) = db();
    assert!(brigade(&db, &["query", "menu"]).status.success());
    for args in [
        &["query", "menu", "--station", "bar"][..],
        &["query", "open-orders", "--station", "bar"],
        &["query", "popularity", "--station", "bar"],
        &["verify", "--station", "bar"],
        &["events", "--station", "bar"],
    ] {
        let out = brigade(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--station"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    for args in [
        &["query", "kitchen", "--station", "grill-9"][..],
        &["kitchen", "--station", "grill-9"],
    ] {
        let err = one_error_line(&brigade(&db, args), "STATION_NOT_FOUND");
        assert!(err.contains("grill-9"), "{err}");
    }
    let bar = json(&brigade(&db, &["query", "kitchen", "--station", "bar"]));
    assert!(bar.is_array());
}

#[test]
fn a_worker_name_with_control_characters_is_refused_naming_its_source() {
    let (_d, db) = db();
    let err = one_error_line(
        &brigade(&db, &["--as", "ana\u{1b}[2J", "query", "menu"]),
        "INVALID_ACTOR",
    );
    assert!(err.contains("--as"), "{err}");
    let out = Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["query", "menu"])
        .env("BRIGADE_STAFF", "bob\u{7}")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = one_error_line(&out, "INVALID_ACTOR");
    assert!(err.contains("BRIGADE_STAFF"), "{err}");
    assert!(!db.exists(), "nothing was created");
}

/// Every quoted SCREAMING_SNAKE string in `text` (error codes, and environment variables).
fn screaming_strings(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.len() >= 4
                && s.contains('_')
                && s.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                && s.as_bytes()[0].is_ascii_uppercase()
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_code_the_code_base_can_print_is_listed_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut missing = Vec::new();
    let mut dirs = vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for code in screaming_strings(&text) {
                // Environment variables are documented where they are used, not as codes.
                let env_var = code.starts_with("BRIGADE_");
                if !env_var && !readme.contains(&format!("`{code}`")) {
                    missing.push(format!("{code} ({})", path.display()));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "codes missing from the README: {missing:?}"
    );
}
