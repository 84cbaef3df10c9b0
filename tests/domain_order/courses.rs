//! A Friday night's kitchen, given/when/then: modifiers and their refusals, seats, courses
//! held and fired, one ticket per station and course, rush, seat and quantity changes after
//! sending, stock counts, and a send from before tickets were per station.

use brigade::domain::codec::decode_order;
use brigade::domain::menu::{ChosenModifier, ModifierGroup, ModifierOption};
use brigade::domain::order::{CourseFired, ItemSeatChanged, OrderRushed};

use super::fixtures::*;

fn option(id: &str, name: &str, price_cents: i64, allergens: &[&str]) -> ModifierOption {
    ModifierOption {
        option_id: id.into(),
        name: name.into(),
        price_cents,
        allergens: allergens.iter().map(|a| a.to_string()).collect(),
    }
}

fn group(id: &str, name: &str, min: i64, max: i64, options: Vec<ModifierOption>) -> ModifierGroup {
    ModifierGroup {
        group_id: id.into(),
        name: name.into(),
        min,
        max,
        options,
    }
}

/// A bistro: a starter, a steak (temperature required, a sauce optional) at the grill, a
/// burger with up to two extras, a dessert, a beer at the bar; starters are course 1, mains 2,
/// desserts 3, drinks go with the send.
fn bistro() -> Menu {
    let mut steak = item("steak", "Steak", 2800, "grill", true);
    steak.category = "Mains".into();
    steak.modifier_groups = vec![
        group(
            "temp",
            "Temperature",
            1,
            1,
            vec![
                option("rare", "Rare", 0, &[]),
                option("medium", "Medium", 0, &[]),
            ],
        ),
        group(
            "sauce",
            "Sauce",
            0,
            1,
            vec![option("pepper", "Peppercorn", 250, &["milk"])],
        ),
    ];
    let mut burger = item("burger", "Burger", 1600, "grill", true);
    burger.category = "Mains".into();
    burger.modifier_groups = vec![group(
        "extras",
        "Extras",
        0,
        2,
        vec![
            option("bacon", "Bacon", 200, &[]),
            option("cheese", "Cheese", 150, &["milk"]),
            option("egg", "Egg", 150, &["egg"]),
        ],
    )];
    let mut soup = item("soup", "Soup", 700, "kitchen", true);
    soup.category = "Starters".into();
    let mut cake = item("cake", "Cake", 800, "kitchen", true);
    cake.category = "Desserts".into();
    let mut beer = item("beer", "Beer", 600, "bar", true);
    beer.category = "Drinks".into();
    Menu {
        items: vec![soup, steak, burger, cake, beer],
        courses: [("Starters", 1), ("Mains", 2), ("Desserts", 3)]
            .into_iter()
            .map(|(c, n)| (c.to_string(), n))
            .collect(),
    }
}

static BISTRO: LazyLock<Menu> = LazyLock::new(bistro);

fn at_bistro(history: Vec<OrderEvent>) -> Given<'static, OrderDecider> {
    gwt::given_with(&*BISTRO, history)
}

fn add_with(
    item_id: &str,
    modifiers: &[&str],
    seat: Option<i64>,
    course: Option<i64>,
) -> OrderCommand {
    OrderCommand::AddItem {
        item_id: item_id.into(),
        quantity: 1,
        note: None,
        modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
        seat,
        course,
    }
}

/// Decides `commands` in turn from an opened order, returning the history.
fn service(commands: &[OrderCommand]) -> Vec<OrderEvent> {
    let mut history = vec![opened()];
    for c in commands {
        let (events, _) = at_bistro(history.clone()).when(c.clone()).then_accepted();
        history.extend(events);
    }
    history
}

fn place() -> OrderCommand {
    OrderCommand::PlaceOrder { fire_all: false }
}

