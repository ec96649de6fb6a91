//! Typed host-side bindings of the `full-access` world, generated from the same `wit/`.
#![allow(missing_docs)] // generated items carry the WIT docs where bindgen emits them

wasmtime::component::bindgen!({
    path: "../wit",
    world: "full-access",
    exports: { default: async },
    additional_derives: [PartialEq, Clone],
});

pub use exports::truefoundry::volumes::volumes::Guest as VolumesExports;
pub use truefoundry::volumes::types::*;
