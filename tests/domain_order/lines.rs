//! The lines before they are sent: AddItem, RemoveItem, ChangeItemQuantity and
//! ChangeItemNote.

use crate::fixtures::*;

// AddItem

#[test]
fn add_item_with_a_note() {
    let state = given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "margherita".into(),
            quantity: 2,
            note: Some("  no basil ".into()),
            modifiers: Vec::new(),
            seat: None,
            course: None,
        })
        .then_events([added_noted(2, "margherita", 2, Some("no basil"))]);
    let line = state.line("l2").expect("the new line");
    assert_eq!(line.status, LineStatus::Pending);
    assert_eq!(line.note.as_deref(), Some("no basil"));
    assert_eq!(line.live_quantity(), 2);
    assert_eq!(line.ticket_id, None);
    assert_eq!(state.total_cents(), 2400);
    assert_eq!(state.status, OrderStatus::Open);
}

#[test]
fn add_item_with_a_blank_note_has_no_note() {
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some("   ".into()),
            modifiers: Vec::new(),
            seat: None,
            course: None,
        })
        .then_events([added(2, "cola", 1)]);
}

#[test]
fn add_item_copies_name_station_and_price_from_the_menu() {
    let mut special = menu();
    special.items.push(MenuItem {
        id: "special".into(),
        name: "Chef's Special".into(),
        category: "mains".into(),
        price_cents: 2345,
        station: "grill".into(),
        allergens: vec!["fish".into()],
        available: true,
        modifier_groups: vec![],
        stock: None,
    });
    gwt::given_with::<OrderDecider>(&special, [opened()])
        .when(add("special", 3))
        .then_events([OrderEvent::ItemAddedToOrder(ItemAddedToOrder {
            order_id: O.into(),
            line_id: "l2".into(),
            item_id: "special".into(),
            name: "Chef's Special".into(),
            station: "grill".into(),
            price_cents: 2345,
            quantity: 3,
            note: None,
            modifiers: vec![],
            seat: 0,
            course: 0,
        })]);
}

#[test]
fn add_item_to_a_placed_order_is_an_add_on() {
    let state = given(sent())
        .when(add("tiramisu", 1))
        .then_events([added(5, "tiramisu", 1)]);
    assert_eq!(state.status, OrderStatus::Placed);
    assert_eq!(state.pending_lines().count(), 1);
}

#[test]
fn add_item_unknown() {
    given([opened()])
        .when(add("calzone", 1))
        .then_rejected_with(codes::ITEM_NOT_FOUND, "calzone");
}

#[test]
fn add_item_that_is_86d() {
    given([opened()])
        .when(add("soup", 1))
        .then_rejected(codes::ITEM_UNAVAILABLE);
}

#[test]
fn add_item_quantity_out_of_range() {
    for quantity in [0, -1, 100, 1_000_000_000, i64::MAX, i64::MIN] {
        given([opened()])
            .when(add("cola", quantity))
            .then_rejected(codes::INVALID_QUANTITY);
    }
}

#[test]
fn add_item_quantity_bounds_are_inclusive() {
    given([opened()])
        .when(add("cola", 1))
        .then_events([added(2, "cola", 1)]);
    given([opened()])
        .when(add("cola", 99))
        .then_events([added(2, "cola", 99)]);
}

#[test]
fn add_item_with_a_100_kb_note() {
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some("x".repeat(100 * 1024)),
            modifiers: Vec::new(),
            seat: None,
            course: None,
        })
        .then_rejected_with(codes::TEXT_TOO_LONG, "note");
}

#[test]
fn add_item_note_length_is_counted_in_characters() {
    let fits = "é".repeat(text::NOTE_MAX);
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some(fits.clone()),
            modifiers: Vec::new(),
            seat: None,
            course: None,
        })
        .then_events([added_noted(2, "cola", 1, Some(&fits))]);
    given([opened()])
        .when(OrderCommand::AddItem {
            item_id: "cola".into(),
            quantity: 1,
            note: Some("é".repeat(text::NOTE_MAX + 1)),
            modifiers: Vec::new(),
            seat: None,
            course: None,
        })
        .then_rejected(codes::TEXT_TOO_LONG);
}

#[test]
fn add_item_order_not_found() {
    given([])
        .when(add("cola", 1))
        .then_rejected(codes::ORDER_NOT_FOUND);
}

