//! Concurrency, seeds, and the emulator's lifecycle.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;
use truefoundry_emulator::{Access, Emulator, Seed, SeedVolume, SeedWorkspace, StartError};

use crate::support::*;

#[test]
fn sixty_four_concurrent_clients_create_distinct_volumes() {
    let emu = start(0);
    let addr = emu.addr();
    let threads: Vec<_> = (0..64)
        .map(|i| {
            std::thread::spawn(move || {
                let body = json!({"manifest": dynamic(&format!("vol-{i}"), "efs-sc", 1), "workspaceId": "ws-1"});
                send(
                    addr,
                    "PUT",
                    "/api/svc/v1/apps",
                    &[("Authorization", "Bearer admin-key"), ("Content-Type", "application/json")],
                    body.to_string().as_bytes(),
                    Duration::from_secs(30),
                )
            })
        })
        .collect();
    let mut app_ids = Vec::new();
    for t in threads {
        let resp = t.join().expect("thread").expect("answer");
        assert_eq!(resp.status, 200, "{}", resp.text());
        let data = resp.json()["data"].clone();
        app_ids.push(data["applicationId"].as_str().unwrap_or("").to_string());
    }
    app_ids.sort();
    app_ids.dedup();
    assert_eq!(app_ids.len(), 64);
    let page = get(&emu, "/api/svc/v1/apps?limit=1000").json();
    assert_eq!(page["pagination"]["total"], json!(64));
    assert_eq!(emu.requests().len(), 65);
}

