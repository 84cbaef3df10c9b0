//! Given/when/then tests of the menu decider and of `plan_import`.

mod support;

use brigade::domain::menu::{
    plan_import, CategoryCourseSet, ItemStockSet, MenuDecider, MenuItemAdded, MenuItemChange,
    MenuItemChanged, MenuItemMarkedAvailable, MenuItemMarkedUnavailable, MenuItemRemoved,
    MenuItemSpec, PRICE_MAX_CENTS,
};
use brigade::domain::rejection::codes;
use brigade::domain::text;
use brigade::domain::{Decider, Menu, MenuCommand, MenuEvent};
use support::gwt::{given, Given};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn spec(id: &str, name: &str, price_cents: i64) -> MenuItemSpec {
    MenuItemSpec {
        id: id.into(),
        name: name.into(),
        category: "Pizza".into(),
        price_cents,
        station: "pizza".into(),
        allergens: vec!["gluten".into(), "dairy".into()],
        modifier_groups: vec![],
    }
}

fn margherita() -> MenuItemSpec {
    spec("margherita", "Margherita", 1200)
}

fn marinara() -> MenuItemSpec {
    spec("marinara", "Marinara", 950)
}

fn added(spec: MenuItemSpec) -> MenuEvent {
    MenuEvent::MenuItemAdded(MenuItemAdded { item: spec })
}

fn changed(spec: MenuItemSpec) -> MenuEvent {
    MenuEvent::MenuItemChanged(MenuItemChanged { item: spec })
}

fn removed(id: &str) -> MenuEvent {
    MenuEvent::MenuItemRemoved(MenuItemRemoved { item_id: id.into() })
}

fn unavailable(id: &str) -> MenuEvent {
    MenuEvent::MenuItemMarkedUnavailable(MenuItemMarkedUnavailable { item_id: id.into() })
}

fn available(id: &str) -> MenuEvent {
    MenuEvent::MenuItemMarkedAvailable(MenuItemMarkedAvailable { item_id: id.into() })
}

fn menu_given(history: impl IntoIterator<Item = MenuEvent>) -> Given<'static, MenuDecider> {
    given(history)
}

fn two_items() -> Vec<MenuEvent> {
    vec![added(margherita()), added(marinara())]
}

/// A change with every field given (the item becomes exactly `spec`).
fn change_to(spec: MenuItemSpec) -> MenuCommand {
    MenuCommand::ChangeMenuItem(spec.into())
}

fn remove(id: &str) -> MenuCommand {
    MenuCommand::RemoveMenuItem { item_id: id.into() }
}
fn mark_unavailable(id: &str) -> MenuCommand {
    MenuCommand::MarkItemUnavailable { item_id: id.into() }
}
fn mark_available(id: &str) -> MenuCommand {
    MenuCommand::MarkItemAvailable { item_id: id.into() }
}

// ---------------------------------------------------------------------------------------------
// AddMenuItem
// ---------------------------------------------------------------------------------------------

#[test]
fn add_a_menu_item() {
    let menu = menu_given([])
        .when(MenuCommand::AddMenuItem(margherita()))
        .then_events([added(margherita())]);
    let item = menu.item("margherita").expect("the new item");
    assert_eq!(item.name, "Margherita");
    assert_eq!(item.category, "Pizza");
    assert_eq!(item.price_cents, 1200);
    assert_eq!(item.station, "pizza");
    assert_eq!(item.allergens, ["gluten", "dairy"]);
    assert!(item.available, "a new item can be ordered");
}

#[test]
fn add_a_menu_item_trims_text_and_drops_blank_allergens() {
    let typed = MenuItemSpec {
        id: "soup".into(),
        name: "  Soup of the day ".into(),
        category: " Starters".into(),
        price_cents: 800,
        station: "kitchen".into(),
        allergens: vec!["  celery ".into(), "   ".into(), String::new()],
        modifier_groups: vec![],
    };
    menu_given([])
        .when(MenuCommand::AddMenuItem(typed))
        .then_events([added(MenuItemSpec {
            id: "soup".into(),
            name: "Soup of the day".into(),
            category: "Starters".into(),
            price_cents: 800,
            station: "kitchen".into(),
            allergens: vec!["celery".into()],
            modifier_groups: vec![],
        })]);
}

