//! `brigade exec`: JSON commands in, one JSON result per line out, in order.

use std::io::{BufRead, Read};

use serde_json::json;

use super::watchdog::Watchdog;
use super::{json_line, Failure};
use crate::app::request::{parse_line, MAX_LINE_BYTES};
use crate::app::{AppError, Brigade};

/// Runs every line of stdin; `watchdog` (on a server) is armed around each command.
pub fn run(brigade: &mut Brigade, watchdog: Option<&Watchdog>) -> Result<i32, Failure> {
    let stdin = std::io::stdin();
    let mut reader = stdin.lock();
    let mut failed = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 2)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Failure::new("INPUT_ERROR", format!("cannot read stdin: {e}")))?;
        if n == 0 {
            break;
        }
        let too_long = !buf.ends_with(b"\n") && n > MAX_LINE_BYTES;
        if too_long {
            // Skip the rest of the oversized line, a buffer at a time (never holding it).
            loop {
                let chunk = reader
                    .fill_buf()
                    .map_err(|e| Failure::new("INPUT_ERROR", e.to_string()))?;
                if chunk.is_empty() {
                    break;
                }
                match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        reader.consume(i + 1);
                        break;
                    }
                    None => {
                        let n = chunk.len();
                        reader.consume(n);
                    }
                }
            }
        }
        let text = std::str::from_utf8(&buf);
        let line = text.unwrap_or_default().trim();
        if text.is_ok() && line.is_empty() {
            continue;
        }
        let result = if too_long {
            Err(AppError::invalid(
                "LINE_TOO_LONG",
                format!("a command line may be at most {MAX_LINE_BYTES} bytes"),
            ))
        } else if let Err(e) = text {
            Err(AppError::invalid(
                "BAD_JSON",
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            ))
        } else {
            parse_line(line).and_then(|request| {
                if let Some(w) = watchdog {
                    w.arm();
                }
                let outcome = brigade.execute(&request);
                if let Some(w) = watchdog {
                    w.disarm();
                }
                outcome
            })
        };
        let text = match result {
            Ok(outcome) => outcome.json,
            Err(e) => {
                failed = true;
                json!({ "ok": false, "error": e.to_json() }).to_string()
            }
        };
        json_line(text)?;
    }
    Ok(i32::from(failed))
}