#[test]
fn add_item_to_a_closed_or_cancelled_order() {
    given(then(all_served(), [closed(2700, None)]))
        .when(add("cola", 1))
        .then_rejected(codes::ORDER_NOT_OPEN);
    given(then(with_pending(), [cancelled("walked out")]))
        .when(add("cola", 1))
        .then_rejected_with(codes::ORDER_NOT_OPEN, "cancelled");
}

// RemoveItem

#[test]
fn remove_a_pending_item() {
    let state = given(with_pending())
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_events([removed("l2")]);
    assert!(state.line("l2").is_none());
    assert_eq!(state.lines.len(), 1);
    assert_eq!(state.total_cents(), 300);
}

#[test]
fn remove_a_sent_item() {
    given(sent())
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_rejected_with(codes::LINE_ALREADY_SENT, "void");
}

#[test]
fn remove_an_unknown_or_already_removed_line() {
    given(with_pending())
        .when(OrderCommand::RemoveItem {
            line_id: "l9".into(),
        })
        .then_rejected(codes::LINE_NOT_FOUND);
    given(then(with_pending(), [removed("l2")]))
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_rejected(codes::LINE_NOT_FOUND);
}

#[test]
fn remove_from_a_cancelled_order() {
    given(then(with_pending(), [cancelled("walked out")]))
        .when(OrderCommand::RemoveItem {
            line_id: "l2".into(),
        })
        .then_rejected(codes::ORDER_NOT_OPEN);
}

// ChangeItemQuantity / ChangeItemNote

#[test]
fn change_item_quantity() {
    let state = given(with_pending())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 5,
        })
        .then_events([OrderEvent::ItemQuantityChanged(ItemQuantityChanged {
            order_id: O.into(),
            line_id: "l2".into(),
            quantity: 5,
        })]);
    assert_eq!(state.line("l2").unwrap().quantity, 5);
    assert_eq!(state.total_cents(), 5 * 1200 + 300);
}

#[test]
fn change_item_quantity_to_the_same() {
    given(with_pending())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 2,
        })
        .then_rejected(codes::NO_CHANGE);
}

#[test]
fn change_item_quantity_out_of_range() {
    for quantity in [0, -3, 100] {
        given(with_pending())
            .when(OrderCommand::ChangeItemQuantity {
                line_id: "l2".into(),
                quantity,
            })
            .then_rejected(codes::INVALID_QUANTITY);
    }
}

#[test]
fn change_item_quantity_of_a_sent_or_unknown_line() {
    given(sent())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "l2".into(),
            quantity: 3,
        })
        .then_rejected(codes::LINE_ALREADY_SENT);
    given(with_pending())
        .when(OrderCommand::ChangeItemQuantity {
            line_id: "nope".into(),
            quantity: 3,
        })
        .then_rejected(codes::LINE_NOT_FOUND);
}

#[test]
fn change_item_note_sets_and_clears() {
    let state = given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some(" no ice ".into()),
        })
        .then_events([OrderEvent::ItemNoteChanged(ItemNoteChanged {
            order_id: O.into(),
            line_id: "l3".into(),
            note: Some("no ice".into()),
        })]);
    assert_eq!(state.line("l3").unwrap().note.as_deref(), Some("no ice"));

    let noted = vec![opened(), added_noted(2, "cola", 1, Some("no ice"))];
    let state = given(noted)
        .when(OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: None,
        })
        .then_events([OrderEvent::ItemNoteChanged(ItemNoteChanged {
            order_id: O.into(),
            line_id: "l2".into(),
            note: None,
        })]);
    assert_eq!(state.line("l2").unwrap().note, None);
}

#[test]
fn change_item_note_to_the_same() {
    let noted = vec![opened(), added_noted(2, "cola", 1, Some("no ice"))];
    given(noted)
        .when(OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: Some("  no ice  ".into()),
        })
        .then_rejected(codes::NO_CHANGE);
    // No note, and a blank one is no note.
    given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l2".into(),
            note: Some("   ".into()),
        })
        .then_rejected(codes::NO_CHANGE);
}

#[test]
fn change_item_note_of_a_sent_line_or_too_long() {
    given(sent())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some("no ice".into()),
        })
        .then_rejected(codes::LINE_ALREADY_SENT);
    given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l3".into(),
            note: Some("x".repeat(text::NOTE_MAX + 1)),
        })
        .then_rejected(codes::TEXT_TOO_LONG);
    given(with_pending())
        .when(OrderCommand::ChangeItemNote {
            line_id: "l4".into(),
            note: Some("x".into()),
        })
        .then_rejected(codes::LINE_NOT_FOUND);
}
