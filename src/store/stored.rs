//! An event row as any backend stores it, and its decoding into a [`RecordedEvent`] (upcast
//! to the current schema version, metadata parsed, time read).

use super::append_logic::parse_time;
use super::{upcast, Metadata, RecordedEvent, StoreError};

/// A row as stored, before upcasting.
pub struct RawEvent {
    pub position: i64,
    pub stream_id: String,
    pub stream_type: String,
    pub revision: i64,
    pub event_type: String,
    pub schema_version: i64,
    pub payload: String,
    pub metadata: String,
    pub recorded_at: String,
}

impl RawEvent {
    pub fn decode(self) -> Result<RecordedEvent, StoreError> {
        let stored_version = u32::try_from(self.schema_version).map_err(|_| {
            StoreError::Corrupt(format!("event {} has a bad schema version", self.position))
        })?;
        let payload = upcast::upcast(
            &self.event_type,
            stored_version,
            self.payload,
            self.revision as u64,
        )?;
        let metadata: Metadata = serde_json::from_str(&self.metadata).map_err(|e| {
            StoreError::Corrupt(format!(
                "event {} has unreadable metadata: {e}",
                self.position
            ))
        })?;
        Ok(RecordedEvent {
            position: self.position,
            stream_id: self.stream_id,
            stream_type: self.stream_type,
            revision: self.revision as u64,
            event_type: self.event_type,
            stored_version,
            payload,
            metadata,
            recorded_at: parse_time(&self.recorded_at)?,
        })
    }
}
