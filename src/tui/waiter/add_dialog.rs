//! The add dialog: walks an item's required modifier groups first (one keystroke per choice
//! where the group takes one: the dialog moves on by itself), then its optional groups, then
//! seat, course, quantity and note. The group's name and how many choices are still owed are
//! on screen; Enter cannot add the line while a required group is unmet. What is finally sent
//! is checked by the domain (a dry run) before it goes, so a refusal shows in the dialog.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::display::{money, safe};
use crate::domain::menu::{MenuItem, ModifierGroup};
use crate::domain::{Menu, Order, OrderCommand};
use crate::tui::allowed;
use crate::tui::app::Action;
use crate::tui::form::pasted;
use crate::tui::keys::{Cmd, Key};
use crate::tui::theme::Theme;

/// Keys that pick an option: 1–9, then 0, then letters.
const PICK_KEYS: &str = "1234567890abcdefghijklmnopqrstuvwxyz";

/// The details asked after the groups.
const FIELDS: [&str; 4] = ["Seat (0 = table)", "Course", "Quantity", "Note"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddDialog {
    pub order_id: String,
    pub item: MenuItem,
    /// The groups in the order they are asked (indices into the item's groups): required
    /// ones first.
    pub order: Vec<usize>,
    /// Which group is being asked; `order.len()` is the details.
    pub step: usize,
    /// The option ids chosen so far.
    pub chosen: Vec<String>,
    /// Seat, course, quantity, note, as typed.
    pub fields: [String; 4],
    pub focus: usize,
    pub error: Option<String>,
}

pub enum Outcome {
    Editing,
    Cancelled,
    Add(OrderCommand),
}

impl AddDialog {
    pub fn new(order_id: &str, item: &MenuItem, menu: &Menu) -> Self {
        let mut order: Vec<usize> = (0..item.modifier_groups.len()).collect();
        order.sort_by_key(|&i| item.modifier_groups[i].min == 0);
        let course = menu.default_course(item);
        AddDialog {
            order_id: order_id.to_string(),
            item: item.clone(),
            order,
            step: 0,
            chosen: Vec::new(),
            fields: [
                "0".into(),
                if course > 0 {
                    course.to_string()
                } else {
                    String::new()
                },
                "1".into(),
                String::new(),
            ],
            focus: 2,
            error: None,
        }
    }

    fn group(&self) -> Option<&ModifierGroup> {
        self.order
            .get(self.step)
            .map(|&i| &self.item.modifier_groups[i])
    }

    fn picked_in(&self, g: &ModifierGroup) -> i64 {
        g.options
            .iter()
            .filter(|o| self.chosen.contains(&o.option_id))
            .count() as i64
    }

    /// The first required group still short of its minimum, with how many it is owed.
    fn unmet(&self) -> Option<(&ModifierGroup, i64)> {
        self.item
            .modifier_groups
            .iter()
            .map(|g| (g, g.min - self.picked_in(g)))
            .find(|(_, owed)| *owed > 0)
    }

    /// The keys that work now, for the hint bar and the help.
    pub fn commands(&self) -> Vec<Cmd> {
        let d = Action::Dialog;
        let mut c = Vec::new();
        match self.group() {
            Some(g) => {
                let last = g.options.len().min(PICK_KEYS.len());
                let keys: Vec<Key> = PICK_KEYS.chars().take(last).map(Key::Char).collect();
                let label = if g.max == 1 { "choose" } else { "toggle" };
                const RANGES: [&str; 10] = [
                    "1", "1-2", "1-3", "1-4", "1-5", "1-6", "1-7", "1-8", "1-9", "1-0",
                ];
                let range = RANGES.get(last.saturating_sub(1)).copied().unwrap_or("1-z");
                c.push(Cmd::new(&keys, label, d.clone()).shown_as(range, label));
                c.push(Cmd::new(&[Key::Enter, Key::Tab], "next", d.clone()));
                if self.step > 0 {
                    c.push(Cmd::new(&[Key::BackTab], "back", d.clone()));
                }
            }
            None => {
                if self.unmet().is_none() {
                    c.push(Cmd::new(&[Key::Enter], "add", d.clone()));
                }
                c.push(Cmd::new(&[Key::Tab, Key::Down], "next field", d.clone()));
                c.push(Cmd::new(&[Key::BackTab, Key::Up], "back", d.clone()).quiet());
                c.push(Cmd::new(&[Key::Backspace], "delete", d.clone()).quiet());
            }
        }
        c.push(Cmd::new(&[Key::Esc], "cancel", d));
        c
    }

    pub fn on_key(&mut self, key: Key, order: Option<&Order>, menu: &Menu) -> Outcome {
        self.error = None;
        if key == Key::Esc {
            return Outcome::Cancelled;
        }
        match self.group().cloned() {
            Some(g) => self.on_group_key(&g, key),
            None => return self.on_details_key(key, order, menu),
        }
        Outcome::Editing
    }

    fn on_group_key(&mut self, g: &ModifierGroup, key: Key) {
        match key {
            Key::Enter | Key::Tab => {
                let owed = g.min - self.picked_in(g);
                if owed > 0 {
                    self.error = Some(format!("{}: choose {owed} more", safe(&g.name)));
                } else {
                    self.step += 1;
                }
            }
            Key::BackTab | Key::Backspace => self.step = self.step.saturating_sub(1),
            Key::Char(c) => {
                let Some(i) = PICK_KEYS.find(c.to_ascii_lowercase()) else {
                    return;
                };
                let Some(option) = g.options.get(i) else {
                    return;
                };
                let id = option.option_id.clone();
                if g.max == 1 {
                    // One choice: it replaces any other of the group, and on we go.
                    self.chosen
                        .retain(|o| !g.options.iter().any(|x| &x.option_id == o));
                    self.chosen.push(id);
                    self.step += 1;
                } else if let Some(at) = self.chosen.iter().position(|o| *o == id) {
                    self.chosen.remove(at);
                } else if self.picked_in(g) >= g.max {
                    self.error = Some(format!(
                        "{}: at most {}; take one off first",
                        safe(&g.name),
                        g.max
                    ));
                } else {
                    self.chosen.push(id);
                }
            }
            _ => {}
        }
    }

    fn on_details_key(&mut self, key: Key, order: Option<&Order>, menu: &Menu) -> Outcome {
        match key {
            Key::Tab | Key::Down => self.focus = (self.focus + 1) % FIELDS.len(),
            Key::Up => self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len(),
            Key::BackTab if self.focus == 0 && !self.order.is_empty() => {
                self.step = self.order.len() - 1
            }
            Key::BackTab => self.focus = self.focus.saturating_sub(1),
            Key::Backspace => {
                self.fields[self.focus].pop();
            }
            Key::Ctrl('u') => self.fields[self.focus].clear(),
            Key::Char(c) if !c.is_control() => self.type_char(c),
            Key::Enter => return self.submit(order, menu),
            _ => {}
        }
        Outcome::Editing
    }

    fn type_char(&mut self, c: char) {
        let (max, digits) = match self.focus {
            3 => (crate::domain::text::NOTE_MAX, false),
            _ => (2, true),
        };
        let field = &mut self.fields[self.focus];
        // A lone 0 (the seat's default) is replaced by what is typed.
        if digits && field == "0" {
            field.clear();
        }
        if (!digits || c.is_ascii_digit()) && field.chars().count() < max {
            field.push(c);
        }
    }

    /// Pasted text goes into the focused field of the details, as text (a newline never adds).
    pub fn paste(&mut self, text: &str) {
        if self.group().is_none() {
            for c in pasted(text) {
                self.type_char(c);
            }
        }
    }

    /// The command the dialog stands for now.
    pub fn command(&self) -> Result<OrderCommand, String> {
        let number = |i: usize| -> Result<Option<i64>, String> {
            let s = self.fields[i].trim();
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{} must be a number", FIELDS[i]))
        };
        let note = self.fields[3].trim();
        Ok(OrderCommand::AddItem {
            item_id: self.item.id.clone(),
            quantity: number(2)?.unwrap_or(1),
            note: (!note.is_empty()).then(|| note.to_string()),
            modifiers: self.chosen.clone(),
            seat: number(0)?,
            course: number(1)?,
        })
    }

    fn submit(&mut self, order: Option<&Order>, menu: &Menu) -> Outcome {
        if let Some((g, owed)) = self.unmet() {
            self.error = Some(format!("{}: choose {owed} more", safe(&g.name)));
            return Outcome::Editing;
        }
        let command = match self.command() {
            Ok(c) => c,
            Err(e) => {
                self.error = Some(e);
                return Outcome::Editing;
            }
        };
        // The domain's answer before anything goes out: a refusal stays in the dialog.
        if let Some(Err(r)) = order.map(|o| allowed::check(o, &command, menu)) {
            self.error = Some(format!("{}: {}", r.code, safe(&r.message)));
            return Outcome::Editing;
        }
        Outcome::Add(command)
    }

    /// The price of one, with the options chosen so far.
    fn unit_price(&self) -> i64 {
        self.item.price_cents
            + self
                .item
                .modifier_groups
                .iter()
                .flat_map(|g| &g.options)
                .filter(|o| self.chosen.contains(&o.option_id))
                .map(|o| o.price_cents)
                .sum::<i64>()
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = area.width.clamp(20, 64);
        let mut lines: Vec<Line> = Vec::new();
        let chosen_names: Vec<String> = self
            .item
            .modifier_groups
            .iter()
            .flat_map(|g| &g.options)
            .filter(|o| self.chosen.contains(&o.option_id))
            .map(|o| safe(&o.name).into_owned())
            .collect();
        if !chosen_names.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("+ {}", chosen_names.join(", ")),
                theme.note(),
            )));
        }
        match self.group() {
            Some(g) => {
                let owed = g.min - self.picked_in(g);
                let need = if g.min > 0 {
                    if owed > 0 {
                        format!("required — choose {owed} more")
                    } else {
                        "required — done".to_string()
                    }
                } else {
                    format!("optional — up to {}", g.max)
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", safe(&g.name)), theme.title()),
                    Span::styled(
                        format!("({need})"),
                        if owed > 0 { theme.warn() } else { theme.dim() },
                    ),
                ]));
                for (i, o) in g.options.iter().enumerate() {
                    let key = PICK_KEYS.chars().nth(i).unwrap_or(' ');
                    let on = self.chosen.contains(&o.option_id);
                    let price = if o.price_cents > 0 {
                        format!(" +{}", money(o.price_cents))
                    } else {
                        String::new()
                    };
                    let text = format!(
                        "{key} {} {}{price}",
                        if on { "[x]" } else { "[ ]" },
                        safe(&o.name)
                    );
                    lines.push(Line::from(Span::styled(
                        text,
                        if on { theme.selected() } else { theme.title() },
                    )));
                }
            }
            None => {
                for (i, label) in FIELDS.iter().enumerate() {
                    let value = &self.fields[i];
                    let shown = if i == 1 && value.is_empty() {
                        "(with the send)".to_string()
                    } else {
                        safe(value).into_owned()
                    };
                    let cursor = if i == self.focus { "▏" } else { "" };
                    let style = if i == self.focus {
                        theme.selected()
                    } else {
                        theme.title()
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!("{label}: "), theme.dim()),
                        Span::styled(format!("{shown}{cursor}"), style),
                    ]));
                }
            }
        }
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(e.clone(), theme.late())));
        }
        let steps = self.order.len() + 1;
        let title = format!(
            " Add {} · {} · step {}/{steps} ",
            safe(&self.item.name),
            money(self.unit_price()),
            self.step + 1
        );
        let inner_w = width.saturating_sub(2).max(1) as usize;
        let rows: usize = lines
            .iter()
            .map(|l| l.width().max(1).div_ceil(inner_w))
            .sum();
        let height = (rows as u16 + 2).min(area.height);
        let r = Rect::new(
            area.x + (area.width.saturating_sub(width)) / 2,
            area.y + (area.height.saturating_sub(height)) / 2,
            width.min(area.width),
            height,
        );
        frame.render_widget(Clear, r);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(title).border_style(theme.title())),
            r,
        );
    }
}
