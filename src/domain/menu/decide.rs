//! The menu's decider: validation of items (and their modifier groups), availability, stock
//! counts and category courses.

use super::*;
use crate::domain::modifier::validate_groups;
use crate::domain::rejection::{codes, Rejection};
use crate::domain::{text, Decider};

pub(super) fn validate(spec: &MenuItemSpec) -> Result<MenuItemSpec, Rejection> {
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
    if spec.station == EXPO_STATION {
        return Err(Rejection::new(
            codes::INVALID_TEXT,
            "\"expo\" is the expeditor's screen, not a station that cooks",
        ));
    }
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
        modifier_groups: validate_groups(&spec.id, &spec.modifier_groups)?,
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

/// A course as typed: 1 to [`COURSE_MAX`] (`INVALID_COURSE`).
pub fn course(c: i64) -> Result<u32, Rejection> {
    if (1..=COURSE_MAX as i64).contains(&c) {
        Ok(c as u32)
    } else {
        Err(Rejection::new(
            codes::INVALID_COURSE,
            format!("a course is 1 to {COURSE_MAX}, not {c}"),
        ))
    }
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
                if current.is(&item) {
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
                let item = existing(menu, item_id)?;
                // Counted down to nothing is 86'd too: back on means no longer counted.
                let mut events = Vec::new();
                if item.stock == Some(0) {
                    events.push(MenuEvent::ItemStockSet(ItemStockSet {
                        item_id: item_id.clone(),
                        count: None,
                    }));
                }
                if !item.available {
                    events.push(MenuEvent::MenuItemMarkedAvailable(
                        MenuItemMarkedAvailable {
                            item_id: item_id.clone(),
                        },
                    ));
                }
                if events.is_empty() {
                    return Err(Rejection::new(
                        codes::NO_CHANGE,
                        format!("{item_id} is already available"),
                    ));
                }
                return Ok(events);
            }
            MenuCommand::SetItemStock { item_id, count } => {
                let item = existing(menu, item_id)?;
                let count = match count {
                    None if item.stock.is_none() => {
                        return Err(Rejection::new(
                            codes::NO_CHANGE,
                            format!("{item_id} is not being counted"),
                        ))
                    }
                    None => None,
                    Some(c) if (0..=STOCK_MAX).contains(c) => Some(*c as u32),
                    Some(c) => {
                        return Err(Rejection::new(
                            codes::INVALID_STOCK,
                            format!("a stock count is 0 to {STOCK_MAX} (or null), not {c}"),
                        ))
                    }
                };
                let mut events = vec![MenuEvent::ItemStockSet(ItemStockSet {
                    item_id: item_id.clone(),
                    count,
                })];
                // Counting portions in means there are some: an 86'd item comes back.
                if count.is_some_and(|c| c > 0) && !item.available {
                    events.push(MenuEvent::MenuItemMarkedAvailable(
                        MenuItemMarkedAvailable {
                            item_id: item_id.clone(),
                        },
                    ));
                }
                return Ok(events);
            }
            MenuCommand::SetCategoryCourse {
                category,
                course: c,
            } => {
                let category = text::required(
                    "category",
                    Some(category),
                    text::NAME_MAX,
                    codes::INVALID_TEXT,
                )?;
                let c = c.map(course).transpose()?;
                if menu.courses.get(&category).copied() == c {
                    return Err(Rejection::new(
                        codes::NO_CHANGE,
                        format!("{category} already goes out like that"),
                    ));
                }
                MenuEvent::CategoryCourseSet(CategoryCourseSet {
                    category,
                    course: c,
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
                modifier_groups: e.item.modifier_groups.clone(),
                stock: None,
            }),
            MenuEvent::MenuItemChanged(e) => {
                if let Some(item) = item_mut(&mut menu, &e.item.id) {
                    item.name = e.item.name.clone();
                    item.category = e.item.category.clone();
                    item.price_cents = e.item.price_cents;
                    item.station = e.item.station.clone();
                    item.allergens = e.item.allergens.clone();
                    item.modifier_groups = e.item.modifier_groups.clone();
                }
            }
            MenuEvent::MenuItemRemoved(e) => menu.items.retain(|i| i.id != e.item_id),
            MenuEvent::MenuItemMarkedUnavailable(e) => {
                if let Some(item) = item_mut(&mut menu, &e.item_id) {
                    item.available = false;
                }
            }
            MenuEvent::MenuItemMarkedAvailable(e) => {
                if let Some(item) = item_mut(&mut menu, &e.item_id) {
                    item.available = true;
                }
            }
            MenuEvent::ItemStockSet(e) => {
                if let Some(item) = item_mut(&mut menu, &e.item_id) {
                    item.stock = e.count.map(i64::from);
                }
            }
            MenuEvent::CategoryCourseSet(e) => match e.course {
                Some(c) => {
                    menu.courses.insert(e.category.clone(), c);
                }
                None => {
                    menu.courses.remove(&e.category);
                }
            },
        }
        menu
    }
}

fn item_mut<'m>(menu: &'m mut Menu, id: &str) -> Option<&'m mut MenuItem> {
    menu.items.iter_mut().find(|i| i.id == id)
}
