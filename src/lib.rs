//! TrueFoundry persistent volumes as a WASI 0.2 component.
//!
//! The crate is a pure core — domain types ([`model`]), validation ([`validate`], [`fqn`],
//! [`manifest`]), request building and response decoding ([`api`], [`wire`]), the operations
//! ([`client`], [`wait`], [`expand`], [`preflight`]), [`plan`] summaries, mount [`snippet`]s and
//! the pure advisors ([`advice`], [`storage_class`], [`static_volume`], [`cache_volume`]) — that
//! builds and is tested on
//! the native target, wrapped on `wasm32` by two thin edges: `component` (the wit-bindgen
//! export) and `transport` (wasi:http).
//!
//! On `wasm32` the crate is `no_std` (with `alloc`): std's panic and I/O machinery would
//! make the component import stdin, stdout, stderr, exit and terminal interfaces it never
//! needs. Natively it links std so tests and tools build as usual.
#![cfg_attr(target_arch = "wasm32", no_std)]
#![deny(missing_docs)]
#![deny(unsafe_code)]

extern crate alloc;

pub mod advice;
pub mod api;
pub mod cache_volume;
pub mod client;
pub mod clock;
pub mod config;
pub mod error;
pub mod expand;
pub mod fqn;
pub mod http;
pub mod manifest;
pub mod model;
pub mod plan;
pub mod preflight;
pub mod retry;
pub mod snippet;
pub mod static_volume;
pub mod storage_class;
pub mod validate;
pub mod wait;
pub mod wire;

#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;
#[cfg(test)]
mod testing;

#[cfg(target_arch = "wasm32")]
mod component;
#[cfg(target_arch = "wasm32")]
mod runtime;
#[cfg(target_arch = "wasm32")]
mod transport;

pub use client::Client;
pub use error::{Error, Result};
