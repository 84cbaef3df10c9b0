//! The terminals' role: least privilege on the server. A terminal may read everything and
//! append through the store's own path (insert events, command records and snapshots, lock and
//! move the head row, keep the read models), and nothing else: no UPDATE, DELETE or TRUNCATE
//! of events, command records or snapshots, no INSERT or DELETE of the head row, no DDL (it
//! owns nothing, so it cannot drop the append-only triggers either). The owner (who ran
//! `brigade setup`) keeps the rest.
//!
//! A role that already exists is made a terminal's only when nothing it already is would
//! outlast the grants: not the role running setup, not a superuser, owning nothing, a member
//! of no other role, with no settings of its own (`ALTER ROLE … SET`: a
//! `session_replication_role` there would switch the guards off for its sessions) and no
//! rights in another database of the server (roles are the server's: a new password would
//! lock out another restaurant's terminals). Anything
//! else is refused with `ROLE_REFUSED` and left as it was.
//!
//! The password never reaches the server in clear text (where a failed statement or
//! `log_statement = ddl` would write it to the log): the server is sent a SCRAM-SHA-256
//! verifier computed here.

use super::sql::Sql;
use super::{error, PgStore};
use crate::store::StoreError;

/// The tables a terminal only reads and appends to.
const LOG: &[&str] = &["events", "commands", "snapshots"];
/// The tables a terminal keeps up to date (derived, rewritten in place).
const DERIVED: &[&str] = &[
    "projection_checkpoints",
    "order_views",
    "kitchen_tickets",
    "item_popularity",
    "item_stock",
];
/// The one head row: an append locks it (`SELECT … FOR UPDATE`, which needs UPDATE) and moves
/// it; nobody but the owner adds or removes it.
const HEAD: &str = "brigade_head";

impl PgStore {
    /// Creates (or makes again) the login role `name` with `password` and exactly a terminal's
    /// rights on this database, in its current schema. Returns whether the role was created
    /// now. `ROLE_REFUSED` for a name that is not plain, or an existing role that must not be
    /// turned into a terminal's (see the module's documentation).
    pub fn grant_terminal_role(&self, name: &str, password: &str) -> Result<bool, StoreError> {
        let valid = !name.is_empty()
            && name.len() <= 40
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(StoreError::RoleRefused(format!(
                "a role name is 1 to 40 of a-z, 0-9 and _, not {name:?}"
            )));
        }
        // Names the server keeps for itself (`pg_…`, `public`, the role keywords).
        let reserved = name.starts_with("pg_")
            || [
                "public",
                "none",
                "current_user",
                "session_user",
                "current_role",
            ]
            .contains(&name);
        if reserved {
            return Err(StoreError::RoleRefused(format!(
                "{name} is a name the server keeps for itself: name another role for the terminals"
            )));
        }
        let mut client = self.client();
        let mut tx = client.transaction().map_err(error)?;
        // Setup runs on several machines at once: grants on the same objects would otherwise
        // collide ("tuple concurrently updated"). The schema's lock, in this transaction too.
        tx.execute("SELECT pg_advisory_xact_lock(727274)", &[])
            .map_err(error)?;
        // What the role already is, if it exists.
        let existing = tx
            .query_opt(
                "SELECT r.rolname IN (current_user, session_user), r.rolsuper, \
                   EXISTS (SELECT 1 FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass \
                           AND d.refobjid = r.oid AND d.deptype = 'o'), \
                   EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid), \
                   EXISTS (SELECT 1 FROM pg_db_role_setting s WHERE s.setrole = r.oid), \
                   EXISTS (SELECT 1 FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass \
                           AND d.refobjid = r.oid AND d.dbid <> 0 AND d.dbid <> \
                           (SELECT oid FROM pg_database WHERE datname = current_database())), \
                   r.rolcreatedb, r.rolcreaterole, r.rolbypassrls, r.rolreplication \
                 FROM pg_roles r WHERE r.rolname = $1",
                &[&name],
            )
            .map_err(error)?;
        let mut attributes = String::from("LOGIN");
        if let Some(row) = &existing {
            let refuse = |why: &str| {
                Err(StoreError::RoleRefused(format!(
                    "the role {name} already exists and {why}: it is left as it was; \
                     name a new role for the terminals"
                )))
            };
            let flags: Vec<bool> = (0..10).map(|i| row.get(i)).collect();
            if flags[0] {
                return refuse("is the role running setup");
            }
            if flags[1] {
                return refuse("is a superuser");
            }
            if flags[2] {
                return refuse("owns objects (tables, schemas, databases…)");
            }
            if flags[3] {
                return refuse("is a member of other roles, whose rights it would keep");
            }
            if flags[4] {
                return refuse("has settings of its own (ALTER ROLE … SET), which could change what its sessions do");
            }
            if flags[5] {
                // Roles are the server's, not the database's: a new password here would lock
                // out the terminals of another database (another restaurant's) using it.
                return refuse("has rights in another database on this server, whose terminals a new password would lock out");
            }
            // Only what it has is taken away (a setup run by a non-superuser may not even
            // name the others).
            for (has, attribute) in flags[6..].iter().zip([
                "NOCREATEDB",
                "NOCREATEROLE",
                "NOBYPASSRLS",
                "NOREPLICATION",
            ]) {
                if *has {
                    attributes.push(' ');
                    attributes.push_str(attribute);
                }
            }
        } else {
            attributes.push_str(" NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION");
        }
        // The name is checked above (no quoting issues); the verifier is base64 and `$`, `:`.
        let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
        debug_assert!(!verifier.contains(['\'', '\\']));
        let verb = if existing.is_some() {
            "ALTER"
        } else {
            "CREATE"
        };
        tx.batch_execute(&format!(
            "{verb} ROLE {name} {attributes} PASSWORD '{verifier}'"
        ))
        .map_err(error)?;
        let row = tx
            .query_one(
                "SELECT quote_ident(current_database()), quote_ident(current_schema())",
                &[],
            )
            .map_err(error)?;
        let db: String = row.get(0);
        let schema: Option<String> = row.get(1);
        let schema = schema.ok_or_else(|| {
            StoreError::Server("no current schema (the search_path names none that exists)".into())
        })?;
        let mut sql = format!(
            "GRANT CONNECT ON DATABASE {db} TO {name}; \
             GRANT USAGE ON SCHEMA {schema} TO {name}; \
             REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {name}; \
             REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {name}; \
             REVOKE ALL ON ALL ROUTINES IN SCHEMA {schema} FROM {name}; \
             GRANT SELECT ON {schema}.brigade_meta TO {name}; \
             GRANT SELECT, UPDATE ON {schema}.{HEAD} TO {name};"
        );
        for t in LOG {
            sql.push_str(&format!("GRANT SELECT, INSERT ON {schema}.{t} TO {name};"));
        }
        for t in DERIVED {
            sql.push_str(&format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.{t} TO {name};"
            ));
        }
        tx.batch_execute(&sql).map_err(error)?;
        tx.commit().map_err(error)?;
        Ok(existing.is_none())
    }
}
