//! A deterministic busy service: orders opened, filled, sent, cooked, served and paid, with a
//! few voids and cancellations, all through the ordinary command path. The same seed always
//! issues the same commands with the same command ids, so re-running a simulation that was
//! interrupted finishes it without doing anything twice.

use serde::Serialize;

use super::request::Request;
use super::{AppCommand, AppError, Brigade};
use crate::domain::order::CustomerInput;
use crate::domain::OrderCommand;

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

/// The commands of one order's life, in order.
pub fn order_script(seed: u64, index: u64, menu: &[String]) -> Vec<Request> {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    let order_id = format!("s{seed}-{index}");
    let mut steps: Vec<OrderCommand> = Vec::new();
    let takeout = rng.below(5) == 0;
    steps.push(OrderCommand::OpenOrder {
        order_id: order_id.clone(),
        table: (!takeout).then(|| (1 + rng.below(30)).to_string()),
        covers: (!takeout).then(|| 1 + rng.below(6) as i64),
        customer: takeout.then(|| CustomerInput {
            name: Some(format!("Guest {index}")),
            phone: None,
            address: None,
        }),
    });
    let lines = 1 + rng.below(4);
    let mut first_quantity = 0;
    for i in 0..lines {
        let item = &menu[rng.below(menu.len() as u64) as usize];
        let quantity = 1 + rng.below(3) as i64;
        if i == 0 {
            first_quantity = quantity;
        }
        steps.push(OrderCommand::AddItem {
            item_id: item.clone(),
            quantity,
            note: (rng.below(6) == 0).then(|| "no onions".to_string()),
        });
    }
    if rng.below(40) == 0 {
        steps.push(OrderCommand::CancelOrder {
            reason: Some("guest left".into()),
        });
    } else {
        let ticket = crate::domain::order::ticket_id(&order_id, 1);
        steps.push(OrderCommand::PlaceOrder);
        steps.push(OrderCommand::StartTicket {
            ticket_id: ticket.clone(),
        });
        // Void one of the first line (never all of it: the order must still have something to pay).
        if rng.below(10) == 0 && first_quantity > 1 {
            // line ids are the revision of the add: the first item is at revision 2
            steps.push(OrderCommand::VoidItem {
                line_id: crate::domain::order::line_id(2),
                quantity: Some(1),
                reason: Some("customer changed mind".into()),
            });
        }
        steps.push(OrderCommand::BumpTicket {
            ticket_id: ticket.clone(),
        });
        steps.push(OrderCommand::ServeTicket {
            ticket_id: Some(ticket),
        });
        steps.push(OrderCommand::CloseOrder {
            payment: Some(if rng.below(3) == 0 { "cash" } else { "card" }.into()),
        });
    }
    steps
        .into_iter()
        .enumerate()
        .map(|(i, command)| Request {
            command_id: Some(format!("{order_id}-c{i}")),
            correlation_id: Some(order_id.clone()),
            command: AppCommand::Order {
                order_id: Some(order_id.clone()),
                command,
            },
        })
        .collect()
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
    let menu: Vec<String> = brigade
        .menu()?
        .items
        .into_iter()
        .filter(|i| i.available)
        .map(|i| i.id)
        .collect();
    if menu.is_empty() {
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
