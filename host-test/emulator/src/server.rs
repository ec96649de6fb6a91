//! The HTTP server: accept loop, one hyper HTTP/1.1 connection task per client, request
//! recording, and fault application around the normal handler.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::body::ResponseBody;
use crate::fault::{Fault, FaultBook};
use crate::lock;
use crate::request::{parse_query, RecordedRequest};
use crate::routes::{self, Reply};
use crate::state::Store;

/// Request bodies above this are refused with 413 (a manifest is a few KiB).
const MAX_REQUEST_BODY: usize = 4 * 1024 * 1024;

/// Start of the `HugeBody` answer: looks like the beginning of a list response.
const HUGE_PREFIX: &str = r#"{"data":[{"id":"app-huge","name":""#;

/// State shared by the server tasks and the [`crate::Emulator`] handle.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) log: Mutex<Vec<RecordedRequest>>,
    pub(crate) faults: Mutex<FaultBook>,
}

/// Returned by the service to make hyper drop the connection without answering.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (emulator fault or unreadable request)")
    }
}

impl std::error::Error for DropConnection {}

/// Accepts connections until `shutdown` changes (or its sender is gone).
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(serve_connection(stream, Arc::clone(&shared)));
                }
                // Typically out of file descriptors: back off instead of spinning.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            },
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    // Best effort: small JSON answers should not wait for Nagle.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req| respond(Arc::clone(&shared), req));
    // The connection ends with an error when a client disconnects early or a fault cuts it
    // off; both are expected, so there is nothing to report.
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// One request: read it, record it, then answer it (possibly misbehaving).
async fn respond(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<ResponseBody>, DropConnection> {
    let (parts, body) = req.into_parts();
    let (body, too_large) = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(collected) => (collected.to_bytes().to_vec(), false),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => (Vec::new(), true),
        // The client went away mid-body: record what we know, there is no one to answer.
        Err(_) => {
            record(&shared, &parts, Vec::new());
            return Err(DropConnection);
        }
    };
    let recorded = record(&shared, &parts, body);
    if too_large {
        let message = format!("request body exceeds {MAX_REQUEST_BODY} bytes");
        let body = serde_json::json!({"statusCode": 413, "message": message});
        return Ok(json_response(413, body.to_string().into_bytes()));
    }
    let fault = lock(&shared.faults).take(&recorded.method, &recorded.path);
    match fault {
        None => Ok(normal(&shared, &recorded, None)),
        Some(fault) => apply_fault(&shared, &recorded, fault).await,
    }
}

/// Appends the request to the log and returns it.
fn record(shared: &Shared, parts: &hyper::http::request::Parts, body: Vec<u8>) -> RecordedRequest {
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parse_query(parts.uri.query().unwrap_or("")),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    lock(&shared.log).push(recorded.clone());
    recorded
}

/// The answer the emulator gives when it behaves.
fn normal(
    shared: &Shared,
    req: &RecordedRequest,
    total_override: Option<u64>,
) -> Response<ResponseBody> {
    let Reply { status, body } = routes::handle(&shared.store, req, total_override);
    json_response(status, body)
}

async fn apply_fault(
    shared: &Shared,
    req: &RecordedRequest,
    fault: Fault,
) -> Result<Response<ResponseBody>, DropConnection> {
    match fault {
        Fault::Status {
            status,
            body,
            headers,
        } => {
            let mut response = Response::new(ResponseBody::full(body));
            *response.status_mut() = status_code(status);
            for (name, value) in headers {
                // Invalid names or values cannot be sent; skipping them beats panicking.
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(&value),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            Ok(response)
        }
        Fault::Delay(duration) => {
            tokio::time::sleep(duration).await;
            Ok(normal(shared, req, None))
        }
        Fault::Hang => {
            // Never answers; the task is dropped when the emulator's runtime shuts down.
            let never: Infallible = std::future::pending().await;
            match never {}
        }
        Fault::CloseWithoutResponse => Err(DropConnection),
        Fault::TruncatedBody => {
            let Reply { status, body } = routes::handle(&shared.store, req, None);
            Ok(with_json_type(status, ResponseBody::truncated(body)))
        }
        Fault::Redirect { status, location } => {
            let mut response = Response::new(ResponseBody::full(Vec::new()));
            *response.status_mut() = status_code(status);
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(LOCATION, value);
            }
            Ok(response)
        }
        Fault::HugeBody { bytes } => {
            Ok(with_json_type(200, ResponseBody::huge(HUGE_PREFIX, bytes)))
        }
        Fault::InconsistentTotal { total } => Ok(normal(shared, req, Some(total))),
    }
}

fn json_response(status: u16, body: Vec<u8>) -> Response<ResponseBody> {
    with_json_type(status, ResponseBody::full(body))
}

fn with_json_type(status: u16, body: ResponseBody) -> Response<ResponseBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status_code(status);
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A status code from a number; an impossible one (outside 100..=999) becomes 500.
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
