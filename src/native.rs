//! Native only (cargo feature `native`): the same core as a blocking Rust library, over
//! `ureq` with rustls instead of wasi:http. It is also the baseline the component is
//! benchmarked against.
//!
//! ```no_run
//! let mut client = truefoundry_volumes::native::client_from_env();
//! for volume in client.list("prod-cluster:ml-team")? {
//!     println!("{} {}", volume.name, volume.status.display);
//! }
//! # Ok::<(), truefoundry_volumes::Error>(())
//! ```

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use crate::api::credentials::Scheme;
use crate::api::http::{
    body_too_large, HttpRequest, HttpResponse, Method, Transport, TransportError,
    BETWEEN_BYTES_TIMEOUT_SECONDS, CONNECT_TIMEOUT_SECONDS, FIRST_BYTE_TIMEOUT_SECONDS,
    MAX_BODY_BYTES, REQUEST_DEADLINE_SECONDS,
};
use crate::client::clock::Clock;
use crate::client::Client;

/// A blocking HTTP transport. Keeps connections alive between requests.
pub struct Native {
    agent: ureq::Agent,
}

impl Default for Native {
    fn default() -> Self {
        Self::new()
    }
}

impl Native {
    /// A transport with the component's timeouts (the same constants its wasi:http transport
    /// uses); redirects are not followed (as wasi:http).
    pub fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(CONNECT_TIMEOUT_SECONDS)))
            .timeout_recv_response(Some(Duration::from_secs(FIRST_BYTE_TIMEOUT_SECONDS)))
            .timeout_recv_body(Some(Duration::from_secs(BETWEEN_BYTES_TIMEOUT_SECONDS)))
            .timeout_global(Some(Duration::from_secs(REQUEST_DEADLINE_SECONDS)))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Native { agent }
    }
}

/// A client over [`Native`], configured from this process's environment
/// (`TFY_BASE_URL` or an alias, `TFY_API_KEY`).
pub fn client_from_env() -> Client<Native, SystemClock> {
    Client::from_env(std::env::vars(), Native::new(), SystemClock::default())
}

impl Transport for Native {
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let scheme = match request.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        };
        let url = format!("{scheme}://{}{}", request.authority, request.path_and_query);
        let response = match (request.method, &request.body) {
            (Method::Get, _) => with_headers(self.agent.get(&url), request).call(),
            (Method::Delete, _) => with_headers(self.agent.delete(&url), request).call(),
            (Method::Put, body) => {
                let body: &[u8] = body.as_deref().unwrap_or_default();
                with_headers(self.agent.put(&url), request).send(body)
            }
        };
        let mut response = response.map_err(failure)?;
        let status = response.status().as_u16();
        let retry_after_seconds = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
            .map(|seconds| u32::try_from(seconds).unwrap_or(u32::MAX));
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES as u64)
            .read_to_vec()
            .map_err(failure)?;
        Ok(HttpResponse {
            status,
            body,
            retry_after_seconds,
        })
    }
}

fn with_headers<B>(
    mut builder: ureq::RequestBuilder<B>,
    request: &HttpRequest,
) -> ureq::RequestBuilder<B> {
    // ureq sets Content-Length from the body it sends.
    for (name, value) in request
        .headers
        .iter()
        .filter(|(name, _)| *name != "content-length")
    {
        builder = builder.header(*name, value.as_str());
    }
    builder
}

fn failure(error: ureq::Error) -> TransportError {
    match error {
        ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            TransportError::refused("connection refused")
        }
        ureq::Error::ConnectionFailed => TransportError::refused("connection refused"),
        ureq::Error::Timeout(_) => TransportError::new("timed out waiting for the answer"),
        ureq::Error::HostNotFound => TransportError::new("the control plane's host was not found"),
        ureq::Error::BodyExceedsLimit(_) => TransportError::new(body_too_large()),
        other => TransportError::new(other.to_string()),
    }
}

/// The operating system's monotonic clock.
pub struct SystemClock {
    origin: Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&mut self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }
}
