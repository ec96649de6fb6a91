//! The MCP tools a world of `wit/` should become, read from the WIT itself: one tool per
//! exported function, its WIT documentation as the description, and JSON schemas for its
//! parameters and its result, in the shapes Wassette 0.8.0 serves them:
//!
//! - `string` → `{"type": "string"}`; every integer and float → `{"type": "number"}`;
//!   `bool` → `{"type": "boolean"}`;
//! - `enum` → `{"type": "string", "enum": [cases]}`;
//! - `option<T>` → `{"anyOf": [{"type": "null"}, T]}`, and still *required*;
//! - `record` → an object with every field required; `list<T>` → an array of `T`;
//! - `variant` → `{"oneOf": [{"type": "object", "properties": {"tag": {"const": case},
//!   "val": T}, "required": ["tag", "val"]}, …]}`;
//! - `result<T, E>` → `{"oneOf": [{…"ok": T…}, {…"err": E…}]}`;
//! - parameters → an object of every parameter, all required; the result → an object with
//!   the one property `result`.

use std::path::Path;

use serde_json::{json, Map, Value};
use wit_parser::{Resolve, Type, TypeDefKind, WorldItem};

/// The tools of `world`, in export order: `name`, `description`, `inputSchema`,
/// `outputSchema`, as `tools/list` carries them.
pub fn tools(world: &str) -> Vec<Value> {
    let resolve = workspace_wit();
    let package = resolve
        .packages
        .iter()
        .next()
        .map(|(id, _)| id)
        .expect("wit/ holds one package");
    let world_id = resolve.packages[package].worlds[world];
    resolve.worlds[world_id]
        .exports
        .values()
        .filter_map(|item| match item {
            WorldItem::Function(function) => Some(function),
            _ => None,
        })
        .map(|function| {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for param in &function.params {
                properties.insert(param.name.clone(), schema(&resolve, &param.ty));
                required.push(Value::String(param.name.clone()));
            }
            let result = function
                .result
                .as_ref()
                .map(|ty| schema(&resolve, ty))
                .unwrap_or_else(|| panic!("{} returns nothing", function.name));
            json!({
                "name": function.name,
                "description": function.docs.contents.clone().unwrap_or_default(),
                "inputSchema": {"type": "object", "properties": properties, "required": required},
                "outputSchema": {"type": "object", "properties": {"result": result},
                                 "required": ["result"]},
            })
        })
        .collect()
}

/// The tool names of `world`, in export order.
pub fn tool_names(world: &str) -> Vec<String> {
    tools(world)
        .iter()
        .map(|tool| tool["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The functions of interface `interface`, in declaration order.
pub fn interface_functions(interface: &str) -> Vec<String> {
    let resolve = workspace_wit();
    let (_, found) = resolve
        .interfaces
        .iter()
        .find(|(_, item)| item.name.as_deref() == Some(interface))
        .unwrap_or_else(|| panic!("wit/ has no interface {interface}"));
    found.functions.keys().cloned().collect()
}

fn workspace_wit() -> Resolve {
    let mut resolve = Resolve::default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit");
    resolve
        .push_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot parse {}: {error:#}", dir.display()));
    resolve
}

fn schema(resolve: &Resolve, ty: &Type) -> Value {
    let id = match ty {
        Type::String => return json!({"type": "string"}),
        Type::Bool => return json!({"type": "boolean"}),
        Type::U8
        | Type::U16
        | Type::U32
        | Type::U64
        | Type::S8
        | Type::S16
        | Type::S32
        | Type::S64
        | Type::F32
        | Type::F64 => return json!({"type": "number"}),
        Type::Id(id) => *id,
        other => panic!("no known Wassette schema for {other:?}"),
    };
    let inner = |ty: &Type| schema(resolve, ty);
    let object = |name: &str, value: Value| json!({"type": "object", "properties": {name: value}, "required": [name]});
    match &resolve.types[id].kind {
        TypeDefKind::Type(aliased) => inner(aliased),
        TypeDefKind::Option(some) => json!({"anyOf": [{"type": "null"}, inner(some)]}),
        TypeDefKind::List(item) => json!({"type": "array", "items": inner(item)}),
        TypeDefKind::Enum(cases) => json!({
            "type": "string",
            "enum": cases.cases.iter().map(|case| case.name.clone()).collect::<Vec<_>>(),
        }),
        TypeDefKind::Record(record) => {
            let properties: Map<String, Value> = record
                .fields
                .iter()
                .map(|field| (field.name.clone(), inner(&field.ty)))
                .collect();
            let required: Vec<&str> = record.fields.iter().map(|f| f.name.as_str()).collect();
            json!({"type": "object", "properties": properties, "required": required})
        }
        TypeDefKind::Variant(variant) => {
            let cases: Vec<Value> = variant
                .cases
                .iter()
                .map(|case| {
                    let payload = case
                        .ty
                        .as_ref()
                        .unwrap_or_else(|| panic!("variant case {} has no payload", case.name));
                    json!({"type": "object",
                           "properties": {"tag": {"const": case.name}, "val": inner(payload)},
                           "required": ["tag", "val"]})
                })
                .collect();
            json!({ "oneOf": cases })
        }
        TypeDefKind::Result(result) => {
            let side = |ty: &Option<Type>| {
                inner(
                    ty.as_ref()
                        .expect("a result with both an ok and an err type"),
                )
            };
            json!({"oneOf": [object("ok", side(&result.ok)), object("err", side(&result.err))]})
        }
        other => panic!("no known Wassette schema for {other:?}"),
    }
}

/// The JSON pointers of every nullable (`anyOf [null, …]`) place in `schema`.
fn nullable_places(schema: &Value, at: &str, found: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if map
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|cases| cases.contains(&json!({"type": "null"})))
            {
                found.push(at.to_string());
            }
            for (key, value) in map {
                nullable_places(value, &format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                nullable_places(value, &format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn no_tool_takes_an_option_anywhere_in_its_arguments() {
    // Wassette makes an option a required `anyOf [null, T]`: a call that leaves it out
    // fails before reaching the component. So the tool worlds have none, nested or not.
    for world in ["read-only-tools", "tools"] {
        for tool in tools(world) {
            let mut found = Vec::new();
            nullable_places(&tool["inputSchema"], "", &mut found);
            assert_eq!(found, Vec::<String>::new(), "{world} {}", tool["name"]);
        }
    }
}
