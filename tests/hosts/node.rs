//! Host 3: jco 1.35.0 + `@bytecodealliance/preview2-shim` 0.26.1 on Node. The component is
//! transpiled once (per component build, into the tools dir, with a `{"type":"module"}`
//! package.json); one Node process makes every call through the `volumes` interface object:
//!
//! ```sh
//! node <target>/host-tools/node-jco-1.35.0-preview2-shim-0.26.1/node_modules/.bin/jco \
//!     transpile truefoundry_volumes.wasm -o <node tools>/transpiled/<hash> --name comp
//! TFY_BASE_URL=http://127.0.0.1:<port> TFY_API_KEY=demo-api-key \
//!     node tests/hosts/drivers/driver.mjs <node tools>/transpiled/<hash>/comp.js '<calls JSON>'
//! ```
//!
//! jco's shape: functions and record fields in camelCase (`mountSnippet`, `workspaceFqn`),
//! enums as their kebab-case name, variants as `{tag, val}`, a none option as `undefined`
//! (left out of JSON), and an `err` result thrown as `ComponentError` whose `payload` is the
//! `volume-error` `{tag, val}`. The shim passes `process.env` to the component.

use std::process::Command;

use serde_json::Value;

use crate::support::{
    assert_calls, calls, created_name, demo_emulator, driver, node_tools, run_ok, DEMO_KEY,
    HOST_TIMEOUT,
};

#[test]
fn list_snippet_create_and_errors_in_jco_on_node() {
    let emulator = demo_emulator();
    let name = created_name("node");
    let mut command = Command::new("node");
    command
        .arg(driver("driver.mjs"))
        .arg(&node_tools().component_js)
        .arg(calls(&name).to_string())
        .env_remove("TFY_HOST")
        .env_remove("TFY_API_HOST")
        .env("TFY_BASE_URL", emulator.base_url())
        .env("TFY_API_KEY", DEMO_KEY);
    let finished = run_ok(&mut command, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    let mut results: Value = serde_json::from_str(finished.stdout.trim())
        .unwrap_or_else(|error| panic!("the driver printed no JSON ({error})\n{finished}"));

    // Errors arrive as thrown ComponentErrors; check that, then compare like the other hosts.
    for result in results.as_array_mut().into_iter().flatten() {
        if let Some(thrown) = result.as_object_mut().and_then(|r| r.remove("thrown")) {
            assert_eq!(thrown, "ComponentError", "{finished}");
        }
    }
    assert_calls(results, &name, &emulator, &finished);
}
