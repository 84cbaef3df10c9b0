//! Menu files: `assets/menu.json` (built in as the default menu) and `brigade menu import FILE`.
//!
//! The format is `{"courses": {"Starters": 1, …}, "items": [{"id", "name", "category",
//! "price_cents", "station", "allergens", "modifier_groups"}]}` (a bare array of items is
//! accepted too; `courses` says which course each category goes out with, and a category left
//! out goes with the send). Unknown fields are refused (`UNKNOWN_FIELD`), as in
//! `brigade exec`, and a file that lists no item is refused (`EMPTY_MENU`): an import makes the
//! menu exactly the file, and an empty menu is never what was meant.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::AppError;
use crate::domain::menu::MenuItemSpec;

/// A parsed menu file: its items, and each category's course.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MenuFile {
    pub items: Vec<MenuItemSpec>,
    pub courses: BTreeMap<String, i64>,
}

/// The menu a new database starts with.
pub const DEFAULT_MENU: &str = include_str!("../../assets/menu.json");

/// The fields an item of a menu file may have (`item_id` is accepted for `id`).
const ITEM_FIELDS: &[&str] = &[
    "id",
    "item_id",
    "name",
    "category",
    "price_cents",
    "station",
    "allergens",
    "modifier_groups",
];

fn bad(detail: impl std::fmt::Display) -> AppError {
    AppError::invalid(
        "BAD_MENU_FILE",
        format!(
            "not a menu file ({detail}); expected {{\"items\": [{{\"id\", \"name\", \"category\", \
             \"price_cents\", \"station\", \"allergens\"}}]}}"
        ),
    )
}

fn unknown(keys: Vec<&String>, place: &str) -> AppError {
    let keys: Vec<String> = keys
        .iter()
        .map(|k| format!("{:?}", k.chars().take(40).collect::<String>()))
        .collect();
    AppError::invalid(
        "UNKNOWN_FIELD",
        format!("unknown field(s) {place}: {}", keys.join(", ")),
    )
}

fn empty() -> AppError {
    AppError::invalid(
        "EMPTY_MENU",
        "the menu file lists no item; the menu is left as it is",
    )
}

/// Parses a menu file's text.
pub fn parse(text: &str) -> Result<MenuFile, AppError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(empty());
    }
    let value: Value = super::strict_json::parse(text).map_err(bad)?;
    let mut courses = BTreeMap::new();
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            let extra: Vec<&String> = map
                .keys()
                .filter(|k| *k != "items" && *k != "courses")
                .collect();
            if !extra.is_empty() {
                return Err(unknown(extra, "in the menu file"));
            }
            match map.remove("courses") {
                None | Some(Value::Null) => {}
                Some(Value::Object(c)) => {
                    for (category, course) in c {
                        let n = course.as_i64().ok_or_else(|| {
                            AppError::invalid(
                                "INVALID_COURSE",
                                format!("the course of {category:?} must be a whole number 1 to 5"),
                            )
                        })?;
                        courses.insert(category, n);
                    }
                }
                Some(_) => {
                    return Err(bad(
                        "\"courses\" must map categories to courses: {\"Starters\": 1}",
                    ))
                }
            }
            match map.remove("items") {
                Some(Value::Array(items)) => items,
                Some(_) => return Err(bad("\"items\" must be a list")),
                None => return Err(bad("no \"items\"")),
            }
        }
        _ => return Err(bad("neither an object nor a list")),
    };
    if items.is_empty() {
        return Err(empty());
    }
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let place = format!("in item {}", i + 1);
            let Value::Object(map) = &item else {
                return Err(bad(format!("item {} is not an object", i + 1)));
            };
            let extra: Vec<&String> = map
                .keys()
                .filter(|k| !ITEM_FIELDS.contains(&k.as_str()))
                .collect();
            if !extra.is_empty() {
                return Err(unknown(extra, &place));
            }
            if map.contains_key("id") && map.contains_key("item_id") {
                return Err(bad(format!(
                    "item {} has both \"id\" and \"item_id\"",
                    i + 1
                )));
            }
            serde_json::from_value::<MenuItemSpec>(item)
                .map_err(|e| bad(format!("item {}: {e}", i + 1)))
        })
        .collect::<Result<_, _>>()?;
    Ok(MenuFile { items, courses })
}

pub fn default_menu() -> Result<MenuFile, AppError> {
    parse(DEFAULT_MENU)
}
