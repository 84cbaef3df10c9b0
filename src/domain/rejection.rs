//! Why the domain refuses a command: a stable machine code and a sentence for people.

use std::fmt;

/// A refused command. `code` is part of the contract (scripts match on it); `message` is for
/// the person at the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub message: String,
}

impl Rejection {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Rejection {}

/// A stored event that cannot be read back as a domain event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event type {0}")]
    UnknownType(String),
    #[error("event {0} has an unreadable payload: {1}")]
    BadPayload(String, String),
    #[error("event {0} has schema version {1}, newer than this Brigade understands ({2})")]
    TooNew(String, u32, u32),
}

/// Stable rejection codes, in one place so that documentation and tests can list them.
pub mod codes {
    pub const ORDER_NOT_FOUND: &str = "ORDER_NOT_FOUND";
    pub const ORDER_ALREADY_EXISTS: &str = "ORDER_ALREADY_EXISTS";
    pub const ORDER_NOT_OPEN: &str = "ORDER_NOT_OPEN";
    pub const INVALID_ORDER: &str = "INVALID_ORDER";
    pub const INVALID_COVERS: &str = "INVALID_COVERS";
    pub const INVALID_QUANTITY: &str = "INVALID_QUANTITY";
    pub const INVALID_TEXT: &str = "INVALID_TEXT";
    pub const TEXT_TOO_LONG: &str = "TEXT_TOO_LONG";
    pub const REASON_REQUIRED: &str = "REASON_REQUIRED";
    pub const ITEM_NOT_FOUND: &str = "ITEM_NOT_FOUND";
    pub const ITEM_UNAVAILABLE: &str = "ITEM_UNAVAILABLE";
    pub const LINE_NOT_FOUND: &str = "LINE_NOT_FOUND";
    pub const LINE_ALREADY_SENT: &str = "LINE_ALREADY_SENT";
    pub const LINE_NOT_SENT: &str = "LINE_NOT_SENT";
    pub const LINE_ALREADY_VOIDED: &str = "LINE_ALREADY_VOIDED";
    pub const NOTHING_TO_SEND: &str = "NOTHING_TO_SEND";
    pub const TICKET_NOT_FOUND: &str = "TICKET_NOT_FOUND";
    pub const INVALID_TICKET_STATE: &str = "INVALID_TICKET_STATE";
    pub const UNSENT_ITEMS: &str = "UNSENT_ITEMS";
    pub const ITEMS_NOT_SERVED: &str = "ITEMS_NOT_SERVED";
    pub const ORDER_EMPTY: &str = "ORDER_EMPTY";
    pub const MENU_ITEM_EXISTS: &str = "MENU_ITEM_EXISTS";
    pub const INVALID_ITEM_ID: &str = "INVALID_ITEM_ID";
    pub const INVALID_PRICE: &str = "INVALID_PRICE";
    pub const NO_CHANGE: &str = "NO_CHANGE";
    pub const EMPTY_MENU: &str = "EMPTY_MENU";
    pub const INVALID_MODIFIER_GROUP: &str = "INVALID_MODIFIER_GROUP";
    pub const MODIFIER_REQUIRED: &str = "MODIFIER_REQUIRED";
    pub const TOO_MANY_MODIFIERS: &str = "TOO_MANY_MODIFIERS";
    pub const UNKNOWN_MODIFIER: &str = "UNKNOWN_MODIFIER";
    pub const INVALID_SEAT: &str = "INVALID_SEAT";
    pub const INVALID_COURSE: &str = "INVALID_COURSE";
    pub const NOTHING_TO_FIRE: &str = "NOTHING_TO_FIRE";
    pub const INVALID_STOCK: &str = "INVALID_STOCK";
}
