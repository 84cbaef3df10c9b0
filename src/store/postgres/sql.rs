//! Statements prepared once per connection and kept: a query given as text costs the server
//! a round trip to prepare it before the one that runs it, and an append runs a dozen of them.
//! [`Conn`] is the store's connection with its statements; [`Tx`] a transaction on it that
//! uses them. A connection opened again (the server restarted) starts with none.
//!
//! [`Sql`] is what the store's and the read models' queries are written against: a `Conn`, a
//! `Tx`, or any plain client or transaction (which then prepares each time).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, Row, Statement, Transaction};

type Cache = HashMap<&'static str, Statement>;
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A connection and the statements prepared on it.
pub struct Conn {
    client: Client,
    cache: Cache,
}

/// A transaction on a [`Conn`], using (and adding to) its statements.
pub struct Tx<'a> {
    tx: Transaction<'a>,
    cache: &'a mut Cache,
}

impl Conn {
    pub fn new(client: Client) -> Conn {
        Conn {
            client,
            cache: Cache::new(),
        }
    }

    pub fn transaction(&mut self) -> Result<Tx<'_>, postgres::Error> {
        Ok(Tx {
            tx: self.client.transaction()?,
            cache: &mut self.cache,
        })
    }
}

impl std::ops::Deref for Conn {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

impl<'a> Tx<'a> {
    pub fn commit(self) -> Result<(), postgres::Error> {
        self.tx.commit()
    }
}

/// Queries by statement text, prepared once where the connection keeps statements.
pub trait Sql {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error>;
    fn client(&mut self) -> &mut dyn Run;

    fn query(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client().run_query(&s, params)
    }
    fn query_one(&mut self, sql: &'static str, params: Params<'_>) -> Result<Row, postgres::Error> {
        let s = self.statement(sql)?;
        self.client().run_query_one(&s, params)
    }
    fn query_opt(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client().run_query_opt(&s, params)
    }
    fn execute(&mut self, sql: &'static str, params: Params<'_>) -> Result<u64, postgres::Error> {
        let s = self.statement(sql)?;
        self.client().run_execute(&s, params)
    }
    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.client().run_batch(sql)
    }
}

/// The client side of [`Sql`]: running a prepared statement (object-safe, unlike
/// `GenericClient`'s generic methods).
pub trait Run {
    fn prepare_statement(&mut self, sql: &str) -> Result<Statement, postgres::Error>;
    fn run_query(&mut self, s: &Statement, p: Params<'_>) -> Result<Vec<Row>, postgres::Error>;
    fn run_query_one(&mut self, s: &Statement, p: Params<'_>) -> Result<Row, postgres::Error>;
    fn run_query_opt(
        &mut self,
        s: &Statement,
        p: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error>;
    fn run_execute(&mut self, s: &Statement, p: Params<'_>) -> Result<u64, postgres::Error>;
    fn run_batch(&mut self, sql: &str) -> Result<(), postgres::Error>;
}

impl<C: GenericClient> Run for C {
    fn prepare_statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        self.prepare(sql)
    }
    fn run_query(&mut self, s: &Statement, p: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        GenericClient::query(self, s, p)
    }
    fn run_query_one(&mut self, s: &Statement, p: Params<'_>) -> Result<Row, postgres::Error> {
        GenericClient::query_one(self, s, p)
    }
    fn run_query_opt(
        &mut self,
        s: &Statement,
        p: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        GenericClient::query_opt(self, s, p)
    }
    fn run_execute(&mut self, s: &Statement, p: Params<'_>) -> Result<u64, postgres::Error> {
        GenericClient::execute(self, s, p)
    }
    fn run_batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        GenericClient::batch_execute(self, sql)
    }
}

fn cached(
    cache: &mut Cache,
    run: &mut dyn Run,
    sql: &'static str,
) -> Result<Statement, postgres::Error> {
    if let Some(s) = cache.get(sql) {
        return Ok(s.clone());
    }
    let s = run.prepare_statement(sql)?;
    cache.insert(sql, s.clone());
    Ok(s)
}

impl Sql for Conn {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        cached(&mut self.cache, &mut self.client, sql)
    }
    fn client(&mut self) -> &mut dyn Run {
        &mut self.client
    }
}

impl Sql for Tx<'_> {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        cached(self.cache, &mut self.tx, sql)
    }
    fn client(&mut self) -> &mut dyn Run {
        &mut self.tx
    }
}

impl Sql for Client {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        self.prepare(sql)
    }
    fn client(&mut self) -> &mut dyn Run {
        self
    }
}

impl Sql for Transaction<'_> {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        self.prepare(sql)
    }
    fn client(&mut self) -> &mut dyn Run {
        self
    }
}
