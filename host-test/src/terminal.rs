//! What may reach a terminal: text from a control plane is shown, never obeyed.
//!
//! A server answers names, messages, storage classes and URLs, and the CLI prints them. Raw,
//! an `ESC` in them would clear the screen, retitle the window or plant an OSC-8 link, and a
//! CR or LF would forge a table row. Every line the CLI prints in text mode goes through
//! [`Text`], whose `Display` shows each control character as its Rust escape (`\u{1b}`,
//! `\r`, `\n`, `\t`, `\u{9b}`…) so the reader sees what the server sent and the terminal
//! interprets nothing. Plain spaces stay. JSON output goes through [`json`].

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

/// Whether `c` must not reach a terminal as it is: C0 controls (with TAB, CR and LF), DEL,
/// C1 controls (8-bit CSI, OSC, …), the Unicode line and paragraph separators, and the
/// bidirectional overrides, which can make a row read differently from what it holds.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every unsafe character (see [`is_unsafe`]) replaced by its Rust escape, so
/// `"a\u{1b}[2Jb"` shows as `a\u{1b}[2Jb` and `"x\ny"` stays on one line as `x\ny`.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// Text for a terminal, as lines. Renderers add one line per fact, so a line break inside a
/// value (from a server) is shown escaped, never obeyed; blocks that are several lines by
/// nature (a YAML snippet) are added with [`Text::block`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    lines: Vec<String>,
}

impl Text {
    /// No lines.
    pub fn new() -> Text {
        Text::default()
    }

    /// One line, as it is; its control characters, line breaks included, are escaped when
    /// printed.
    pub fn line(&mut self, line: impl Into<String>) -> &mut Text {
        self.lines.push(line.into());
        self
    }

    /// Every line of `block` (split at `\n`; a `\r` before it goes too), for text that is
    /// several lines by nature.
    pub fn block(&mut self, block: &str) -> &mut Text {
        self.lines.extend(block.lines().map(str::to_string));
        self
    }

    /// The lines of `other`, after these.
    pub fn append(&mut self, other: Text) -> &mut Text {
        self.lines.extend(other.lines);
        self
    }

    /// Whether there is nothing to print.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

impl From<String> for Text {
    fn from(line: String) -> Text {
        Text { lines: vec![line] }
    }
}

impl From<&str> for Text {
    fn from(line: &str) -> Text {
        Text::from(line.to_string())
    }
}

/// Each line neutralised (see [`neutralise`]), each ended by `\n`.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{}", neutralise(line))?;
        }
        Ok(())
    }
}

/// `value` as indented JSON that is safe on a terminal. serde_json escapes C0 controls in
/// strings but writes DEL, C1 and the other [`is_unsafe`] characters raw; outside strings
/// JSON has none of them, so escaping each as `\uXXXX` after serialising keeps the JSON
/// equal and makes it inert.
pub fn json(value: &Value) -> String {
    let text = format!("{value:#}");
    if !text.chars().any(is_unsafe) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) && c != '\n' {
            // Unsafe characters outside the C0 range are all in the Basic Multilingual Plane.
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_c0_control_is_shown_escaped() {
        for code in 0u32..0x20 {
            let c = char::from_u32(code).unwrap();
            let shown = neutralise(&format!("a{c}b")).into_owned();
            let expected = match c {
                '\0' => "a\\0b".to_string(),
                '\t' => "a\\tb".to_string(),
                '\n' => "a\\nb".to_string(),
                '\r' => "a\\rb".to_string(),
                _ => format!("a\\u{{{code:x}}}b"),
            };
            assert_eq!(shown, expected, "U+{code:04X}");
        }
    }

    #[test]
    fn del_and_every_c1_control_are_shown_escaped() {
        for code in (0x7f..=0x9f).map(|code| char::from_u32(code).unwrap()) {
            assert_eq!(
                neutralise(&format!("a{code}b")),
                format!("a\\u{{{:x}}}b", u32::from(code))
            );
        }
    }

    #[test]
    fn escape_sequences_lose_their_introducer() {
        let cases = [
            // Clear the screen and home the cursor.
            ("\u{1b}[2J\u{1b}[H", "\\u{1b}[2J\\u{1b}[H"),
            // Set the window title (OSC 0, ended by BEL).
            ("\u{1b}]0;pwned\u{7}", "\\u{1b}]0;pwned\\u{7}"),
            // An OSC-8 hyperlink (ended by ST, ESC \).
            (
                "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\",
                "\\u{1b}]8;;https://evil.example/\\u{1b}\\click\\u{1b}]8;;\\u{1b}\\",
            ),
            // The 8-bit CSI and OSC introducers.
            ("\u{9b}31m\u{9d}0;t\u{9c}", "\\u{9b}31m\\u{9d}0;t\\u{9c}"),
            // A carriage return that would overwrite the line, a line feed that adds one.
            ("ok\rRUNNING\nfake  1 Gi", "ok\\rRUNNING\\nfake  1 Gi"),
        ];
        for (raw, shown) in cases {
            assert_eq!(neutralise(raw), shown);
            assert!(!neutralise(raw).chars().any(is_unsafe));
        }
    }

    #[test]
    fn separators_and_bidirectional_overrides_are_shown_escaped() {
        assert_eq!(
            neutralise("a\u{2028}b\u{2029}c\u{202e}d\u{2066}e\u{200f}"),
            "a\\u{2028}b\\u{2029}c\\u{202e}d\\u{2066}e\\u{200f}"
        );
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in ["training-data  100 Gi  efs-sc", "é ü 日本 ✓", ""] {
            assert!(matches!(neutralise(text), Cow::Borrowed(same) if same == text));
        }
    }

    #[test]
    fn text_prints_each_line_once_with_breaks_inside_values_escaped() {
        let mut text = Text::new();
        text.line("Volume  evil\nStatus  RUNNING")
            .block("a: 1\r\nb: 2\n")
            .append(Text::from("last\u{1b}[0m"));
        assert_eq!(
            text.to_string(),
            "Volume  evil\\nStatus  RUNNING\na: 1\nb: 2\nlast\\u{1b}[0m\n"
        );
        assert!(Text::new().is_empty());
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw_and_stays_the_same_json() {
        let value = json!({"name": "a\u{1b}[2J\u{7f}\u{9b}\u{202e}\r\n", "n": 1});
        let text = json(&value);
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text}");
        assert!(
            text.contains(r#""a\u001b[2J\u007f\u009b\u202e\r\n""#),
            "{text}"
        );
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, value);
    }
}
