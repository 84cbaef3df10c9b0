//! Sending to the kitchen: one ticket per station and course, later courses held until they
//! are fired.

use super::event::*;
use super::state::{Line, Order, TicketStatus};
use crate::domain::menu::decide_course;
use crate::domain::rejection::{codes, Rejection};
use crate::domain::Menu;

/// `PlaceOrder`: every unsent line goes. A line fires now when it has no course (drinks), when
/// its course is already under way, or when it is the lowest new course and nothing is waiting;
/// other lines go held. `fire_all` fires everything, held courses included (takeout).
pub(super) fn place(
    order: &Order,
    menu: &Menu,
    fire_all: bool,
) -> Result<Vec<OrderEvent>, Rejection> {
    let pending: Vec<&Line> = order.pending_lines().collect();
    if pending.is_empty() {
        return Err(Rejection::new(
            codes::NOTHING_TO_SEND,
            "every line has already gone to the kitchen; add something first",
        ));
    }
    refuse_unavailable(order, menu)?;
    let held = order.held_courses();
    let max_fired = order.fired.last().copied().unwrap_or(0);
    let lowest_new = pending
        .iter()
        .map(|l| l.course)
        .filter(|c| *c > max_fired)
        .min();
    let fires = |c: u32| {
        fire_all
            || c == 0
            || (!held.contains(&c)
                && (c <= max_fired || (held.is_empty() && Some(c) == lowest_new)))
    };
    // One ticket per (course, station), courses in order, stations as the lines first name them.
    let mut groups: Vec<(u32, &str, Vec<String>)> = Vec::new();
    for line in &pending {
        match groups
            .iter_mut()
            .find(|(c, s, _)| *c == line.course && *s == line.station)
        {
            Some((_, _, ids)) => ids.push(line.line_id.clone()),
            None => groups.push((line.course, &line.station, vec![line.line_id.clone()])),
        }
    }
    groups.sort_by_key(|(c, _, _)| *c);
    let mut number = order.tickets.iter().map(|t| t.number).max().unwrap_or(0);
    let tickets = groups
        .into_iter()
        .map(|(course, station, line_ids)| {
            number += 1;
            PlacedTicket {
                ticket_id: super::ticket_id(&order.order_id, number),
                ticket_number: number,
                station: Some(station.to_string()),
                course,
                line_ids,
                held: !fires(course),
            }
        })
        .collect();
    let mut events = vec![OrderEvent::OrderPlaced(OrderPlaced {
        order_id: order.order_id.clone(),
        tickets,
    })];
    if fire_all {
        for course in held {
            events.push(fired(order, course));
        }
    }
    Ok(events)
}

/// `FireCourse`: the lowest held course, or the one named.
pub(super) fn fire(order: &Order, course: Option<i64>) -> Result<Vec<OrderEvent>, Rejection> {
    let held = order.held_courses();
    let course = match course {
        None => *held.first().ok_or_else(|| {
            Rejection::new(
                codes::NOTHING_TO_FIRE,
                format!("nothing on {} is held", order.label()),
            )
        })?,
        Some(c) => {
            let c = decide_course(c)?;
            if !held.contains(&c) {
                let held: Vec<String> = held.iter().map(u32::to_string).collect();
                return Err(Rejection::new(
                    codes::NOTHING_TO_FIRE,
                    if held.is_empty() {
                        format!("course {c} is not held: nothing on {} is", order.label())
                    } else {
                        format!("course {c} is not held; held: {}", held.join(", "))
                    },
                ));
            }
            c
        }
    };
    Ok(vec![fired(order, course)])
}

fn fired(order: &Order, course: u32) -> OrderEvent {
    OrderEvent::CourseFired(CourseFired {
        order_id: order.order_id.clone(),
        course,
        ticket_ids: order
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Held && t.course == course)
            .map(|t| t.ticket_id.clone())
            .collect(),
    })
}

/// Nothing is sent while an unsent line's item is off the menu or 86'd (`ITEM_UNAVAILABLE`),
/// each named as the waiter sees it.
fn refuse_unavailable(order: &Order, menu: &Menu) -> Result<(), Rejection> {
    let unavailable = order.unavailable_lines(menu);
    if unavailable.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = unavailable
        .iter()
        .map(|l| {
            let why = if menu.item(&l.item_id).is_some() {
                "is 86'd (unavailable) right now"
            } else {
                "is no longer on the menu"
            };
            // Numbered as the waiter sees them (1, 2, 3), with the id for scripts.
            let number = order
                .lines
                .iter()
                .position(|x| x.line_id == l.line_id)
                .map_or(0, |i| i + 1);
            format!("line {number} ({}, id {}) {why}", l.name, l.line_id)
        })
        .collect();
    Err(Rejection::new(
        codes::ITEM_UNAVAILABLE,
        format!(
            "nothing was sent: {}; remove it or wait until it is back",
            lines.join("; ")
        ),
    ))
}
