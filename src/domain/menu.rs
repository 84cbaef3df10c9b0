//! The menu aggregate: what can be ordered, at what price, cooked at which station.
//!
//! The whole menu is one stream. Items keep a stable human-readable id (`margherita`); an item
//! can be added, changed, removed, marked unavailable ("86'd") and available again.

use serde::{Deserialize, Serialize};

use super::rejection::{codes, Rejection};
use super::text;
use super::Decider;

/// The stream id of the one menu.
pub const MENU_STREAM: &str = "menu";

/// Highest price a menu item may have, in cents (10,000.00).
pub const PRICE_MAX_CENTS: i64 = 1_000_000;

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
}

fn kitchen() -> String {
    "kitchen".to_string()
}

fn yes() -> bool {
    true
}

/// The menu as the domain needs it: items in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Menu {
    pub items: Vec<MenuItem>,
}

impl Menu {
    pub fn item(&self, id: &str) -> Option<&MenuItem> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// What a menu item is made of when it is added or changed (availability has its own commands).
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
        }
    }
}

impl MenuItemChange {
    /// The item as it is after the change: `current` with the given fields replaced.
    pub fn applied_to(&self, current: &MenuItem) -> MenuItemSpec {
        MenuItemSpec {
            id: self.id.clone(),
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            category: self
                .category
                .clone()
                .unwrap_or_else(|| current.category.clone()),
            price_cents: self.price_cents.unwrap_or(current.price_cents),
            station: self
                .station
                .clone()
                .unwrap_or_else(|| current.station.clone()),
            allergens: self
                .allergens
                .clone()
                .unwrap_or_else(|| current.allergens.clone()),
        }
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

crate::event_enum! {
    /// Everything that can happen to the menu.
    pub enum MenuEvent {
        MenuItemAdded,
        MenuItemChanged,
        MenuItemRemoved,
        MenuItemMarkedUnavailable,
        MenuItemMarkedAvailable,
    }
}

fn validate(spec: &MenuItemSpec) -> Result<MenuItemSpec, Rejection> {
    text::identifier("item id", &spec.id)?;
    let name = text::required(
        "name",
        Some(&spec.name),
        text::NAME_MAX,
        codes::INVALID_TEXT,
    )?;
    let category = text::required(
        "category",
        Some(&spec.category),
        text::NAME_MAX,
        codes::INVALID_TEXT,
    )?;
    text::identifier("station", &spec.station)?;
    if !(0..=PRICE_MAX_CENTS).contains(&spec.price_cents) {
        return Err(Rejection::new(
            codes::INVALID_PRICE,
            format!(
                "price must be between 0 and {PRICE_MAX_CENTS} cents, not {}",
                spec.price_cents
            ),
        ));
    }
    let mut allergens = Vec::with_capacity(spec.allergens.len());
    for a in &spec.allergens {
        if let Some(a) = text::optional("allergen", Some(a), text::NAME_MAX)? {
            allergens.push(a);
        }
    }
    Ok(MenuItemSpec {
        id: spec.id.clone(),
        name,
        category,
        price_cents: spec.price_cents,
        station: spec.station.clone(),
        allergens,
    })
}

fn existing<'m>(menu: &'m Menu, id: &str) -> Result<&'m MenuItem, Rejection> {
    menu.item(id).ok_or_else(|| {
        Rejection::new(
            codes::ITEM_NOT_FOUND,
            format!(
                "there is no menu item {:?}",
                id.chars().take(50).collect::<String>()
            ),
        )
    })
}

/// The menu's decider.
pub struct MenuDecider;

impl Decider for MenuDecider {
    type State = Menu;
    type Command = MenuCommand;
    type Event = MenuEvent;
    type Context<'a> = ();