#[test]
fn demo_seed_serves_three_ready_volumes() {
    let emu = Emulator::start(Seed::demo()).expect("demo starts");
    let ws = call(
        &emu,
        "GET",
        "/api/svc/v1/workspaces?fqn=demo-cluster:demo-ws",
        Some("demo-api-key"),
        None,
    )
    .json();
    assert_eq!(ws["data"][0]["id"], "ws-demo");
    let apps = call(
        &emu,
        "GET",
        "/api/svc/v1/apps?workspaceFqn=demo-cluster:demo-ws&applicationType=volume",
        Some("demo-api-key"),
        None,
    )
    .json();
    let summary: Vec<(String, String, String)> = apps["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|app| {
                    (
                        app["name"].as_str().unwrap_or("").to_string(),
                        app["deployment"]["manifest"]["config"]["type"]
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                        status_of(app).0,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let expect = |n: &str, t: &str| (n.to_string(), t.to_string(), "DEPLOY_SUCCESS".to_string());
    assert_eq!(
        summary,
        [
            expect("training-data", "dynamic"),
            expect("model-cache", "dynamic"),
            expect("shared-datasets", "static")
        ]
    );
    let training = &apps["data"][0]["deployment"]["manifest"];
    assert_eq!(training["config"]["size"], json!(100));
    assert_eq!(training["workspace_fqn"], "demo-cluster:demo-ws");
    assert!(training["volume_browser"]["endpoint"]["host"].is_string());
    assert_eq!(
        apps["data"][1]["deployment"]["manifest"]["config"]["size"],
        json!(200)
    );
    assert_eq!(
        apps["data"][2]["deployment"]["manifest"]["config"]["persistent_volume_name"],
        "shared-datasets-pv"
    );
    let cluster = call(
        &emu,
        "GET",
        "/api/svc/v1/clusters/demo-cluster",
        Some("demo-api-key"),
        None,
    )
    .json();
    assert_eq!(
        cluster["data"]["manifest"]["base_domains"],
        json!(["*.demo.example.com"])
    );
    assert_eq!(
        cluster["data"]["manifest"]["workbench_config"]["default_storage_class"],
        "efs-sc"
    );
}

#[test]
fn seed_keys_are_redacted_in_debug_output() {
    let seed = Seed::demo();
    let debug = format!("{seed:?}");
    assert!(!debug.contains("demo-api-key"), "{debug}");
    assert!(debug.contains("<redacted>"));
}

#[test]
fn partial_json_seed_loads_with_defaults() {
    let seed: Seed = serde_json::from_value(json!({
        "api_keys": [{"token": "t0k", "access": "admin"}, {"token": "t1", "access": {"workspaces": ["c:w"]}}],
        "workspaces": [{"fqn": "c:w"}],
        "volumes": [{"workspace_fqn": "c:w", "status": "DEPLOY_FAILED",
                     "manifest": {"type": "volume", "name": "old", "config": {"type": "static", "persistent_volume_name": "gone"}}}]
    }))
    .expect("partial seed parses");
    assert_eq!(seed.tenant_name, "demo");
    assert_eq!(seed.reads_until_ready, 1);
    assert_eq!(
        seed.api_keys[1].access,
        Access::Workspaces(vec!["c:w".to_string()])
    );
    let emu = Emulator::start(seed).expect("starts");
    let ws = call(&emu, "GET", "/api/svc/v1/workspaces", Some("t0k"), None).json();
    assert_eq!(ws["data"][0]["id"], "ws-w", "default id from the name");
    let app = emu.applications_in("c:w").pop().expect("seeded volume");
    let st = &app["deployment"]["currentStatus"];
    assert_eq!(st["status"], "DEPLOY_FAILED");
    assert_eq!(st["message"], "persistentvolume \"gone\" not found");
}

#[test]
fn inconsistent_seeds_are_refused() {
    let bad_manifest = Seed {
        volumes: vec![SeedVolume {
            workspace_fqn: "demo-cluster:demo-ws".to_string(),
            manifest: dynamic("x", "efs-sc", 1),
            status: None,
            mounted_by: Vec::new(),
        }],
        ..Seed::demo()
    };
    let unknown_ws = Seed {
        volumes: vec![SeedVolume {
            workspace_fqn: "nope:nope".to_string(),
            manifest: dynamic("fine", "efs-sc", 1),
            status: None,
            mounted_by: Vec::new(),
        }],
        ..Seed::demo()
    };
    let bad_fqn = Seed {
        workspaces: vec![SeedWorkspace {
            fqn: "no-colon".to_string(),
            id: String::new(),
        }],
        volumes: vec![],
        ..Seed::demo()
    };
    for (label, seed, fragment) in [
        ("manifest", bad_manifest, "manifest.name"),
        ("workspace", unknown_ws, "nope:nope"),
        ("fqn", bad_fqn, "no-colon"),
    ] {
        let err = Emulator::start(seed).expect_err(label);
        let StartError::InvalidSeed(message) = &err else {
            panic!("{label}: {err:?}");
        };
        assert!(message.contains(fragment), "{label}: {err}");
        assert!(
            err.to_string().starts_with("invalid emulator seed: "),
            "{err}"
        );
    }
}

#[test]
fn dropping_the_emulator_stops_the_server() {
    let emu = start(0);
    let addr = emu.addr();
    assert_eq!(emu.base_url(), format!("http://127.0.0.1:{}", addr.port()));
    // An idle keep-alive connection must not keep the server alive.
    let idle = TcpStream::connect(addr).expect("connect");
    drop(emu);
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
        "still listening"
    );
    let mut idle = idle;
    idle.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut buf = [0u8; 1];
    // Closed either way: EOF if the server had accepted it, a reset if it was still queued.
    let read = idle.read(&mut buf).map_err(|e| e.kind());
    assert!(
        matches!(read, Ok(0) | Err(io::ErrorKind::ConnectionReset)),
        "idle connection still open: {read:?}"
    );
}

#[tokio::test]
async fn works_from_inside_a_tokio_runtime() {
    let emu = Emulator::start(world(0)).expect("starts inside a runtime");
    let addr = emu.addr();
    let resp = tokio::task::spawn_blocking(move || {
        send(
            addr,
            "GET",
            "/api/svc/v1/clusters",
            &[("Authorization", "Bearer admin-key")],
            b"",
            Duration::from_secs(10),
        )
    })
    .await
    .expect("join")
    .expect("answer");
    assert_eq!(resp.status, 200);
    drop(emu); // must not panic inside a runtime
}
