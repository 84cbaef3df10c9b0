//! How read-model rows are written on every backend: documents as JSON, timestamps as text
//! that sorts (so SQLite's and PostgreSQL's tables hold the same values).

use crate::store::StoreError;

/// Timestamps sort as text: fixed width, UTC, milliseconds.
pub fn time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A stored document read back; one that does not parse is `DB_CORRUPT`.
pub fn parse<T: serde::de::DeserializeOwned>(doc: &str) -> Result<T, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Corrupt(format!("read model row: {e}")))
}