    fn decide(menu: &Menu, command: &MenuCommand, _: ()) -> Result<Vec<MenuEvent>, Rejection> {
        let event = match command {
            MenuCommand::AddMenuItem(spec) => {
                let item = validate(spec)?;
                if menu.item(&item.id).is_some() {
                    return Err(Rejection::new(
                        codes::MENU_ITEM_EXISTS,
                        format!("the menu already has an item {:?}", item.id),
                    ));
                }
                MenuEvent::MenuItemAdded(MenuItemAdded { item })
            }
            MenuCommand::ChangeMenuItem(change) => {
                text::identifier("item id", &change.id)?;
                let current = existing(menu, &change.id)?;
                let item = validate(&change.applied_to(current))?;
                let unchanged = current.name == item.name
                    && current.category == item.category
                    && current.price_cents == item.price_cents
                    && current.station == item.station
                    && current.allergens == item.allergens;
                if unchanged {
                    return Err(Rejection::new(
                        codes::NO_CHANGE,
                        format!("{} is already exactly like that", item.id),
                    ));
                }
                MenuEvent::MenuItemChanged(MenuItemChanged { item })
            }
            MenuCommand::RemoveMenuItem { item_id } => {
                existing(menu, item_id)?;
                MenuEvent::MenuItemRemoved(MenuItemRemoved {
                    item_id: item_id.clone(),
                })
            }
            MenuCommand::MarkItemUnavailable { item_id } => {
                if !existing(menu, item_id)?.available {
                    return Err(Rejection::new(
                        codes::NO_CHANGE,
                        format!("{item_id} is already 86'd"),
                    ));
                }
                MenuEvent::MenuItemMarkedUnavailable(MenuItemMarkedUnavailable {
                    item_id: item_id.clone(),
                })
            }
            MenuCommand::MarkItemAvailable { item_id } => {
                if existing(menu, item_id)?.available {
                    return Err(Rejection::new(
                        codes::NO_CHANGE,
                        format!("{item_id} is already available"),
                    ));
                }
                MenuEvent::MenuItemMarkedAvailable(MenuItemMarkedAvailable {
                    item_id: item_id.clone(),
                })
            }
        };
        Ok(vec![event])
    }

    fn evolve(mut menu: Menu, event: &MenuEvent) -> Menu {
        match event {
            MenuEvent::MenuItemAdded(e) => menu.items.push(MenuItem {
                id: e.item.id.clone(),
                name: e.item.name.clone(),
                category: e.item.category.clone(),
                price_cents: e.item.price_cents,
                station: e.item.station.clone(),
                allergens: e.item.allergens.clone(),
                available: true,
            }),
            MenuEvent::MenuItemChanged(e) => {
                if let Some(item) = menu.items.iter_mut().find(|i| i.id == e.item.id) {
                    item.name = e.item.name.clone();
                    item.category = e.item.category.clone();
                    item.price_cents = e.item.price_cents;
                    item.station = e.item.station.clone();
                    item.allergens = e.item.allergens.clone();
                }
            }
            MenuEvent::MenuItemRemoved(e) => menu.items.retain(|i| i.id != e.item_id),
            MenuEvent::MenuItemMarkedUnavailable(e) => set_available(&mut menu, &e.item_id, false),
            MenuEvent::MenuItemMarkedAvailable(e) => set_available(&mut menu, &e.item_id, true),
        }
        menu
    }
}

fn set_available(menu: &mut Menu, id: &str, available: bool) {
    if let Some(item) = menu.items.iter_mut().find(|i| i.id == id) {
        item.available = available;
    }
}

/// The commands that turn `current` into exactly `wanted` (an import): adds, changes and removals,
/// each validated. Availability of kept items is left as it is.
pub fn plan_import(current: &Menu, wanted: &[MenuItemSpec]) -> Result<Vec<MenuCommand>, Rejection> {
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
            Some(c)
                if c.name != spec.name
                    || c.category != spec.category
                    || c.price_cents != spec.price_cents
                    || c.station != spec.station
                    || c.allergens != spec.allergens =>
            {
                commands.push(MenuCommand::ChangeMenuItem(spec.into()))
            }
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
    Ok(commands)
}
