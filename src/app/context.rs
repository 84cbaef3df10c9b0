//! What varies between runs, passed into the core instead of read inside it: the clock and
//! fresh ids.

use chrono::{DateTime, Utc};

/// The time now. Tests use a fixed one.
pub trait Clock: Send {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same time (for tests and snapshots).
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A fresh, unguessable, time-ordered id (UUID v7) for events and commands.
pub fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A new order id people can read out and type: `o` and eight characters of base32.
pub fn new_order_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let bits = uuid::Uuid::new_v4().as_u128();
    let mut id = String::from("o");
    for i in 0..8 {
        id.push(ALPHABET[((bits >> (i * 5)) & 31) as usize] as char);
    }
    id
}
