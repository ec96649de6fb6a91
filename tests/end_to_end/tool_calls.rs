//! Calling a tool build's top-level exports as an agent host does: arguments and results as
//! JSON, in the shapes Wassette uses (`{"ok": …}`/`{"err": …}`, a variant as `{"tag",
//! "val"}`, an empty option as `null`), converted to and from component values by the
//! function's own types.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{json, Map, Value};
use tfy_volumes_host::runtime::HostState;
use tfy_volumes_host::Grant;
use wasmtime::component::{Component, Instance, Type, Val};
use wasmtime::Store;

use crate::support::runtime;

/// Each build compiled once for the test binary (compiling is the slow part).
pub fn compiled(path: &'static str) -> Component {
    static CACHE: Mutex<BTreeMap<&'static str, Component>> = Mutex::new(BTreeMap::new());
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(path)
        .or_insert_with(|| Component::from_file(runtime().engine(), path).unwrap())
        .clone()
}

/// One instance of a tool build in the host's sandbox, granted one control plane.
pub struct ToolInstance {
    store: Store<HostState>,
    instance: Instance,
}

impl ToolInstance {
    /// The build at `path`, granted `grant`.
    pub async fn new(path: &'static str, grant: &Grant) -> ToolInstance {
        let mut store = runtime().sandbox(grant, grant.origin());
        let instance = runtime()
            .linker()
            .instantiate_async(&mut store, &compiled(path))
            .await
            .unwrap();
        ToolInstance { store, instance }
    }

    /// Whether the build exports the tool `name`.
    pub fn has(&mut self, name: &str) -> bool {
        self.instance.get_func(&mut self.store, name).is_some()
    }

    /// Calls the tool `name` with one JSON value per parameter; its result as JSON.
    pub async fn call(&mut self, name: &str, arguments: &[Value]) -> Value {
        let func = self
            .instance
            .get_func(&mut self.store, name)
            .unwrap_or_else(|| panic!("the build has no tool {name}"));
        let ty = func.ty(&self.store);
        let params: Vec<Val> = ty
            .params()
            .zip(arguments)
            .map(|((_, ty), value)| to_val(&ty, value))
            .collect();
        assert_eq!(
            params.len(),
            arguments.len(),
            "{name} takes {} arguments",
            params.len()
        );
        let mut results = [Val::Bool(false)];
        func.call_async(&mut self.store, &params, &mut results)
            .await
            .unwrap_or_else(|error| panic!("{name} trapped: {error:?}"));
        to_json(&results[0])
    }
}

fn to_val(ty: &Type, value: &Value) -> Val {
    fn mismatch<T>(ty: &Type, value: &Value) -> T {
        panic!("{value} is not a {ty:?}")
    }
    match ty {
        Type::Bool => Val::Bool(value.as_bool().unwrap_or_else(|| mismatch(ty, value))),
        Type::U32 => Val::U32(
            value
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or_else(|| mismatch(ty, value)),
        ),
        Type::Float64 => Val::Float64(value.as_f64().unwrap_or_else(|| mismatch(ty, value))),
        Type::String => Val::String(value.as_str().unwrap_or_else(|| mismatch(ty, value)).into()),
        Type::Enum(_) => Val::Enum(value.as_str().unwrap_or_else(|| mismatch(ty, value)).into()),
        Type::List(list) => Val::List(
            value
                .as_array()
                .unwrap_or_else(|| mismatch(ty, value))
                .iter()
                .map(|item| to_val(&list.ty(), item))
                .collect(),
        ),
        Type::Record(record) => Val::Record(
            record
                .fields()
                .map(|field| {
                    (
                        field.name.to_string(),
                        to_val(&field.ty, &value[field.name]),
                    )
                })
                .collect(),
        ),
        other => panic!("no JSON form for parameters of type {other:?}"),
    }
}

fn to_json(value: &Val) -> Value {
    match value {
        Val::Bool(b) => json!(b),
        Val::U16(n) => json!(n),
        Val::U32(n) => json!(n),
        Val::U64(n) => json!(n),
        Val::Float64(n) => json!(n),
        Val::String(s) | Val::Enum(s) => json!(s),
        Val::List(items) => Value::Array(items.iter().map(to_json).collect()),
        Val::Record(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), to_json(value)))
                .collect::<Map<_, _>>(),
        ),
        Val::Option(inner) => inner.as_deref().map_or(Value::Null, to_json),
        Val::Variant(tag, inner) => {
            json!({"tag": tag, "val": inner.as_deref().map_or(Value::Null, to_json)})
        }
        Val::Result(Ok(inner)) => json!({"ok": inner.as_deref().map_or(Value::Null, to_json)}),
        Val::Result(Err(inner)) => {
            json!({"err": inner.as_deref().map_or(Value::Null, to_json)})
        }
        other => panic!("no JSON form for results like {other:?}"),
    }
}
