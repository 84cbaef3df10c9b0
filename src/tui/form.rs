//! A small modal form: a title, a few text fields, Enter to submit, Esc to cancel. Used for a
//! new order, notes, voids, cancellations, payment and opening an order by id.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::app::Action;
use super::keys::{Cmd, Key};
use super::theme::Theme;
use crate::display::safe;

/// What the form is for (and what it carries to its submission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    NewOrder,
    /// "This table already has an open order: open a second one?" — carries the new order's
    /// form values (table, covers, customer name) to open on yes.
    ConfirmSecondOrder {
        table: String,
        covers: String,
        customer: String,
    },
    AddItem {
        order_id: String,
        item_id: String,
    },
    Note {
        order_id: String,
        line_id: String,
    },
    Void {
        order_id: String,
        line_id: String,
    },
    Cancel {
        order_id: String,
    },
    Close {
        order_id: String,
    },
    OpenHistory,
    /// The waiter moves a line to another seat.
    Seat {
        order_id: String,
        line_id: String,
    },
    /// The kitchen sets how many portions of an item are left.
    StockCount {
        item_id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub max: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// A sentence above the fields (a question, for a dialog with none).
    pub text: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submission was refused (shown in the form, which stays open).
    pub error: Option<String>,
}

pub enum Outcome {
    Editing,
    Submitted,
    Cancelled,
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>) -> Self {
        Form {
            kind,
            title: title.into(),
            text: None,
            fields: Vec::new(),
            focus: 0,
            error: None,
        }
    }

    pub fn field(mut self, label: &'static str, value: &str, max: usize) -> Self {
        self.fields.push(Field {
            label,
            value: value.to_string(),
            max,
        });
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.value.as_str())
    }

    /// The keys this dialog answers to, for the hint bar and the help (the entries of the key
    /// registry while the dialog is open; [`Form::on_key`] is what they do).
    pub fn commands(&self) -> Vec<Cmd> {
        let ok = if self.fields.is_empty() { "yes" } else { "ok" };
        let no = if self.fields.is_empty() {
            "no"
        } else {
            "cancel"
        };
        let mut c = vec![
            Cmd::new(&[Key::Enter], ok, Action::Dialog),
            Cmd::new(&[Key::Esc], no, Action::Dialog),
        ];
        if self.fields.len() > 1 {
            c.push(Cmd::new(
                &[Key::Tab, Key::Down],
                "next field",
                Action::Dialog,
            ));
            c.push(Cmd::new(&[Key::BackTab, Key::Up], "previous field", Action::Dialog).quiet());
        }
        if !self.fields.is_empty() {
            c.push(Cmd::new(&[Key::Backspace], "delete", Action::Dialog).quiet());
            c.push(Cmd::new(&[Key::Ctrl('u')], "clear field", Action::Dialog));
        }
        c
    }

    pub fn on_key(&mut self, key: Key) -> Outcome {
        let n = self.fields.len().max(1);
        match key {
            Key::Esc => return Outcome::Cancelled,
            Key::Enter => return Outcome::Submitted,
            Key::Tab | Key::Down => self.focus = (self.focus + 1) % n,
            Key::BackTab | Key::Up => self.focus = (self.focus + n - 1) % n,
            Key::Backspace => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.value.pop();
                }
            }
            Key::Ctrl('u') => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.value.clear();
                }
            }
            Key::Char(c) if !c.is_control() => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    if f.value.chars().count() < f.max {
                        f.value.push(c);
                    }
                }
            }
            _ => {}
        }
        Outcome::Editing
    }

    /// Pasted text goes into the focused field only, as text: newlines and other control
    /// characters become spaces (a pasted newline never submits), up to the field's limit.
    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            let room = f.max.saturating_sub(f.value.chars().count());
            f.value.extend(pasted(text).take(room));
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = area.width.clamp(1, 64);
        let text_rows = self.text.as_ref().map_or(0, |t| {
            (t.chars().count() as u16).div_ceil(width.saturating_sub(2).max(1)) + 1
        });
        // Borders, the fields and room for an error; a question alone needs only its text.
        let base = if self.fields.is_empty() { 2 } else { 5 };
        let height = (self.fields.len() as u16 * 2 + base + text_rows).min(area.height);
        let x = area.x + (area.width - width) / 2;
        let y = area.y + (area.height.saturating_sub(height)) / 2;
        let rect = Rect::new(x, y, width, height);
        frame.render_widget(Clear, rect);
        let block = Block::bordered()
            .title(Span::styled(format!(" {} ", self.title), theme.title()))
            // The same list as the hint bar's, so the two can never disagree.
            .title_bottom(format!(
                " {} ",
                self.commands()
                    .iter()
                    .filter(|c| c.bar)
                    .map(|c| format!("{} {}", c.key_label(), c.label))
                    .collect::<Vec<_>>()
                    .join(" · ")
            ));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let mut lines = Vec::new();
        if let Some(t) = &self.text {
            lines.push(Line::from(safe(t).into_owned()));
            lines.push(Line::from(""));
        }
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            lines.push(Line::from(Span::styled(
                f.label,
                if focused { theme.key() } else { theme.dim() },
            )));
            let cursor = if focused { "▏" } else { "" };
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(
                    format!("{}{cursor}", safe(&f.value)),
                    if focused {
                        theme.selected()
                    } else {
                        ratatui::style::Style::new()
                    },
                ),
            ]));
        }
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(
                safe(e).into_owned(),
                theme.error(),
            )));
        }
        let [body] = Layout::vertical([Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    }
}

/// Pasted text as plain characters: each control character (newline, tab, escape…) becomes a
/// space. Lazy, so a huge paste costs only what the field takes.
pub fn pasted(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().map(|c| if c.is_control() { ' ' } else { c })
}