#[test]
fn items_keep_the_order_they_were_added_in() {
    let menu = menu_given([added(marinara())])
        .when(MenuCommand::AddMenuItem(margherita()))
        .then_events([added(margherita())]);
    let ids: Vec<_> = menu.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["marinara", "margherita"]);
}

#[test]
fn add_a_menu_item_that_exists() {
    menu_given(two_items())
        .when(MenuCommand::AddMenuItem(spec("margherita", "Other", 1)))
        .then_rejected_with(codes::MENU_ITEM_EXISTS, "margherita");
    // Also when it is 86'd: it is still on the menu.
    menu_given([added(margherita()), unavailable("margherita")])
        .when(MenuCommand::AddMenuItem(margherita()))
        .then_rejected(codes::MENU_ITEM_EXISTS);
}

#[test]
fn add_a_menu_item_with_a_bad_id() {
    let too_long = "x".repeat(text::ID_MAX + 1);
    for id in [
        "",
        "Margherita",
        "mar gherita",
        "pizza!",
        "café",
        too_long.as_str(),
    ] {
        menu_given([])
            .when(MenuCommand::AddMenuItem(spec(id, "Pizza", 100)))
            .then_rejected(codes::INVALID_ITEM_ID);
    }
    for id in ["a", "pizza-4_formaggi", "0", &"x".repeat(text::ID_MAX)] {
        menu_given([])
            .when(MenuCommand::AddMenuItem(spec(id, "Pizza", 100)))
            .then_accepted();
    }
}

#[test]
fn add_a_menu_item_with_a_bad_station() {
    let mut bad = margherita();
    bad.station = "Wood Oven".into();
    menu_given([])
        .when(MenuCommand::AddMenuItem(bad))
        .then_rejected_with(codes::INVALID_ITEM_ID, "station");
}

#[test]
fn add_a_menu_item_with_a_bad_price() {
    for price in [-1, PRICE_MAX_CENTS + 1, i64::MIN, i64::MAX] {
        menu_given([])
            .when(MenuCommand::AddMenuItem(spec("x", "X", price)))
            .then_rejected(codes::INVALID_PRICE);
    }
    for price in [0, PRICE_MAX_CENTS] {
        menu_given([])
            .when(MenuCommand::AddMenuItem(spec("x", "X", price)))
            .then_events([added(spec("x", "X", price))]);
    }
}

#[test]
fn add_a_menu_item_with_an_empty_name_or_category() {
    for name in ["", "   "] {
        menu_given([])
            .when(MenuCommand::AddMenuItem(spec("x", name, 100)))
            .then_rejected_with(codes::INVALID_TEXT, "name");
    }
    let mut no_category = margherita();
    no_category.category = " ".into();
    menu_given([])
        .when(MenuCommand::AddMenuItem(no_category))
        .then_rejected_with(codes::INVALID_TEXT, "category");
}

#[test]
fn add_a_menu_item_with_too_long_text() {
    menu_given([])
        .when(MenuCommand::AddMenuItem(spec(
            "x",
            &"n".repeat(text::NAME_MAX + 1),
            100,
        )))
        .then_rejected_with(codes::TEXT_TOO_LONG, "name");
    let mut allergen = margherita();
    allergen.allergens.push("a".repeat(text::NAME_MAX + 1));
    menu_given([])
        .when(MenuCommand::AddMenuItem(allergen))
        .then_rejected_with(codes::TEXT_TOO_LONG, "allergen");
}

// ---------------------------------------------------------------------------------------------
// ChangeMenuItem
// ---------------------------------------------------------------------------------------------

#[test]
fn change_a_menu_item() {
    let dearer = MenuItemSpec {
        price_cents: 1350,
        allergens: vec!["gluten".into()],
        ..margherita()
    };
    let menu = menu_given(two_items())
        .when(change_to(dearer.clone()))
        .then_events([changed(dearer)]);
    let item = menu.item("margherita").unwrap();
    assert_eq!(item.price_cents, 1350);
    assert_eq!(item.allergens, ["gluten"]);
    assert_eq!(
        menu.items[0].id, "margherita",
        "a change keeps the item's place"
    );
    assert_eq!(menu.item("marinara").unwrap().price_cents, 950);
}

