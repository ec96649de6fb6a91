//! Least capability: the built component imports only what it needs.

use crate::support::runtime;
use wasmtime::component::Component;

/// The sorted import names and the export names of the built component at `path`.
fn imports_and_exports(path: &str) -> (Vec<String>, Vec<String>) {
    let bytes = std::fs::read(path).unwrap();
    let engine = runtime().engine();
    let component = Component::new(engine, &bytes).unwrap();
    let mut imports: Vec<String> = component
        .component_type()
        .imports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    imports.sort();
    let exports = component
        .component_type()
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    (imports, exports)
}

#[test]
fn the_component_imports_only_http_io_clocks_and_environment() {
    let (imports, exports) = imports_and_exports(tfy_volumes_host::runtime::COMPONENT_WASM);
    assert_eq!(
        imports,
        [
            "truefoundry:volumes/types@0.1.0",
            "wasi:cli/environment@0.2.12",
            "wasi:clocks/monotonic-clock@0.2.12",
            "wasi:http/outgoing-handler@0.2.12",
            "wasi:http/types@0.2.12",
            "wasi:io/error@0.2.12",
            "wasi:io/poll@0.2.12",
            "wasi:io/streams@0.2.12",
        ]
    );
    assert_eq!(exports, ["truefoundry:volumes/volumes@0.1.0"]);
}

#[test]
fn the_gateway_imports_only_what_it_uses_and_exports_the_incoming_handler() {
    let (imports, exports) = imports_and_exports(tfy_volumes_host::runtime::GATEWAY_WASM);
    // No `truefoundry:volumes/types`: the gateway speaks JSON, not WIT records.
    assert_eq!(
        imports,
        [
            "wasi:cli/environment@0.2.12",
            "wasi:clocks/monotonic-clock@0.2.12",
            "wasi:http/outgoing-handler@0.2.12",
            "wasi:http/types@0.2.12",
            "wasi:io/error@0.2.12",
            "wasi:io/poll@0.2.12",
            "wasi:io/streams@0.2.12",
        ]
    );
    assert_eq!(exports, ["wasi:http/incoming-handler@0.2.12"]);
}
