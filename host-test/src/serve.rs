//! Serving the gateway build (`wasi:http/proxy`) over HTTP/1.1, the way a gateway runs a
//! plugin: a fresh, sandboxed instance per request through wasmtime-wasi-http's incoming
//! handler, under the same policy as every call of the host — the instance sees only
//! `TFY_BASE_URL`, may reach only that origin, is held to the memory limit, and each request
//! ends by [`Limits::call_timeout`] (a guest spinning in pure wasm too, through epochs).
//!
//! [`Gateway`] answers requests; [`GatewayServer`] listens on loopback on its own thread
//! and runtime, like the emulator, so it works from tests, benches and the CLI alike.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use wasmtime::component::Component;
use wasmtime::Engine;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::WasiHttpView;

use crate::allowlist::Origin;
use crate::limits::Limits;
use crate::outbound::Outbound;
use crate::runtime::{self, HostState};

/// The gateway build, embedded at compile time so a binary serves it without a build tree.
pub const GATEWAY_BYTES: &[u8] = include_bytes!(env!("VOLUMES_GATEWAY_WASM"));

/// The gateway component, compiled once, answering each request in a fresh instance.
#[derive(Clone)]
pub struct Gateway {
    engine: Engine,
    pre: ProxyPre<HostState>,
    limits: Limits,
    outbound: Outbound,
    environment: Vec<(String, String)>,
    allowed: Option<Origin>,
}

impl Gateway {
    /// The gateway build this crate embeds, serving the control plane at `base_url`,
    /// compiled without a code cache.
    pub fn new(base_url: &str, limits: Limits) -> wasmtime::Result<Gateway> {
        Self::compile(GATEWAY_BYTES, base_url, limits, None)
    }

    /// The gateway component at `path`, serving the control plane at `base_url`, with the
    /// build tree's code cache (for tests and benchmarks run from the build tree).
    pub fn from_file(path: &Path, base_url: &str, limits: Limits) -> wasmtime::Result<Gateway> {
        let bytes = std::fs::read(path).map_err(|error| {
            wasmtime::Error::msg(format!("cannot read {}: {error}", path.display()))
        })?;
        Self::compile(&bytes, base_url, limits, runtime::build_tree_cache())
    }

    /// A gateway component from its bytes, serving the control plane at `base_url`: that is
    /// its `TFY_BASE_URL`, and the one origin it may reach. Machine code is kept in `cache`
    /// (see [`runtime::code_cache`]) or, with `None`, compiled on every start.
    pub fn compile(
        bytes: &[u8],
        base_url: &str,
        limits: Limits,
        cache: Option<wasmtime::Cache>,
    ) -> wasmtime::Result<Gateway> {
        let engine = runtime::engine(&limits, cache)?;
        let component = Component::new(&engine, bytes)?;
        let pre = ProxyPre::new(runtime::linker(&engine)?.instantiate_pre(&component)?)?;
        Ok(Gateway {
            engine,
            pre,
            outbound: Outbound::new(&limits),
            limits,
            environment: vec![("TFY_BASE_URL".to_string(), base_url.to_string())],
            allowed: Origin::of_url(base_url),
        })
    }

    /// Also grants the environment variable `name` (for example the opt-in
    /// `TFY_GATEWAY_ALLOW_SHARED_KEY` with `TFY_API_KEY`).
    pub fn with_variable(mut self, name: &str, value: &str) -> Gateway {
        self.environment.push((name.to_string(), value.to_string()));
        self
    }

    /// Answers one request in a fresh instance. A guest that fails before answering gets a
    /// plain 500 (or 504 past the deadline) from the host; the failure is in the body.
    pub async fn handle<B>(&self, request: hyper::Request<B>) -> hyper::Response<HyperOutgoingBody>
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<wasmtime_wasi_http::Error>,
    {
        let environment: Vec<(&str, &str)> = self
            .environment
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut store = runtime::sandbox(
            &self.engine,
            &environment,
            self.allowed.clone(),
            self.limits,
            &self.outbound,
        );
        let budget = self.limits.call_timeout;
        store.data_mut().set_deadline(Some(Instant::now() + budget));
        let (sender, receiver) = oneshot::channel();
        let resources = (|| -> wasmtime::Result<_> {
            let request = store
                .data_mut()
                .http()
                .new_incoming_request(Scheme::Http, request)?;
            let out = store.data_mut().http().new_response_outparam(sender)?;
            Ok((request, out))
        })();
        let (request, out) = match resources {
            Ok(resources) => resources,
            Err(error) => return plain(400, &format!("unreadable request: {error}")),
        };
        let pre = self.pre.clone();
        // The guest keeps running after it sets the response head: it still writes the body.
        let task = tokio::spawn(async move {
            let call = async {
                let proxy = pre.instantiate_async(&mut store).await?;
                proxy
                    .wasi_http_incoming_handler()
                    .call_handle(&mut store, request, out)
                    .await
            };
            match tokio::time::timeout(budget, call).await {
                Ok(result) => result,
                Err(_) => Err(wasmtime::Error::msg(format!(
                    "the request did not finish within {} s",
                    budget.as_secs()
                ))),
            }
        });
        match receiver.await {
            Ok(Ok(response)) => response,
            Ok(Err(code)) => plain(
                500,
                &format!("the component answered with an error: {code:?}"),
            ),
            Err(_) => {
                let failure = match task.await {
                    Ok(Ok(())) => "the component never answered".to_string(),
                    Ok(Err(error)) => format!("the component failed: {error:#}"),
                    Err(error) => format!("the component's task failed: {error}"),
                };
                let status =
                    if failure.contains("did not finish within") || failure.contains("interrupt") {
                        504
                    } else {
                        500
                    };
                plain(status, &failure)
            }
        }
    }
}

/// A plain-text answer of the host's own.
fn plain(status: u16, text: &str) -> hyper::Response<HyperOutgoingBody> {
    let body = Full::new(Bytes::from(text.to_string()))
        .map_err(|never: Infallible| match never {})
        .boxed_unsync();
    let mut response = hyper::Response::new(body);
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// A [`Gateway`] listening on its own thread. Dropping it stops the server.
pub struct GatewayServer {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl GatewayServer {
    /// Serves `gateway` on `addr` (port 0: any free port) with `workers` runtime threads.
    pub fn start(gateway: Gateway, addr: SocketAddr, workers: usize) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .thread_name("tfy-gateway-worker")
            .enable_all()
            .build()?;
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let (shutdown, mut stop) = watch::channel(false);
        let gateway = Arc::new(gateway);
        let thread = std::thread::Builder::new()
            .name("tfy-gateway".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    loop {
                        tokio::select! {
                            _ = stop.changed() => break,
                            accepted = listener.accept() => match accepted {
                                Ok((stream, _)) => {
                                    let _ = stream.set_nodelay(true);
                                    let gateway = Arc::clone(&gateway);
                                    tokio::spawn(async move {
                                        let service = service_fn(move |request: hyper::Request<Incoming>| {
                                            let gateway = Arc::clone(&gateway);
                                            async move { Ok::<_, Infallible>(gateway.handle(request).await) }
                                        });
                                        // Clients that hang up early end their connection with
                                        // an error; there is nothing to report.
                                        let _ = http1::Builder::new()
                                            .keep_alive(true)
                                            .serve_connection(TokioIo::new(stream), service)
                                            .await;
                                    });
                                }
                                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                            },
                        }
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(2));
            })?;
        Ok(GatewayServer {
            addr,
            shutdown,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks until the server stops, which, since this keeps it alive, is when the process
    /// ends (for the CLI).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for GatewayServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
