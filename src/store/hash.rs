//! The tamper-evident chain: each event's hash covers its stored bytes and the previous hash.

use sha2::{Digest, Sha256};

/// The "previous hash" of the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// The stored parts of an event that its hash covers.
pub struct HashInput<'a> {
    pub position: i64,
    pub stream_id: &'a str,
    pub stream_type: &'a str,
    pub revision: i64,
    pub event_type: &'a str,
    pub schema_version: i64,
    pub payload: &'a str,
    pub metadata: &'a str,
    pub recorded_at: &'a str,
}

/// sha256(prev ‖ each field, length-prefixed so that no two field splits collide).
pub fn event_hash(prev: &[u8], e: &HashInput<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(e.position.to_be_bytes());
    h.update(e.revision.to_be_bytes());
    h.update(e.schema_version.to_be_bytes());
    for field in [
        e.stream_id,
        e.stream_type,
        e.event_type,
        e.payload,
        e.metadata,
        e.recorded_at,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(payload: &'a str) -> HashInput<'a> {
        HashInput {
            position: 1,
            stream_id: "o1",
            stream_type: "order",
            revision: 1,
            event_type: "OrderOpened",
            schema_version: 1,
            payload,
            metadata: "{}",
            recorded_at: "2026-01-01T00:00:00.000Z",
        }
    }

    #[test]
    fn any_change_of_content_or_predecessor_changes_the_hash() {
        let a = event_hash(&GENESIS, &input("{\"a\":1}"));
        assert_ne!(a, event_hash(&GENESIS, &input("{\"a\":2}")));
        assert_ne!(a, event_hash(&[1; 32], &input("{\"a\":1}")));
        assert_eq!(a, event_hash(&GENESIS, &input("{\"a\":1}")));
    }
}
