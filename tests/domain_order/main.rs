//! Given/when/then tests of the order decider: every command, every rejection, and the facts
//! `evolve` establishes (line and ticket ids, statuses, totals). One test binary, a file per
//! section.

#[path = "../support/mod.rs"]
mod support;

mod fixtures;

mod courses;
mod ending;
mod evolve;
mod kitchen;
mod lines;
mod open;
mod random_walk;
