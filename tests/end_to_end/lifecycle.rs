//! After create: status, waiting (success, the seed's failure rows, time-outs) and expand.

use serde_json::json;
use tfy_volumes_host::bindings::{
    CreateRequest, ExpandRequest, StatusPhase, VolumeError, VolumeKind, WaitOptions,
};
use truefoundry_emulator::SeedVolume;

use crate::support::{
    body, dynamic_request, dynamic_volume, expect_error, seed, Harness, ADMIN_KEY, WS,
};

fn quick(timeout_seconds: u32) -> Option<WaitOptions> {
    Some(WaitOptions {
        interval_seconds: Some(1),
        timeout_seconds: Some(timeout_seconds),
    })
}

#[tokio::test]
async fn create_with_wait_returns_the_running_volume() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        wait: quick(30),
        ..dynamic_request("waited")
    };
    let volume = h.volumes.create(&request).await.unwrap().unwrap();
    assert_eq!(volume.status.phase, StatusPhase::Running);
    assert_eq!(volume.status.display, "RUNNING");
    let gets = h
        .requests()
        .iter()
        .filter(|r| r.path == format!("/api/svc/v1/apps/{}", volume.id))
        .count();
    assert_eq!(gets, 2, "one in-progress read, then the terminal one");
}

#[tokio::test]
async fn status_reports_without_waiting() {
    let mut h = Harness::new().await;
    let created = h
        .volumes
        .create(&dynamic_request("fresh"))
        .await
        .unwrap()
        .unwrap();
    let status = h.volumes.status(&created.fqn).await.unwrap().unwrap();
    assert_eq!(
        (status.phase, status.terminal),
        (StatusPhase::Deploying, false)
    );
    assert_eq!(status.api_status, "INITIALIZED");
}

#[tokio::test]
async fn an_unknown_storage_class_fails_as_storage_class_unavailable() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        storage_class: Some("premium-rwx".into()),
        wait: quick(30),
        ..dynamic_request("wrong-class")
    };
    let error = expect_error(h.volumes.create(&request).await.unwrap());
    let VolumeError::StorageClassUnavailable(failure) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(failure.volume_fqn, "c1:ws1:wrong-class");
    assert_eq!(failure.missing_name, "premium-rwx");
    assert!(
        failure.message.contains("premium-rwx"),
        "{}",
        failure.message
    );
    assert!(failure.fix.contains("kubectl get storageclass"));
}

#[tokio::test]
async fn a_missing_persistent_volume_fails_as_persistent_volume_not_found() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        kind: VolumeKind::Static,
        size_gi: None,
        storage_class: None,
        persistent_volume_name: Some("no-such-pv".into()),
        wait: quick(30),
        ..dynamic_request("wrapped")
    };
    let error = expect_error(h.volumes.create(&request).await.unwrap());
    let VolumeError::PersistentVolumeNotFound(failure) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(failure.missing_name, "no-such-pv");
    assert!(failure.fix.contains("kubectl get pv no-such-pv"));
}

#[tokio::test]
async fn waiting_gives_up_at_the_deadline() {
    let mut slow = seed();
    slow.reads_until_ready = 1000;
    let mut h = Harness::with(slow, ADMIN_KEY).await;
    let created = h
        .volumes
        .create(&dynamic_request("slow"))
        .await
        .unwrap()
        .unwrap();
    let started = std::time::Instant::now();
    let error = expect_error(h.volumes.wait(&created.id, quick(2)).await.unwrap());
    let VolumeError::TimedOut(timeout) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(
        (timeout.volume_fqn.as_str(), timeout.last_status.as_str()),
        ("c1:ws1:slow", "INITIALIZED")
    );
    assert_eq!(timeout.waited_seconds, 2);
    // It slept through wasi:clocks between checks rather than returning at once.
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    let reads = h
        .requests()
        .iter()
        .filter(|r| r.path.ends_with(&created.id))
        .count();
    assert_eq!(reads, 3, "checks at 0, 1 and 2 seconds");
}

fn seeded(name: &str, size: u32) -> truefoundry_emulator::Seed {
    let mut seed = seed();
    let mut volume = dynamic_volume(WS, name, size);
    volume.manifest["volume_browser"] = json!({"username":"admin",
        "endpoint":{"host":"files.ml.example.com","path":"/data/"}});
    volume.manifest["config"]["access_modes"] = json!(["ReadWriteMany"]);
    seed.volumes.push(volume);
    seed.volumes.push(SeedVolume {
        workspace_fqn: WS.into(),
        manifest: json!({"type":"volume","name":"wrapped",
                         "config":{"type":"static","persistent_volume_name":"datasets-pv"}}),
        ..SeedVolume::default()
    });
    seed
}

fn expand(volume: &str, size: u32, expected: Option<u32>) -> ExpandRequest {
    ExpandRequest {
        volume: volume.into(),
        new_size_gi: size,
        expected_version: expected,
        wait: None,
    }
}

#[tokio::test]
async fn expand_resubmits_everything_but_the_size() {
    let mut h = Harness::with(seeded("data", 100), ADMIN_KEY).await;
    let before = h.volumes.get("c1:ws1:data").await.unwrap().unwrap();
    let stored_before =
        h.emulator.application(&before.id).unwrap()["deployment"]["manifest"].clone();

    let request = ExpandRequest {
        wait: quick(30),
        ..expand("c1:ws1:data", 250, before.version)
    };
    let expanded = h.volumes.expand(&request).await.unwrap().unwrap();
    assert_eq!((expanded.size_gi, expanded.version), (Some(250), Some(2)));
    assert_eq!(expanded.status.phase, StatusPhase::Running);
    assert_eq!(
        expanded.browser_url.as_deref(),
        Some("https://files.ml.example.com/data/")
    );

    let put = h
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("one PUT");
    let mut expected = stored_before;
    expected["config"]["size"] = json!(250);
    assert_eq!(
        body(&put),
        json!({"manifest": expected, "workspaceId": "ws-1"})
    );
}

#[tokio::test]
async fn expand_refuses_before_any_change() {
    let mut h = Harness::with(seeded("data", 100), ADMIN_KEY).await;
    let cases = [
        (expand("c1:ws1:data", 50, None), "size-cannot-be-reduced"),
        (expand("c1:ws1:data", 100, None), "invalid-input"),
        (expand("c1:ws1:wrapped", 200, None), "invalid-input"),
        (expand("c1:ws1:data", 200, Some(7)), "changed-meanwhile"),
    ];
    for (request, case) in cases {
        let error = expect_error(h.volumes.expand(&request).await.unwrap());
        assert_eq!(
            tfy_volumes_host::report::error_case(&error),
            case,
            "{request:?}: {error:?}"
        );
        if let VolumeError::SizeCannotBeReduced(change) = &error {
            assert_eq!((change.current_gi, change.requested_gi), (100, 50));
            assert!(change.fix.contains("copy the data"));
        }
    }
    assert!(
        h.requests().iter().all(|r| r.method == "GET"),
        "nothing was written"
    );

    h.emulator.clear_requests();
    let error = expect_error(
        h.volumes
            .expand(&expand("c1:ws1:data", 64_001, None))
            .await
            .unwrap(),
    );
    let VolumeError::InvalidInput(problem) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(problem.field, "new-size-gi");
    assert!(h.requests().is_empty(), "refused before any request");
}
