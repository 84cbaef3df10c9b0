//! Menu files: `assets/menu.json` (built in as the default menu) and `brigade menu import FILE`.
//!
//! The format is `{"items": [{"id", "name", "category", "price_cents", "station", "allergens"}]}`
//! (a bare array of items is accepted too).

use serde::Deserialize;

use super::error::AppError;
use crate::domain::menu::MenuItemSpec;

/// The menu a new database starts with.
pub const DEFAULT_MENU: &str = include_str!("../../assets/menu.json");

#[derive(Deserialize)]
#[serde(untagged)]
enum MenuFile {
    Wrapped { items: Vec<MenuItemSpec> },
    Bare(Vec<MenuItemSpec>),
}

/// Parses a menu file's text.
pub fn parse(text: &str) -> Result<Vec<MenuItemSpec>, AppError> {
    match serde_json::from_str::<MenuFile>(text) {
        Ok(MenuFile::Wrapped { items }) | Ok(MenuFile::Bare(items)) => Ok(items),
        Err(e) => Err(AppError::invalid(
            "BAD_MENU_FILE",
            format!(
                "not a menu file ({e}); expected {{\"items\": [{{\"id\", \"name\", \"category\", \
                 \"price_cents\", \"station\", \"allergens\"}}]}}"
            ),
        )),
    }
}

pub fn default_menu() -> Result<Vec<MenuItemSpec>, AppError> {
    parse(DEFAULT_MENU)
}
