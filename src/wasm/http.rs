//! wasm only: [`HttpRequest`]s sent through `wasi:http/outgoing-handler` — the one place
//! that knows wasi:http exists. It sets the timeouts and caps the body size.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode, Fields, IncomingBody, Method as WasiMethod, OutgoingBody, OutgoingRequest,
    RequestOptions, Scheme as WasiScheme,
};
use wasi::io::streams::StreamError;

use crate::api::credentials::Scheme;
use crate::api::http::{
    body_too_large, HttpRequest, HttpResponse, Method, Transport, TransportError,
    BETWEEN_BYTES_TIMEOUT_SECONDS, CONNECT_TIMEOUT_SECONDS, FIRST_BYTE_TIMEOUT_SECONDS,
    MAX_BODY_BYTES,
};

/// Most bytes one `blocking-write-and-flush` call may take (wasi:io's limit).
const WRITE_CHUNK: usize = 4096;
/// Bytes asked for per read.
const READ_CHUNK: u64 = 64 * 1024;

/// The component's transport: wasi:http, one request at a time.
pub struct WasiHttp;

impl Transport for WasiHttp {
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        send(request)
    }
}

fn failure(code: &ErrorCode) -> TransportError {
    match code {
        ErrorCode::ConnectionRefused => TransportError::refused(describe(code)),
        _ => TransportError::new(describe(code)),
    }
}

fn send(request: &HttpRequest) -> Result<HttpResponse, TransportError> {
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
    // The body is written after `handle`, so the host is already consuming it and a large
    // body cannot stall on a full pipe.
    write_body(body, request.body.as_deref())?;

    let pollable = future.subscribe();
    let response = loop {
        match future.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(code))) => return Err(failure(&code)),
            Some(Err(())) => return Err(TransportError::new("the response was already taken")),
            None => pollable.block(),
        }
    };
    let status = response.status();
    let headers = response.headers();
    let number = |name: &str| {
        headers
            .get(name)
            .first()
            .and_then(|value| core::str::from_utf8(value).ok()?.trim().parse::<u64>().ok())
    };
    let declared_length = number("content-length");
    // Only the delta-seconds form; an HTTP date falls back on the default backoff.
    let retry_after_seconds = number("retry-after").map(|s| u32::try_from(s).unwrap_or(u32::MAX));
    drop(headers);
    let incoming = response
        .consume()
        .map_err(|()| TransportError::new("the response body was already taken"))?;
    let body = read_body(incoming, declared_length).map_err(TransportError::new)?;
    Ok(HttpResponse {
        status,
        body,
        retry_after_seconds,
    })
}

fn options() -> RequestOptions {
    let options = RequestOptions::new();
    // A host that does not support a timeout says so with an error; the request still runs
    // under the host's own limits, so the error is not fatal.
    let nanos = |seconds: u64| seconds * 1_000_000_000;
    let _ = options.set_connect_timeout(Some(nanos(CONNECT_TIMEOUT_SECONDS)));
    let _ = options.set_first_byte_timeout(Some(nanos(FIRST_BYTE_TIMEOUT_SECONDS)));
    let _ = options.set_between_bytes_timeout(Some(nanos(BETWEEN_BYTES_TIMEOUT_SECONDS)));
    options
}

fn write_body(body: OutgoingBody, bytes: Option<&[u8]>) -> Result<(), TransportError> {
    if let Some(bytes) = bytes {
        let stream = body
            .write()
            .map_err(|()| TransportError::new("the request body stream was already taken"))?;
        for chunk in bytes.chunks(WRITE_CHUNK) {
            stream.blocking_write_and_flush(chunk).map_err(|error| {
                TransportError::new(stream_failure("sending the request body", error))
            })?;
        }
        // The stream must be gone before the body is finished.
        drop(stream);
    }
    OutgoingBody::finish(body, None).map_err(|code| failure(&code))
}

fn read_body(incoming: IncomingBody, declared_length: Option<u64>) -> Result<Vec<u8>, String> {
    let declared_length = match declared_length.map(usize::try_from) {
        Some(Ok(length)) if length <= MAX_BODY_BYTES => Some(length),
        Some(_) => return Err(body_too_large()),
        None => None,
    };
    let mut body = Vec::with_capacity(declared_length.unwrap_or(0));
    let stream = incoming
        .stream()
        .map_err(|()| "the response body stream was already taken".to_string())?;
    loop {
        match stream.blocking_read(READ_CHUNK) {
            Ok(chunk) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(body_too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Err(StreamError::Closed) => break,
            Err(error) => return Err(stream_failure("reading the response body", error)),
        }
    }
    drop(stream);
    if declared_length.is_some_and(|length| length != body.len()) {
        return Err(format!(
            "the response body was cut short: {} of {} bytes arrived",
            body.len(),
            declared_length.unwrap_or_default()
        ));
    }
    // Trailers are not used; dropping the future releases them.
    drop(IncomingBody::finish(incoming));
    Ok(body)
}

fn stream_failure(doing: &str, error: StreamError) -> String {
    match error {
        StreamError::Closed => format!("the connection closed while {doing}"),
        StreamError::LastOperationFailed(error) => {
            // The host's debug string may carry an underlying wasi:http error code.
            match wasi::http::types::http_error_code(&error) {
                Some(code) => format!("failed while {doing}: {}", describe(&code)),
                None => format!("failed while {doing}: {}", error.to_debug_string()),
            }
        }
    }
}

/// A sentence for a wasi:http error code.
fn describe(code: &ErrorCode) -> String {
    match code {
        ErrorCode::DnsTimeout => "DNS lookup timed out".to_string(),
        ErrorCode::DnsError(payload) => format!(
            "DNS lookup failed ({})",
            payload.rcode.as_deref().unwrap_or("no answer")
        ),
        ErrorCode::DestinationNotFound => "the control plane's host was not found".to_string(),
        ErrorCode::DestinationUnavailable => "the control plane is unavailable".to_string(),
        ErrorCode::DestinationIpProhibited | ErrorCode::DestinationIpUnroutable => {
            "the host does not allow connections to that address".to_string()
        }
        ErrorCode::ConnectionRefused => "connection refused".to_string(),
        ErrorCode::ConnectionTerminated => "the connection was closed early".to_string(),
        ErrorCode::ConnectionTimeout => "connecting timed out".to_string(),
        ErrorCode::ConnectionReadTimeout => "timed out waiting for the answer".to_string(),
        ErrorCode::ConnectionWriteTimeout => "timed out sending the request".to_string(),
        ErrorCode::TlsProtocolError | ErrorCode::TlsCertificateError => {
            "the TLS handshake failed".to_string()
        }
        ErrorCode::HttpRequestDenied => {
            "the host denied the request (its outbound policy does not allow this address)"
                .to_string()
        }
        ErrorCode::HttpResponseIncomplete => "the answer was cut short".to_string(),
        ErrorCode::HttpResponseTimeout => "timed out waiting for the answer".to_string(),
        other => format!("HTTP transport error: {other:?}"),
    }
}