#[test]
fn change_each_field_is_a_change() {
    let variants = [
        MenuItemSpec {
            name: "Margherita DOP".into(),
            ..margherita()
        },
        MenuItemSpec {
            category: "Classics".into(),
            ..margherita()
        },
        MenuItemSpec {
            price_cents: 1,
            ..margherita()
        },
        MenuItemSpec {
            station: "oven".into(),
            ..margherita()
        },
        MenuItemSpec {
            allergens: vec![],
            ..margherita()
        },
    ];
    for variant in variants {
        let menu = menu_given(two_items())
            .when(change_to(variant.clone()))
            .then_events([changed(variant.clone())]);
        let item = menu.item("margherita").unwrap();
        assert_eq!(
            (
                &item.name,
                &item.category,
                item.price_cents,
                &item.station,
                &item.allergens
            ),
            (
                &variant.name,
                &variant.category,
                variant.price_cents,
                &variant.station,
                &variant.allergens
            )
        );
    }
}

#[test]
fn change_keeps_availability() {
    let menu = menu_given([added(margherita()), unavailable("margherita")])
        .when(change_to(spec("margherita", "Margherita", 1)))
        .then_events([changed(spec("margherita", "Margherita", 1))]);
    assert!(!menu.item("margherita").unwrap().available);
}

#[test]
fn change_to_exactly_the_same() {
    menu_given(two_items())
        .when(change_to(margherita()))
        .then_rejected(codes::NO_CHANGE);
    // The same once trimmed is the same.
    let typed = MenuItemSpec {
        name: " Margherita  ".into(),
        allergens: vec!["gluten".into(), " ".into(), "dairy ".into()],
        ..margherita()
    };
    menu_given(two_items())
        .when(change_to(typed))
        .then_rejected(codes::NO_CHANGE);
}

#[test]
fn change_an_unknown_item() {
    menu_given(two_items())
        .when(change_to(spec("calzone", "Calzone", 1400)))
        .then_rejected_with(codes::ITEM_NOT_FOUND, "calzone");
    menu_given([added(margherita()), removed("margherita")])
        .when(change_to(margherita()))
        .then_rejected(codes::ITEM_NOT_FOUND);
}

#[test]
fn change_is_validated_like_add() {
    menu_given(two_items())
        .when(change_to(spec("margherita", "Margherita", -5)))
        .then_rejected(codes::INVALID_PRICE);
    menu_given(two_items())
        .when(change_to(spec("margherita", "", 1200)))
        .then_rejected(codes::INVALID_TEXT);
    menu_given(two_items())
        .when(change_to(spec("Margherita", "Margherita", 1)))
        .then_rejected(codes::INVALID_ITEM_ID);
}

// ---------------------------------------------------------------------------------------------
// RemoveMenuItem
// ---------------------------------------------------------------------------------------------

#[test]
fn remove_a_menu_item() {
    let menu = menu_given(two_items())
        .when(remove("margherita"))
        .then_events([removed("margherita")]);
    assert!(menu.item("margherita").is_none());
    assert_eq!(menu.items.len(), 1);
    assert_eq!(menu.items[0].id, "marinara");
}

#[test]
fn remove_an_unknown_or_removed_item() {
    menu_given(two_items())
        .when(remove("calzone"))
        .then_rejected(codes::ITEM_NOT_FOUND);
    menu_given([added(margherita()), removed("margherita")])
        .when(remove("margherita"))
        .then_rejected(codes::ITEM_NOT_FOUND);
}

#[test]
fn a_removed_item_can_be_added_again_and_is_available() {
    let menu = menu_given([
        added(margherita()),
        unavailable("margherita"),
        removed("margherita"),
    ])
    .when(MenuCommand::AddMenuItem(margherita()))
    .then_events([added(margherita())]);
    assert!(menu.item("margherita").unwrap().available);
}

