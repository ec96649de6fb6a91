//! The gateway build (`wasi:http/proxy`, `truefoundry-volumes-gateway.wasm`) served by three
//! gateways on loopback — our host (`our_host`), `wasmtime serve` (`wasmtime_serve`) and
//! wasmCloud's `wash dev` (`wash`) — each pointed at a demo emulator and driven through every
//! route by the same [`scenario`] with a real HTTP client; the same on a two-host wasmCloud
//! lattice over a local NATS (`lattice`); and the OpenAPI document it serves, checked by a
//! standard validator (`openapi`).

mod lattice;
mod openapi;
mod our_host;
mod process;
pub mod scenario;
mod wash;
mod wasmtime_serve;
