//! Each screen as a component: its own state (a field of [`App`]: `waiter`, `kitchen`,
//! `history`), the commands it offers right now (as [`Cmd`]s of the one key registry, which also
//! draw the hints and the help), `update` (a command or a movement changes its state at once and
//! returns what it asks of the database as [`Effect`]s) and a pure `draw`.
//!
//! The screens share the data read from the database ([`App::data`]), so a component's
//! functions take the whole [`App`]; each changes only its own state (and the status line).

use ratatui::layout::Rect;
use ratatui::Frame;

use super::app::{Action, App, Screen};
use super::effect::Effect;
use super::keys::Cmd;
use super::{history, kitchen, waiter};

pub trait Component: Sync {
    /// The commands the screen offers right now (global ones are added by [`App::commands`]).
    fn commands(&self, app: &App) -> Vec<Cmd>;
    /// One of its commands, or a movement: state changes here, database work goes into `fx`.
    fn update(&self, app: &mut App, action: Action, fx: &mut Vec<Effect>);
    /// Draws the screen's body; reads the state, changes nothing.
    fn draw(&self, frame: &mut Frame, body: Rect, app: &App);
    /// A left click in the screen's body.
    fn click(&self, app: &mut App, body: Rect, x: u16, y: u16);
}

/// The waiter's screen (`src/tui/waiter/`).
pub struct Waiter;
/// The kitchen screen (`src/tui/kitchen/`).
pub struct Kitchen;
/// The audit trail (`src/tui/history/`).
pub struct History;

/// The component that shows `screen`.
pub fn of(screen: Screen) -> &'static dyn Component {
    match screen {
        Screen::Waiter => &Waiter,
        Screen::Kitchen => &Kitchen,
        Screen::History => &History,
    }
}

/// The component whose command `action` is (movements go to the screen shown).
pub fn for_action(action: &Action, shown: Screen) -> &'static dyn Component {
    match action {
        Action::Waiter(_) => &Waiter,
        Action::Kitchen(_) => &Kitchen,
        Action::History(_) => &History,
        _ => of(shown),
    }
}

impl Component for Waiter {
    fn commands(&self, app: &App) -> Vec<Cmd> {
        waiter::commands(app)
    }
    fn update(&self, app: &mut App, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::Waiter(a) => waiter::perform(app, a, fx),
            nav => waiter::navigate(app, nav),
        }
    }
    fn draw(&self, frame: &mut Frame, body: Rect, app: &App) {
        waiter::draw(frame, body, app)
    }
    fn click(&self, app: &mut App, body: Rect, x: u16, y: u16) {
        waiter::click(app, body, x, y)
    }
}

impl Component for Kitchen {
    fn commands(&self, app: &App) -> Vec<Cmd> {
        kitchen::commands(app)
    }
    fn update(&self, app: &mut App, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::Kitchen(a) => kitchen::perform(app, a, fx),
            nav => kitchen::navigate(app, nav),
        }
    }
    fn draw(&self, frame: &mut Frame, body: Rect, app: &App) {
        kitchen::draw(frame, body, app)
    }
    fn click(&self, app: &mut App, body: Rect, x: u16, y: u16) {
        kitchen::click(app, body, x, y)
    }
}

impl Component for History {
    fn commands(&self, app: &App) -> Vec<Cmd> {
        history::commands(app)
    }
    fn update(&self, app: &mut App, action: Action, fx: &mut Vec<Effect>) {
        match action {
            Action::History(a) => history::perform(app, a, fx),
            nav => history::navigate(app, nav, fx),
        }
    }
    fn draw(&self, frame: &mut Frame, body: Rect, app: &App) {
        history::draw(frame, body, app)
    }
    fn click(&self, app: &mut App, body: Rect, x: u16, y: u16) {
        history::click(app, body, x, y)
    }
}
