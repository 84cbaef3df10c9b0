//! The PostgreSQL database's tables and its identity: `brigade_meta` says the database is
//! Brigade's and which schema version it has; `brigade_head` is the one row every append locks
//! first (it carries the head's position, hash and time for the chain). Events, command
//! records and snapshots refuse UPDATE and DELETE by trigger, and a terminal's role is not
//! granted them either (see [`super::roles`]).

use postgres::GenericClient;

use crate::store::StoreError;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

pub const DDL: &str = r#"
CREATE TABLE brigade_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE brigade_head (
    id          int PRIMARY KEY CHECK (id = 1),
    position    bigint NOT NULL,
    hash        bytea NOT NULL,
    recorded_at text NOT NULL
);
INSERT INTO brigade_head VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000', '');
CREATE TABLE events (
    position       bigint PRIMARY KEY,
    stream_id      text NOT NULL,
    stream_type    text NOT NULL,
    revision       bigint NOT NULL,
    event_type     text NOT NULL,
    schema_version bigint NOT NULL,
    payload        text NOT NULL,
    metadata       text NOT NULL,
    recorded_at    text NOT NULL,
    hash           bytea NOT NULL,
    UNIQUE (stream_id, revision)
);
CREATE TABLE commands (
    command_id  text PRIMARY KEY,
    fingerprint text NOT NULL,
    stream_id   text NOT NULL,
    position    bigint NOT NULL,
    result      text NOT NULL
);
CREATE TABLE snapshots (
    stream_id      text NOT NULL,
    revision       bigint NOT NULL,
    schema_version bigint NOT NULL,
    state          text NOT NULL,
    seal           bytea,
    PRIMARY KEY (stream_id, revision)
);
CREATE TABLE projection_checkpoints (
    name     text PRIMARY KEY,
    position bigint NOT NULL
);
CREATE TABLE order_views (
    order_id  text PRIMARY KEY,
    status    text NOT NULL,
    opened_at text NOT NULL,
    position  bigint NOT NULL,
    doc       text NOT NULL
);
CREATE INDEX order_views_by_status ON order_views (status, opened_at);
CREATE INDEX order_views_by_opened ON order_views (opened_at);
CREATE TABLE kitchen_tickets (
    ticket_id text PRIMARY KEY,
    order_id  text NOT NULL,
    status    text NOT NULL,
    sent_at   text NOT NULL,
    ready_at  text,
    doc       text NOT NULL
);
CREATE INDEX kitchen_tickets_by_status ON kitchen_tickets (status, sent_at);
CREATE INDEX kitchen_tickets_by_order ON kitchen_tickets (order_id);
CREATE TABLE item_popularity (
    item_id  text PRIMARY KEY,
    name     text NOT NULL,
    quantity bigint NOT NULL,
    orders   bigint NOT NULL
);
CREATE TABLE item_stock (
    item_id text PRIMARY KEY,
    doc     text NOT NULL
);
CREATE FUNCTION brigade_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION brigade_append_only();
CREATE TRIGGER commands_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON commands
    FOR EACH STATEMENT EXECUTE FUNCTION brigade_append_only();
CREATE TRIGGER snapshots_are_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION brigade_append_only();
"#;

/// What a database holds, as `setup` and opening see it.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// No table at all: `setup` may create the schema.
    Empty,
    /// Brigade's, at this schema version.
    Brigade(i64),
    /// Tables that are not Brigade's.
    Other,
}

pub fn inspect(client: &mut impl GenericClient) -> Result<Found, StoreError> {
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
            &[],
        )
        .map_err(super::error)?
        .get(0);
    if tables == 0 {
        return Ok(Found::Empty);
    }
    let meta: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables \
             WHERE schemaname = current_schema() AND tablename = 'brigade_meta'",
            &[],
        )
        .map_err(super::error)?
        .get(0);
    if meta == 0 {
        return Ok(Found::Other);
    }
    let row = client
        .query_opt(
            "SELECT value FROM brigade_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(super::error)?;
    match row.and_then(|r| r.get::<_, String>(0).parse::<i64>().ok()) {
        Some(v) => Ok(Found::Brigade(v)),
        None => Ok(Found::Other),
    }
}

/// Creates the schema in an empty database; nothing to do in a Brigade database of this
/// version; `NOT_A_BRIGADE_DATABASE` for anything else, `DB_TOO_NEW` for a newer Brigade's.
/// Safe to run from several machines at once (one transaction, under an advisory lock).
pub fn setup(client: &mut postgres::Client, shown: &str) -> Result<bool, StoreError> {
    let mut tx = client.transaction().map_err(super::error)?;
    tx.execute("SELECT pg_advisory_xact_lock(727274)", &[])
        .map_err(super::error)?;
    let created = match inspect(&mut tx)? {
        Found::Empty => {
            tx.batch_execute(DDL).map_err(super::error)?;
            tx.execute(
                "INSERT INTO brigade_meta (key, value) VALUES \
                 ('application', 'brigade'), ('schema_version', $1)",
                &[&SCHEMA_VERSION.to_string()],
            )
            .map_err(super::error)?;
            true
        }
        Found::Brigade(v) => {
            check_version(v, shown)?;
            false
        }
        Found::Other => return Err(StoreError::NotBrigade(shown.to_string())),
    };
    tx.commit().map_err(super::error)?;
    Ok(created)
}

/// Opening a database: it must be Brigade's and not newer than this build.
pub fn check(client: &mut postgres::Client, shown: &str) -> Result<(), StoreError> {
    match inspect(client)? {
        Found::Brigade(v) => check_version(v, shown),
        Found::Empty => Err(StoreError::Open {
            path: shown.to_string(),
            reason: "the database is empty: run `brigade setup --db …` first".into(),
        }),
        Found::Other => Err(StoreError::NotBrigade(shown.to_string())),
    }
}

fn check_version(found: i64, shown: &str) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: shown.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
