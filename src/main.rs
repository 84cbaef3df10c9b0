//! The `brigade` binary: parses the command line and hands over to [`brigade::cli`].

use clap::Parser;

fn main() {
    // No backtraces for people: one line, and the terminal is restored by the TUI's own guard.
    std::panic::set_hook(Box::new(|info| {
        let _ = crossterm::terminal::disable_raw_mode();
        let _ = crossterm::execute!(
            std::io::stderr(),
            crossterm::terminal::LeaveAlternateScreen,
            crossterm::cursor::Show,
            crossterm::event::DisableMouseCapture,
            crossterm::event::DisableBracketedPaste
        );
        eprintln!("brigade: INTERNAL_ERROR: {info}");
    }));
    let cli = brigade::cli::Cli::parse();
    std::process::exit(brigade::cli::run(cli));
}
