//! Which file a [`super::Brigade`] works on: its identity (device and inode) when it was
//! opened, so that a database file moved away or replaced under a running screen is noticed,
//! and nothing is read from one file and written to another.

use std::path::Path;

use super::AppError;

/// A file's identity: (device, inode) on Unix; elsewhere nothing is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity(u64, u64);

impl FileIdentity {
    /// The identity of the file at `path` now, if it exists.
    pub fn of(path: &Path) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path)
                .ok()
                .map(|m| FileIdentity(m.dev(), m.ino()))
        }
        #[cfg(not(unix))]
        {
            path.exists().then_some(FileIdentity(0, 0))
        }
    }
}

/// Checks that the file at `path` is still the one opened as `opened`: `DB_GONE` when there is
/// no file there, `DB_REPLACED` when another file took its place.
pub fn check(path: &Path, opened: Option<FileIdentity>) -> Result<(), AppError> {
    match (FileIdentity::of(path), opened) {
        (None, _) => Err(AppError::invalid(
            "DB_GONE",
            format!("the database file {} is gone", path.display()),
        )),
        (Some(now), Some(then)) if now != then => Err(AppError::invalid(
            "DB_REPLACED",
            format!(
                "the database file {} was replaced by another file; waiting for the original to \
                 come back",
                path.display()
            ),
        )),
        _ => Ok(()),
    }
}
