//! Anchors: `POSITION:HASH` of an event, written down somewhere the database's owner cannot
//! reach. Whoever can write the file can rewrite the whole chain consistently (or cut its tail
//! and adjust every counter), but cannot make an event they did not write carry a hash that was
//! printed yesterday.

use std::fmt;

use rusqlite::{Connection, OptionalExtension};

use crate::store::hash::GENESIS;
use crate::store::StoreError;

/// An event's position and hash, as `brigade anchor` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub position: i64,
    pub hash: [u8; 32],
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.position)?;
        for b in self.hash {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Anchor {
    type Err = String;

    /// `POSITION:HASH`, the hash as 64 hexadecimal digits (either case).
    fn from_str(s: &str) -> Result<Self, String> {
        let shown: String = s.chars().take(80).collect();
        let bad = || format!("{shown:?} is not POSITION:HASH (a position, a colon, 64 hex digits)");
        let (position, hex) = s.trim().split_once(':').ok_or_else(bad)?;
        let position: i64 = position.parse().map_err(|_| bad())?;
        if position < 0 || hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut hash = [0u8; 32];
        for (i, byte) in hash.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Anchor { position, hash })
    }
}

/// The newest event as an anchor (position 0 and the genesis hash when the log is empty).
pub fn head_anchor(conn: &Connection) -> Result<Anchor, StoreError> {
    let newest: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match newest {
        Some((position, stored)) => Anchor {
            position,
            hash: stored.try_into().map_err(|_| {
                StoreError::Corrupt(format!("event {position} has a hash of the wrong size"))
            })?,
        },
        None => Anchor {
            position: 0,
            hash: GENESIS,
        },
    })
}

/// What is wrong with `anchor` in this log, if anything: the event at its position is gone, or
/// is not the event that was anchored.
pub fn check_anchor(conn: &Connection, anchor: &Anchor) -> Result<Option<String>, StoreError> {
    if anchor.position == 0 {
        return Ok((anchor.hash != GENESIS)
            .then(|| format!("anchor {anchor}: position 0 has only the all-zero hash")));
    }
    let stored: Option<Vec<u8>> = conn
        .query_row(
            "SELECT hash FROM events WHERE position = ?1",
            [anchor.position],
            |r| r.get(0),
        )
        .optional()?;
    Ok(judge(anchor, stored))
}

/// What is wrong with `anchor` given the hash stored at its position (none: no event there),
/// the same for every backend.
pub fn judge(anchor: &Anchor, stored: Option<Vec<u8>>) -> Option<String> {
    match stored {
        None => Some(format!(
            "anchor {anchor}: the log has no event at position {} any more",
            anchor.position
        )),
        Some(h) if h[..] != anchor.hash[..] => Some(format!(
            "anchor {anchor}: the event at position {} is not the one anchored \
             (the log was rewritten from there or before)",
            anchor.position
        )),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_reads_back_as_printed_and_refuses_anything_else() {
        let a = Anchor {
            position: 42,
            hash: [0xab; 32],
        };
        assert_eq!(a.to_string().parse::<Anchor>(), Ok(a));
        assert_eq!(a.to_string().to_uppercase().parse::<Anchor>(), Ok(a));
        for bad in [
            "",
            "42",
            "42:",
            "x:ab",
            "-1:00",
            "42:abc",
            &format!("42:{}", "g".repeat(64)),
        ] {
            assert!(bad.parse::<Anchor>().is_err(), "{bad:?}");
        }
    }
}
