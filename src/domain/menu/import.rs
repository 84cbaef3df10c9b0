//! Planning an import: the commands that make the menu exactly a menu file.

use std::collections::BTreeMap;

use super::decide::{course, validate};
use super::{Menu, MenuCommand, MenuItemSpec};
use crate::domain::rejection::{codes, Rejection};

/// The commands that turn `current` into exactly `wanted` and `courses` (category → course):
/// adds, changes and removals of items, and each category course set or cleared, each
/// validated. Availability and stock of kept items are left as they are.
pub fn plan_import(
    current: &Menu,
    wanted: &[MenuItemSpec],
    courses: &BTreeMap<String, i64>,
) -> Result<Vec<MenuCommand>, Rejection> {
    if wanted.is_empty() {
        return Err(Rejection::new(
            codes::EMPTY_MENU,
            "an import must list at least one item; the menu is left as it is",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut commands = Vec::new();
    for spec in wanted {
        let spec = validate(spec)?;
        if !seen.insert(spec.id.clone()) {
            return Err(Rejection::new(
                codes::MENU_ITEM_EXISTS,
                format!("the menu file lists {:?} twice", spec.id),
            ));
        }
        match current.item(&spec.id) {
            None => commands.push(MenuCommand::AddMenuItem(spec)),
            Some(c) if !c.is(&spec) => commands.push(MenuCommand::ChangeMenuItem(spec.into())),
            Some(_) => {}
        }
    }
    for item in &current.items {
        if !seen.contains(&item.id) {
            commands.push(MenuCommand::RemoveMenuItem {
                item_id: item.id.clone(),
            });
        }
    }
    for (category, c) in courses {
        let c = course(*c)?;
        if current.courses.get(category) != Some(&c) {
            commands.push(MenuCommand::SetCategoryCourse {
                category: category.clone(),
                course: Some(c as i64),
            });
        }
    }
    for category in current.courses.keys() {
        if !courses.contains_key(category) {
            commands.push(MenuCommand::SetCategoryCourse {
                category: category.clone(),
                course: None,
            });
        }
    }
    Ok(commands)
}
