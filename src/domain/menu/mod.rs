//! The menu aggregate: what can be ordered, at what price, cooked at which station, with which
//! modifiers, in which course, and how many are left.
//!
//! The whole menu is one stream. Items keep a stable human-readable id (`margherita`); an item
//! can be added, changed, removed, marked unavailable ("86'd") and available again, and given a
//! count of portions left. Categories carry the course their items go out with by default.

mod decide;
mod import;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::modifier::{ChosenModifier, ModifierGroup, ModifierOption};
pub use decide::{course as decide_course, MenuDecider};
pub use import::plan_import;

/// The stream id of the one menu.
pub const MENU_STREAM: &str = "menu";

/// The expeditor's screen's name where a station is named: no item is cooked there.
pub const EXPO_STATION: &str = "expo";

/// Highest price a menu item may have, in cents (10,000.00).
pub const PRICE_MAX_CENTS: i64 = 1_000_000;

/// Highest stock count a kitchen may set for an item.
pub const STOCK_MAX: i64 = 9_999;

/// Courses are numbered 1 (first out) to 5; 0 means "no course: goes with the send".
pub const COURSE_MAX: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    pub id: String,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    pub station: String,
    #[serde(default)]
    pub allergens: Vec<String>,
    #[serde(default = "yes")]
    pub available: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_groups: Vec<ModifierGroup>,
    /// Portions left, when the kitchen counts them (`None`: not counted). The menu's own stream
    /// holds the count as set; the application takes off what was ordered since (see
    /// [`Menu::with_stock_used`]) before deciding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<i64>,
}

impl MenuItem {
    /// Whether a new line may be added now: not 86'd, and not counted down to nothing.
    pub fn orderable(&self) -> bool {
        self.available && self.stock.is_none_or(|s| s > 0)
    }
    /// Whether it has any required modifier group.
    pub fn needs_modifiers(&self) -> bool {
        self.modifier_groups.iter().any(|g| g.min > 0)
    }
}

fn kitchen() -> String {
    "kitchen".to_string()
}

fn yes() -> bool {
    true
}

/// The menu as the domain needs it: items in the order they were added, and each category's
/// default course.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Menu {
    pub items: Vec<MenuItem>,
    /// Category name → the course its items go out with (absent: with the send, like drinks).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub courses: BTreeMap<String, u32>,
}

impl Menu {
    pub fn item(&self, id: &str) -> Option<&MenuItem> {
        self.items.iter().find(|i| i.id == id)
    }
    /// The course an item goes out with when the waiter names none: its category's, or 0
    /// (with the send).
    pub fn default_course(&self, item: &MenuItem) -> u32 {
        self.courses.get(&item.category).copied().unwrap_or(0)
    }
    /// Every station some item is cooked at, sorted.
    pub fn stations(&self) -> Vec<String> {
        let mut s: Vec<String> = self.items.iter().map(|i| i.station.clone()).collect();
        s.sort();
        s.dedup();
        s
    }
    /// The menu with `used` (item id → portions ordered since the count was set) taken off the
    /// counted items' stock.
    pub fn with_stock_used(mut self, used: &BTreeMap<String, i64>) -> Menu {
        for item in &mut self.items {
            if let (Some(stock), Some(u)) = (item.stock.as_mut(), used.get(&item.id)) {
                *stock = (*stock - u).max(0);
            }
        }
        self
    }
}

/// What a menu item is made of when it is added or changed (availability and stock have their
/// own commands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItemSpec {
    #[serde(rename = "item_id", alias = "id")]
    pub id: String,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    #[serde(default = "kitchen")]
    pub station: String,
    #[serde(default)]
    pub allergens: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_groups: Vec<ModifierGroup>,
}

/// A change to a menu item: a field left out (`None`) keeps its value; a given one replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MenuItemChange {
    pub id: String,
    pub name: Option<String>,
    pub category: Option<String>,
    pub price_cents: Option<i64>,
    pub station: Option<String>,
    pub allergens: Option<Vec<String>>,
    pub modifier_groups: Option<Vec<ModifierGroup>>,
}

impl From<MenuItemSpec> for MenuItemChange {
    /// Every field given: the item becomes exactly `spec`.
    fn from(spec: MenuItemSpec) -> Self {
        MenuItemChange {
            id: spec.id,
            name: Some(spec.name),
            category: Some(spec.category),
            price_cents: Some(spec.price_cents),
            station: Some(spec.station),
            allergens: Some(spec.allergens),
            modifier_groups: Some(spec.modifier_groups),
        }
    }
}

impl MenuItemChange {
    /// The item as it is after the change: `current` with the given fields replaced.
    pub fn applied_to(&self, current: &MenuItem) -> MenuItemSpec {
        let or = |given: &Option<String>, now: &String| given.clone().unwrap_or(now.clone());
        MenuItemSpec {
            id: self.id.clone(),
            name: or(&self.name, &current.name),
            category: or(&self.category, &current.category),
            price_cents: self.price_cents.unwrap_or(current.price_cents),
            station: or(&self.station, &current.station),
            allergens: self
                .allergens
                .clone()
                .unwrap_or_else(|| current.allergens.clone()),
            modifier_groups: self
                .modifier_groups
                .clone()
                .unwrap_or_else(|| current.modifier_groups.clone()),
        }
    }
}

impl MenuItem {
    /// Whether the item is exactly `spec` (its availability and stock aside).
    pub fn is(&self, spec: &MenuItemSpec) -> bool {
        self.name == spec.name
            && self.category == spec.category
            && self.price_cents == spec.price_cents
            && self.station == spec.station
            && self.allergens == spec.allergens
            && self.modifier_groups == spec.modifier_groups
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum MenuCommand {
    AddMenuItem(MenuItemSpec),
    /// Fields left out keep their value.
    ChangeMenuItem(MenuItemChange),
    RemoveMenuItem {
        item_id: String,
    },
    MarkItemUnavailable {
        item_id: String,
    },
    MarkItemAvailable {
        item_id: String,
    },
    /// Portions left (`None`: stop counting). At 0 the item is 86'd by itself.
    SetItemStock {
        item_id: String,
        count: Option<i64>,
    },
    /// The course a category's items go out with by default (`None`: with the send).
    SetCategoryCourse {
        category: String,
        course: Option<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItemAdded {
    #[serde(flatten)]
    pub item: MenuItemSpec,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItemChanged {
    #[serde(flatten)]
    pub item: MenuItemSpec,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItemRemoved {
    pub item_id: String,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItemMarkedUnavailable {
    pub item_id: String,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItemMarkedAvailable {
    pub item_id: String,
}
/// The kitchen counted `count` portions left (`None`: it stopped counting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemStockSet {
    pub item_id: String,
    pub count: Option<u32>,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCourseSet {
    pub category: String,
    pub course: Option<u32>,
}

crate::event_enum! {
    /// Everything that can happen to the menu.
    pub enum MenuEvent {
        MenuItemAdded,
        MenuItemChanged,
        MenuItemRemoved,
        MenuItemMarkedUnavailable,
        MenuItemMarkedAvailable,
        ItemStockSet,
        CategoryCourseSet,
    }
}
