//! The TUI's update logic, driven the way a person drives it: `Key`s into `App::on_key`, with a
//! real `Brigade` on a temp database and no terminal. Where what is *shown* matters (hints, the
//! help overlay, escaped notes, errors inside forms) the app is drawn into a `TestBackend`.
//!
//! One test binary, a file per theme: the waiter's screen, the kitchen's, history, what is
//! offered (hints, help, the domain's say), and input (errors, escapes, quitting, effects).

mod common;

mod history;
mod input;
mod kitchen;
mod offers;
mod waiter;
