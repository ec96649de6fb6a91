//! Side-by-side benchmark: the component (warm instance, and a fresh instance per call) against
//! the same core as a native library, a `curl` process per request, and the official Python
//! SDK, all against one emulator on loopback, interleaved round by round. Also: compile and
//! instantiate times, sizes, and listing 10,000 volumes with the guest's peak memory.
//!
//! Run: `cargo bench -p tfy-volumes-host --features winch --bench compare` (add `-- --quick`
//! for fewer rounds; without `--features winch` the Winch compile time is not measured).
//! Prints medians with the 10th–90th percentile spread, ratios against the native library,
//! and each budget as held or missed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::json;
use tfy_volumes_host::bindings::{CreateRequest, MountRequest, SnippetFormat, VolumeKind};
use tfy_volumes_host::runtime::COMPONENT_WASM;
use tfy_volumes_host::{Grant, Limits, Runtime};
use truefoundry_emulator::{Emulator, Seed, SeedVolume};
use truefoundry_volumes::model as core;
use truefoundry_volumes::native::{Native, SystemClock};
use truefoundry_volumes::Client;

const KEY: &str = "bench-api-key";
const WS: &str = "bench-cluster:bench-ws";
const BIG_WS: &str = "bench-cluster:big-ws";
/// Creates go to their own workspace so the listed one keeps exactly 100 volumes.
const CREATE_WS: &str = "bench-cluster:create-ws";

/// Samples of one measured thing, in nanoseconds.
#[derive(Default)]
struct Samples(Vec<u128>);

impl Samples {
    fn time<T>(&mut self, run: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = run();
        self.0.push(start.elapsed().as_nanos());
        value
    }

    fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let index = ((sorted.len() - 1) as f64 * p).round() as usize;
        sorted[index] as f64
    }

    fn median(&self) -> f64 {
        self.percentile(0.5)
    }
}

fn micros(nanos: f64) -> String {
    if nanos.is_nan() {
        return "-".into();
    }
    if nanos >= 10_000_000.0 {
        format!("{:.1} ms", nanos / 1e6)
    } else {
        format!("{:.0} µs", nanos / 1e3)
    }
}

fn seed() -> Seed {
    let mut seed = Seed::empty_with_key(KEY);
    seed.tenant_name = "bench".into();
    seed.reads_until_ready = 0;
    seed.clusters = vec![truefoundry_emulator::SeedCluster {
        id: "bench-cluster".into(),
        cluster_type: "aws-eks".into(),
        base_domains: vec!["*.bench.example.com".into()],
        default_storage_class: Some("efs-sc".into()),
        storage_classes: vec!["efs-sc".into()],
        persistent_volumes: Vec::new(),
    }];
    seed.workspaces = vec![
        truefoundry_emulator::SeedWorkspace {
            fqn: WS.into(),
            id: "ws-bench".into(),
        },
        truefoundry_emulator::SeedWorkspace {
            fqn: BIG_WS.into(),
            id: "ws-big".into(),
        },
        truefoundry_emulator::SeedWorkspace {
            fqn: CREATE_WS.into(),
            id: "ws-create".into(),
        },
    ];
    let volume = |workspace: &str, index: usize| SeedVolume {
        workspace_fqn: workspace.into(),
        manifest: json!({"type":"volume","name":format!("vol-{index:05}"),
            "config":{"type":"dynamic","storage_class":"efs-sc","size":10 + index % 90},
            "volume_browser":{"username":"admin","password_secret_fqn":"tfy-secret://bench:vb:pw",
                "endpoint":{"host":"files.bench.example.com","path":format!("/vol-{index:05}/")}}}),
        ..SeedVolume::default()
    };
    seed.volumes = (0..100).map(|index| volume(WS, index)).collect();
    seed.volumes
        .extend((0..10_000).map(|index| volume(BIG_WS, index)));
    seed
}

fn create_request(name: &str) -> CreateRequest {
    CreateRequest {
        workspace_fqn: CREATE_WS.into(),
        name: name.into(),
        kind: VolumeKind::Dynamic,
        size_gi: Some(10),
        storage_class: Some("efs-sc".into()),
        persistent_volume_name: None,
        browser: None,
        wait: None,
        replace_failed: false,
    }
}

fn core_create_request(name: &str) -> core::CreateRequest {
    core::CreateRequest {
        workspace_fqn: CREATE_WS.into(),
        name: name.into(),
        kind: core::VolumeKind::Dynamic,
        size_gi: Some(10),
        storage_class: Some("efs-sc".into()),
        persistent_volume_name: None,
        browser: None,
        wait: None,
        replace_failed: false,
    }
}