#[test]
fn an_option_adds_its_price_and_allergens_and_the_line_keeps_them() {
    let (events, state) = at_bistro(vec![opened()])
        .when(add_with("steak", &["rare", "pepper"], Some(3), None))
        .then_accepted();
    let OrderEvent::ItemAddedToOrder(a) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(a.price_cents, 2800 + 250, "base and the sauce, fixed now");
    assert_eq!((a.seat, a.course), (3, 2), "seat 3; mains are course 2");
    let names: Vec<&str> = a.modifiers.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Rare", "Peppercorn"]);
    assert_eq!(
        a.modifiers[1],
        ChosenModifier {
            group_id: "sauce".into(),
            group_name: "Sauce".into(),
            option_id: "pepper".into(),
            name: "Peppercorn".into(),
            price_cents: 250,
            allergens: vec!["milk".into()],
        }
    );
    assert_eq!(state.total_cents(), 3050);
}

#[test]
fn modifier_refusals_name_what_is_wrong() {
    let given = || at_bistro(vec![opened()]);
    given()
        .when(add_with("steak", &[], None, None))
        .then_rejected_with(codes::MODIFIER_REQUIRED, "Temperature");
    given()
        .when(add_with("steak", &["rare", "medium"], None, None))
        .then_rejected(codes::TOO_MANY_MODIFIERS);
    given()
        .when(add_with("burger", &["bacon", "cheese", "egg"], None, None))
        .then_rejected(codes::TOO_MANY_MODIFIERS);
    given()
        .when(add_with("steak", &["rare", "ketchup"], None, None))
        .then_rejected(codes::UNKNOWN_MODIFIER);
    given()
        .when(add_with("soup", &["rare"], None, None))
        .then_rejected(codes::UNKNOWN_MODIFIER);
}

#[test]
fn seats_and_courses_are_checked() {
    for seat in [-1, 100] {
        at_bistro(vec![opened()])
            .when(add_with("soup", &[], Some(seat), None))
            .then_rejected(codes::INVALID_SEAT);
    }
    for course in [0, 6] {
        at_bistro(vec![opened()])
            .when(add_with("soup", &[], None, Some(course)))
            .then_rejected(codes::INVALID_COURSE);
    }
    // A named course beats the category's; drinks have none: they go with the send.
    let h = service(&[
        add_with("soup", &[], Some(0), Some(2)),
        add_with("beer", &[], None, None),
    ]);
    let state = OrderDecider::fold(&h);
    assert_eq!(state.lines[0].course, 2);
    assert_eq!(state.lines[1].course, 0);
}

#[test]
fn a_send_makes_a_ticket_per_station_and_course_and_holds_later_courses() {
    let h = service(&[
        add_with("soup", &[], Some(1), None),
        add_with("steak", &["rare"], Some(2), None),
        add_with("beer", &[], Some(2), None),
        add_with("cake", &[], Some(1), None),
    ]);
    let state = at_bistro(h)
        .when(place())
        .then_events([OrderEvent::OrderPlaced(OrderPlaced {
            order_id: O.into(),
            tickets: vec![
                ticket(1, "bar", 0, &["l4"], false),
                ticket(2, "kitchen", 1, &["l2"], false),
                ticket(3, "grill", 2, &["l3"], true),
                ticket(4, "kitchen", 3, &["l5"], true),
            ],
        })]);
    assert_eq!(state.held_courses(), [2, 3]);
    assert_eq!(state.line("l3").unwrap().status, LineStatus::Held);
    assert_eq!(state.fired, [1]);
}

fn ticket(n: u32, station: &str, course: u32, lines: &[&str], held: bool) -> PlacedTicket {
    PlacedTicket {
        ticket_id: t(n),
        ticket_number: n,
        station: Some(station.into()),
        course,
        line_ids: lines.iter().map(|l| l.to_string()).collect(),
        held,
    }
}

