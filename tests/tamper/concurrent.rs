//! Verify while others write (in this process and from another one) never fails.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use brigade::app::Brigade;

use super::common::*;

#[test]
fn verify_while_others_write_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&dir);
    let b = Brigade::open(&cfg).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (cfg, stop) = (cfg.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut w = Brigade::open(&cfg).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) || n < 40 {
                served_order(&mut w, &format!("w{n}"));
                n += 1;
            }
            n
        })
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut runs = 0;
    while runs < 25 && Instant::now() < deadline {
        let report = b.verify(&[]).unwrap();
        assert!(
            report.problems.is_empty(),
            "run {runs}: {:?}",
            report.problems
        );
        runs += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written >= 40);
    assert!(b.verify(&[]).unwrap().problems.is_empty());
}

#[test]
fn verify_while_simulate_writes_from_another_process_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    assert!(bin(&db, &["query", "menu"]).status.success());
    let mut writer = Command::new(env!("CARGO_BIN_EXE_brigade"))
        .arg("--db")
        .arg(&db)
        .args(["--as", "sim", "simulate", "--orders", "400", "--seed", "3"])
        .env_remove("BRIGADE_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut runs = 0;
    loop {
        let done = writer.try_wait().unwrap().is_some();
        let out = bin(&db, &["verify"]);
        assert!(out.status.success(), "run {runs}: {}", text(&out));
        runs += 1;
        if done || Instant::now() > deadline {
            break;
        }
    }
    let status = writer.wait().unwrap();
    assert!(status.success());
    assert!(runs >= 1);
}
