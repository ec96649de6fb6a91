//! wasm only: the wit-bindgen export of the world this build targets — `full-access` by
//! default, `tools` or `read-only-tools` with the cargo feature of that name. Each exported
//! function converts its input, calls the core, and converts the result ([`convert`]); no
//! logic lives here.

mod convert;
#[cfg(not(any(feature = "tools", feature = "read-only-tools")))]
mod interface;
#[cfg(any(feature = "tools", feature = "read-only-tools"))]
mod tools;

#[cfg(all(feature = "tools", feature = "read-only-tools"))]
compile_error!("choose one world: the `tools` and `read-only-tools` features exclude each other");

// Generated glue is unsafe by nature (raw canonical-ABI lowering); the core stays safe.
// The tool worlds' flat parameters are the point of those worlds.
#[allow(unsafe_code, clippy::too_many_arguments)]
mod bindings {
    #[cfg(not(any(feature = "tools", feature = "read-only-tools")))]
    wit_bindgen::generate!({ path: "wit", world: "full-access" });
    #[cfg(feature = "tools")]
    wit_bindgen::generate!({ path: "wit", world: "tools" });
    #[cfg(feature = "read-only-tools")]
    wit_bindgen::generate!({ path: "wit", world: "read-only-tools" });
}

use crate::vocabulary::Surface;
use bindings::truefoundry::volumes::types as wit;

/// Whose words this build's texts are in.
#[cfg(not(any(feature = "tools", feature = "read-only-tools")))]
const SURFACE: Surface = Surface::Interface;
#[cfg(feature = "tools")]
const SURFACE: Surface = Surface::Tools;
#[cfg(feature = "read-only-tools")]
const SURFACE: Surface = Surface::ReadOnlyTools;

/// The type the exports are implemented on.
struct Component;

// The export macro expands to `#[export_name]` functions, which count as unsafe code.
#[allow(unsafe_code)]
mod exported {
    use super::{bindings, Component};
    bindings::export!(Component with_types_in bindings);
}
