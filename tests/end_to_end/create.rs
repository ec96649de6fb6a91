//! `create`: dynamic, static, with a browser, and the refusal to replace.

use serde_json::json;
use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, StatusPhase, VolumeError, VolumeKind,
};

use truefoundry_emulator::BodyFraming;

use crate::support::{
    body, dynamic_request, dynamic_volume, expect_error, seed, Harness, ADMIN_KEY, WS,
};

#[tokio::test]
async fn create_dynamic_sends_the_manifest_and_returns_the_volume() {
    let mut h = Harness::new().await;
    let volume = h
        .volumes
        .create(&dynamic_request("training-data"))
        .await
        .unwrap()
        .unwrap();

    assert_eq!(volume.name, "training-data");
    assert_eq!(volume.fqn, "c1:ws1:training-data");
    assert_eq!(volume.mount_reference, "tfy-volume://c1:ws1:training-data");
    assert_eq!(volume.workspace_fqn, WS);
    assert_eq!(volume.kind, VolumeKind::Dynamic);
    assert_eq!(
        (volume.size_gi, volume.storage_class.as_deref()),
        (Some(100), Some("efs-sc"))
    );
    assert_eq!(volume.status.phase, StatusPhase::Deploying);
    assert_eq!(volume.status.api_status, "INITIALIZED");
    assert!(!volume.status.terminal);
    assert_eq!(volume.version, Some(1));
    assert!(volume
        .created_at
        .as_deref()
        .is_some_and(|at| at.ends_with('Z')));
    assert_eq!(volume.browser_url, None);

    assert_eq!(
        h.request_lines(),
        [
            "GET /api/svc/v1/workspaces?fqn=c1:ws1",
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws1&applicationName=training-data&offset=0&limit=200",
            "PUT /api/svc/v1/apps",
        ]
    );
    let requests = h.requests();
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {ADMIN_KEY}").as_str())
        );
    }
    assert_eq!(requests[2].header("content-type"), Some("application/json"));
    // The body goes with its length, never chunked (proxies in front of control planes may
    // refuse chunked bodies); reads carry no body at all.
    assert_eq!(
        requests[2].body_framing(),
        BodyFraming::ContentLength(requests[2].body.len() as u64)
    );
    assert_eq!(requests[0].body_framing(), BodyFraming::None);
    assert_eq!(
        body(&requests[2]),
        json!({"workspaceId":"ws-1","manifest":{"type":"volume","name":"training-data",
               "workspace_fqn":"c1:ws1",
               "config":{"type":"dynamic","storage_class":"efs-sc","size":100}}})
    );
    let stored = h
        .emulator
        .application(&volume.id)
        .expect("the emulator stored it");
    assert_eq!(stored["fqn"], "c1:ws1:training-data");
}

#[tokio::test]
async fn create_static_wraps_the_persistent_volume() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        kind: VolumeKind::Static,
        size_gi: None,
        storage_class: None,
        persistent_volume_name: Some("datasets-pv".into()),
        ..dynamic_request("datasets")
    };
    let volume = h.volumes.create(&request).await.unwrap().unwrap();
    assert_eq!(volume.kind, VolumeKind::Static);
    assert_eq!(
        volume.persistent_volume_name.as_deref(),
        Some("datasets-pv")
    );
    assert_eq!((volume.size_gi, volume.storage_class), (None, None));
    let put = h.requests().pop().unwrap();
    assert_eq!(
        body(&put)["manifest"]["config"],
        json!({"type":"static","persistent_volume_name":"datasets-pv"})
    );
}

#[tokio::test]
async fn create_with_browser_returns_its_url() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        browser: Some(BrowserSettings {
            username: Some("viewer".into()),
            password_secret_fqn: Some("tfy-secret://acme:volumes:browser-pw".into()),
            host: "files.ml.example.com".into(),
            path: None,
        }),
        ..dynamic_request("shared-files")
    };
    let volume = h.volumes.create(&request).await.unwrap().unwrap();
    assert_eq!(
        volume.browser_url.as_deref(),
        Some("https://files.ml.example.com/shared-files/")
    );
    assert_eq!(volume.browser_username.as_deref(), Some("viewer"));
    let put = h.requests().pop().unwrap();
    assert_eq!(
        body(&put)["manifest"]["volume_browser"],
        json!({"username":"viewer","password_secret_fqn":"tfy-secret://acme:volumes:browser-pw",
               "endpoint":{"host":"files.ml.example.com","path":"/shared-files/"}})
    );
}

#[tokio::test]
async fn create_refuses_existing_name_and_leaves_it_untouched() {
    let mut seeded = seed();
    seeded
        .volumes
        .push(dynamic_volume(WS, "training-data", 500));
    let mut h = Harness::with(seeded, ADMIN_KEY).await;
    let existing = h.emulator.applications_in(WS);
    let existing_id = existing[0]["id"].as_str().unwrap().to_string();

    let error = expect_error(
        h.volumes
            .create(&dynamic_request("training-data"))
            .await
            .unwrap(),
    );
    let VolumeError::AlreadyExists(details) = error else {
        panic!("expected already-exists, got {error:?}");
    };
    assert_eq!(details.name, "training-data");
    assert_eq!(details.workspace_fqn, WS);
    assert_eq!(details.id, existing_id);
    assert!(
        details.fix.contains("choose another name"),
        "{}",
        details.fix
    );

    assert!(
        h.requests().iter().all(|request| request.method != "PUT"),
        "nothing was submitted"
    );
    let after = h.emulator.application(&existing_id).unwrap();
    assert_eq!(after["lastVersion"], 1);
    assert_eq!(after["deployment"]["manifest"]["config"]["size"], 500);
}

#[tokio::test]
async fn create_in_unknown_workspace_is_not_found_and_submits_nothing() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        workspace_fqn: "c1:nope".into(),
        ..dynamic_request("data")
    };
    let error = expect_error(h.volumes.create(&request).await.unwrap());
    let VolumeError::NotFound(missing) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(missing.name, "c1:nope");
    assert_eq!(
        missing.kind,
        tfy_volumes_host::bindings::ResourceKind::Workspace
    );
    assert_eq!(
        h.request_lines(),
        ["GET /api/svc/v1/workspaces?fqn=c1:nope"]
    );
}

#[tokio::test]
async fn a_new_volume_moves_from_initialized_to_running() {
    // The seed serves one in-progress read before the deployment completes.
    let mut h = Harness::new().await;
    let created = h
        .volumes
        .create(&dynamic_request("fresh"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created.status.display, "INITIALIZED");
    let first = h.volumes.get(&created.id).await.unwrap().unwrap();
    assert_eq!(
        (first.status.phase, first.status.terminal),
        (StatusPhase::Deploying, false)
    );
    let later = h.volumes.get(&created.id).await.unwrap().unwrap();
    assert_eq!(later.status.phase, StatusPhase::Running);
    assert_eq!(later.status.display, "RUNNING");
    assert!(later.status.terminal);
}
