//! wasm only: the thin edges around the core — the wit-bindgen [`export`] of the world this
//! build targets (or, in the `gateway` build, the `wasi:http/proxy` [`gateway`] handler), and
//! the WASI services the core runs on ([`http`], [`clock`]) — plus what `no_std` leaves to us
//! ([`allocator`]).

mod allocator;
mod clock;
#[cfg(not(feature = "gateway"))]
mod export;
#[cfg(feature = "gateway")]
mod gateway;
mod http;

#[cfg(all(
    feature = "gateway",
    any(feature = "tools", feature = "read-only-tools")
))]
compile_error!("choose one world: `gateway` excludes `tools` and `read-only-tools`");

#[cfg(not(feature = "gateway"))]
use crate::client::Client;

/// A client over wasi:http and wasi:clocks, configured from the environment the host grants.
#[cfg(not(feature = "gateway"))]
pub(crate) fn client() -> Client<http::WasiHttp, clock::WasiClock> {
    Client::from_env(
        wasi::cli::environment::get_environment(),
        http::WasiHttp,
        clock::WasiClock,
    )
}
