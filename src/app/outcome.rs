//! What a successful command returns: its result line, as stored for its command id, and the
//! fields callers most often need of it.

use serde_json::Value;

/// What a successful command returns. `json` is the result line (`{"ok": true, …}`), exactly
/// as stored for its command id; the fields are what callers most often need of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub json: String,
    pub order_id: Option<String>,
    pub revision: u64,
    pub line_id: Option<String>,
    pub ticket_id: Option<String>,
    /// How many events the command wrote.
    pub events: usize,
    /// The command id had been seen before: nothing new was written.
    pub duplicate: bool,
}

impl Outcome {
    pub fn order_id(&self) -> Option<&str> {
        self.order_id.as_deref()
    }
    pub fn line_id(&self) -> Option<&str> {
        self.line_id.as_deref()
    }
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// The result as a JSON value.
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.json).expect("results are JSON we wrote")
    }
}
