//! Runs the truefoundry-volumes component in wasmtime, sandboxed.
//!
//! - [`Runtime`] compiles the component once; [`Runtime::instantiate`] gives a [`Volumes`]
//!   instance that sees only the [`Grant`]'s two environment variables and may reach only
//!   its control plane.
//! - [`components`] carries the three builds, so a binary needs no build tree at run time;
//!   [`report`] renders results for people and [`terminal`] keeps server text inert there.
//! - [`serve::Gateway`] serves the gateway build (`wasi:http/proxy`), a fresh instance per
//!   request, under the same sandbox (the gateway build is embedded too);
//!   [`serve::GatewayServer`] listens on loopback.
//!
//! The TrueFoundry API emulator the CLI embeds and the tests run against is its own crate,
//! `truefoundry-emulator` (`host-test/emulator/`), which knows nothing of wasmtime.
#![deny(missing_docs)]

pub mod allowlist;
pub mod bindings;
pub mod components;
pub mod grant;
pub mod limits;
pub mod outbound;
pub mod report;
pub mod runtime;
pub mod serve;
pub mod terminal;

pub use grant::Grant;
pub use limits::{CallDeadline, Limits};
pub use runtime::{Outcome, Runtime, Volumes};