#[test]
fn fire_all_sends_everything_at_once() {
    let h = service(&[
        add_with("soup", &[], None, None),
        add_with("cake", &[], None, None),
    ]);
    let (events, state) = at_bistro(h)
        .when(OrderCommand::PlaceOrder { fire_all: true })
        .then_accepted();
    assert_eq!(events.len(), 1);
    assert!(state.held_courses().is_empty());
    assert_eq!(state.fired, [1, 3]);
}

#[test]
fn fire_course_fires_the_next_held_or_the_one_named_and_nothing_else() {
    let h = service(&[
        add_with("soup", &[], None, None),
        add_with("steak", &["medium"], None, None),
        add_with("cake", &[], None, None),
        place(),
    ]);
    // Held: course 2 (t2) and 3 (t3).
    at_bistro(h.clone())
        .when(OrderCommand::FireCourse { course: None })
        .then_events([OrderEvent::CourseFired(CourseFired {
            order_id: O.into(),
            course: 2,
            ticket_ids: vec![t(2)],
        })]);
    let state = at_bistro(h.clone())
        .when(OrderCommand::FireCourse { course: Some(3) })
        .then_events([OrderEvent::CourseFired(CourseFired {
            order_id: O.into(),
            course: 3,
            ticket_ids: vec![t(3)],
        })]);
    assert_eq!(state.held_courses(), [2]);
    at_bistro(h.clone())
        .when(OrderCommand::FireCourse { course: Some(1) })
        .then_rejected_with(codes::NOTHING_TO_FIRE, "held: 2, 3");
    at_bistro(h.clone())
        .when(OrderCommand::FireCourse { course: Some(9) })
        .then_rejected(codes::INVALID_COURSE);
    let all_fired = service(&[add_with("soup", &[], None, None), place()]);
    at_bistro(all_fired)
        .when(OrderCommand::FireCourse { course: None })
        .then_rejected(codes::NOTHING_TO_FIRE);
    // A held ticket is not started or bumped until it is fired.
    at_bistro(h.clone())
        .when(OrderCommand::StartTicket { ticket_id: t(2) })
        .then_rejected_with(codes::INVALID_TICKET_STATE, "fire its course first");
    at_bistro(h)
        .when(OrderCommand::BumpTicket { ticket_id: t(3) })
        .then_rejected(codes::INVALID_TICKET_STATE);
}

#[test]
fn an_add_on_fires_with_a_course_under_way_and_waits_behind_a_held_one() {
    let h = service(&[
        add_with("soup", &[], None, None),
        add_with("steak", &["medium"], None, None),
        place(),
        // Another soup (course 1 is under way) and a cake (course 3; course 2 is held).
        add_with("soup", &[], None, None),
        add_with("cake", &[], None, None),
    ]);
    let (events, _) = at_bistro(h).when(place()).then_accepted();
    let OrderEvent::OrderPlaced(p) = &events[0] else {
        panic!("{events:?}")
    };
    let held: Vec<(u32, bool)> = p.tickets.iter().map(|t| (t.course, t.held)).collect();
    assert_eq!(held, [(1, false), (3, true)]);
    assert_eq!(
        p.tickets[0].ticket_id,
        t(3),
        "numbers go on from the first send's"
    );
}

#[test]
fn rush_marks_the_order_once() {
    let h = service(&[add_with("soup", &[], None, None), place()]);
    let state = at_bistro(h.clone())
        .when(OrderCommand::RushOrder)
        .then_events([OrderEvent::OrderRushed(OrderRushed { order_id: O.into() })]);
    assert!(state.rush);
    let mut rushed = h;
    rushed.push(OrderEvent::OrderRushed(OrderRushed { order_id: O.into() }));
    at_bistro(rushed)
        .when(OrderCommand::RushOrder)
        .then_rejected(codes::NO_CHANGE);
}

