//! The PostgreSQL store's tests' common ground: a throwaway server with a Brigade database,
//! an append as a terminal makes one, and the hash chain checked row by row.

use brigade::store::hash::{event_hash, HashInput, GENESIS};
use brigade::store::postgres::PgStore;
use brigade::store::{Append, Metadata, NewEvent};

use super::pg::{PgServer, ADMIN};

pub fn server(test: &str) -> Option<(PgServer, String)> {
    let server = PgServer::start_or_skip(test)?;
    server.psql("postgres", "CREATE DATABASE brigade").unwrap();
    let url = server.url(ADMIN, "brigade");
    PgStore::setup(&url).unwrap();
    Some((server, url))
}

pub fn event(payload: &str) -> NewEvent {
    NewEvent {
        event_type: "OrderOpened",
        payload: payload.to_string(),
        metadata: Metadata {
            event_id: uuid::Uuid::now_v7().to_string(),
            actor: "tester".into(),
            ..Default::default()
        },
    }
}

pub fn append<'a>(stream: &'a str, expected: u64, command: Option<&'a str>) -> Append<'a> {
    Append {
        stream_id: stream,
        stream_type: "order",
        expected_revision: expected,
        events: vec![event(&format!(
            r#"{{"order_id":"{stream}","kind":"dine_in"}}"#
        ))],
        recorded_at: chrono::Utc::now(),
        command_id: command,
        fingerprint: "f",
        result: Some(&answer),
        snapshot: None,
    }
}

pub fn answer(events: &[brigade::store::RecordedEvent]) -> String {
    format!("{{\"events\":{}}}", events.len())
}

/// Every event's hash chains to the one before it, from the genesis, positions 1, 2, 3…
pub fn assert_chain(url: &str) -> i64 {
    let store = PgStore::open(url).unwrap();
    let mut client = store.client();
    let rows = client
        .query(
            "SELECT position, stream_id, stream_type, revision, event_type, schema_version, \
             payload, metadata, recorded_at, hash FROM events ORDER BY position",
            &[],
        )
        .unwrap();
    let mut prev = GENESIS.to_vec();
    for (i, r) in rows.iter().enumerate() {
        let position: i64 = r.get(0);
        assert_eq!(
            position,
            i as i64 + 1,
            "a hole or a repeat in the positions"
        );
        let (stream_id, stream_type, event_type): (String, String, String) =
            (r.get(1), r.get(2), r.get(4));
        let (payload, metadata, recorded_at): (String, String, String) =
            (r.get(6), r.get(7), r.get(8));
        let hash = event_hash(
            &prev,
            &HashInput {
                position,
                stream_id: &stream_id,
                stream_type: &stream_type,
                revision: r.get(3),
                event_type: &event_type,
                schema_version: r.get(5),
                payload: &payload,
                metadata: &metadata,
                recorded_at: &recorded_at,
            },
        );
        let stored: Vec<u8> = r.get(9);
        assert_eq!(stored, hash.to_vec(), "the chain breaks at {position}");
        prev = stored;
    }
    rows.len() as i64
}
