//! Store errors, each with a stable code.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the stream {stream_id} moved on (expected revision {expected}, found {actual})")]
    Conflict {
        stream_id: String,
        expected: u64,
        actual: u64,
    },
    #[error("the database is busy; try again")]
    Busy,
    #[error("command id {0} was already used for a different command")]
    CommandIdReused(String),
    #[error("{0} is a directory, not a database file")]
    IsDirectory(String),
    #[error("{0} is not a database file")]
    NotADatabase(String),
    #[error("{0} is empty, not a Brigade database (a read-only command does not create one)")]
    Empty(String),
    #[error("{0} is a database, but not a Brigade database")]
    NotBrigade(String),
    #[error(
        "{path} was written by a newer Brigade (schema {found}; this one knows up to {supported})"
    )]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot open {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("a stored event cannot be read: {0}")]
    Corrupt(String),
    #[error("{0}: it was written by a newer Brigade")]
    EventTooNew(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("cannot reach the database server at {0}")]
    Unreachable(String),
    #[error("TLS to the database server failed: {0}")]
    Tls(String),
    #[error("the database server at {0} refused the credentials")]
    AuthFailed(String),
    /// A transaction the server gave up on (serialization failure, deadlock): try it again.
    #[error("the database server asked to try again: {0}")]
    Retry(String),
    #[error("database server error: {0}")]
    Server(String),
    /// `setup --terminal-role` refused to make (or remake) that role a terminal's.
    #[error("{0}")]
    RoleRefused(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Conflict { .. } => "CONFLICT",
            StoreError::Busy => "DB_BUSY",
            StoreError::CommandIdReused(_) => "COMMAND_ID_REUSED",
            StoreError::IsDirectory(_) => "DB_IS_DIRECTORY",
            StoreError::NotADatabase(_) => "NOT_A_DATABASE",
            StoreError::NotBrigade(_) | StoreError::Empty(_) => "NOT_A_BRIGADE_DATABASE",
            StoreError::TooNew { .. } => "DB_TOO_NEW",
            StoreError::Open { .. } => "DB_OPEN_FAILED",
            StoreError::Corrupt(_) => "DB_CORRUPT",
            StoreError::EventTooNew(_) => "DB_TOO_NEW",
            StoreError::Sqlite(_) | StoreError::Server(_) => "DB_ERROR",
            StoreError::Unreachable(_) => "DB_UNREACHABLE",
            StoreError::AuthFailed(_) => "DB_AUTH_FAILED",
            StoreError::Tls(_) => "DB_TLS_FAILED",
            StoreError::Retry(_) => "DB_BUSY",
            StoreError::RoleRefused(_) => "ROLE_REFUSED",
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(String::new()),
            Some(ErrorCode::DatabaseCorrupt) => {
                StoreError::Corrupt(format!("the database file is damaged ({e})"))
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<crate::domain::rejection::DecodeError> for StoreError {
    fn from(e: crate::domain::rejection::DecodeError) -> Self {
        match e {
            crate::domain::rejection::DecodeError::TooNew(..) => {
                StoreError::EventTooNew(e.to_string())
            }
            e => StoreError::Corrupt(e.to_string()),
        }
    }
}
