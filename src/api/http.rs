//! HTTP requests and responses as plain data, and the [`Transport`] seam that sends them.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::credentials::{Credentials, Scheme};

/// Seconds to wait for the connection to the control plane (every transport).
pub const CONNECT_TIMEOUT_SECONDS: u64 = 10;
/// Seconds to wait for the response head once the request is sent.
pub const FIRST_BYTE_TIMEOUT_SECONDS: u64 = 60;
/// Longest pause, in seconds, allowed between two chunks of a response body.
pub const BETWEEN_BYTES_TIMEOUT_SECONDS: u64 = 30;
/// Longest one request may take from start to the last byte of its answer, whatever the
/// pauses between bytes: a server that trickles a byte every few seconds cannot hold a call
/// longer than this, in any host.
pub const REQUEST_DEADLINE_SECONDS: u64 = 120;
/// Largest response body accepted; one list page of 200 volumes is well under 1 MiB.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The error text for a request past [`REQUEST_DEADLINE_SECONDS`].
pub fn deadline_passed() -> String {
    format!(
        "the control plane took longer than {REQUEST_DEADLINE_SECONDS} s to answer; the request \
         was abandoned"
    )
}

/// The error text for a body past [`MAX_BODY_BYTES`].
pub fn body_too_large() -> String {
    format!(
        "the response body exceeds {} MiB; refusing to read it",
        MAX_BODY_BYTES / (1024 * 1024)
    )
}

/// HTTP methods the component uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One API call, independent of where it is sent: what [`super::endpoints`] builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// Method.
    pub method: Method,
    /// Path below the base URL, starting with `/api/svc/v1/`.
    pub path: String,
    /// Query parameters, unencoded.
    pub query: Vec<(&'static str, String)>,
    /// JSON body, if any.
    pub body: Option<Vec<u8>>,
}

impl ApiRequest {
    /// The value of query parameter `name`, if present.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The path and the percent-encoded query, as it goes on the request line.
    pub fn path_and_query(&self, prefix: &str) -> String {
        let mut out = format!("{prefix}{}", self.path);
        for (index, (key, value)) in self.query.iter().enumerate() {
            out.push(if index == 0 { '?' } else { '&' });
            out.push_str(key);
            out.push('=');
            percent_encode_into(value, &mut out);
        }
        out
    }

    /// The full request to send to the control plane in `credentials`.
    pub fn to_http(&self, credentials: &Credentials) -> HttpRequest {
        let mut headers = Vec::with_capacity(4);
        headers.push((
            "authorization",
            format!("Bearer {}", credentials.api_key.expose()),
        ));
        headers.push(("accept", "application/json".to_string()));
        headers.push((
            "user-agent",
            concat!("truefoundry-volumes/", env!("CARGO_PKG_VERSION")).to_string(),
        ));
        if let Some(body) = &self.body {
            headers.push(("content-type", "application/json".to_string()));
            // Every body is known in full: send its length, never a chunked body (some
            // proxies in front of control planes refuse those).
            headers.push(("content-length", body.len().to_string()));
        }
        HttpRequest {
            method: self.method,
            scheme: credentials.base_url.scheme,
            authority: credentials.base_url.authority.clone(),
            path_and_query: self.path_and_query(&credentials.base_url.path_prefix),
            headers,
            body: self.body.clone(),
        }
    }
}

/// `value` with everything outside RFC 3986's unreserved set percent-encoded.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    percent_encode_into(value, &mut out);
    out
}

/// Percent-encodes everything outside RFC 3986's unreserved set.
pub(crate) fn percent_encode_into(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// A request ready for the wire. `Debug` hides the `Authorization` value.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Scheme.
    pub scheme: Scheme,
    /// `host[:port]`.
    pub authority: String,
    /// Path and encoded query.
    pub path_and_query: String,
    /// Header names (lowercase) and values.
    pub headers: Vec<(&'static str, String)>,
    /// Body, if any.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if *name == "authorization" {
                    "Bearer [redacted]"
                } else {
                    value.as_str()
                };
                (*name, shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("scheme", &self.scheme)
            .field("authority", &self.authority)
            .field("path_and_query", &self.path_and_query)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// The whole body.
    pub body: Vec<u8>,
    /// `Retry-After`, when the server sent it as a number of seconds.
    pub retry_after_seconds: Option<u32>,
}

impl HttpResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What went wrong, for people.
    pub message: String,
    /// True when the server cannot have seen the request (the connection was refused), so
    /// sending it again is safe even for a write.
    pub never_sent: bool,
}

impl TransportError {
    /// A failure after which the request may or may not have reached the server.
    pub fn new(message: impl Into<String>) -> Self {
        TransportError {
            message: message.into(),
            never_sent: false,
        }
    }

    /// A refused connection: the server never saw the request.
    pub fn refused(message: impl Into<String>) -> Self {
        TransportError {
            message: message.into(),
            never_sent: true,
        }
    }
}

/// Sends requests. The component's transport goes through wasi:http; tests use fakes.
pub trait Transport {
    /// Sends `request` and returns the whole response, or why there was none.
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn send(&mut self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::credentials::Credentials;

    fn credentials() -> Credentials {
        Credentials::from_env([
            ("TFY_BASE_URL", "https://tfy.example.com/prefix/"),
            ("TFY_API_KEY", "sk-canary"),
        ])
        .unwrap()
    }

    #[test]
    fn query_values_are_percent_encoded() {
        let request = ApiRequest {
            method: Method::Get,
            path: "/api/svc/v1/apps".into(),
            query: alloc::vec![("fqn", "c1:ws 1&x=é".into()), ("limit", "1".into())],
            body: None,
        };
        assert_eq!(
            request.path_and_query(""),
            "/api/svc/v1/apps?fqn=c1%3Aws%201%26x%3D%C3%A9&limit=1"
        );
    }

    #[test]
    fn http_request_carries_auth_and_content_type_and_hides_the_key() {
        let request = ApiRequest {
            method: Method::Put,
            path: "/api/svc/v1/apps".into(),
            query: alloc::vec![],
            body: Some(b"{}".to_vec()),
        }
        .to_http(&credentials());
        assert_eq!(request.authority, "tfy.example.com");
        assert_eq!(request.path_and_query, "/prefix/api/svc/v1/apps");
        assert!(request
            .headers
            .contains(&("authorization", "Bearer sk-canary".to_string())));
        assert!(request
            .headers
            .contains(&("content-type", "application/json".to_string())));
        assert!(request
            .headers
            .contains(&("content-length", "2".to_string())));
        let debug = format!("{request:?}");
        assert!(!debug.contains("sk-canary"), "{debug}");
        assert!(debug.contains("Bearer [redacted]"));
    }
}
