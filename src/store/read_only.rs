//! Opening a Brigade database for reading only (`verify`, `events`, `history`, `query`,
//! `anchor`): nothing in the file or its directory is written, not even SQLite's `-wal` and
//! `-shm` files, so these commands work on a read-only file or in a read-only directory and
//! leave every byte as it was.
//!
//! A WAL-mode database with no `-wal` file beside it holds everything in the main file: it is
//! opened `immutable` (no locks, no `-shm`, no `-wal`). When a `-wal` file exists (another
//! Brigade has the database open, or did not close it cleanly), its frames are part of the
//! database, so it is opened `mode=ro` and read through the existing WAL. An empty file, or one
//! without Brigade's tables, is refused rather than given a schema.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{schema, StoreError};

/// Opens `path` read-only; refuses a missing path (`DB_OPEN_FAILED`), a directory, an empty
/// file and anything that is not a Brigade database this build can read.
pub fn open_read_only_connection(path: &Path) -> Result<Connection, StoreError> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(StoreError::IsDirectory(shown));
    }
    let meta = std::fs::metadata(path).map_err(|e| StoreError::Open {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    if meta.len() == 0 {
        return Err(StoreError::Empty(shown));
    }
    let wal = {
        let mut p = path.as_os_str().to_owned();
        p.push("-wal");
        std::path::PathBuf::from(p)
    };
    let live = wal.is_file();
    let uri = format!(
        "file:{}?{}",
        encode(path),
        if live {
            "mode=ro"
        } else {
            "mode=ro&immutable=1"
        }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| StoreError::Open {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(64);
    schema::check(&conn, &shown)?;
    super::seal::shadow_missing_column(&conn)?;
    super::schema::shadow_later_tables(&conn)?;
    Ok(conn)
}

/// `path` as the path part of a SQLite URI: every byte but the unreserved ones and `/`
/// percent-encoded.
fn encode(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    let mut out = String::with_capacity(bytes.len());
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