// ---------------------------------------------------------------------------------------------
// MarkItemUnavailable / MarkItemAvailable
// ---------------------------------------------------------------------------------------------

#[test]
fn eighty_six_an_item() {
    let menu = menu_given(two_items())
        .when(mark_unavailable("marinara"))
        .then_events([unavailable("marinara")]);
    assert!(!menu.item("marinara").unwrap().available);
    assert!(menu.item("margherita").unwrap().available);
}

#[test]
fn eighty_six_an_item_that_is_already_86d() {
    menu_given(then(two_items(), [unavailable("marinara")]))
        .when(mark_unavailable("marinara"))
        .then_rejected_with(codes::NO_CHANGE, "86");
}

#[test]
fn make_an_86d_item_available_again() {
    let menu = menu_given(then(two_items(), [unavailable("marinara")]))
        .when(mark_available("marinara"))
        .then_events([available("marinara")]);
    assert!(menu.item("marinara").unwrap().available);
}

#[test]
fn make_an_available_item_available() {
    menu_given(two_items())
        .when(mark_available("marinara"))
        .then_rejected_with(codes::NO_CHANGE, "available");
    menu_given(then(
        two_items(),
        [unavailable("marinara"), available("marinara")],
    ))
    .when(mark_available("marinara"))
    .then_rejected(codes::NO_CHANGE);
}

#[test]
fn availability_of_an_unknown_item() {
    for command in [mark_available("calzone"), mark_unavailable("calzone")] {
        menu_given(two_items())
            .when(command)
            .then_rejected(codes::ITEM_NOT_FOUND);
    }
}

#[test]
fn every_command_on_an_empty_menu_but_add_is_item_not_found() {
    for command in [
        change_to(margherita()),
        remove("margherita"),
        mark_unavailable("margherita"),
        mark_available("margherita"),
    ] {
        menu_given([])
            .when(command)
            .then_rejected(codes::ITEM_NOT_FOUND);
    }
}

// ---------------------------------------------------------------------------------------------
// plan_import
// ---------------------------------------------------------------------------------------------

fn then(mut history: Vec<MenuEvent>, more: impl IntoIterator<Item = MenuEvent>) -> Vec<MenuEvent> {
    history.extend(more);
    history
}

/// Applies a plan through the decider, as an import does: every command must be accepted.
fn apply(mut menu: Menu, plan: &[MenuCommand]) -> Menu {
    for command in plan {
        let events = MenuDecider::decide(&menu, command, ())
            .unwrap_or_else(|r| panic!("{command:?} from the plan was rejected: {r}"));
        menu = events.iter().fold(menu, MenuDecider::evolve);
    }
    menu
}

fn as_spec(menu: &Menu) -> Vec<MenuItemSpec> {
    menu.items
        .iter()
        .map(|i| MenuItemSpec {
            id: i.id.clone(),
            name: i.name.clone(),
            category: i.category.clone(),
            price_cents: i.price_cents,
            station: i.station.clone(),
            allergens: i.allergens.clone(),
            modifier_groups: vec![],
        })
        .collect()
}

#[test]
fn plan_import_into_an_empty_menu_adds_everything_in_file_order() {
    let wanted = [marinara(), margherita()];
    let plan = plan_import(&Menu::default(), &wanted, &Default::default()).unwrap();
    assert_eq!(
        plan,
        [
            MenuCommand::AddMenuItem(marinara()),
            MenuCommand::AddMenuItem(margherita())
        ]
    );
    assert_eq!(as_spec(&apply(Menu::default(), &plan)), wanted);
}

#[test]
fn plan_import_adds_changes_and_removes() {
    let current = MenuDecider::fold(&then(
        two_items(),
        [added(spec("calzone", "Calzone", 1400))],
    ));
    let dearer = spec("margherita", "Margherita", 1300);
    let new = spec("diavola", "Diavola", 1350);
    // marinara unchanged, margherita dearer, calzone gone, diavola new.
    let wanted = [marinara(), dearer.clone(), new.clone()];
    let plan = plan_import(&current, &wanted, &Default::default()).unwrap();
    assert_eq!(
        plan,
        [
            change_to(dearer),
            MenuCommand::AddMenuItem(new),
            MenuCommand::RemoveMenuItem {
                item_id: "calzone".into()
            },
        ]
    );
    let after = apply(current, &plan);
    let mut ids: Vec<_> = after.items.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["diavola", "margherita", "marinara"]);
    assert_eq!(after.item("margherita").unwrap().price_cents, 1300);
}

