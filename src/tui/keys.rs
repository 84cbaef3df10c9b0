//! Keys as data. Each screen lists the commands it offers *right now* as [`Cmd`]s; the same list
//! decides what a key does, draws the hints in the status bar and fills the `?` overlay, so the
//! hints cannot drift from the keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Action;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    F(u8),
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        Some(match e.code {
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::F(n) => Key::F(n),
            _ => return None,
        })
    }

    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "S-Tab".into(),
            Key::Backspace => "Bksp".into(),
            Key::Delete => "Del".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::F(n) => format!("F{n}"),
        }
    }
}

/// One thing the current screen offers: the keys that do it, what it is called, and whether the
/// status bar shows it (the `?` overlay shows every one).
#[derive(Clone, Debug, PartialEq)]
pub struct Cmd {
    pub keys: Vec<Key>,
    pub label: &'static str,
    pub action: Action,
    pub bar: bool,
    /// Listed in the `?` overlay (false only for keys another entry already explains).
    pub help: bool,
    /// How the keys are written in hints, when not simply listed (`1-9`).
    pub shown: Option<&'static str>,
}

impl Cmd {
    pub fn new(keys: &[Key], label: &'static str, action: Action) -> Self {
        Cmd {
            keys: keys.to_vec(),
            label,
            action,
            bar: true,
            help: true,
            shown: None,
        }
    }
    /// Listed in the help overlay only.
    pub fn quiet(mut self) -> Self {
        self.bar = false;
        self
    }
    /// Explained by another entry (e.g. `2`…`9` by `1-9 pick`): neither bar nor overlay.
    pub fn covered(mut self) -> Self {
        self.bar = false;
        self.help = false;
        self
    }
    /// Writes the keys as `shown` in hints, under `label`.
    pub fn shown_as(mut self, shown: &'static str, label: &'static str) -> Self {
        self.shown = Some(shown);
        self.label = label;
        self
    }
    pub fn key_label(&self) -> String {
        if let Some(s) = self.shown {
            return s.to_string();
        }
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The action of the first command bound to `key`.
pub fn lookup(cmds: &[Cmd], key: Key) -> Option<Action> {
    cmds.iter()
        .find(|c| c.keys.contains(&key))
        .map(|c| c.action.clone())
}