fn mount_request() -> MountRequest {
    MountRequest {
        volume_fqn: format!("{WS}:vol-00001"),
        mount_path: "/data".into(),
        sub_path: None,
        format: SnippetFormat::Yaml,
        per_pod_directories: false,
    }
}

fn core_mount_request() -> core::MountRequest {
    core::MountRequest {
        volume_fqn: format!("{WS}:vol-00001"),
        mount_path: "/data".into(),
        sub_path: None,
        format: core::SnippetFormat::Yaml,
        per_pod_directories: false,
    }
}

const OPERATIONS: [&str; 4] = ["list 100", "get", "create", "mount-snippet"];
const SUBJECTS: [&str; 4] = [
    "component (warm)",
    "component (fresh instance)",
    "native library",
    "curl process",
];

/// Where the row of `operation` by `subject` is in `rows`.
fn index(operation: &str, subject: &str) -> usize {
    let op = OPERATIONS
        .iter()
        .position(|o| *o == operation)
        .expect("operation");
    let su = SUBJECTS
        .iter()
        .position(|s| *s == subject)
        .expect("subject");
    op * SUBJECTS.len() + su
}

fn target_dir() -> PathBuf {
    Path::new(COMPONENT_WASM)
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// Installs the official Python SDK under target/, pinned; `None` (reported as skipped) when
/// Python or the package is not available.
fn python_sdk() -> Option<PathBuf> {
    let dir = target_dir()
        .join("bench-tools")
        .join("truefoundry-sdk-0.6.0");
    if dir.join(".installed").exists() {
        return Some(dir);
    }
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
        ])
        .arg(&dir)
        .arg("truefoundry-sdk==0.6.0")
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    std::fs::write(dir.join(".installed"), "truefoundry-sdk==0.6.0").ok()?;
    Some(dir)
}

/// Per-call times of the Python SDK listing the workspace, measured inside Python.
fn python_sdk_list(sdk: &Path, base_url: &str, calls: usize) -> Option<Samples> {
    let script = format!(
        r#"
import sys, time
sys.path.insert(0, {sdk:?})
from truefoundry_sdk import TrueFoundry
client = TrueFoundry(api_key={KEY:?}, base_url={base_url:?})
def once():
    items = list(client.applications.list(workspace_fqn={WS:?}, application_type="volume", limit=200))
    assert len(items) >= 100, len(items)
once()
for _ in range({calls}):
    start = time.perf_counter_ns()
    once()
    print(time.perf_counter_ns() - start)
"#,
        sdk = sdk.display().to_string()
    );
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "python SDK run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    let samples = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.trim().parse::<u128>().ok())
        .collect();
    Some(Samples(samples))
}

