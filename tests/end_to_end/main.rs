//! End-to-end: the built component, in the wasmtime host, against the TrueFoundry emulator.
//!
//! One test binary, so the component is compiled once (see `support::runtime`).

mod support;
// Shared with the hosts suite; each binary uses part of it.
#[allow(dead_code)]
#[path = "../common/hostile.rs"]
mod hostile;

mod advisors;
mod concurrency;
mod configuration;
mod create;
mod delete_and_repair;
mod faults;
mod imports;
mod interview;
mod invalid_input;
mod lifecycle;
mod native;
mod read;
mod sandbox;
mod secrets;
mod server_errors;
mod snippets_and_plan;
mod tool_calls;
mod trust;
mod worlds;
