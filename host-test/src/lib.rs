//! Runs the truefoundry-volumes component in wasmtime, and emulates the TrueFoundry API.

pub mod emulator;
