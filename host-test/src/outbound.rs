//! The host's outbound HTTP: one connection pool per [`crate::Runtime`], shared by all its
//! instances, so consecutive calls (and fresh instances) reuse kept-alive connections instead
//! of connecting for every request as wasmtime-wasi-http's default sender does. The guest's
//! timeouts apply, capped by the host's [`Limits`].

use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::time::{sleep, Instant, Sleep};
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody};

use crate::limits::Limits;

/// A pooled HTTP/1.1 client (plain HTTP and HTTPS with the webpki roots). Cheap to clone.
#[derive(Clone)]
pub struct Outbound {
    client: Client<HttpsConnector<HttpConnector>, WasiBody>,
}

impl Outbound {
    /// A pool whose connections are made within `limits.connect_timeout` and kept idle for
    /// up to 30 seconds.
    pub fn new(limits: &Limits) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(limits.connect_timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https);
        Outbound { client }
    }

    /// Sends `request` (an absolute URI) with the given timeouts: the response head must
    /// arrive within `options.first_byte_timeout`, and no pause between two body chunks may
    /// exceed `options.between_bytes_timeout`.
    pub fn send(
        &self,
        request: http::Request<WasiBody>,
        options: RequestOptions,
    ) -> impl Future<Output = Result<http::Response<WasiBody>, HttpError>> + Send + 'static {
        let client = self.client.clone();
        let first_byte = options
            .first_byte_timeout
            .unwrap_or(Duration::from_secs(60));
        let between_bytes = options
            .between_bytes_timeout
            .unwrap_or(Duration::from_secs(30));
        async move {
            let response = match tokio::time::timeout(first_byte, client.request(request)).await {
                Err(_) => return Err(HttpError::ConnectionReadTimeout),
                Ok(Err(error)) => return Err(classify(&error)),
                Ok(Ok(response)) => response,
            };
            Ok(response.map(|body| {
                BetweenBytes::new(
                    body.map_err(|_| HttpError::HttpResponseIncomplete),
                    between_bytes,
                )
                .boxed_unsync()
            }))
        }
    }
}

/// The wasi:http error code for a failed request.
fn classify(error: &hyper_util::client::legacy::Error) -> HttpError {
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(cause) = source {
        // An I/O error may wrap another (the TLS connector wraps the handshake's): look
        // through each layer, since `source` skips the wrapped error itself.
        let mut layer = Some(cause);
        while let Some(io) = layer.and_then(|error| error.downcast_ref::<io::Error>()) {
            match io.kind() {
                io::ErrorKind::ConnectionRefused => return HttpError::ConnectionRefused,
                io::ErrorKind::TimedOut => return HttpError::ConnectionTimeout,
                io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof => {
                    return HttpError::ConnectionTerminated
                }
                // rustls reports handshake failures as invalid data: a plain-HTTP server
                // behind an https:// URL, or a certificate it does not trust.
                io::ErrorKind::InvalidData if error.is_connect() => {
                    return if io.to_string().contains("certificate") {
                        HttpError::TlsCertificateError
                    } else {
                        HttpError::TlsProtocolError
                    };
                }
                _ => {}
            }
            layer = io.get_ref().map(|inner| inner as &(dyn StdError + 'static));
        }
        source = cause.source();
    }
    if error.is_connect() {
        HttpError::DestinationUnavailable
    } else {
        HttpError::HttpProtocolError
    }
}

/// A response body that fails with `ConnectionReadTimeout` when no frame arrives within the
/// allowed pause.
struct BetweenBytes<B> {
    inner: B,
    pause: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<B> BetweenBytes<B> {
    fn new(inner: B, pause: Duration) -> Self {
        BetweenBytes {
            inner,
            pause,
            deadline: Box::pin(sleep(pause)),
        }
    }
}

impl<B> Body for BetweenBytes<B>
where
    B: Body<Data = Bytes, Error = HttpError> + Unpin,
{
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, HttpError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                let next = Instant::now() + this.pause;
                this.deadline.as_mut().reset(next);
                Poll::Ready(frame)
            }
            Poll::Pending => {
                ready!(this.deadline.as_mut().poll(cx));
                Poll::Ready(Some(Err(HttpError::ConnectionReadTimeout)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
