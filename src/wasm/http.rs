//! wasm only: [`HttpRequest`]s sent through `wasi:http/outgoing-handler` — the one place
//! that knows wasi:http exists. It sets the host's timeouts, holds every request to one
//! overall deadline of its own (so a server trickling bytes cannot hold a call in any host),
//! sends bodies with their length, and caps the body it reads.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use wasi::clocks::monotonic_clock;
use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode, Fields, IncomingBody, Method as WasiMethod, OutgoingBody, OutgoingRequest,
    RequestOptions, Scheme as WasiScheme,
};
use wasi::io::poll::{self, Pollable};
use wasi::io::streams::StreamError;

use crate::api::credentials::Scheme;
use crate::api::http::{
    body_too_large, deadline_passed, HttpRequest, HttpResponse, Method, Transport, TransportError,
    BETWEEN_BYTES_TIMEOUT_SECONDS, CONNECT_TIMEOUT_SECONDS, FIRST_BYTE_TIMEOUT_SECONDS,
    MAX_BODY_BYTES, REQUEST_DEADLINE_SECONDS,
};

/// Most bytes one `blocking-write-and-flush` call may take (wasi:io's limit).
const WRITE_CHUNK: usize = 4096;
/// Bytes asked for per read.
const READ_CHUNK: u64 = 64 * 1024;
const NANOS_PER_SECOND: u64 = 1_000_000_000;

/// The component's transport: wasi:http, one request at a time.
pub struct WasiHttp;

impl Transport for WasiHttp {
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let deadline = Deadline::starting_now();
        send(request, &deadline)
    }
}

/// The instant a request must be answered by, as a pollable to wait on beside the work.
struct Deadline(Pollable);

impl Deadline {
    fn starting_now() -> Self {
        let at = monotonic_clock::now().saturating_add(REQUEST_DEADLINE_SECONDS * NANOS_PER_SECOND);
        Deadline(monotonic_clock::subscribe_instant(at))
    }

    /// Blocks until `work` is ready or the deadline passes; an error in the latter case.
    fn wait_for(&self, work: &Pollable) -> Result<(), TransportError> {
        let ready = poll::poll(&[work, &self.0]);
        if ready.contains(&0) {
            Ok(())
        } else {
            Err(TransportError::new(deadline_passed()))
        }
    }
}

fn failure(code: &ErrorCode) -> TransportError {
    match code {
        ErrorCode::ConnectionRefused => TransportError::refused(describe(code)),
        _ => TransportError::new(describe(code)),
    }
}

fn send(request: &HttpRequest, deadline: &Deadline) -> Result<HttpResponse, TransportError> {
    let headers: Vec<(String, Vec<u8>)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
        .collect();
    let fields = Fields::from_list(&headers)
        .map_err(|_| TransportError::new("the host refused a request header"))?;
    let outgoing = OutgoingRequest::new(fields);
    let method = match request.method {
        Method::Get => WasiMethod::Get,
        Method::Put => WasiMethod::Put,
        Method::Delete => WasiMethod::Delete,
    };
    let scheme = match request.scheme {
        Scheme::Http => WasiScheme::Http,
        Scheme::Https => WasiScheme::Https,
    };
    let refused =
        |what: &str| TransportError::new(format!("the host refused the request's {what}"));
    outgoing
        .set_method(&method)
        .map_err(|()| refused("method"))?;
    outgoing
        .set_scheme(Some(&scheme))
        .map_err(|()| refused("scheme"))?;
    outgoing
        .set_authority(Some(&request.authority))
        .map_err(|()| refused("authority"))?;
    outgoing
        .set_path_with_query(Some(&request.path_and_query))
        .map_err(|()| refused("path"))?;
    let body = outgoing.body().map_err(|()| refused("body"))?;

    let future =
        outgoing_handler::handle(outgoing, Some(options())).map_err(|code| failure(&code))?;
    write_body(body, request.body.as_deref())?;

    let pending = future.subscribe();
    let response = loop {
        match future.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(code))) => return Err(failure(&code)),
            Some(Err(())) => return Err(TransportError::new("the response was already taken")),
            None => deadline.wait_for(&pending)?,
        }
    };
    drop(pending);
    let status = response.status();
    let headers = response.headers();
    let number = |name: &str| {
        headers
            .get(name)
            .first()
            .and_then(|value| core::str::from_utf8(value).ok()?.trim().parse::<u64>().ok())
    };
    // With Transfer-Encoding, a Content-Length means nothing (RFC 9112 §6.3).
    let chunked = !headers.get("transfer-encoding").is_empty();
    let declared_length = if chunked {
        None
    } else {
        number("content-length")
    };
    let retry_after_seconds = number("retry-after").map(|s| u32::try_from(s).unwrap_or(u32::MAX));
    drop(headers);
    let incoming = response
        .consume()
        .map_err(|()| TransportError::new("the response body was already taken"))?;
    let body = read_body(incoming, declared_length, deadline)?;
    Ok(HttpResponse {
        status,
        body,
        retry_after_seconds,
    })
}

