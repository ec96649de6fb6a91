//! A reader for the WAVE text the wasmtime CLI prints for an `--invoke` result, into the
//! suite's JSON shape (see `support`): a record as an object (the CLI leaves `none` fields
//! out), a variant case with a payload as `{"tag", "val"}`, an enum or payload-less case as its
//! name, `some(x)` as `x`, `none` as `null`, `ok(x)` / `err(x)` as `{"ok": x}` / `{"err": x}`,
//! lists and tuples as arrays. Flags are not read (the interface has none).

use serde_json::{Map, Value};

/// Parses one WAVE value; the whole text must be that value.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut parser = Parser { src: text, at: 0 };
    let value = parser.value()?;
    parser.skip_space();
    if parser.at != text.len() {
        return Err(parser.error("trailing text"));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Consumes `c` (after spaces) if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(c);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", c as char)))
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {} of {:?}", self.at, self.src)
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_space();
        match self.peek() {
            Some(b'"') => self.string().map(Value::String),
            Some(b'{') => self.record(),
            Some(b'[') => self.sequence(b'[', b']'),
            Some(b'(') => self.sequence(b'(', b')'),
            Some(c) if c == b'-' || c.is_ascii_digit() => self.number(),
            Some(c) if c == b'%' || c.is_ascii_alphabetic() => self.labelled(),
            _ => Err(self.error("expected a value")),
        }
    }

    /// A label, without its `%` escape.
    fn label(&mut self) -> Result<&str, String> {
        self.skip_space();
        if self.peek() == Some(b'%') {
            self.at += 1;
        }
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-')
        {
            self.at += 1;
        }
        if start == self.at {
            return Err(self.error("expected a label"));
        }
        Ok(&self.src[start..self.at])
    }

    /// A keyword (`true`, `none`, `some(..)`, `ok(..)`, ...), an enum case, or a variant case
    /// with or without a payload.
    fn labelled(&mut self) -> Result<Value, String> {
        let escaped = self.peek() == Some(b'%');
        let label = self.label()?.to_string();
        let payload = if self.eat(b'(') {
            let value = self.value()?;
            self.expect(b')')?;
            Some(value)
        } else {
            None
        };
        let keyword = if escaped { "" } else { label.as_str() };
        Ok(match (keyword, payload) {
            ("true", None) => Value::Bool(true),
            ("false", None) => Value::Bool(false),
            ("none", None) => Value::Null,
            ("some", Some(value)) => value,
            ("ok" | "err", payload) => {
                let mut map = Map::new();
                map.insert(label, payload.unwrap_or(Value::Null));
                Value::Object(map)
            }
            (_, None) => Value::String(label),
            (_, Some(value)) => {
                let mut map = Map::new();
                map.insert("tag".into(), Value::String(label));
                map.insert("val".into(), value);
                Value::Object(map)
            }
        })
    }

    fn record(&mut self) -> Result<Value, String> {
        self.expect(b'{')?;
        let mut fields = Map::new();
        if self.eat(b':') {
            // `{:}`, the empty record.
            self.expect(b'}')?;
            return Ok(Value::Object(fields));
        }
        loop {
            let name = self.label()?.to_string();
            self.expect(b':')?;
            let value = self.value()?;
            fields.insert(name, value);
            if !self.eat(b',') {
                self.expect(b'}')?;
                break;
            }
            if self.eat(b'}') {
                break;
            }
        }
        Ok(Value::Object(fields))
    }

    fn sequence(&mut self, open: u8, close: u8) -> Result<Value, String> {
        self.expect(open)?;
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            if !self.eat(b',') {
                self.expect(close)?;
                break;
            }
            if self.eat(close) {
                break;
            }
        }
        Ok(Value::Array(items))
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        self.at += 1;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-'))
        {
            self.at += 1;
        }
        let text = &self.src[start..self.at];
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Value::from(n));
        }
        text.parse::<f64>()
            .map(Value::from)
            .map_err(|_| self.error(&format!("bad number `{text}`")))
    }

    /// A string literal with WAVE's escapes (`\n \t \r \\ \' \"` and `\u{…}`).
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.src[self.at..].char_indices();
        loop {
            let (offset, c) = chars
                .next()
                .ok_or_else(|| self.error("unterminated string"))?;
            match c {
                '"' => {
                    self.at += offset + 1;
                    return Ok(out);
                }
                '\\' => {
                    let (_, escape) = chars
                        .next()
                        .ok_or_else(|| self.error("unterminated escape"))?;
                    match escape {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '\\' | '\'' | '"' => out.push(escape),
                        'u' => {
                            let rest = chars.as_str();
                            let hex = rest
                                .strip_prefix('{')
                                .and_then(|r| r.split_once('}'))
                                .map(|(hex, _)| hex)
                                .ok_or_else(|| self.error("bad \\u escape"))?;
                            let code = u32::from_str_radix(hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| self.error("bad \\u escape"))?;
                            out.push(code);
                            for _ in 0..hex.len() + 2 {
                                chars.next();
                            }
                        }
                        other => return Err(self.error(&format!("unknown escape `\\{other}`"))),
                    }
                }
                c => out.push(c),
            }
        }
    }
}

#[test]
fn reads_what_the_wasmtime_cli_prints() {
    use serde_json::json;
    // Printed by wasmtime 49.0.3 for `create` and `get` of this component.
    let created = r#"ok({id: "app-4", name: "archive", fqn: "c:w:archive", kind: dynamic, size-gi: some(20), status: {phase: deploying, terminal: false}, version: some(1)})"#;
    assert_eq!(
        parse(created).unwrap(),
        json!({"ok": {"id": "app-4", "name": "archive", "fqn": "c:w:archive", "kind": "dynamic",
                      "size-gi": 20, "status": {"phase": "deploying", "terminal": false},
                      "version": 1}})
    );
    let missing =
        r#"err(not-found({kind: volume, name: "c:w:nope", fix: "Call `list`: \"x\"\n\u{e9}"}))"#;
    assert_eq!(
        parse(missing).unwrap(),
        json!({"err": {"tag": "not-found",
                       "val": {"kind": "volume", "name": "c:w:nope", "fix": "Call `list`: \"x\"\n\u{e9}"}}})
    );
    assert_eq!(
        parse(r#"ok({text: "a", warnings: []})"#).unwrap(),
        json!({"ok": {"text": "a", "warnings": []}})
    );
    assert_eq!(
        parse("[none, some(-3), %none, (1, 2.5)]").unwrap(),
        json!([null, -3, "none", [1, 2.5]])
    );
    assert!(parse("ok(1) x").is_err());
    assert!(parse(r#"{a: "b""#).is_err());
}
