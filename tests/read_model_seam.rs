//! The read models' seam: their logic is shared and only their storage is per backend. A
//! second backend implements `ReadModelSink` (rows in, rows out); here an in-memory one, fed
//! a simulated service's log through the shared live path, must end up with exactly what
//! SQLite's tables hold.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use brigade::app::{simulate, Brigade, Config};
use brigade::domain::codec;
use brigade::projections::live::{self, ReadModelSink};
use brigade::projections::{self, Popularity, ReadModelStore, ReadModels};
use brigade::store::{EventStore, RecordedEvent, StoreError};

/// Read models kept in memory: what a second backend would keep in its own tables.
#[derive(Default)]
struct Memory {
    log: Vec<RecordedEvent>,
    rows: RefCell<ReadModels>,
    popularity: RefCell<HashMap<String, Popularity>>,
    checkpoint: Cell<i64>,
}

impl ReadModelSink for Memory {
    fn load_stock(&self) -> Result<ReadModels, StoreError> {
        Ok(ReadModels {
            stock: self.rows.borrow().stock.clone(),
            ..Default::default()
        })
    }

    fn load_order(&self, order_id: &str) -> Result<ReadModels, StoreError> {
        let mut out = self.load_stock()?;
        let rows = self.rows.borrow();
        if let Some(view) = rows.orders.get(order_id) {
            out.orders.insert(order_id.to_string(), view.clone());
        }
        for (id, t) in &rows.tickets {
            if t.order_id == order_id {
                out.tickets.insert(id.clone(), t.clone());
            }
        }
        Ok(out)
    }

    fn menu_allergens_at(&self, item_id: &str, position: i64) -> Result<Vec<String>, StoreError> {
        let mut menu = ReadModels::default();
        for e in self
            .log
            .iter()
            .filter(|e| e.stream_type == "menu" && e.position < position)
        {
            menu.apply_menu_event(
                &codec::decode_current_menu(&e.event_type, &e.payload)?,
                e.position,
            );
        }
        Ok(menu.menu_allergens.remove(item_id).unwrap_or_default())
    }

    fn save(&self, models: &ReadModels, before: &ReadModels) -> Result<(), StoreError> {
        let mut rows = self.rows.borrow_mut();
        for (id, view) in &models.orders {
            rows.orders.insert(id.clone(), view.clone());
        }
        for id in before.tickets.keys() {
            if !models.tickets.contains_key(id) {
                rows.tickets.remove(id);
            }
        }
        for (id, t) in &models.tickets {
            rows.tickets.insert(id.clone(), t.clone());
        }
        rows.stock.clone_from(&models.stock);
        let mut popularity = self.popularity.borrow_mut();
        for p in models.popularity.values() {
            let total = popularity.entry(p.item_id.clone()).or_default();
            total.item_id = p.item_id.clone();
            total.name = p.name.clone();
            total.quantity += p.quantity;
            total.orders += p.orders;
        }
        Ok(())
    }

    fn checkpoint(&self) -> Result<i64, StoreError> {
        Ok(self.checkpoint.get())
    }

    fn set_checkpoint(&self, position: i64) -> Result<(), StoreError> {
        self.checkpoint.set(position);
        Ok(())
    }

    fn events_between(&self, after: i64, up_to: i64) -> Result<Vec<RecordedEvent>, StoreError> {
        Ok(self
            .log
            .iter()
            .filter(|e| e.position > after && e.position <= up_to)
            .cloned()
            .collect())
    }
}

#[test]
fn an_in_memory_backend_fed_by_the_shared_logic_holds_what_sqlite_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Brigade::open(&Config::new(dir.path().join("b.db"), "t")).unwrap();
    simulate::run(&mut b, 40, 5, 6, &mut |_, _| {}).unwrap();
    let mut log = Vec::new();
    b.store()
        .for_each_after(0, &mut |e| {
            log.push(e);
            Ok(true)
        })
        .unwrap();
    assert!(log.len() > 100, "a service's worth of events");
    let memory = Memory {
        log: log.clone(),
        ..Memory::default()
    };
    // The first half one append at a time; the rest caught up from the last event alone.
    let half = log.len() / 2;
    for e in &log[..half] {
        live::project(&memory, std::slice::from_ref(e)).unwrap();
    }
    live::project(&memory, std::slice::from_ref(log.last().unwrap())).unwrap();
    assert_eq!(memory.checkpoint.get(), log.last().unwrap().position);

    let rows = memory.rows.borrow();
    let store = b.store();
    assert!(!rows.orders.is_empty());
    for (id, view) in &rows.orders {
        assert_eq!(
            store.order_view(id).unwrap().as_ref(),
            Some(view),
            "order {id}"
        );
    }
    assert_eq!(
        store.recent_orders(10_000).unwrap().len(),
        rows.orders.len()
    );
    // Every ticket (the queue's and the rest) as a fresh fold of the log has it.
    let (fresh, _) = projections::fold_all(store.connection()).unwrap();
    assert_eq!(rows.tickets, fresh.tickets);
    assert_eq!(rows.orders, fresh.orders);
    let mut kitchen: Vec<_> = store.kitchen(None).unwrap();
    kitchen.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
    let mut queued: Vec<_> = rows
        .tickets
        .values()
        .filter(|t| kitchen.iter().any(|k| k.ticket_id == t.ticket_id))
        .cloned()
        .collect();
    queued.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
    assert_eq!(queued, kitchen);
    let mut popularity: Vec<Popularity> = memory
        .popularity
        .borrow()
        .values()
        .filter(|p| p.quantity > 0)
        .cloned()
        .collect();
    popularity.sort_by(|a, b| b.quantity.cmp(&a.quantity).then(a.item_id.cmp(&b.item_id)));
    assert_eq!(popularity, store.popularity().unwrap());
}
