//! wasm only: the `wasi:http/proxy` world's `incoming-handler` — reads the incoming request
//! (at most one byte past the body cap), hands it to [`crate::gateway::handle`] with the
//! wasi:http transport and clock, and writes the response. No logic lives here.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use wasi::exports::http::incoming_handler::Guest;
use wasi::http::types::{
    ErrorCode, Fields, IncomingRequest, Method, OutgoingBody, OutgoingResponse, ResponseOutparam,
};
use wasi::io::streams::StreamError;

use super::clock::WasiClock;
use super::http::WasiHttp;
use crate::gateway::{self, body::MAX_REQUEST_BODY_BYTES, Config, Request, Response};

/// Most bytes one `blocking-write-and-flush` call may take (wasi:io's limit).
const WRITE_CHUNK: usize = 4096;

/// The type the handler is implemented on.
struct Gateway;

impl Guest for Gateway {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let request = read(request);
        let config = Config::from_env(wasi::cli::environment::get_environment());
        let response = gateway::handle(&request, &config, WasiHttp, WasiClock);
        write(response, response_out);
    }
}

// The export macro expands to `#[export_name]` functions, which count as unsafe code.
#[allow(unsafe_code)]
mod exported {
    use super::Gateway;
    wasi::http::proxy::export!(Gateway);
}

fn method_name(method: Method) -> String {
    match method {
        Method::Get => "GET".to_string(),
        Method::Head => "HEAD".to_string(),
        Method::Post => "POST".to_string(),
        Method::Put => "PUT".to_string(),
        Method::Delete => "DELETE".to_string(),
        Method::Connect => "CONNECT".to_string(),
        Method::Options => "OPTIONS".to_string(),
        Method::Trace => "TRACE".to_string(),
        Method::Patch => "PATCH".to_string(),
        Method::Other(other) => other,
    }
}

/// The request as plain data. A body that cannot be read whole is passed on as far as it
/// came; the core then refuses it as malformed or too large.
fn read(incoming: IncomingRequest) -> Request {
    let headers = incoming.headers().entries();
    let mut request = Request {
        method: method_name(incoming.method()),
        path_with_query: incoming
            .path_with_query()
            .unwrap_or_else(|| "/".to_string()),
        headers,
        body: Vec::new(),
    };
    if let Ok(body) = incoming.consume() {
        if let Ok(stream) = body.stream() {
            let limit = MAX_REQUEST_BODY_BYTES + 1;
            while request.body.len() < limit {
                let wanted = (limit - request.body.len()) as u64;
                match stream.blocking_read(wanted) {
                    Ok(chunk) => request.body.extend_from_slice(&chunk),
                    Err(StreamError::Closed | StreamError::LastOperationFailed(_)) => break,
                }
            }
        }
    }
    request
}

/// Sends `response`; when the host refuses its head, answers with a bare error instead.
fn write(response: Response, out: ResponseOutparam) {
    let headers: Vec<(String, Vec<u8>)> = response
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
        .collect();
    let Ok(fields) = Fields::from_list(&headers) else {
        ResponseOutparam::set(out, Err(ErrorCode::InternalError(None)));
        return;
    };
    let outgoing = OutgoingResponse::new(fields);
    if outgoing.set_status_code(response.status).is_err() {
        ResponseOutparam::set(out, Err(ErrorCode::InternalError(None)));
        return;
    }
    let Ok(body) = outgoing.body() else {
        ResponseOutparam::set(out, Err(ErrorCode::InternalError(None)));
        return;
    };
    ResponseOutparam::set(out, Ok(outgoing));
    let Ok(stream) = body.write() else {
        return;
    };
    for chunk in response.body.chunks(WRITE_CHUNK) {
        // The client may have gone away; nothing is left to tell it.
        if stream.blocking_write_and_flush(chunk).is_err() {
            return;
        }
    }
    // The stream must be gone before the body is finished.
    drop(stream);
    let _ = OutgoingBody::finish(body, None);
}
