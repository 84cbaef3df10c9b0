//! `brigade history ORDER_ID [--json] [--at REVISION]`: an order's audit trail as text or JSON,
//! or its state right after one revision; `brigade history menu`: the menu's own trail.

use serde_json::json;

use super::{json_out, out, Failure};
use crate::app::Brigade;
use crate::display::{money, safe};
use crate::domain::Order;
use crate::projections::audit;

pub fn run(
    brigade: &Brigade,
    order_id: Option<&str>,
    json: bool,
    at: Option<u64>,
) -> Result<i32, Failure> {
    let Some(order_id) = order_id else {
        return list(brigade, json);
    };
    if order_id == crate::domain::menu::MENU_STREAM {
        return menu(brigade, json, at);
    }
    let events = brigade.order_events(order_id)?;
    let trail = audit::trail(events).map_err(crate::app::AppError::from)?;
    if let Some(revision) = at {
        let head = trail.last().map_or(0, |e| e.revision);
        if revision == 0 || revision > head {
            return Err(Failure::new(
                "REVISION_NOT_FOUND",
                format!("order {order_id} has revisions 1 to {head}, not {revision}"),
            ));
        }
        let state = audit::state_at(&trail, revision).map_err(crate::app::AppError::from)?;
        if json {
            json_out(&state)?;
        } else {
            print_state(&state)?;
        }
        return Ok(0);
    }
    if json {
        let states = audit::states(&trail).map_err(crate::app::AppError::from)?;
        let entries: Vec<_> = trail
            .iter()
            .zip(states)
            .map(|(entry, state)| {
                let mut v = serde_json::to_value(entry).expect("entries serialise");
                v["state"] = serde_json::to_value(state).expect("orders serialise");
                v
            })
            .collect();
        json_out(&entries)?;
        return Ok(0);
    }
    let now = audit::state_at(&trail, u64::MAX).map_err(crate::app::AppError::from)?;
    out(&format!(
        "Order {} — {} — {}",
        safe(order_id),
        safe(&now.label()),
        now.status.as_str()
    ))?;
    print_trail(&trail, 22)?;
    Ok(0)
}

/// `brigade history menu`: the menu stream's events (time, actor, type, summary); with `--at`,
/// the trail up to that revision.
fn menu(brigade: &Brigade, json: bool, at: Option<u64>) -> Result<i32, Failure> {
    let mut trail =
        audit::menu_trail(brigade.menu_events()?).map_err(crate::app::AppError::from)?;
    if let Some(revision) = at {
        let head = trail.last().map_or(0, |e| e.revision);
        if revision == 0 || revision > head {
            return Err(Failure::new(
                "REVISION_NOT_FOUND",
                format!("the menu has revisions 1 to {head}, not {revision}"),
            ));
        }
        trail.retain(|e| e.revision <= revision);
    }
    if json {
        json_out(&trail)?;
        return Ok(0);
    }
    out(&format!("Menu — {} events", trail.len()))?;
    print_trail(&trail, 26)?;
    Ok(0)
}

fn list(brigade: &Brigade, json: bool) -> Result<i32, Failure> {
    let orders = brigade.recent_orders(50)?;
    if json {
        let list: Vec<_> = orders
            .iter()
            .map(|o| {
                json!({"order_id": o.order.order_id, "label": o.order.label(),
                       "table": o.order.table, "opened_at": o.opened_at,
                       "status": o.order.status, "revision": o.order.revision})
            })
            .collect();
        json_out(&list)?;
    } else {
        for o in &orders {
            out(&format!(
                "{:<14} {:<20} {}  {:<10} rev {}",
                o.order.order_id,
                safe(&o.order.label()),
                o.opened_at.format("%Y-%m-%d %H:%M"),
                o.order.status.as_str(),
                o.order.revision
            ))?;
        }
    }
    Ok(0)
}

fn print_state(o: &Order) -> Result<(), Failure> {
    out(&format!(
        "Order {} — {} — {} — revision {} — total {}",
        safe(&o.order_id),
        safe(&o.label()),
        o.status.as_str(),
        o.revision,
        money(o.total_cents())
    ))?;
    for l in &o.lines {
        let mut extra = String::new();
        if l.seat > 0 {
            extra.push_str(&format!("  seat {}", l.seat));
        }
        if l.course > 0 {
            extra.push_str(&format!("  course {}", l.course));
        }
        if let Some(n) = &l.note {
            extra.push_str(&format!("  note: {}", safe(n)));
        }
        out(&format!(
            "  {:<6} {:>2}× {:<24} {:<12} {:>8}{extra}",
            l.line_id,
            l.live_quantity(),
            safe(&l.name),
            l.status.as_str(),
            money(l.total_cents()),
        ))?;
        for m in &l.modifiers {
            out(&format!("           + {}", safe(&m.name)))?;
        }
    }
    for t in &o.tickets {
        out(&format!(
            "  ticket {} at {}{}: {}",
            safe(&t.ticket_id),
            safe(&t.station),
            if t.course > 0 {
                format!(", course {}", t.course)
            } else {
                String::new()
            },
            t.status.as_str()
        ))?;
    }
    if o.rush {
        out("  RUSH")?;
    }
    Ok(())
}

/// One line an entry: revision, time, who, type (padded to `type_width`), summary.
fn print_trail(trail: &[audit::AuditEntry], type_width: usize) -> Result<(), Failure> {
    for e in trail {
        out(&format!(
            "{:>4}  {}  {:<12} {:<type_width$} {}",
            e.revision,
            e.recorded_at.format("%Y-%m-%d %H:%M:%S"),
            safe(&crate::display::clip(&e.actor, 12)),
            e.event_type,
            safe(&e.summary)
        ))?;
    }
    Ok(())
}
