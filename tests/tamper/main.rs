//! Tamper evidence against someone who can write the database file: each test does what such
//! an attacker would (open the file with SQLite, drop the append-only triggers, edit, re-hash
//! with the project's own hash function, adjust `sqlite_sequence`, rebuild) and checks that
//! `brigade verify` — the real binary or the app's verify — fails and names the problem.
//!
//! One test binary, a file per theme: anchors, guards and read models, command records,
//! snapshots, and verify under concurrent writers.

mod common;
#[path = "../support/mod.rs"]
mod support;

mod anchors;
mod commands;
mod concurrent;
mod guards;
mod snapshots;
