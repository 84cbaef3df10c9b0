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

/// The server's own checks on appends, whoever appends (a terminal's credentials too):
///
/// - every event chains to the one before it: it comes right after it, and its hash is the
///   one [`event_hash`](crate::store::hash::event_hash) gives (the same bytes, hashed by the
///   server), so no credentials short of the owner's can write an event that breaks the chain
///   and makes `verify` fail from then on;
/// - the log and its head agree at every commit: the head row names the last event, by
///   position and hash. An append moves both in one transaction; anything else that moves one
///   alone (an event inserted at the next position, the head moved past the log) is refused at
///   its commit, so it can neither stop every later append nor leave a hole that `verify`
///   would report as deleted history. Constraint triggers, checked at commit.
///
/// The functions read the tables in the schema of the trigger that fired and take built-ins
/// from `pg_catalog` only, so a session cannot shadow either (a temporary table named `events`
/// comes first in its search path). Kept in step by `setup` on a database made before them
/// (idempotent).
pub const HEAD_CHECKS: &str = r#"
CREATE OR REPLACE FUNCTION brigade_event_chains() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    prev bytea;
BEGIN
    -- Tables named in the trigger's own schema, never through the session's search path (a
    -- temporary table called events, first in it, must not answer); built-ins from pg_catalog.
    IF NEW.position = 1 THEN
        prev := decode(repeat('00', 32), 'hex');
    ELSE
        EXECUTE format('SELECT hash FROM %I.events WHERE position = $1', TG_TABLE_SCHEMA)
            INTO prev USING NEW.position - 1;
    END IF;
    IF prev IS NULL OR NEW.hash IS DISTINCT FROM sha256(
        prev || int8send(NEW.position) || int8send(NEW.revision)
        || int8send(NEW.schema_version)
        || int8send(octet_length(convert_to(NEW.stream_id, 'UTF8'))::bigint)
        || convert_to(NEW.stream_id, 'UTF8')
        || int8send(octet_length(convert_to(NEW.stream_type, 'UTF8'))::bigint)
        || convert_to(NEW.stream_type, 'UTF8')
        || int8send(octet_length(convert_to(NEW.event_type, 'UTF8'))::bigint)
        || convert_to(NEW.event_type, 'UTF8')
        || int8send(octet_length(convert_to(NEW.payload, 'UTF8'))::bigint)
        || convert_to(NEW.payload, 'UTF8')
        || int8send(octet_length(convert_to(NEW.metadata, 'UTF8'))::bigint)
        || convert_to(NEW.metadata, 'UTF8')
        || int8send(octet_length(convert_to(NEW.recorded_at, 'UTF8'))::bigint)
        || convert_to(NEW.recorded_at, 'UTF8')) THEN
        RAISE EXCEPTION 'event % does not chain to the event before it', NEW.position
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION brigade_head_matches_log() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    head_position bigint;
    head_hash bytea;
    top_position bigint;
    top_hash bytea;
BEGIN
    -- As above: the trigger's own schema, never the session's search path.
    EXECUTE format('SELECT position, hash FROM %I.brigade_head WHERE id = 1', TG_TABLE_SCHEMA)
        INTO head_position, head_hash;
    EXECUTE format('SELECT position, hash FROM %I.events ORDER BY position DESC LIMIT 1',
        TG_TABLE_SCHEMA) INTO top_position, top_hash;
    IF head_position IS DISTINCT FROM coalesce(top_position, 0)
       OR (top_position IS NOT NULL AND head_hash IS DISTINCT FROM top_hash) THEN
        RAISE EXCEPTION 'the log''s head (%) and its last event (%) disagree',
            head_position, coalesce(top_position, 0)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   WHERE t.tgname = 'events_chain'
                   AND c.relnamespace = current_schema()::regnamespace) THEN
        CREATE TRIGGER events_chain BEFORE INSERT ON events
            FOR EACH ROW EXECUTE FUNCTION brigade_event_chains();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   WHERE t.tgname = 'events_keep_the_head'
                   AND c.relnamespace = current_schema()::regnamespace) THEN
        CREATE CONSTRAINT TRIGGER events_keep_the_head AFTER INSERT ON events
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            EXECUTE FUNCTION brigade_head_matches_log();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   WHERE t.tgname = 'head_keeps_the_log'
                   AND c.relnamespace = current_schema()::regnamespace) THEN
        CREATE CONSTRAINT TRIGGER head_keeps_the_log AFTER UPDATE ON brigade_head
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            EXECUTE FUNCTION brigade_head_matches_log();
    END IF;
END $$;
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
    // New, or made before the head checks: they are there after setup (written only when
    // missing, so that setup run again by a role that owns nothing still says "nothing to do").
    if !head_checks_in_place(&mut tx)? {
        tx.batch_execute(HEAD_CHECKS).map_err(super::error)?;
    }
    tx.commit().map_err(super::error)?;
    Ok(created)
}

/// The checks [`HEAD_CHECKS`] makes: (trigger, table, function).
pub const LOG_CHECKS: &[(&str, &str, &str)] = &[
    ("events_chain", "events", "brigade_event_chains"),
    ("events_keep_the_head", "events", "brigade_head_matches_log"),
    (
        "head_keeps_the_log",
        "brigade_head",
        "brigade_head_matches_log",
    ),
];

/// Whether every check is there, each function as [`HEAD_CHECKS`] writes it.
fn head_checks_in_place(c: &mut impl GenericClient) -> Result<bool, StoreError> {
    for (trigger, table, function) in LOG_CHECKS {
        let row = c
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
                   WHERE t.tgname = $1 AND c.relname = $2 \
                   AND c.relnamespace = current_schema()::regnamespace), \
                   (SELECT prosrc FROM pg_proc WHERE proname = $3 \
                   AND pronamespace = current_schema()::regnamespace)",
                &[trigger, table, function],
            )
            .map_err(super::error)?;
        let (there, body): (bool, Option<String>) = (row.get(0), row.get(1));
        if !there || body.as_deref() != Some(check_body(function)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The body of `function` (one of [`LOG_CHECKS`]') as [`HEAD_CHECKS`] writes it.
pub fn check_body(function: &str) -> &'static str {
    body_of(
        HEAD_CHECKS,
        &format!(
            "{function}() RETURNS trigger LANGUAGE plpgsql\nSET search_path = pg_catalog, pg_temp AS $$"
        ),
    )
}

/// The body (between its `$$`) of the function `ddl` defines after `header`.
pub fn body_of(ddl: &'static str, header: &str) -> &'static str {
    let start = ddl
        .find(header)
        .map(|i| i + header.len())
        .expect("the schema defines the function");
    let len = ddl[start..].find("$$").expect("the body ends");
    &ddl[start..start + len]
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
