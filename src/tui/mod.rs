//! The terminal UI (work in progress).

use crate::app::Brigade;
use crate::cli::Failure;

pub enum Start {
    Waiter,
    Kitchen { station: Option<String> },
    History { order_id: Option<String> },
}

pub fn run(_brigade: Brigade, _start: Start) -> Result<i32, Failure> {
    Err(Failure::new("NO_TUI", "the terminal UI is not built yet"))
}
