//! Brigade: an event-sourced restaurant floor and kitchen terminal on SQLite.
//!
//! Layers, each in its own folder:
//! - [`domain`]: pure deciders (menu, order); no I/O, no clock, no randomness.
//! - [`store`]: the append-only event log in SQLite, with optimistic concurrency, idempotent
//!   commands, a hash chain, snapshots and upcasting.
//! - [`projections`]: read models (open orders, kitchen queue, popularity, audit trail).
//! - [`app`]: the command path that ties them together (decide, append, retry) and the queries.
//! - [`cli`] and [`tui`]: the two faces people and scripts use.

pub mod app;
pub mod cli;
pub mod display;
pub mod domain;
pub mod projections;
pub mod store;
pub mod tui;
