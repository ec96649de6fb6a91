//! What may reach a terminal: text from a control plane is shown, never obeyed.
//!
//! A server answers names, messages, storage classes and URLs, and the CLI prints them. Raw,
//! an `ESC` in them would clear the screen, retitle the window or plant an OSC-8 link, and a
//! CR or LF would forge a table row. Every line the CLI prints in text mode goes through
//! [`Text`], whose `Display` shows each control character as its Rust escape (`\u{1b}`,
//! `\r`, `\n`, `\t`, `\u{9b}`…) so the reader sees what the server sent and the terminal
//! interprets nothing. Plain spaces stay. JSON output goes through [`json`], YAML through
//! [`yaml`].

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

/// `value` as block YAML that parses back to the same value and is safe on a terminal.
///
/// A YAML library would write DEL, C1 controls and the bidirectional overrides raw (YAML
/// counts them printable), so this writes YAML itself from the JSON value: strings that are
/// plainly safe as they are stay plain (`name: training-data`); text of several lines
/// without control characters becomes a literal block (`|`), so a snippet reads as written;
/// every other string is double-quoted with JSON's escapes, which YAML shares, plus `\uXXXX`
/// for each [`is_unsafe`] character.
pub fn yaml(value: &Value) -> String {
    let mut out = String::new();
    if is_block(value) {
        yaml_block(&mut out, value, 0);
    } else if matches!(value, Value::String(text) if literal_block(text).is_some()) {
        yaml_after_indicator(&mut out, value, 0);
    } else {
        out.push_str(&yaml_scalar(value));
        out.push('\n');
    }
    out
}

/// Whether `value` is written as lines of its own: a non-empty mapping or sequence.
fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// A non-empty mapping or sequence, its lines at `indent`.
fn yaml_block(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                out.push_str(&" ".repeat(indent));
                out.push_str(&yaml_string(key));
                out.push(':');
                yaml_after_indicator(out, value, indent);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                if is_block(item) {
                    // A collection item starts on the dash's line: render it one level
                    // deeper and put the dash over its first indentation.
                    let mut nested = String::new();
                    yaml_block(&mut nested, item, indent + 2);
                    out.push_str("- ");
                    out.push_str(&nested[indent + 2..]);
                } else {
                    out.push('-');
                    yaml_after_indicator(out, item, indent);
                }
            }
        }
        _ => {}
    }
}

