//! Loops `get` on a warm instance, for profiling the per-call path
//! (`cargo run --release -p tfy-volumes-host --example profile_get -- [calls] [fresh]`).

use std::time::Instant;

use tfy_volumes_host::{Grant, Limits, Runtime};
use truefoundry_emulator::{Emulator, Seed};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let calls: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let mode = args.next().unwrap_or_default();
    let fresh = mode == "fresh";
    let mixed = mode == "mixed";
    let list = mode == "list";

    let mut seed = Seed::demo();
    // A workspace of 100 volumes for `list` mode.
    let template = seed.volumes[0].clone();
    for index in 0..97 {
        let mut volume = template.clone();
        volume.manifest["name"] = format!("extra-{index:03}").into();
        seed.volumes.push(volume);
    }
    let emulator = Emulator::start(seed).unwrap();
    let grant = Grant::new(emulator.base_url(), "demo-api-key");
    let native_client_url = emulator.base_url();
    let native = mode == "native-list";
    let mut native_client = truefoundry_volumes::Client::from_env(
        [
            ("TFY_BASE_URL", native_client_url),
            ("TFY_API_KEY", String::from("demo-api-key")),
        ],
        truefoundry_volumes::native::Native::new(),
        truefoundry_volumes::native::SystemClock::default(),
    );
    let runtime = Runtime::with_limits(Limits {
        pooled_instances: Some(4),
        ..Limits::default()
    })
    .unwrap();
    let mut warm = runtime.instantiate(&grant).await.unwrap();
    let id = warm
        .get("demo-cluster:demo-ws:training-data")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut spent = std::time::Duration::ZERO;
    for _ in 0..calls {
        if mixed {
            warm.list("demo-cluster:demo-ws").await.unwrap().unwrap();
        }
        let started = Instant::now();
        if native {
            native_client.list("demo-cluster:demo-ws").unwrap();
        } else if list {
            warm.list("demo-cluster:demo-ws").await.unwrap().unwrap();
        } else if fresh {
            let mut instance = runtime.instantiate(&grant).await.unwrap();
            instance.get(&id).await.unwrap().unwrap();
        } else {
            warm.get(&id).await.unwrap().unwrap();
        }
        spent += started.elapsed();
    }
    let each = spent / calls;
    println!(
        "{calls} gets ({mode}): {each:?} each; guest memory {} bytes",
        warm.peak_memory_bytes()
    );
}
