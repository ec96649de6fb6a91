//! The volume API over HTTP, without I/O: an incoming [`Request`] (method, path, headers,
//! body bytes) becomes a [`Response`] (status, headers, body bytes).
//!
//! This is what the `gateway` build serves as `wasi:http/incoming-handler` (the
//! `wasi:http/proxy` world), and what the native benchmark serves from a plain Rust server:
//! the wasm edge only reads the request, calls [`handle`] and writes the response.
//!
//! - [`routes`]: the route table, the one list the router and the OpenAPI document agree on;
//! - [`caller`]: the per-request credentials — the caller's `Authorization: Bearer` key, the
//!   control plane the operator configured;
//! - [`body`]: content type, the body cap, JSON decoding that names the failing field;
//! - [`problem`]: every error as an RFC 9457 `application/problem+json` response;
//! - [`operations`]: each route's call into the [`crate::client::Client`] or the offline core;
//! - [`openapi`]: the OpenAPI 3.1 document served at `GET /openapi.json`.

pub mod body;
pub mod caller;
pub mod openapi;
mod operations;
pub mod problem;
pub mod routes;

use alloc::string::String;
use alloc::vec::Vec;

pub use self::caller::Config;
use self::problem::Problem;
use self::routes::Match;
use crate::api::http::Transport;
use crate::client::Clock;

/// An HTTP request as the host delivered it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// Method name as sent, for example `GET`.
    pub method: String,
    /// Path and query as sent, for example `/volumes/app-1?x=1`.
    pub path_with_query: String,
    /// Header names (any case) and raw values.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body: at most [`body::MAX_REQUEST_BODY_BYTES`] + 1 bytes are needed to tell an
    /// acceptable body from one over the cap, so an edge may stop reading there.
    pub body: Vec<u8>,
}

impl Request {
    /// The first query parameter `name`, percent-decoded; `Some(Err(()))` when it is not
    /// valid percent-encoded UTF-8.
    pub fn query(&self, name: &str) -> Option<Result<String, ()>> {
        let query = self.path_with_query.split_once('?')?.1;
        let query = query.split('#').next().unwrap_or_default();
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then(|| routes::percent_decode(value).ok_or(()))
        })
    }

    /// The first value of header `name` (case-insensitive), if any.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_slice())
    }
}

/// The HTTP response to send back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header names (lowercase) and values.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (lowercase), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Answers one request: routes it, checks its body and credentials, runs the operation
/// through `transport` and `clock`, and renders the result or the problem. Never panics on
/// any input.
pub fn handle<T: Transport, C: Clock>(
    request: &Request,
    config: &Config,
    transport: T,
    clock: C,
) -> Response {
    let path = request
        .path_with_query
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    match routes::find(&request.method, path) {
        Match::Found(route, parameter) => {
            operations::run(route, parameter, request, config, transport, clock)
                .unwrap_or_else(Problem::into_response)
        }
        Match::NoSuchPath => Problem::no_such_route(path).into_response(),
        Match::MethodNotAllowed(allowed) => {
            Problem::method_not_allowed(&request.method, path, &allowed).into_response()
        }
        Match::Undecodable => Problem::undecodable_path(path).into_response(),
    }
}

#[cfg(test)]
mod tests;