/// What follows `key:` or `-` at `indent`: a nested collection on the next lines, a literal
/// block, or ` scalar`.
fn yaml_after_indicator(out: &mut String, value: &Value, indent: usize) {
    if is_block(value) {
        out.push('\n');
        yaml_block(out, value, indent + 2);
        return;
    }
    match value {
        Value::String(text) => match literal_block(text) {
            Some(header) => {
                out.push(' ');
                out.push_str(header);
                out.push('\n');
                for line in text.lines() {
                    if !line.is_empty() {
                        out.push_str(&" ".repeat(indent + 2));
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
            None => {
                out.push(' ');
                out.push_str(&yaml_string(text));
                out.push('\n');
            }
        },
        scalar => {
            out.push(' ');
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
}

/// The header of a literal block for `text` (`|` keeps its one final line break, `|-` has
/// none), or `None` when it must be quoted: one line only, a control character other than
/// the line feeds, a leading space or line break (the block's indentation would be
/// ambiguous), several final line breaks, or a character YAML cannot hold unescaped.
fn literal_block(text: &str) -> Option<&'static str> {
    let lines_ok = text.contains('\n')
        && !text.starts_with([' ', '\n'])
        && !text.ends_with("\n\n")
        && !text
            .chars()
            .any(|c| c != '\n' && (is_unsafe(c) || !yaml_printable(c)));
    match (lines_ok, text.ends_with('\n')) {
        (false, _) => None,
        (true, true) => Some("|"),
        (true, false) => Some("|-"),
    }
}

/// Whether YAML may hold `c` unescaped (it excludes the byte-order mark and the two
/// non-characters at the end of the Basic Multilingual Plane).
fn yaml_printable(c: char) -> bool {
    !matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

fn yaml_scalar(value: &Value) -> String {
    match value {
        Value::String(text) => yaml_string(text),
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
        // null, booleans and numbers are written alike in JSON and YAML.
        other => other.to_string(),
    }
}

/// A string as a plain scalar when that is unambiguous, otherwise double-quoted.
fn yaml_string(text: &str) -> String {
    if plain_scalar_ok(text) {
        return text.to_string();
    }
    let quoted = serde_json::Value::String(text.to_string()).to_string();
    let mut escaped = String::with_capacity(quoted.len());
    for c in quoted.chars() {
        if is_unsafe(c) || !yaml_printable(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Plain scalars are kept to what no YAML reader takes for anything but a string: a letter
/// or `/` first, then letters, digits and `_ . / @ + - :` with single inner spaces, no `: `
/// and no final `:`, and none of the words YAML 1.1 reads as booleans or null.
fn plain_scalar_ok(text: &str) -> bool {
    const WORDS: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf",
    ];
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
    first_ok
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./@+-: ".contains(c))
        && !text.ends_with([':', ' '])
        && !text.contains(": ")
        && !text.contains("  ")
        && !WORDS.iter().any(|word| text.eq_ignore_ascii_case(word))
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

    /// Values that stress every YAML path: plain, quoted and block strings, nesting of maps
    /// in lists in maps, empty collections, numbers and the words YAML reads as booleans.
    fn yaml_samples() -> Vec<Value> {
        vec![
            json!({"name": "training-data", "size-gi": 100, "ok": true, "none": null}),
            json!([]),
            json!({}),
            json!("just text"),
            json!("two\nlines\n"),
            json!(["a", ["b", ["c"]], {"d": [1, 2.5, -3]}, {}, [], "e"]),
            json!({"list": [{"a": 1, "b": {"c": "x"}}, {"a": 2}], "empty": [], "map": {}}),
            json!({"words": ["yes", "No", "on", "OFF", "y", "null", "~", "true", "nan", "inf"]}),
            json!({"tricky": ["a: b", "a #c", "-x", "?x", ":x", "x:", " lead", "trail ",
                               "1.0", "0x1f", "2026-02-10T14:30:00Z", "", "a,b", "[x]",
                               "{x}", "'q'", "\"dq\"", "a\\b", "tfy-secret://a:b:c",
                               "*alias", "&anchor", "!tag", "%d", "@at", "`tick`", "|", ">"]}),
            json!({"snippet": "volumes:\n  - name: x\n    mount_path: /data\n",
                   "no-final-break": "a\n  b", "breaks": "a\n\n", "lead": "\nx\n",
                   "indented": "  x\ny\n", "tab": "a\tb\nc\n", "blank-inside": "a\n\nb\n"}),
            json!({"evil\u{1b}[2J": "x\u{1b}]0;t\u{7}\r\n\u{7f}\u{9b}\u{202e}\u{2028}\u{feff}",
                   "block-with-escape": "a\n\u{1b}[31m\n"}),
            json!({"unicode": "é ü 日本 ✓", "key with space": 1, "1": "numeric key"}),
        ]
    }

    #[test]
    fn yaml_parses_back_to_the_same_value() {
        for value in yaml_samples() {
            let text = yaml(&value);
            let parsed: Value =
                serde_yaml_ng::from_str(&text).unwrap_or_else(|error| panic!("{error} in\n{text}"));
            assert_eq!(parsed, value, "\n{text}");
        }
    }

    #[test]
    fn yaml_holds_no_character_a_terminal_would_obey() {
        for value in yaml_samples() {
            let text = yaml(&value);
            assert!(
                !text.chars().any(|c| is_unsafe(c) && c != '\n'),
                "raw control character in\n{text}"
            );
        }
    }

    #[test]
    fn yaml_reads_as_people_write_it() {
        let value = json!({
            "name": "logs",
            "config": {"type": "dynamic", "storage_class": "efs-sc", "size": 20},
            "tags": ["a", {"k": "v", "n": 1}],
            "created": "2026-02-10T14:30:00Z",
            "snippet": "a: 1\nb: 2\n",
        });
        // Keys come sorted (serde_json's map); `n` is quoted, YAML 1.1 reads it as false.
        assert_eq!(
            yaml(&value),
            "config:\n  size: 20\n  storage_class: efs-sc\n  type: dynamic\n\
             created: \"2026-02-10T14:30:00Z\"\n\
             name: logs\n\
             snippet: |\n  a: 1\n  b: 2\n\
             tags:\n  - a\n  - k: v\n    \"n\": 1\n"
        );
    }
}
