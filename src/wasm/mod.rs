//! wasm only: the two thin edges around the core — the wit-bindgen [`export`] of the world
//! this build targets, and the WASI services the core runs on ([`http`], [`clock`]) — plus
//! what `no_std` leaves to us ([`allocator`]).

mod allocator;
mod clock;
mod export;
mod http;

use crate::client::Client;

/// A client over wasi:http and wasi:clocks, configured from the environment the host grants.
pub(crate) fn client() -> Client<http::WasiHttp, clock::WasiClock> {
    Client::from_env(
        wasi::cli::environment::get_environment(),
        http::WasiHttp,
        clock::WasiClock,
    )
}
