//! A deterministic busy service: orders opened, filled (with modifiers and seats), sent per
//! station and course, cooked, fired course by course, served and paid, with a few voids,
//! rushes and cancellations, all through the ordinary command path. The same seed always
//! issues the same commands with the same command ids, so re-running a simulation that was
//! interrupted finishes it without doing anything twice.

use serde::Serialize;

use super::request::Request;
use super::{AppCommand, AppError, Brigade};
use crate::domain::order::{CustomerInput, OrderDecider, TicketStatus};
use crate::domain::{Decider, Menu, Order, OrderCommand};

/// A small, fast, seedable PRNG (SplitMix64): enough for a reproducible service.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// What a simulation did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SimulationReport {
    pub orders: u64,
    pub commands: u64,
    pub rejected: u64,
    pub duplicates: u64,
}

/// The commands of one order's life, in order: decided here against a fold of the order as it
/// would be, so every step (ticket ids, held courses) is one the real path accepts.
pub fn order_script(seed: u64, index: u64, menu: &Menu) -> Vec<Request> {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    let order_id = format!("s{seed}-{index}");
    let mut script = Script {
        order: Order::default(),
        steps: Vec::new(),
        menu,
    };
    let takeout = rng.below(5) == 0;
    let covers = 1 + rng.below(6) as i64;
    script.push(OrderCommand::OpenOrder {
        order_id: order_id.clone(),
        table: (!takeout).then(|| (1 + rng.below(30)).to_string()),
        covers: (!takeout).then_some(covers),
        customer: takeout.then(|| CustomerInput {
            name: Some(format!("Guest {index}")),
            phone: None,
            address: None,
        }),
    });
    let lines = 1 + rng.below(5);
    for _ in 0..lines {
        let item = &menu.items[rng.below(menu.items.len() as u64) as usize];
        let mut modifiers = Vec::new();
        for g in &item.modifier_groups {
            let take = g.min + rng.below((g.max - g.min + 1).max(1) as u64) as i64;
            let mut options: Vec<&str> = g.options.iter().map(|o| o.option_id.as_str()).collect();
            for _ in 0..take.min(options.len() as i64) {
                let o = options.swap_remove(rng.below(options.len() as u64) as usize);
                modifiers.push(o.to_string());
            }
        }
        script.push(OrderCommand::AddItem {
            item_id: item.id.clone(),
            quantity: 1 + rng.below(3) as i64,
            note: (rng.below(6) == 0).then(|| "no onions".to_string()),
            modifiers,
            seat: (!takeout).then(|| rng.below(covers as u64 + 1) as i64),
            course: None,
        });
    }
    if rng.below(40) == 0 {
        script.push(OrderCommand::CancelOrder {
            reason: Some("guest left".into()),
        });
        return script.requests(&order_id);
    }
    script.push(OrderCommand::PlaceOrder { fire_all: takeout });
    if rng.below(25) == 0 {
        script.push(OrderCommand::RushOrder);
    }
    loop {
        // Cook what is fired: start, maybe void one of a line, bump; then serve.
        let fired: Vec<(String, Vec<String>)> = script
            .order
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::New)
            .map(|t| (t.ticket_id.clone(), t.line_ids.clone()))
            .collect();
        for (ticket_id, lines) in fired {
            script.push(OrderCommand::StartTicket {
                ticket_id: ticket_id.clone(),
            });
            let line = script.order.line(&lines[0]).map(|l| l.live_quantity());
            if rng.below(10) == 0 && line.is_some_and(|q| q > 1) {
                script.push(OrderCommand::VoidItem {
                    line_id: lines[0].clone(),
                    quantity: Some(1),
                    reason: Some("customer changed mind".into()),
                });
            }
            script.push(OrderCommand::BumpTicket { ticket_id });
        }
        script.push(OrderCommand::ServeTicket { ticket_id: None });
        if script.order.next_course_to_fire().is_none() {
            break;
        }
        script.push(OrderCommand::FireCourse { course: None });
    }
    script.push(OrderCommand::CloseOrder {
        payment: Some(if rng.below(3) == 0 { "cash" } else { "card" }.into()),
    });
    script.requests(&order_id)
}

/// An order's script as it is written: each step kept only when the order, as the steps before
/// made it, accepts it.
struct Script<'m> {
    order: Order,
    steps: Vec<OrderCommand>,
    menu: &'m Menu,
}

impl Script<'_> {
    fn push(&mut self, command: OrderCommand) {
        if let Ok(events) = OrderDecider::decide(&self.order, &command, self.menu) {
            self.order = OrderDecider::fold_from(Some(std::mem::take(&mut self.order)), &events);
            self.steps.push(command);
        }
    }

    fn requests(self, order_id: &str) -> Vec<Request> {
        self.steps
            .into_iter()
            .enumerate()
            .map(|(i, command)| Request {
                command_id: Some(format!("{order_id}-c{i}")),
                correlation_id: Some(order_id.to_string()),
                command: AppCommand::Order {
                    order_id: Some(order_id.to_string()),
                    command,
                },
            })
            .collect()
    }
}

/// Runs `orders` orders, `concurrent` at a time interleaved step by step as on a real floor.
/// `each` hears about every command, acknowledged or refused.
pub fn run(
    brigade: &mut Brigade,
    orders: u64,
    seed: u64,
    concurrent: usize,
    each: &mut dyn FnMut(&Request, &Result<super::Outcome, AppError>),
) -> Result<SimulationReport, AppError> {
    let mut menu = brigade.menu()?;
    // Counted items are left out: the script cannot see what other orders take.
    menu.items.retain(|i| i.available && i.stock.is_none());
    if menu.items.is_empty() {
        return Err(AppError::invalid(
            "EMPTY_MENU",
            "nothing on the menu is available to order",
        ));
    }
    let mut report = SimulationReport::default();
    let mut next = 0u64;
    let mut active: Vec<std::vec::IntoIter<Request>> = Vec::new();
    loop {
        while active.len() < concurrent.max(1) && next < orders {
            active.push(order_script(seed, next, &menu).into_iter());
            next += 1;
        }
        if active.is_empty() {
            break;
        }
        let mut i = 0;
        while i < active.len() {
            match active[i].next() {
                Some(request) => {
                    let result = brigade.execute(&request);
                    match &result {
                        Ok(o) if o.duplicate => report.duplicates += 1,
                        Ok(_) => report.commands += 1,
                        Err(AppError::Rejected(_)) => report.rejected += 1,
                        // Re-running a seed after the menu changed: that step went another way
                        // the first time. It is skipped, like a refusal.
                        Err(AppError::Store(crate::store::StoreError::CommandIdReused(_))) => {
                            report.rejected += 1
                        }
                        Err(e) => return Err(AppError::invalid(e.code(), e.message())),
                    }
                    each(&request, &result);
                    i += 1;
                }
                None => {
                    report.orders += 1;
                    active.swap_remove(i);
                }
            }
        }
    }
    Ok(report)
}
