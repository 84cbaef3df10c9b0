//! A command's fingerprint: what a command id is tied to, so that the same id sent with a
//! different command is refused (`COMMAND_ID_REUSED`).
//!
//! The digest is of the parsed command's canonical JSON (object keys sorted, no spaces), so it
//! does not change when a type's `Debug` text does. Release 0.1.0 digested the `Debug` text;
//! [`legacy`] computes that form so that a retry of a command recorded by it is still
//! recognised (it matches as long as the command's fields are those 0.1.0 had).
//!
//! Fields added to a command later (an `AddItem`'s `modifiers`, `seat` and `course`,
//! `PlaceOrder`'s `fire_all`, a menu item's `modifier_groups`) are left out of both forms while
//! they hold their default, so a command an older release recorded without them is recognised
//! when a till retries it after the upgrade.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::AppCommand;

/// The digest (24 hex digits) of the command's canonical JSON.
pub fn canonical(command: &AppCommand) -> String {
    digest(canonical_json(command).as_bytes())
}

/// The command as canonical JSON: keys sorted at every level, no insignificant spaces.
pub fn canonical_json(command: &AppCommand) -> String {
    let mut value = serde_json::to_value(command).expect("commands are plain data");
    strip_later_defaults(&mut value);
    let mut out = String::new();
    write_sorted(&value, &mut out);
    out
}

/// The digest release 0.1.0 recorded: of the command's `Debug` text, as 0.1.0 wrote it (the
/// fields added since left out while they hold their default).
pub fn legacy(command: &AppCommand) -> String {
    let text = format!("{command:?}")
        .replace(", modifiers: [], seat: None, course: None }", " }")
        .replace("PlaceOrder { fire_all: false }", "PlaceOrder")
        .replace(", modifier_groups: [] }", " }")
        .replace(", modifier_groups: None }", " }");
    digest(text.as_bytes())
}

/// Whether a field's value means "not given".
type IsDefault = fn(&Value) -> bool;

/// Fields a command gained after release 0.2.0, with the value that means "not given".
const LATER_FIELDS: &[(&str, IsDefault)] = &[
    ("modifiers", |v| v.as_array().is_some_and(Vec::is_empty)),
    ("seat", Value::is_null),
    ("course", Value::is_null),
    ("fire_all", |v| v == &Value::Bool(false)),
    ("modifier_groups", |v| {
        v.is_null() || v.as_array().is_some_and(Vec::is_empty)
    }),
];

/// Leaves out the later fields that hold their default; a variant left with no fields reads
/// as the unit variant it was (`{"PlaceOrder": {}}` → `"PlaceOrder"`).
fn strip_later_defaults(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, is_default) in LATER_FIELDS {
                if map.get(*key).is_some_and(is_default) {
                    map.remove(*key);
                }
            }
            for v in map.values_mut() {
                strip_later_defaults(v);
            }
            if map.len() == 1 {
                let (name, inner) = map.iter().next().expect("one entry");
                if inner.as_object().is_some_and(|o| o.is_empty()) {
                    *value = Value::String(name.clone());
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_later_defaults),
        _ => {}
    }
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
