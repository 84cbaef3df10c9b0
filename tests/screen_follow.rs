//! A screen follows the other terminals from the moment it starts: an order sent between the
//! screen's first read and its worker's watcher opening still reaches it (the worker reads once
//! its watcher is open). On both backends (`on_both_backends!`).

mod support;

use brigade::app::request::parse_line;
use brigade::app::{Brigade, Config};
use brigade::tui::worker::Front;
use brigade::tui::{chrome, start_app, Start};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn text_of(app: &brigade::tui::app::App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| chrome::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

on_both_backends!(an_order_sent_while_the_kitchen_screen_starts_is_not_missed);
fn an_order_sent_while_the_kitchen_screen_starts_is_not_missed() {
    let dir = tempfile::tempdir().unwrap();
    let db = support::backends::database(dir.path());
    let mut screen = Brigade::open(&Config::new(&db, "cook")).unwrap();
    let app = start_app(&mut screen, Start::Kitchen { station: None });
    assert!(text_of(&app).contains("No open tickets"));
    // Another terminal sends an order after the screen's first read, before its worker runs.
    let mut till = Brigade::open(&Config::new(&db, "ana")).unwrap();
    for line in [
        r#"{"type":"OpenOrder","order_id":"k1","table":"12"}"#,
        r#"{"type":"AddItem","order_id":"k1","item_id":"lemonade","quantity":2}"#,
        r#"{"type":"PlaceOrder","order_id":"k1"}"#,
    ] {
        till.execute(&parse_line(line).unwrap()).unwrap();
    }
    let mut front = Front::spawn(screen, app);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        front.drain();
        let text = text_of(&front.view());
        if text.contains("Table 12") && text.contains("2 Lemonade") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the order sent while the screen started never showed:\n{text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