fn curl(args: &[&str]) -> bool {
    Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H"])
        .arg(format!("Authorization: Bearer {KEY}"))
        .args(args)
        .output()
        .map(|output| output.status.success() && output.stdout.starts_with(b"2"))
        .unwrap_or(false)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let rounds = if quick { 30 } else { 200 };
    let slow_rounds = if quick { 10 } else { 50 };

    println!("truefoundry-volumes benchmark ({rounds} interleaved rounds; medians, p10–p90)");
    let emulator = Emulator::start(seed()).expect("the emulator starts");
    let base = emulator.base_url();
    let grant = Grant::new(base.clone(), KEY);

    // Sizes and one-time costs.
    let wasm = std::fs::read(COMPONENT_WASM).expect("the built component");
    let engine = wasmtime::Engine::default();
    let mut compile = Samples::default();
    for _ in 0..if quick { 2 } else { 5 } {
        compile.time(|| wasmtime::component::Component::new(&engine, &wasm).expect("compiles"));
    }
    let precompiled = engine.precompile_component(&wasm).expect("precompiles");
    // Loading an ahead-of-time compiled component, as a gateway would.
    let mut deserialize = Samples::default();
    for _ in 0..if quick { 5 } else { 20 } {
        deserialize.time(|| {
            // SAFETY: the bytes were produced by `precompile_component` on this very engine.
            unsafe { wasmtime::component::Component::deserialize(&engine, &precompiled) }
                .expect("deserializes")
        });
    }
    #[cfg(feature = "winch")]
    let winch_compile = {
        let mut config = wasmtime::Config::new();
        config.strategy(wasmtime::Strategy::Winch);
        let winch = wasmtime::Engine::new(&config).expect("a Winch engine");
        let mut samples = Samples::default();
        for _ in 0..if quick { 2 } else { 5 } {
            samples.time(|| wasmtime::component::Component::new(&winch, &wasm).expect("compiles"));
        }
        samples
    };

    let warm_runtime = Runtime::new().expect("runtime");
    let pooled_runtime = Runtime::with_limits(Limits {
        pooled_instances: Some(16),
        ..Limits::default()
    })
    .expect("pooled runtime");
    let mut instantiate = Samples::default();
    for _ in 0..rounds {
        let started = Instant::now();
        let instance = pooled_runtime
            .instantiate(&grant)
            .await
            .expect("instantiates");
        instantiate.0.push(started.elapsed().as_nanos());
        drop(instance);
    }

    let mut warm = warm_runtime.instantiate(&grant).await.expect("instance");
    let mut native = Client::from_env(
        [("TFY_BASE_URL", base.as_str()), ("TFY_API_KEY", KEY)],
        Native::new(),
        SystemClock::default(),
    );
    let id = warm
        .get(&format!("{WS}:vol-00001"))
        .await
        .unwrap()
        .unwrap()
        .id;

    // One sample set per (operation, subject), in `index` order.
    let mut rows: Vec<Samples> = (0..OPERATIONS.len() * SUBJECTS.len())
        .map(|_| Samples::default())
        .collect();
    let subjects = SUBJECTS;
    let list_url = format!(
        "{base}/api/svc/v1/apps?workspaceFqn={WS}&applicationType=volume&offset=0&limit=200"
    );
    let get_url = format!("{base}/api/svc/v1/apps/{id}");

    for round in 0..rounds {
        // list
        let r = index("list 100", "component (warm)");
        let started = Instant::now();
        let listed = warm.list(WS).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        assert_eq!(listed.len(), 100);
        let r = index("list 100", "component (fresh instance)");
        let started = Instant::now();
        let mut fresh = pooled_runtime.instantiate(&grant).await.unwrap();
        fresh.list(WS).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("list 100", "native library");
        rows[r].time(|| native.list(WS).unwrap());
        if round < slow_rounds {
            let r = index("list 100", "curl process");
            rows[r].time(|| assert!(curl(&[&list_url])));
        }
        // get
        let r = index("get", "component (warm)");
        let started = Instant::now();
        warm.get(&id).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("get", "component (fresh instance)");
        let started = Instant::now();
        let mut fresh = pooled_runtime.instantiate(&grant).await.unwrap();
        fresh.get(&id).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("get", "native library");
        rows[r].time(|| native.get(&id).unwrap());
        if round < slow_rounds {
            let r = index("get", "curl process");
            rows[r].time(|| assert!(curl(&[&get_url])));
        }
        // create (three requests each: workspace, name check, PUT)
        let r = index("create", "component (warm)");
        let name = format!("cw-{round:05}");
        let started = Instant::now();
        warm.create(&create_request(&name)).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("create", "component (fresh instance)");
        let name = format!("cf-{round:05}");
        let started = Instant::now();
        let mut fresh = pooled_runtime.instantiate(&grant).await.unwrap();
        fresh.create(&create_request(&name)).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("create", "native library");
        let name = format!("cn-{round:05}");
        rows[r].time(|| native.create(&core_create_request(&name)).unwrap());
        if round < slow_rounds {
            let r = index("create", "curl process");
            let body = json!({"workspaceId":"ws-create","manifest":{"type":"volume",
                "name":format!("cc-{round:05}"),"config":{"type":"dynamic","storage_class":"efs-sc","size":10}}})
            .to_string();
            let put_url = format!("{base}/api/svc/v1/apps");
            rows[r].time(|| {
                assert!(curl(&[
                    "-X",
                    "PUT",
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    &body,
                    &put_url
                ]))
            });
        }
        // mount-snippet (no network; curl has no equivalent)
        let r = index("mount-snippet", "component (warm)");
        let started = Instant::now();
        warm.mount_snippet(&mount_request()).await.unwrap().unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("mount-snippet", "component (fresh instance)");
        let started = Instant::now();
        let mut fresh = pooled_runtime.instantiate(&grant).await.unwrap();
        fresh
            .mount_snippet(&mount_request())
            .await
            .unwrap()
            .unwrap();
        rows[r].0.push(started.elapsed().as_nanos());
        let r = index("mount-snippet", "native library");
        rows[r]
            .time(|| truefoundry_volumes::offline::snippet::render(&core_mount_request()).unwrap());
    }

    // 10,000 volumes.
    let mut big = warm_runtime.instantiate(&grant).await.unwrap();
    let mut big_list = Samples::default();
    for _ in 0..if quick { 1 } else { 3 } {
        let started = Instant::now();
        let listed = big.list(BIG_WS).await.unwrap().unwrap();
        big_list.0.push(started.elapsed().as_nanos());
        assert_eq!(listed.len(), 10_000);
    }
    let peak = big.peak_memory_bytes();
    let mut big_native = Samples::default();
    for _ in 0..if quick { 1 } else { 3 } {
        big_native.time(|| assert_eq!(native.list(BIG_WS).unwrap().len(), 10_000));
    }

    let sdk = python_sdk().and_then(|sdk| python_sdk_list(&sdk, &base, slow_rounds));

    // Report.
    println!("\n| operation | subject | median | p10–p90 | × native |");
    println!("|---|---|---|---|---|");
    let mut budgets: Vec<(String, bool)> = Vec::new();
    for operation in OPERATIONS {
        let native_median = rows[index(operation, "native library")].median();
        for subject in subjects {
            let row = &rows[index(operation, subject)];
            if row.0.is_empty() {
                continue;
            }
            let ratio = row.median() / native_median;
            println!(
                "| {operation} | {subject} | {} | {}–{} | {ratio:.2} |",
                micros(row.median()),
                micros(row.percentile(0.1)),
                micros(row.percentile(0.9)),
            );
            if matches!(operation, "list 100" | "get") {
                match subject {
                    "component (warm)" => budgets.push((
                        format!("warm {operation} ≤ 1.15× native ({ratio:.2}×)"),
                        ratio <= 1.15,
                    )),
                    "component (fresh instance)" => budgets.push((
                        format!("fresh-instance {operation} ≤ 1.3× native ({ratio:.2}×)"),
                        ratio <= 1.3,
                    )),
                    _ => {}
                }
            }
        }
        let curl_row = &rows[index(operation, "curl process")];
        if !curl_row.0.is_empty() {
            // `create` makes three requests (workspace, name check, PUT); curl makes the PUT
            // alone, so compare per request.
            let requests = if operation == "create" { 3.0 } else { 1.0 };
            let component = rows[index(operation, "component (warm)")].median() / requests;
            let speedup = curl_row.median() / component;
            budgets.push((
                format!(
                    "{operation}: component ≥ 30× faster than a curl process per request ({speedup:.0}×)"
                ),
                speedup >= 30.0,
            ));
        }
    }
    match &sdk {
        Some(samples) => println!(
            "| list 100 | official Python SDK (truefoundry-sdk 0.6.0) | {} | {}–{} | {:.2} |",
            micros(samples.median()),
            micros(samples.percentile(0.1)),
            micros(samples.percentile(0.9)),
            samples.median() / rows[index("list 100", "native library")].median()
        ),
        None => {
            println!("| list 100 | official Python SDK | skipped (did not install or run) | | |")
        }
    }

    let wasm_kib = wasm.len() as f64 / 1024.0;
    println!("\n| one-time | value |");
    println!("|---|---|");
    println!("| .wasm size | {} bytes ({wasm_kib:.1} KiB) |", wasm.len());
    println!("| precompiled size | {} bytes |", precompiled.len());
    println!(
        "| compile, Cranelift (release host, no cache) | {} |",
        micros(compile.median())
    );
    #[cfg(feature = "winch")]
    println!(
        "| compile, Winch (release host, no cache) | {} |",
        micros(winch_compile.median())
    );
    println!(
        "| load precompiled (`Component::deserialize`) | {} |",
        micros(deserialize.median())
    );
    println!(
        "| instantiate (pre-instantiated, pooling) | {} (p10–p90 {}–{}) |",
        micros(instantiate.median()),
        micros(instantiate.percentile(0.1)),
        micros(instantiate.percentile(0.9))
    );
    println!(
        "| list 10,000 volumes, component | {} |",
        micros(big_list.median())
    );
    println!(
        "| list 10,000 volumes, native | {} |",
        micros(big_native.median())
    );
    println!(
        "| guest peak linear memory, listing 10,000 | {} bytes ({:.1} MiB) |",
        peak,
        peak as f64 / 1048576.0
    );
    budgets.push((
        format!(".wasm ≤ 100 KiB ({wasm_kib:.1} KiB)"),
        wasm.len() <= 100 * 1024,
    ));
    budgets.push((
        format!("compile ≤ 60 ms, Cranelift ({})", micros(compile.median())),
        compile.median() <= 60e6,
    ));
    #[cfg(feature = "winch")]
    budgets.push((
        format!(
            "compile ≤ 60 ms, Winch ({})",
            micros(winch_compile.median())
        ),
        winch_compile.median() <= 60e6,
    ));
    budgets.push((
        format!("instantiate ≤ 50 µs ({})", micros(instantiate.median())),
        instantiate.median() <= 50e3,
    ));
    budgets.push((
        format!(
            "10,000 volumes within 8 MiB of guest memory ({:.1} MiB)",
            peak as f64 / 1048576.0
        ),
        peak <= 8 << 20,
    ));

    println!("\nBudgets:");
    for (budget, held) in &budgets {
        println!("  {} {budget}", if *held { "held  " } else { "MISSED" });
    }
    drop(emulator);
}