#[test]
fn plan_import_of_the_same_menu_is_empty() {
    let current = MenuDecider::fold(&two_items());
    assert_eq!(
        plan_import(&current, &as_spec(&current), &Default::default()).unwrap(),
        []
    );
    // Trimming is part of the comparison: what was typed with spaces is the same item.
    let typed = MenuItemSpec {
        name: "  Marinara ".into(),
        ..marinara()
    };
    assert_eq!(
        plan_import(&current, &[margherita(), typed], &Default::default()).unwrap(),
        []
    );
}

#[test]
fn plan_import_leaves_availability_alone() {
    let current = MenuDecider::fold(&then(two_items(), [unavailable("marinara")]));
    let dearer = MenuItemSpec {
        price_cents: 1000,
        ..marinara()
    };
    let plan = plan_import(
        &current,
        &[margherita(), dearer.clone()],
        &Default::default(),
    )
    .unwrap();
    assert_eq!(plan, [change_to(dearer)]);
    assert!(!apply(current, &plan).item("marinara").unwrap().available);
}

#[test]
fn plan_import_of_an_empty_file_is_refused_and_removes_nothing() {
    // Issue 7: an empty menu file is never what was meant; the menu stays as it is.
    let current = MenuDecider::fold(&two_items());
    let r = plan_import(&current, &[], &Default::default()).unwrap_err();
    assert_eq!(r.code, codes::EMPTY_MENU);
}

#[test]
fn plan_import_with_a_duplicate_id() {
    let r = plan_import(
        &Menu::default(),
        &[margherita(), marinara(), spec("margherita", "Again", 1)],
        &Default::default(),
    )
    .unwrap_err();
    assert_eq!(r.code, codes::MENU_ITEM_EXISTS);
    assert!(r.message.contains("margherita") && r.message.contains("twice"));
}

#[test]
fn plan_import_validates_every_item() {
    let current = MenuDecider::fold(&two_items());
    let cases = [
        (spec("Bad Id", "X", 1), codes::INVALID_ITEM_ID),
        (spec("x", "X", -1), codes::INVALID_PRICE),
        (spec("x", " ", 1), codes::INVALID_TEXT),
        (
            spec("x", &"n".repeat(text::NAME_MAX + 1), 1),
            codes::TEXT_TOO_LONG,
        ),
    ];
    for (bad, code) in cases {
        let r = plan_import(&current, &[margherita(), bad], &Default::default()).unwrap_err();
        assert_eq!(r.code, code);
    }
}

#[test]
fn menu_item_spec_reads_item_id_or_id_and_defaults_the_station() {
    let a: MenuItemSpec = serde_json::from_str(
        r#"{"item_id":"soup","name":"Soup","category":"Starters","price_cents":800}"#,
    )
    .unwrap();
    let b: MenuItemSpec = serde_json::from_str(
        r#"{"id":"soup","name":"Soup","category":"Starters","price_cents":800,"station":"kitchen","allergens":[]}"#,
    )
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.station, "kitchen");
    assert!(a.allergens.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Evolve: folding
// ---------------------------------------------------------------------------------------------

#[test]
fn folding_one_event_at_a_time_equals_folding_them_all() {
    let history = vec![
        added(margherita()),
        added(marinara()),
        unavailable("margherita"),
        changed(spec("marinara", "Marinara", 990)),
        added(spec("calzone", "Calzone", 1400)),
        removed("margherita"),
        available("calzone"),
        unavailable("calzone"),
        added(margherita()),
    ];
    let mut menu = Menu::default();
    for (i, event) in history.iter().enumerate() {
        menu = MenuDecider::evolve(menu, event);
        assert_eq!(menu, MenuDecider::fold(&history[..=i]), "after event {i}");
        // Resuming from any earlier point gives the same menu too.
        let resumed = history[i / 2..=i]
            .iter()
            .fold(MenuDecider::fold(&history[..i / 2]), MenuDecider::evolve);
        assert_eq!(menu, resumed);
    }
    let ids: Vec<_> = menu
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.price_cents, i.available))
        .collect();
    assert_eq!(
        ids,
        [
            ("marinara", 990, true),
            ("calzone", 1400, false),
            ("margherita", 1200, true)
        ]
    );
}

