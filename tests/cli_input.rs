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
    child.stdin.take().unwrap().write_all(input).unwrap();
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
        Err(f) => assert_eq!(f.code, "FILE_TOO_LARGE"),
        Ok(_) => panic!("a 1 MB settings file was read"),
    }
    match brigade::tui::settings::thresholds_from(Path::new("/dev/zero")) {
        Err(f) => assert_eq!(f.code, "FILE_TOO_LARGE"),
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
    assert!(lines[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("l2"));
    let kitchen = json(&brigade(&db, &["query", "kitchen"]));
    assert_eq!(kitchen.as_array().unwrap().len(), 0, "no ticket went out");
}
