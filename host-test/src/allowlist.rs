//! The outbound policy: the component may reach one control plane (scheme, host, port) and
//! nothing else.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::limits::Limits;
use crate::outbound::Outbound;

use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

/// Where requests may go: one scheme and authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: String,
    /// `host:port`, lowercase, with the port always explicit.
    pub authority: String,
}

impl Origin {
    /// The origin of `url` (`http(s)://host[:port][/...]`), or `None` when it is not one.
    pub fn of_url(url: &str) -> Option<Origin> {
        let uri: http::Uri = url.trim().parse().ok()?;
        Self::of_uri(&uri)
    }

    fn of_uri(uri: &http::Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let host = uri.host()?.to_ascii_lowercase();
        let port = uri.port_u16().unwrap_or(default_port);
        Some(Origin {
            scheme,
            authority: format!("{host}:{port}"),
        })
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

/// wasi:http hooks that send requests for the allowed origin and deny all others.
pub struct AllowOnly {
    allowed: Option<Origin>,
    denied: Arc<Mutex<Vec<String>>>,
    limits: Limits,
    outbound: Outbound,
}

impl AllowOnly {
    /// Hooks allowing `allowed` (nothing when `None`); denied destinations are appended to
    /// `denied`.
    /// Timeouts the guest asks for are capped at `limits`'; allowed requests go through
    /// `outbound`'s connection pool.
    pub fn new(
        allowed: Option<Origin>,
        denied: Arc<Mutex<Vec<String>>>,
        limits: Limits,
        outbound: Outbound,
    ) -> Self {
        AllowOnly {
            allowed,
            denied,
            limits,
            outbound,
        }
    }

    /// The list denied destinations are appended to.
    pub fn denied(&self) -> Arc<Mutex<Vec<String>>> {
        self.denied.clone()
    }

    /// The guest's request options, each timeout capped by the host's limit.
    fn capped(&self, options: Option<RequestOptions>) -> RequestOptions {
        let options = options.unwrap_or_default();
        let cap =
            |asked: Option<Duration>, limit: Duration| Some(asked.map_or(limit, |a| a.min(limit)));
        RequestOptions {
            connect_timeout: cap(options.connect_timeout, self.limits.connect_timeout),
            first_byte_timeout: cap(options.first_byte_timeout, self.limits.first_byte_timeout),
            between_bytes_timeout: cap(
                options.between_bytes_timeout,
                self.limits.between_bytes_timeout,
            ),
        }
    }
}

type ResponseFuture = Box<
    dyn Future<
            Output = Result<
                (
                    http::Response<WasiBody>,
                    Box<dyn Future<Output = Result<(), HttpError>> + Send>,
                ),
                HttpError,
            >,
        > + Send,
>;

impl WasiHttpHooks for AllowOnly {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> ResponseFuture {
        let origin = Origin::of_uri(request.uri());
        if origin.is_none() || origin != self.allowed {
            let destination = origin
                .map(|origin| origin.to_string())
                .unwrap_or_else(|| request.uri().to_string());
            if let Ok(mut denied) = self.denied.lock() {
                denied.push(destination);
            }
            return Box::new(async { Err(HttpError::HttpRequestDenied) });
        }
        _ = fut;
        let sent = self.outbound.send(request, self.capped(options));
        Box::new(async move {
            let response = sent.await?;
            // Pooled connections outlive the request: there is no per-request I/O task.
            let io: Box<dyn Future<Output = Result<(), HttpError>> + Send> =
                Box::new(async { Ok(()) });
            Ok((response, io))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_make_default_ports_explicit() {
        let cases = [
            (
                "https://Acme.TrueFoundry.cloud/",
                "https://acme.truefoundry.cloud:443",
            ),
            ("http://127.0.0.1:8080/api", "http://127.0.0.1:8080"),
            ("http://localhost", "http://localhost:80"),
        ];
        for (url, expected) in cases {
            assert_eq!(Origin::of_url(url).unwrap().to_string(), expected);
        }
        assert_eq!(Origin::of_url("ftp://x.io"), None);
        assert_eq!(Origin::of_url("not a url"), None);
    }
}
