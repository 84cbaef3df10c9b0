//! Given/when/then tests of what the menu gained for a Friday night: modifier groups and their
//! validation, stock counts (86'd by count, back on), category courses, and an import that
//! carries them.

mod support;

use std::collections::BTreeMap;

use brigade::domain::menu::{
    plan_import, CategoryCourseSet, ItemStockSet, MenuDecider, MenuItemAdded,
    MenuItemMarkedAvailable, MenuItemMarkedUnavailable, MenuItemSpec, ModifierGroup,
    ModifierOption,
};
use brigade::domain::rejection::codes;
use brigade::domain::{Decider, MenuCommand, MenuEvent};
use support::gwt::{self, Given};

fn option(id: &str, price_cents: i64) -> ModifierOption {
    ModifierOption {
        option_id: id.into(),
        name: id.to_uppercase(),
        price_cents,
        allergens: vec![],
    }
}

fn group(id: &str, min: i64, max: i64, options: Vec<ModifierOption>) -> ModifierGroup {
    ModifierGroup {
        group_id: id.into(),
        name: id.to_uppercase(),
        min,
        max,
        options,
    }
}

fn steak(groups: Vec<ModifierGroup>) -> MenuItemSpec {
    MenuItemSpec {
        id: "steak".into(),
        name: "Steak".into(),
        category: "Mains".into(),
        price_cents: 2800,
        station: "grill".into(),
        allergens: vec![],
        modifier_groups: groups,
    }
}

fn temps() -> ModifierGroup {
    group("temp", 1, 1, vec![option("rare", 0), option("medium", 0)])
}

fn added(spec: MenuItemSpec) -> MenuEvent {
    MenuEvent::MenuItemAdded(MenuItemAdded { item: spec })
}

fn stock(count: Option<u32>) -> MenuEvent {
    MenuEvent::ItemStockSet(ItemStockSet {
        item_id: "steak".into(),
        count,
    })
}

fn given(history: impl IntoIterator<Item = MenuEvent>) -> Given<'static, MenuDecider> {
    gwt::given(history)
}

fn set_stock(count: Option<i64>) -> MenuCommand {
    MenuCommand::SetItemStock {
        item_id: "steak".into(),
        count,
    }
}

#[test]
fn an_item_with_groups_is_added_and_bad_groups_are_refused() {
    let menu = given([])
        .when(MenuCommand::AddMenuItem(steak(vec![temps()])))
        .then_events([added(steak(vec![temps()]))]);
    assert_eq!(menu.items[0].modifier_groups, [temps()]);
    assert!(menu.items[0].needs_modifiers());
    let refused = |groups: Vec<ModifierGroup>, why: &str| {
        given([])
            .when(MenuCommand::AddMenuItem(steak(groups)))
            .then_rejected_with(codes::INVALID_MODIFIER_GROUP, why);
    };
    refused(
        vec![group("temp", 2, 1, vec![option("a", 0), option("b", 0)])],
        "min 2",
    );
    refused(vec![temps(), temps()], "listed twice");
    refused(
        vec![group("temp", 0, 2, vec![option("a", 0), option("a", 0)])],
        "listed twice",
    );
    refused(
        vec![group("sauce", 0, 1, vec![option("pepper", -50)])],
        "-50",
    );
    refused(vec![group("empty", 0, 1, vec![])], "options");
}

#[test]
fn a_stock_count_is_set_refused_out_of_range_and_stopped() {
    let history = [added(steak(vec![]))];
    given(history.clone())
        .when(set_stock(Some(5)))
        .then_events([stock(Some(5))]);
    for bad in [-1, 10_000] {
        given(history.clone())
            .when(set_stock(Some(bad)))
            .then_rejected(codes::INVALID_STOCK);
    }
    given(history.clone())
        .when(set_stock(None))
        .then_rejected(codes::NO_CHANGE);
    let counted = given([added(steak(vec![])), stock(Some(0))])
        .when(set_stock(None))
        .then_events([stock(None)]);
    assert_eq!(counted.items[0].stock, None);
}

#[test]
fn counting_portions_in_brings_an_86d_item_back_and_back_on_stops_a_count_at_nothing() {
    let off = MenuEvent::MenuItemMarkedUnavailable(MenuItemMarkedUnavailable {
        item_id: "steak".into(),
    });
    let on = MenuEvent::MenuItemMarkedAvailable(MenuItemMarkedAvailable {
        item_id: "steak".into(),
    });
    let menu = given([added(steak(vec![])), off])
        .when(set_stock(Some(3)))
        .then_events([stock(Some(3)), on.clone()]);
    assert!(menu.items[0].orderable());
    // Counted down to nothing: 86'd by itself; back on means no longer counted.
    let at_zero = [added(steak(vec![])), stock(Some(0))];
    assert!(!MenuDecider::fold(&at_zero).items[0].orderable());
    given(at_zero)
        .when(MenuCommand::MarkItemAvailable {
            item_id: "steak".into(),
        })
        .then_events([stock(None)]);
}

#[test]
fn a_category_s_course_is_set_changed_and_cleared() {
    let set = |course| {
        MenuEvent::CategoryCourseSet(CategoryCourseSet {
            category: "Mains".into(),
            course,
        })
    };
    let command = |course| MenuCommand::SetCategoryCourse {
        category: "Mains".into(),
        course,
    };
    let menu = given([]).when(command(Some(2))).then_events([set(Some(2))]);
    assert_eq!(menu.courses.get("Mains"), Some(&2));
    given([set(Some(2))])
        .when(command(Some(2)))
        .then_rejected(codes::NO_CHANGE);
    given([])
        .when(command(Some(6)))
        .then_rejected(codes::INVALID_COURSE);
    let cleared = given([set(Some(2))])
        .when(command(None))
        .then_events([set(None)]);
    assert!(cleared.courses.is_empty());
}

#[test]
fn an_import_carries_groups_and_courses_and_leaves_counts_alone() {
    let current = MenuDecider::fold(&[added(steak(vec![])), stock(Some(4))]);
    let courses: BTreeMap<String, i64> = [("Mains".to_string(), 2)].into();
    let plan = plan_import(&current, &[steak(vec![temps()])], &courses).unwrap();
    assert_eq!(plan.len(), 2, "{plan:?}");
    assert!(
        matches!(&plan[0], MenuCommand::ChangeMenuItem(c) if c.modifier_groups == Some(vec![temps()]))
    );
    assert!(matches!(
        &plan[1],
        MenuCommand::SetCategoryCourse {
            course: Some(2),
            ..
        }
    ));
    let mut menu = current;
    for c in &plan {
        let events = MenuDecider::decide(&menu, c, ()).unwrap();
        menu = MenuDecider::fold_from(Some(menu), &events);
    }
    assert_eq!(menu.items[0].stock, Some(4), "the kitchen's count stays");
    assert_eq!(
        plan_import(&menu, &[steak(vec![temps()])], &courses).unwrap(),
        [],
        "importing the same file again changes nothing"
    );
    let bad: BTreeMap<String, i64> = [("Mains".to_string(), 9)].into();
    assert_eq!(
        plan_import(&menu, &[steak(vec![temps()])], &bad)
            .unwrap_err()
            .code,
        codes::INVALID_COURSE
    );
}
