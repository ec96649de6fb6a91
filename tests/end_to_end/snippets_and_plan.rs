//! `mount-snippet` and `plan`: pure functions, checked through the component, no network.

use serde_json::{json, Value};
use tfy_volumes_host::bindings::{BrowserSettings, CreateRequest, MountRequest, SnippetFormat};

use crate::support::{dynamic_request, Harness};

fn mount(format: SnippetFormat, sub_path: Option<&str>) -> MountRequest {
    MountRequest {
        volume_fqn: "c1:ws1:training-data".into(),
        mount_path: "/mnt/data".into(),
        sub_path: sub_path.map(Into::into),
        format,
        per_pod_directories: false,
    }
}

/// The snippet's text; a plain mount carries no warnings.
async fn text(h: &mut Harness, request: &MountRequest) -> String {
    let snippet = h.volumes.mount_snippet(request).await.unwrap().unwrap();
    assert_eq!(snippet.warnings, Vec::<String>::new());
    snippet.text
}

#[tokio::test]
async fn every_snippet_format_carries_the_tfy_volume_reference() {
    let mut h = Harness::new().await;
    let entry = json!({"type":"volume","mount_path":"/mnt/data",
                       "volume_fqn":"tfy-volume://c1:ws1:training-data","sub_path":"models"});

    let json_mount = text(&mut h, &mount(SnippetFormat::JsonMount, Some("models"))).await;
    assert_eq!(serde_json::from_str::<Value>(&json_mount).unwrap(), entry);

    let service = text(
        &mut h,
        &mount(SnippetFormat::ServiceManifest, Some("models")),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&service).unwrap(),
        json!({"type":"service","mounts":[entry]})
    );

    let job = text(&mut h, &mount(SnippetFormat::JobManifest, Some("models"))).await;
    assert_eq!(
        serde_json::from_str::<Value>(&job).unwrap(),
        json!({"type":"job","mounts":[entry]})
    );

    let yaml = text(&mut h, &mount(SnippetFormat::Yaml, Some("models"))).await;
    let parsed: Value = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(parsed, json!({"mounts":[entry]}));

    let python = text(&mut h, &mount(SnippetFormat::PythonSdk, None)).await;
    assert!(
        python.starts_with("from truefoundry.deploy import VolumeMount\n"),
        "{python}"
    );
    assert!(python.contains("    mount_path=\"/mnt/data\",\n"));
    assert!(python.contains("    volume_fqn=\"tfy-volume://c1:ws1:training-data\",\n"));
    assert!(!python.contains("sub_path"));

    assert!(h.requests().is_empty(), "snippets never touch the network");
}

#[tokio::test]
async fn plan_summarizes_without_touching_the_network() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        browser: Some(BrowserSettings {
            username: None,
            password_secret_fqn: None,
            host: "files.ml.example.com".into(),
            path: None,
        }),
        ..dynamic_request("training-data")
    };
    let plan = h.volumes.plan(&request).await.unwrap().unwrap();
    for fact in [
        "Create volume `training-data`",
        "Workspace:        c1:ws1",
        "Size:             100 Gi",
        "Storage class:    efs-sc",
        "Volume Browser:   https://files.ml.example.com/training-data/",
        "Browser username: admin",
        "never reduced",
    ] {
        assert!(
            plan.summary.contains(fact),
            "missing {fact:?} in\n{}",
            plan.summary
        );
    }
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].contains("password secret"));
    let manifest: Value = serde_json::from_str(&plan.manifest_json).unwrap();
    assert_eq!(
        manifest["config"],
        json!({"type":"dynamic","storage_class":"efs-sc","size":100})
    );
    assert!(h.requests().is_empty());
}
