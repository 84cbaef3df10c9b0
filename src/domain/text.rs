//! Limits and validation for text that people type: notes, names, reasons, table labels.
//!
//! Text is kept as typed (user intent is part of the record); it is the terminal layers' job to
//! neutralise control characters when they show it. Here we only bound its size and require
//! what must be present.

use super::rejection::{codes, Rejection};

pub const NOTE_MAX: usize = 140;
pub const REASON_MAX: usize = 200;
pub const NAME_MAX: usize = 80;
pub const TABLE_MAX: usize = 16;
pub const PHONE_MAX: usize = 32;
pub const ADDRESS_MAX: usize = 200;
pub const ID_MAX: usize = 40;
pub const QUANTITY_MAX: u32 = 99;
/// Bytes allowed per character of a text limit (an emoji family is about 25 bytes).
pub const BYTES_PER_CHARACTER_MAX: usize = 32;
pub const COVERS_MAX: u32 = 99;

/// How many characters people see in `text`: grapheme clusters, so that an accented letter
/// typed as a letter and a combining accent (two code points) counts as one.
pub fn length(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.graphemes(true).count()
}

/// Trims `text` and checks it against `max` characters; `None` when it is empty after trimming.
pub fn optional(field: &str, text: Option<&str>, max: usize) -> Result<Option<String>, Rejection> {
    let Some(text) = text else { return Ok(None) };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    // Counted as people see characters, and bounded in bytes too: a letter with half a million
    // combining marks is one character but a megabyte on every screen and in the log.
    if trimmed.len() > max * BYTES_PER_CHARACTER_MAX {
        return Err(Rejection::new(
            codes::TEXT_TOO_LONG,
            format!(
                "the {field} is {} bytes long; at most {} fit",
                trimmed.len(),
                max * BYTES_PER_CHARACTER_MAX
            ),
        ));
    }
    let len = length(trimmed);
    if len > max {
        return Err(Rejection::new(
            codes::TEXT_TOO_LONG,
            format!("the {field} is {len} characters long; at most {max} fit"),
        ));
    }
    Ok(Some(trimmed.to_string()))
}

/// Like [`optional`], but the text must be present.
pub fn required(
    field: &str,
    text: Option<&str>,
    max: usize,
    code: &'static str,
) -> Result<String, Rejection> {
    optional(field, text, max)?
        .ok_or_else(|| Rejection::new(code, format!("a {field} is required")))
}

/// Identifiers (menu items, orders) are short, lowercase and safe to type: `a-z`, `0-9`, `-`, `_`.
pub fn identifier(field: &str, id: &str) -> Result<(), Rejection> {
    let ok = !id.is_empty()
        && id.len() <= ID_MAX
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Rejection::new(
            codes::INVALID_ITEM_ID,
            format!(
                "{field} {:?} must be 1 to {ID_MAX} characters of a-z, 0-9, '-' or '_'",
                id.chars().take(50).collect::<String>()
            ),
        ))
    }
}

/// A quantity of one line: 1 to 99.
pub fn quantity(q: i64) -> Result<u32, Rejection> {
    if (1..=QUANTITY_MAX as i64).contains(&q) {
        Ok(q as u32)
    } else {
        Err(Rejection::new(
            codes::INVALID_QUANTITY,
            format!("quantity must be between 1 and {QUANTITY_MAX}, not {q}"),
        ))
    }
}
