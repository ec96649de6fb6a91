//! TrueFoundry persistent volumes as a WASI 0.2 component.
//!
//! The crate is a pure core that builds and is tested on the native target, in layers that
//! depend only downward:
//!
//! - [`error`] and [`model`]: the one error type and the domain values;
//! - [`input`]: every rule an argument must meet, FQNs, and the manifest `create` submits;
//! - [`api`]: the TrueFoundry API without I/O — requests as data, the wire, decoding, retry;
//! - [`offline`]: what needs no control plane — plans, mount snippets, the advisors;
//! - [`client`]: the operations that reach the control plane, over any transport and clock;
//! - [`redact`]: keeping the API key out of everything returned;
//! - `gateway` (feature `gateway`): the same operations as an HTTP JSON API, sans I/O —
//!   request in, response out — for the `wasi:http/proxy` build.
//! - [`vocabulary`]: the words each surface (interface, tools, command line, gateway) uses.
//!
//! On `wasm32` two thin edges wrap it, in `wasm`: the wit-bindgen export of each world and
//! the wasi:http transport and wasi:clocks clock. The `native` feature adds a blocking
//! transport for using the same core as a Rust library.
//!
//! On `wasm32` the crate is `no_std` (with `alloc`): std's panic and I/O machinery would make
//! the component import stdin, stdout, stderr, exit and terminal interfaces it never needs.
//! Natively it links std so tests and tools build as usual.
#![cfg_attr(target_arch = "wasm32", no_std)]
#![deny(missing_docs)]
#![deny(unsafe_code)]

extern crate alloc;

pub mod api;
pub mod client;
pub mod error;
#[cfg(feature = "gateway")]
pub mod gateway;
pub mod input;
pub mod model;
pub mod offline;
pub mod redact;
pub mod vocabulary;

#[cfg(test)]
mod layering;
#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;
#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use client::Client;
pub use error::{Error, Result};