#[test]
fn a_seat_changes_before_and_after_sending_but_not_once_served() {
    let h = service(&[add_with("soup", &[], Some(1), None), place()]);
    at_bistro(h.clone())
        .when(OrderCommand::ChangeItemSeat {
            line_id: "l2".into(),
            seat: 4,
        })
        .then_events([OrderEvent::ItemSeatChanged(ItemSeatChanged {
            order_id: O.into(),
            line_id: "l2".into(),
            seat: 4,
        })]);
    at_bistro(h.clone())
        .when(OrderCommand::ChangeItemSeat {
            line_id: "l2".into(),
            seat: 1,
        })
        .then_rejected(codes::NO_CHANGE);
    at_bistro(h.clone())
        .when(OrderCommand::ChangeItemSeat {
            line_id: "l2".into(),
            seat: 100,
        })
        .then_rejected(codes::INVALID_SEAT);
    let served = then(h, [ready(1), served(1)]);
    at_bistro(served)
        .when(OrderCommand::ChangeItemSeat {
            line_id: "l2".into(),
            seat: 2,
        })
        .then_rejected(codes::LINE_ALREADY_SENT);
}

#[test]
fn a_held_line_s_quantity_still_changes_a_fired_one_s_does_not() {
    let h = service(&[
        add_with("soup", &[], None, None),
        add_with("cake", &[], None, None),
        place(),
    ]);
    at_bistro(h.clone())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l3".into(),
            quantity: 2,
        })
        .then_accepted();
    at_bistro(h)
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 2,
        })
        .then_rejected(codes::LINE_ALREADY_SENT);
}

#[test]
fn a_counted_item_is_refused_past_what_is_left() {
    let mut counted = bistro();
    counted.items[0].stock = Some(2);
    let given = || gwt::given_with::<OrderDecider>(&counted, [opened()]);
    given()
        .when(OrderCommand::AddItem {
            item_id: "soup".into(),
            quantity: 3,
            note: None,
            modifiers: vec![],
            seat: None,
            course: None,
        })
        .then_rejected_with(codes::ITEM_UNAVAILABLE, "only 2");
    given()
        .when(add_with("soup", &[], None, None))
        .then_accepted();
    counted.items[0].stock = Some(0);
    gwt::given_with::<OrderDecider>(&counted, [opened()])
        .when(add_with("soup", &[], None, None))
        .then_rejected_with(codes::ITEM_UNAVAILABLE, "none left");
}

#[test]
fn a_send_of_the_previous_release_reads_as_one_ticket_per_station() {
    // Lines at two stations, sent as one ticket by a release before tickets per station.
    let mut history = vec![opened(), added(2, "margherita", 1)];
    let mut cola = added(3, "cola", 1);
    if let OrderEvent::ItemAddedToOrder(a) = &mut cola {
        a.station = "bar".into();
    }
    history.push(cola);
    let v1 = r#"{"order_id":"o1","ticket_id":"o1-t1","ticket_number":1,"line_ids":["l2","l3"]}"#;
    history.push(decode_order("OrderPlaced", 1, v1, 4).unwrap());
    let state = OrderDecider::fold(&history);
    let parts: Vec<(&str, &str)> = state
        .tickets
        .iter()
        .map(|t| (t.ticket_id.as_str(), t.station.as_str()))
        .collect();
    assert_eq!(parts, [("o1-t1.1", "kitchen"), ("o1-t1.2", "bar")]);
    // The old id (as the previous release's events name it) moves both parts...
    let both = OrderDecider::fold(&then(history.clone(), [ready(1)]));
    assert!(both.tickets.iter().all(|t| t.status == TicketStatus::Ready));
    // ...and a bump of one part today moves only that part.
    let (events, one) = given(history)
        .when(OrderCommand::BumpTicket {
            ticket_id: "o1-t1.2".into(),
        })
        .then_accepted();
    assert_eq!(events.len(), 1);
    assert_eq!(one.ticket("o1-t1.1").unwrap().status, TicketStatus::New);
    assert_eq!(one.ticket("o1-t1.2").unwrap().status, TicketStatus::Ready);
    assert_eq!(order_of_ticket("o1-t1.2"), Some("o1"));
}
