//! How the PostgreSQL backend names its server and tells what went wrong: a server as
//! `host:port/db` and a URL with its password hidden, for messages; the client's errors as
//! store errors with stable codes (a lost server, refused credentials, TLS, a conflict to try
//! again, a lock not had in time, an answer that breaks the schema's promise).

use postgres::error::SqlState;

use super::tls;
use crate::store::StoreError;

/// `host[:port]/dbname` (or the socket directory), without user or password.
pub(super) fn shown(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let host = if hosts.is_empty() {
        "localhost".to_string()
    } else {
        hosts.join(",")
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{host}:{port}/{}",
        config.get_dbname().unwrap_or("(default database)")
    )
}

/// A URL as it may be shown in a message: a password, in the user part
/// (`postgres://user:pw@host/db`) or as a parameter (`?password=pw`), replaced by `***`.
pub fn shown_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(s), Some(at)) if at > s => match base[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &base[..s + 3], &base[at..]),
            None => base.to_string(),
        },
        _ => base.to_string(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

pub(super) fn connect_error(e: postgres::Error, shown: &str) -> StoreError {
    match e.code() {
        Some(c)
            if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            StoreError::AuthFailed(shown.to_string())
        }
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => StoreError::Open {
            path: shown.to_string(),
            reason: "no such database on the server".into(),
        },
        Some(_) => error(e),
        // The server asked for a password the URL does not hold: credentials, not the network.
        None if causes(&e).contains("password missing") => StoreError::AuthFailed(format!(
            "{shown} (it asks for a password and none was given)"
        )),
        None if e.to_string().starts_with("authentication error") => {
            StoreError::AuthFailed(format!("{shown} ({})", causes(&e)))
        }
        None if tls::is_tls_failure(&e) => StoreError::Tls(format!("{shown} ({})", causes(&e))),
        None => StoreError::Unreachable(format!("{shown} ({})", causes(&e))),
    }
}

/// An error and what caused it, as one line ("error performing TLS handshake: invalid peer
/// certificate: UnknownIssuer").
pub(crate) fn causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// A server error as a store error: conflicts to retry, lost connections, the rest.
///
/// A lock not had within `lock_timeout` is `DB_BUSY` at once (as SQLite's busy timeout): the
/// caller chose how long to wait. The server going away (connection errors, an administrator's
/// or a crash's shutdown) is `DB_UNREACHABLE`; an answer that is not what the schema promises
/// (a missing row, a column of another type) is `DB_ERROR`, not a lost server.
pub fn error(e: postgres::Error) -> StoreError {
    match e.code() {
        Some(c)
            if *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            StoreError::Retry(e.to_string())
        }
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy,
        Some(c) if c.code().starts_with("08") || c.code().starts_with("57P") => {
            StoreError::Unreachable(causes(&e))
        }
        Some(_) => StoreError::Server(
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_string()),
        ),
        // Named by the store that saw it (see `PgStore::named`).
        None if connection_lost(&e) => StoreError::Unreachable(causes(&e)),
        None => StoreError::Server(causes(&e)),
    }
}

/// Whether a client error says the connection is gone (closed, broken, timed out), as opposed
/// to an answer the client could not use.
fn connection_lost(e: &postgres::Error) -> bool {
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    // The client's error kinds are private; its messages for them are stable.
    let text = e.to_string();
    e.is_closed()
        || io
        || [
            "error communicating with the server",
            "error connecting to server",
            "timeout waiting for server",
            "unexpected message from server",
        ]
        .iter()
        .any(|kind| text.starts_with(kind))
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn a_shown_url_never_holds_the_password() {
        for (url, shown) in [
            (
                "postgres://till:s3cret@db.local:5432/brigade",
                "postgres://till:***@db.local:5432/brigade",
            ),
            (
                "postgres://till@db.local/brigade?password=s3cret&sslmode=require",
                "postgres://till@db.local/brigade?password=***&sslmode=require",
            ),
            (
                "postgresql://till:p@ss@db/brigade?PASSWORD=x",
                "postgresql://till:***@db/brigade?PASSWORD=***",
            ),
            ("postgres://db.local/brigade", "postgres://db.local/brigade"),
        ] {
            assert_eq!(shown_url(url), shown, "{url}");
        }
    }
}
