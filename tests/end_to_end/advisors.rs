//! Storage classes, preflight, and the offline advisors, through the component.

use serde_json::{json, Value};
use tfy_volumes_host::bindings::{
    BrowserSettings, CacheVolumeRequest, Cloud, CreateRequest, ManifestFormat, MountRequest,
    PvProvider, SizingRequest, SnippetFormat, StaticVolumeRequest, StorageChoice, StorageNeeds,
    UseCase,
};

use crate::support::{dynamic_request, Harness};

#[tokio::test]
async fn storage_classes_come_from_the_workspace_cluster() {
    let mut h = Harness::new().await;
    let storage = h.volumes.storage_classes("c1:ws1").await.unwrap().unwrap();
    assert_eq!(
        (storage.cluster_id.as_str(), storage.cluster_type.as_str()),
        ("c1", "aws-eks")
    );
    assert_eq!(storage.cloud, Cloud::Aws);
    assert_eq!(storage.default_storage_class.as_deref(), Some("efs-sc"));
    let names: Vec<&str> = storage
        .storage_classes
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["efs-sc"]);
    assert!(storage.storage_classes[0].is_default);
    assert_eq!(storage.storage_classes[0].driver, "efs.csi.aws.com");
    assert_eq!(storage.browser_hosts, ["ml.example.com"]);
    assert_eq!(
        h.request_lines(),
        [
            "GET /api/svc/v1/workspaces?fqn=c1:ws1",
            "GET /api/svc/v1/clusters/c1"
        ]
    );
}

#[tokio::test]
async fn preflight_checks_online_and_warns_without_refusing() {
    let mut h = Harness::new().await;
    let request = CreateRequest {
        storage_class: Some("gp3".into()),
        browser: Some(BrowserSettings {
            username: None,
            password_secret_fqn: Some("tfy-secret://acme:volumes:pw".into()),
            host: "files.elsewhere.org".into(),
            path: None,
        }),
        ..dynamic_request("checked")
    };
    let plan = h.volumes.preflight(&request).await.unwrap().unwrap();
    assert!(plan.checked_online);
    assert_eq!(plan.storage_classes, ["efs-sc"]);
    assert_eq!(plan.browser_hosts, ["ml.example.com"]);
    assert_eq!(plan.warnings.len(), 2, "{:?}", plan.warnings);
    assert!(plan.warnings[0].contains("`gp3`"));
    assert!(plan.warnings[1].contains("`files.elsewhere.org`"));
    assert!(
        h.requests().iter().all(|r| r.method == "GET"),
        "preflight never writes"
    );
    let offline = h.volumes.plan(&request).await.unwrap().unwrap();
    assert!(!offline.checked_online && offline.storage_classes.is_empty());
}

#[tokio::test]
async fn advisors_answer_without_the_network() {
    let mut h = Harness::new().await;

    let size = h
        .volumes
        .recommend_size(SizingRequest {
            use_case: UseCase::ModelCache,
            parameters_billions: Some(70.0),
            precision: None,
            data_gi: None,
            model_gi: None,
            kept_checkpoints: None,
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(size.size_gi, 313);
    assert!(size.rationale.contains("twice"));

    let storage = h
        .volumes
        .recommend_storage(StorageNeeds {
            data_gi: Some(5000.0),
            cross_region_access: true,
            concurrent_pod_access: false,
            file_system_semantics: false,
            low_latency_reads: false,
            write_once_read_rarely: true,
            cost_first: false,
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(storage.choice, StorageChoice::BlobStorage);
    assert_eq!(storage.reasons.len(), 3);

    let recipe = h
        .volumes
        .static_volume_recipe(&StaticVolumeRequest {
            provider: PvProvider::AwsEfs,
            workspace_fqn: "c1:ws1".into(),
            volume_name: "shared".into(),
            persistent_volume_name: None,
            capacity_gi: None,
            file_system_id: Some("fs-0123456789abcdef0".into()),
            access_point_id: Some("fsap-0123456789abcdef0".into()),
            bucket: None,
            region: None,
            service_account: None,
            storage_account: None,
            share_or_container: None,
            resource_group: None,
        })
        .await
        .unwrap()
        .unwrap();
    let pv: Value = serde_yaml_ng::from_str(&recipe.persistent_volume_yaml).unwrap();
    assert_eq!(
        pv["spec"]["csi"]["volumeHandle"],
        "fs-0123456789abcdef0::fsap-0123456789abcdef0"
    );
    let manifest: Value = serde_json::from_str(&recipe.volume_manifest_json).unwrap();
    assert_eq!(
        manifest["config"],
        json!({"type":"static","persistent_volume_name":"shared-pv"})
    );

    let cache = h
        .volumes
        .cache_volume_snippet(&CacheVolumeRequest {
            storage_class: "efs-sc".into(),
            cache_size_gi: Some(100),
            model_gi: Some(80.0),
            format: ManifestFormat::Yaml,
        })
        .await
        .unwrap()
        .unwrap();
    let parsed: Value = serde_yaml_ng::from_str(&cache.text).unwrap();
    assert_eq!(
        parsed,
        json!({"artifacts_download":{"cache_volume":{"storage_class":"efs-sc","cache_size":100}}})
    );
    assert!(cache.warnings[0].contains("at least 160 GB"));

    let shared = h
        .volumes
        .mount_snippet(&MountRequest {
            volume_fqn: "c1:ws1:shared".into(),
            mount_path: "/data".into(),
            sub_path: None,
            format: SnippetFormat::JsonMount,
            per_pod_directories: true,
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&shared.text).unwrap()["volume_fqn"],
        "tfy-volume://c1:ws1:shared"
    );
    assert!(shared.warnings[0].contains("/data/<pod name>"));

    assert!(h.requests().is_empty());
}