#[test]
fn every_accepted_menu_event_round_trips_through_its_stored_form() {
    let history = vec![
        added(margherita()),
        changed(spec("margherita", "Margherita", 990)),
        unavailable("margherita"),
        available("margherita"),
        MenuEvent::ItemStockSet(ItemStockSet {
            item_id: "margherita".into(),
            count: Some(4),
        }),
        MenuEvent::CategoryCourseSet(CategoryCourseSet {
            category: "Pizza".into(),
            course: Some(2),
        }),
        removed("margherita"),
    ];
    // One of each kind.
    let mut types: Vec<_> = history.iter().map(MenuEvent::event_type).collect();
    let mut all = MenuEvent::TYPES.to_vec();
    types.sort_unstable();
    all.sort_unstable();
    assert_eq!(types, all);
    for e in &history {
        assert_eq!(
            MenuEvent::from_payload(e.event_type(), &e.payload_json()).as_ref(),
            Ok(e)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 7: a field left out of ChangeMenuItem keeps its value
// ---------------------------------------------------------------------------------------------

#[test]
fn change_with_only_a_new_price_keeps_every_other_field() {
    let bar_item = MenuItemSpec {
        station: "bar".into(),
        allergens: vec!["gluten".into(), "dairy".into()],
        ..margherita()
    };
    let dearer = MenuItemSpec {
        price_cents: 1500,
        ..bar_item.clone()
    };
    let menu = menu_given([added(bar_item)])
        .when(MenuCommand::ChangeMenuItem(MenuItemChange {
            id: "margherita".into(),
            price_cents: Some(1500),
            ..MenuItemChange::default()
        }))
        .then_events([changed(dearer)]);
    let item = menu.item("margherita").unwrap();
    assert_eq!(item.station, "bar", "the station is kept");
    assert_eq!(
        item.allergens,
        ["gluten", "dairy"],
        "the allergens are kept"
    );
    assert_eq!(item.name, margherita().name);
    assert_eq!(item.category, margherita().category);
}

#[test]
fn change_with_one_field_keeps_the_others_and_an_explicit_value_replaces() {
    let base = MenuItemSpec {
        allergens: vec!["gluten".into()],
        ..margherita()
    };
    let only = |f: fn(&mut MenuItemChange)| {
        let mut c = MenuItemChange {
            id: "margherita".into(),
            ..MenuItemChange::default()
        };
        f(&mut c);
        MenuCommand::ChangeMenuItem(c)
    };
    let cases: [(MenuCommand, MenuItemSpec); 4] = [
        (
            only(|c| c.name = Some("Margherita DOP".into())),
            MenuItemSpec {
                name: "Margherita DOP".into(),
                ..base.clone()
            },
        ),
        (
            only(|c| c.category = Some("Classics".into())),
            MenuItemSpec {
                category: "Classics".into(),
                ..base.clone()
            },
        ),
        (
            only(|c| c.station = Some("oven".into())),
            MenuItemSpec {
                station: "oven".into(),
                ..base.clone()
            },
        ),
        (
            only(|c| c.allergens = Some(vec![])),
            MenuItemSpec {
                allergens: vec![],
                ..base.clone()
            },
        ),
    ];
    for (command, after) in cases {
        menu_given([added(base.clone())])
            .when(command)
            .then_events([changed(after)]);
    }
    // Nothing given changes nothing.
    menu_given([added(base.clone())])
        .when(only(|_| {}))
        .then_rejected(codes::NO_CHANGE);
    // A given value is still validated.
    menu_given([added(base)])
        .when(only(|c| c.price_cents = Some(-1)))
        .then_rejected(codes::INVALID_PRICE);
}
