//! A command's fingerprint: what a command id is tied to, so that the same id sent with a
//! different command is refused (`COMMAND_ID_REUSED`).
//!
//! The digest is of the parsed command's canonical JSON (object keys sorted, no spaces), so it
//! does not change when a type's `Debug` text does. Release 0.1.0 digested the `Debug` text;
//! [`legacy`] computes that form so that a retry of a command recorded by it is still
//! recognised (it matches as long as the command's fields are those 0.1.0 had).

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::AppCommand;

/// The digest (24 hex digits) of the command's canonical JSON.
pub fn canonical(command: &AppCommand) -> String {
    digest(canonical_json(command).as_bytes())
}

/// The command as canonical JSON: keys sorted at every level, no insignificant spaces.
pub fn canonical_json(command: &AppCommand) -> String {
    let value = serde_json::to_value(command).expect("commands are plain data");
    let mut out = String::new();
    write_sorted(&value, &mut out);
    out
}

/// The digest release 0.1.0 recorded: of the command's `Debug` text.
pub fn legacy(command: &AppCommand) -> String {
    digest(format!("{command:?}").as_bytes())
}

/// Whether a recorded fingerprint is this command's, in either form.
pub fn matches(recorded: &str, command: &AppCommand) -> bool {
    recorded == canonical(command) || recorded == legacy(command)
}

fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write_sorted(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_sorted(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
