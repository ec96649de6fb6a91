//! Reads the WAVE text the wasmtime CLI prints for an `--invoke` result into the suite's JSON
//! shape (see `support`). The `wasm-wave` crate parses it (untyped: the CLI prints values of
//! the component's own types, which the tests compare field by field); this module only maps
//! the tree: a record as an object (the CLI leaves `none` fields out), a variant case with a
//! payload as `{"tag", "val"}`, an enum or payload-less case as its name, `some(x)` as `x`,
//! `none` as `null`, `ok(x)` / `err(x)` as `{"ok": x}` / `{"err": x}`, lists and tuples as
//! arrays, flags as an array of names.

use serde_json::{Map, Value};
use wasm_wave::ast::{Node, NodeType};
use wasm_wave::parser::ParserError;
use wasm_wave::untyped::UntypedValue;

/// Parses one WAVE value; the whole text must be that value.
pub fn parse(text: &str) -> Result<Value, String> {
    let value = UntypedValue::parse(text).map_err(|error| format!("{error} in {text:?}"))?;
    to_json(value.node(), text).map_err(|error| format!("{error} in {text:?}"))
}

/// The JSON shape of `node`, whose spans point into `source`.
fn to_json(node: &Node, source: &str) -> Result<Value, ParserError> {
    let array = |items: &mut dyn Iterator<Item = &Node>| {
        items
            .map(|item| to_json(item, source))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array)
    };
    let tagged =
        |tag: &str, value: Value| Value::Object(Map::from_iter([(tag.to_string(), value)]));
    Ok(match node.ty() {
        NodeType::BoolTrue => Value::Bool(true),
        NodeType::BoolFalse => Value::Bool(false),
        NodeType::Number => match node.as_number::<i64>(source) {
            Ok(integer) => Value::from(integer),
            Err(_) => Value::from(node.as_number::<f64>(source)?),
        },
        NodeType::Char => Value::String(node.as_char(source)?.to_string()),
        NodeType::String | NodeType::MultilineString => {
            Value::String(node.as_str(source)?.into_owned())
        }
        NodeType::Tuple => array(&mut node.as_tuple()?)?,
        NodeType::List => array(&mut node.as_list()?)?,
        NodeType::Record => {
            let mut fields = Map::new();
            for (name, value) in node.as_record(source)? {
                fields.insert(name.to_string(), to_json(value, source)?);
            }
            Value::Object(fields)
        }
        NodeType::Label => Value::String(node.as_enum(source)?.to_string()),
        NodeType::VariantWithPayload => {
            let (case, payload) = node.as_variant(source)?;
            let payload = payload.map_or(Ok(Value::Null), |value| to_json(value, source))?;
            Value::Object(Map::from_iter([
                ("tag".to_string(), Value::String(case.to_string())),
                ("val".to_string(), payload),
            ]))
        }
        NodeType::OptionSome | NodeType::OptionNone => match node.as_option()? {
            Some(value) => to_json(value, source)?,
            None => Value::Null,
        },
        NodeType::ResultOk | NodeType::ResultErr => {
            let (tag, payload) = match node.as_result()? {
                Ok(payload) => ("ok", payload),
                Err(payload) => ("err", payload),
            };
            tagged(
                tag,
                payload.map_or(Ok(Value::Null), |value| to_json(value, source))?,
            )
        }
        NodeType::Flags => Value::Array(
            node.as_flags(source)?
                .map(|flag| Value::String(flag.to_string()))
                .collect(),
        ),
    })
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
    assert_eq!(parse(r#"{:}"#).unwrap(), json!({}), "the empty record");
    assert_eq!(
        parse("ok(1) x").unwrap_err(),
        "trailing characters after value at 6..7 in \"ok(1) x\""
    );
    assert_eq!(
        parse(r#"{a: "b""#).unwrap_err(),
        "unexpected end of input at 7..7 in \"{a: \\\"b\\\"\""
    );
}
