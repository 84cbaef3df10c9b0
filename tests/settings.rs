//! The kitchen's age thresholds: built-in defaults, a `brigade.json` beside the database,
//! environment overrides, and clear refusals. One test, since it sets environment variables.

use brigade::tui::settings::thresholds;

#[test]
fn thresholds_come_from_defaults_then_the_file_then_the_environment() {
    for k in [
        "BRIGADE_CONFIG",
        "BRIGADE_WARN_MINUTES",
        "BRIGADE_LATE_MINUTES",
    ] {
        std::env::remove_var(k);
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let t = thresholds(Some(&db)).unwrap();
    assert_eq!((t.warn, t.late), (5 * 60, 8 * 60), "the built-in defaults");

    let file = dir.path().join("brigade.json");
    std::fs::write(&file, r#"{"kitchen": {"warn_minutes": 6}}"#).unwrap();
    let t = thresholds(Some(&db)).unwrap();
    assert_eq!((t.warn, t.late), (6 * 60, 8 * 60), "file over defaults");

    std::fs::write(
        &file,
        r#"{"kitchen": {"warn_minutes": 3, "late_minutes": 6}}"#,
    )
    .unwrap();
    std::env::set_var("BRIGADE_LATE_MINUTES", "12");
    let t = thresholds(Some(&db)).unwrap();
    assert_eq!((t.warn, t.late), (3 * 60, 12 * 60), "environment over file");
    std::env::remove_var("BRIGADE_LATE_MINUTES");

    for (text, why) in [
        ("{not json", "unreadable"),
        (r#"{"kitchen": {"warn_minutes": 0}}"#, "out of range"),
        (
            r#"{"kitchen": {"warn_minutes": 9, "late_minutes": 4}}"#,
            "late before warn",
        ),
        (r#"{"kitchen": {"warm_minutes": 5}}"#, "a misspelt key"),
    ] {
        std::fs::write(&file, text).unwrap();
        let err = thresholds(Some(&db))
            .err()
            .unwrap_or_else(|| panic!("{why} was accepted"));
        assert_eq!(err.code(), "CONFIG_INVALID", "{why}");
    }

    let elsewhere = dir.path().join("kitchen.json");
    std::fs::write(
        &elsewhere,
        r#"{"kitchen": {"warn_minutes": 2, "late_minutes": 3}}"#,
    )
    .unwrap();
    std::env::set_var("BRIGADE_CONFIG", &elsewhere);
    let t = thresholds(Some(&db)).unwrap();
    assert_eq!(
        (t.warn, t.late),
        (120, 180),
        "BRIGADE_CONFIG names the file"
    );
    // Named on purpose and missing: refused, not silently the defaults.
    std::env::set_var("BRIGADE_CONFIG", dir.path().join("no-such.json"));
    let err = thresholds(Some(&db)).unwrap_err();
    assert_eq!(err.code(), "CONFIG_INVALID");
    assert!(
        err.message().contains("does not exist"),
        "{}",
        err.message()
    );
    std::env::remove_var("BRIGADE_CONFIG");
}
