//! How menu items rank against what the waiter typed: a name that starts with the text, then a
//! name with a word that starts with it, then a name holding it anywhere, then an id or a
//! category holding it; ties keep the menu's order. Pure: no state, no I/O.

use crate::domain::menu::MenuItem;

/// How well `item` matches `filter` (lower is better), or `None` when it does not match.
/// An empty filter matches everything equally.
pub fn rank(item: &MenuItem, filter: &str) -> Option<u8> {
    let f = filter.trim().to_lowercase();
    if f.is_empty() {
        return Some(0);
    }
    let name = item.name.to_lowercase();
    if name.starts_with(&f) {
        return Some(0);
    }
    let word_start = name
        .char_indices()
        .filter(|&(i, _)| {
            i > 0
                && name[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| !p.is_alphanumeric())
        })
        .any(|(i, _)| name[i..].starts_with(&f));
    if word_start {
        return Some(1);
    }
    if name.contains(&f) {
        return Some(2);
    }
    if item.id.to_lowercase().contains(&f) || item.category.to_lowercase().contains(&f) {
        return Some(3);
    }
    None
}

/// The items matching `filter`, best first; equal ranks in menu order.
pub fn ranked<'a>(items: &'a [MenuItem], filter: &str) -> Vec<&'a MenuItem> {
    let mut hits: Vec<(u8, &MenuItem)> = items
        .iter()
        .filter_map(|i| rank(i, filter).map(|r| (r, i)))
        .collect();
    // A stable sort: ties stay in menu order.
    hits.sort_by_key(|&(r, _)| r);
    let mut items: Vec<&MenuItem> = hits.into_iter().map(|(_, i)| i).collect();
    if filter.trim().is_empty() {
        // The whole menu, each category together (an item added later to an existing category
        // joins it rather than opening a second heading at the end), categories in the order
        // they first appear, items in menu order within them.
        let mut order: Vec<&str> = Vec::new();
        for i in &items {
            if !order.contains(&i.category.as_str()) {
                order.push(&i.category);
            }
        }
        items.sort_by_key(|i| order.iter().position(|c| *c == i.category));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_filter_an_item_added_later_joins_its_category() {
        let items = vec![
            item("soup", "Soup", "Starters"),
            item("steak", "Steak", "Mains"),
            item("olives", "Olives", "Starters"),
        ];
        let ids: Vec<&str> = ranked(&items, "").iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["soup", "olives", "steak"]);
    }

    fn item(id: &str, name: &str, category: &str) -> MenuItem {
        MenuItem {
            id: id.into(),
            name: name.into(),
            category: category.into(),
            price_cents: 100,
            station: "kitchen".into(),
            allergens: vec![],
            available: true,
            modifier_groups: vec![],
            stock: None,
        }
    }

    fn menu() -> Vec<MenuItem> {
        vec![
            item("bruschetta", "Bruschetta", "Starters"),
            item("calamari", "Fried Calamari", "Starters"),
            item("margherita", "Margherita", "Pizza"),
            item("carbonara", "Spaghetti Carbonara", "Mains"),
            item("burger", "House Burger", "Mains"),
            item("marinara", "Marinara", "Pizza"),
            item("cola", "Cola", "Drinks"),
        ]
    }

    fn names(filter: &str) -> Vec<String> {
        let m = menu();
        ranked(&m, filter)
            .into_iter()
            .map(|i| i.name.clone())
            .collect()
    }

    #[test]
    fn mar_puts_the_names_starting_with_it_first() {
        assert_eq!(
            names("mar"),
            ["Margherita", "Marinara", "Fried Calamari"],
            "starts-with (in menu order), then anywhere"
        );
    }

    #[test]
    fn a_word_start_beats_anywhere() {
        assert_eq!(names("bur"), ["House Burger"]);
        assert_eq!(names("car"), ["Spaghetti Carbonara"]);
        assert_eq!(names("ca"), ["Fried Calamari", "Spaghetti Carbonara"]);
        // Anywhere in a name (menu order), then the category "Starters".
        assert_eq!(
            names("ar"),
            [
                "Fried Calamari",
                "Margherita",
                "Spaghetti Carbonara",
                "Marinara",
                "Bruschetta"
            ]
        );
    }

    #[test]
    fn case_is_ignored_and_ids_and_categories_match_last() {
        assert_eq!(names("MARG"), ["Margherita"]);
        assert_eq!(names("drinks"), ["Cola"]);
        assert_eq!(names("pizza"), ["Margherita", "Marinara"]);
    }

    #[test]
    fn an_empty_filter_keeps_the_menu_order_and_no_match_is_empty() {
        assert_eq!(names("").len(), menu().len());
        assert_eq!(names("")[0], "Bruschetta");
        assert!(names("zzz").is_empty());
    }
}