fn options() -> RequestOptions {
    let options = RequestOptions::new();
    let nanos = |seconds: u64| seconds * NANOS_PER_SECOND;
    let _ = options.set_connect_timeout(Some(nanos(CONNECT_TIMEOUT_SECONDS)));
    let _ = options.set_first_byte_timeout(Some(nanos(FIRST_BYTE_TIMEOUT_SECONDS)));
    let _ = options.set_between_bytes_timeout(Some(nanos(BETWEEN_BYTES_TIMEOUT_SECONDS)));
    options
}

/// Writes the whole body. Bodies are a few kilobytes, which the connection takes at once, so
/// a blocking write cannot stall on a server that reads nothing.
fn write_body(body: OutgoingBody, bytes: Option<&[u8]>) -> Result<(), TransportError> {
    if let Some(bytes) = bytes {
        let stream = body
            .write()
            .map_err(|()| TransportError::new("the request body stream was already taken"))?;
        for chunk in bytes.chunks(WRITE_CHUNK) {
            stream
                .blocking_write_and_flush(chunk)
                .map_err(|error| stream_failure("sending the request body", error))?;
        }
        drop(stream);
    }
    OutgoingBody::finish(body, None).map_err(|code| failure(&code))
}

fn read_body(
    incoming: IncomingBody,
    declared_length: Option<u64>,
    deadline: &Deadline,
) -> Result<Vec<u8>, TransportError> {
    let declared_length = match declared_length.map(usize::try_from) {
        Some(Ok(length)) if length <= MAX_BODY_BYTES => Some(length),
        Some(_) => return Err(TransportError::new(body_too_large())),
        None => None,
    };
    let mut body = Vec::with_capacity(declared_length.unwrap_or(0));
    let stream = incoming
        .stream()
        .map_err(|()| TransportError::new("the response body stream was already taken"))?;
    let readable = stream.subscribe();
    loop {
        match stream.read(READ_CHUNK) {
            Ok(chunk) if chunk.is_empty() => deadline.wait_for(&readable)?,
            Ok(chunk) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(TransportError::new(body_too_large()));
                }
                body.extend_from_slice(&chunk);
            }
            Err(StreamError::Closed) => break,
            Err(error) => return Err(stream_failure("reading the response body", error)),
        }
    }
    drop(readable);
    drop(stream);
    match declared_length {
        Some(length) if body.len() < length => {
            return Err(TransportError::new(format!(
                "the answer was cut short: {} of the {length} bytes it announced arrived",
                body.len()
            )))
        }
        Some(length) if body.len() > length => {
            return Err(TransportError::new(format!(
                "the answer was longer than the {length} bytes it announced"
            )))
        }
        _ => {}
    }
    drop(IncomingBody::finish(incoming));
    Ok(body)
}

/// A stream failure in one short line: the host's own error text (which can be a debug
/// dump) never reaches the caller.
fn stream_failure(doing: &str, error: StreamError) -> TransportError {
    match error {
        StreamError::Closed => TransportError::new(format!("the connection closed while {doing}")),
        StreamError::LastOperationFailed(error) => {
            match wasi::http::types::http_error_code(&error) {
                Some(code) => TransportError::new(format!("{doing}: {}", describe(&code))),
                None => TransportError::new(format!("the connection failed while {doing}")),
            }
        }
    }
}

/// One short sentence per wasi:http error code, naming what a person can check.
fn describe(code: &ErrorCode) -> String {
    let text = match code {
        ErrorCode::DnsTimeout => "the DNS lookup of the control plane's host timed out",
        ErrorCode::DnsError(_) | ErrorCode::DestinationNotFound => {
            "the control plane's host name was not found (check TFY_BASE_URL)"
        }
        ErrorCode::DestinationUnavailable => "the control plane could not be reached",
        ErrorCode::DestinationIpProhibited | ErrorCode::DestinationIpUnroutable => {
            "the host does not allow connections to that address"
        }
        ErrorCode::ConnectionRefused => "connection refused",
        ErrorCode::ConnectionTerminated => "the connection was closed early",
        ErrorCode::ConnectionTimeout => "connecting timed out",
        ErrorCode::ConnectionReadTimeout => "timed out waiting for the answer",
        ErrorCode::ConnectionWriteTimeout => "timed out sending the request",
        ErrorCode::ConnectionLimitReached => "the host's connection limit was reached",
        ErrorCode::TlsProtocolError | ErrorCode::TlsAlertReceived(_) => {
            "the TLS handshake failed; a local server without TLS needs an http:// URL in \
             TFY_BASE_URL"
        }
        ErrorCode::TlsCertificateError => "the control plane's TLS certificate was not accepted",
        ErrorCode::HttpRequestDenied => {
            "the host denied the request (its outbound policy does not allow this address)"
        }
        ErrorCode::HttpResponseIncomplete => "the answer was cut short",
        ErrorCode::HttpResponseTimeout => "timed out waiting for the answer",
        ErrorCode::HttpResponseBodySize(_) | ErrorCode::HttpResponseHeaderSize(_) => {
            "the answer was larger than the host allows"
        }
        ErrorCode::HttpProtocolError => "the answer was not valid HTTP",
        _ => "the HTTP request failed in the host",
    };
    text.to_string()
}
