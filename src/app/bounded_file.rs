//! Reading the files people name (menu files, the screens' settings): never more than a limit,
//! so that `brigade menu import /dev/zero` is refused (`FILE_TOO_LARGE`) instead of growing
//! without bound. The size is checked while reading, not from the file's metadata, which
//! devices and pipes do not report truthfully.

use std::io::Read;
use std::path::Path;

use super::error::AppError;

/// The largest menu file `brigade menu import` reads.
pub const MENU_FILE_MAX: u64 = 4 << 20;
/// The largest settings file (`brigade.json`, `BRIGADE_CONFIG`) the screens read.
pub const CONFIG_FILE_MAX: u64 = 64 << 10;

/// Reads `path` as UTF-8 text of at most `max` bytes (a leading byte-order mark is dropped).
/// Errors: `FILE_TOO_LARGE` past `max`, `FILE_UNREADABLE` when it cannot be opened or read or
/// is not UTF-8 text.
pub fn read_text(path: &Path, max: u64) -> Result<String, AppError> {
    let shown = crate::display::safe(&path.display().to_string()).into_owned();
    let unreadable = |e: &dyn std::fmt::Display| {
        AppError::invalid("FILE_UNREADABLE", format!("cannot read {shown}: {e}"))
    };
    if path.is_dir() {
        return Err(unreadable(&"it is a directory"));
    }
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    if bytes.len() as u64 > max {
        return Err(AppError::invalid(
            "FILE_TOO_LARGE",
            format!("{shown} is larger than {max} bytes, the most Brigade reads from such a file"),
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|e| unreadable(&format!("not UTF-8 text ({e})")))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
