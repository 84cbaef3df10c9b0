//! Presentation helpers shared by the CLI and the TUI: text typed by people made safe for a
//! terminal, money and times for people.

use std::borrow::Cow;

/// Makes user-typed text safe to print: control characters (C0, DEL, C1) and the Unicode
/// bidirectional overrides become visible escapes (`^[`, `\u{9b}`, `<U+202E>`), so a note can
/// never move the cursor, recolour the screen or retitle a terminal.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' => {
                out.push('^');
                out.push((c as u8 + b'@') as char);
            }
            '\u{7f}' => out.push_str("^?"),
            '\u{80}'..='\u{9f}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text (as serde_json writes it) made safe for a terminal: serde_json escapes C0 controls
/// but leaves DEL, C1 controls and bidi overrides as they are; those become `\uXXXX` escapes,
/// which any JSON reader turns back into the same string.
pub fn json_safe(json: String) -> String {
    // C0 controls inside strings are already escaped; outside strings only whitespace appears.
    let raw = |c: char| c >= '\u{7f}' && needs_escape(c);
    if !json.chars().any(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Cents as `12.50`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// At most `max` characters of `text`, with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// A duration in whole seconds as `m:ss` (or `h:mm:ss` past an hour).
pub fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_controls_become_visible() {
        assert_eq!(safe("no onions"), "no onions");
        assert_eq!(safe("\u{1b}[2J\u{1b}]0;pwned\u{7}"), "^[[2J^[]0;pwned^G");
        assert_eq!(safe("a\nb\tc\u{7f}"), "a^Jb^Ic^?");
        assert_eq!(safe("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(safe("abc\u{202e}def"), "abc<U+202E>def");
        assert!(!safe("\u{1b}\u{9b}\u{7}").chars().any(|c| c.is_control()));
    }

    #[test]
    fn json_keeps_its_meaning_and_loses_its_raw_controls() {
        let v = serde_json::json!({"note": "a\u{9b}2J\u{7f}\u{202e}b\u{1b}"});
        let text = json_safe(v.to_string());
        assert!(
            !text.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        assert_eq!(json_safe("{\"a\":1}".into()), "{\"a\":1}");
    }

    #[test]
    fn money_and_ages_read_as_people_write_them() {
        assert_eq!(money(1250), "12.50");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-150), "-1.50");
        assert_eq!(age(65), "1:05");
        assert_eq!(age(3725), "1:02:05");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
