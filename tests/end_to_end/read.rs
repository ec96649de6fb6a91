//! `list` and `get` against the emulator.

use tfy_volumes_host::bindings::{ResourceKind, VolumeError, VolumeKind};
use truefoundry_emulator::SeedVolume;

use crate::support::{dynamic_volume, expect_error, seed, Harness, ADMIN_KEY, WS};

fn seeded_with(names: &[&str]) -> truefoundry_emulator::Seed {
    let mut seed = seed();
    seed.volumes
        .extend(names.iter().map(|name| dynamic_volume(WS, name, 10)));
    seed
}

#[tokio::test]
async fn list_walks_several_pages_and_returns_every_volume_sorted() {
    let names: Vec<String> = (0..450).rev().map(|i| format!("vol-{i:03}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut seeded = seeded_with(&refs);
    seeded
        .volumes
        .push(dynamic_volume("c1:ws2", "elsewhere", 10));
    let mut h = Harness::with(seeded, ADMIN_KEY).await;

    let volumes = h.volumes.list(WS).await.unwrap().unwrap();
    let listed: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    let mut expected = refs.clone();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(volumes.iter().all(|v| v.workspace_fqn == WS));
    assert_eq!(
        h.request_lines(),
        [
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws1&applicationType=volume&offset=0&limit=200",
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws1&applicationType=volume&offset=200&limit=200",
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws1&applicationType=volume&offset=400&limit=200",
        ]
    );
}

#[tokio::test]
async fn list_reports_kinds_sizes_and_statuses() {
    let mut seeded = seeded_with(&["alpha"]);
    seeded.volumes.push(SeedVolume {
        workspace_fqn: WS.into(),
        manifest: serde_json::json!({"type":"volume","name":"beta",
            "config":{"type":"static","persistent_volume_name":"datasets-pv"}}),
        status: Some("DEPLOY_FAILED".into()),
        ..SeedVolume::default()
    });
    let mut h = Harness::with(seeded, ADMIN_KEY).await;
    let volumes = h.volumes.list(WS).await.unwrap().unwrap();
    assert_eq!(volumes.len(), 2);
    let (alpha, beta) = (&volumes[0], &volumes[1]);
    assert_eq!(
        (alpha.kind, alpha.size_gi, alpha.status.display.as_str()),
        (VolumeKind::Dynamic, Some(10), "RUNNING")
    );
    assert_eq!(beta.kind, VolumeKind::Static);
    assert_eq!(beta.persistent_volume_name.as_deref(), Some("datasets-pv"));
    assert_eq!(beta.status.display, "DEPLOY_FAILED");
    assert!(beta.status.terminal);
}

#[tokio::test]
async fn list_of_an_empty_workspace_is_empty() {
    let mut h = Harness::new().await;
    assert_eq!(h.volumes.list("c1:ws2").await.unwrap().unwrap(), vec![]);
    assert_eq!(
        h.request_lines(),
        [
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws2&applicationType=volume&offset=0&limit=200",
            "GET /api/svc/v1/workspaces?fqn=c1:ws2",
        ]
    );
}

#[tokio::test]
async fn list_of_an_unknown_workspace_is_not_found() {
    let mut h = Harness::new().await;
    let error = expect_error(h.volumes.list("c1:missing").await.unwrap());
    let VolumeError::NotFound(missing) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(
        (missing.kind, missing.name.as_str()),
        (ResourceKind::Workspace, "c1:missing")
    );
}

#[tokio::test]
async fn get_by_id_and_by_fqn_return_the_same_volume() {
    let mut h = Harness::with(seeded_with(&["models", "other"]), ADMIN_KEY).await;
    let id = h.emulator.applications_in(WS)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let by_id = h.volumes.get(&id).await.unwrap().unwrap();
    let by_fqn = h.volumes.get("c1:ws1:models").await.unwrap().unwrap();
    let by_reference = h
        .volumes
        .get("tfy-volume://c1:ws1:models")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_id.name, "models");
    assert_eq!(by_id, by_fqn);
    assert_eq!(by_fqn, by_reference);
    assert_eq!(
        h.request_lines(),
        [
            format!("GET /api/svc/v1/apps/{id}"),
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws1&applicationName=models&applicationType=volume&offset=0&limit=200".into(),
            "GET /api/svc/v1/apps?workspaceFqn=c1:ws1&applicationName=models&applicationType=volume&offset=0&limit=200".into(),
        ]
    );
}

#[tokio::test]
async fn get_unknown_id_or_fqn_is_not_found() {
    let mut h = Harness::new().await;
    for (volume, name) in [("app-999", "app-999"), ("c1:ws1:ghost", "c1:ws1:ghost")] {
        let error = expect_error(h.volumes.get(volume).await.unwrap());
        let VolumeError::NotFound(missing) = error else {
            panic!("{volume}: got {error:?}")
        };
        assert_eq!(
            (missing.kind, missing.name.as_str()),
            (ResourceKind::Volume, name)
        );
    }
}
