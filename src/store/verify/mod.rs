//! Tamper evidence: everything `brigade verify` checks below the read models.
//!
//! - [`chain`]: every event against its hash and its predecessor's (edits that do not rewrite
//!   the chain);
//! - [`anchors`]: `POSITION:HASH` pairs kept away from the machine, which a re-hashed chain or a
//!   cut tail cannot match;
//! - [`guards`]: the append-only triggers are still there, exactly as created;
//! - [`commands`]: every command-id record matches the events it names, and every event with a
//!   command id has its record.

pub mod anchors;
pub mod chain;
pub mod commands;
pub mod guards;

pub use anchors::Anchor;
pub use chain::{verify_chain, Break, ChainReport};
