//! Secret hygiene: with a canary API key, run every export on success and failure paths and
//! prove the key shows up in no result, error, snippet or guest output — even when a server
//! echoes it back — and in no request except its `Authorization` header.

use tfy_volumes_host::bindings::{
    CacheVolumeRequest, CreateRequest, ExpandRequest, ManifestFormat, MountRequest, SizingRequest,
    SnippetFormat, StorageNeeds, UseCase, WaitOptions,
};
use tfy_volumes_host::Grant;
use truefoundry_emulator::{Fault, FaultRule};

use crate::support::{dynamic_request, runtime, seed, Harness, ADMIN_KEY, WS};

/// Everything a call returned, rendered the way a host would log it.
fn shown<T: std::fmt::Debug>(outcome: &wasmtime::Result<T>) -> String {
    format!("{outcome:?}")
}

#[tokio::test]
async fn the_api_key_never_leaves_the_authorization_header() {
    let mut h = Harness::with(seed(), ADMIN_KEY).await;
    let mut seen = Vec::new();
    let quick = Some(WaitOptions {
        interval_seconds: Some(1),
        timeout_seconds: Some(10),
    });

    seen.push(shown(&h.volumes.plan(&dynamic_request("canary-vol")).await));
    seen.push(shown(
        &h.volumes.preflight(&dynamic_request("canary-vol")).await,
    ));
    seen.push(shown(
        &h.volumes
            .create(&CreateRequest {
                wait: quick,
                ..dynamic_request("canary-vol")
            })
            .await,
    ));
    seen.push(shown(&h.volumes.list(WS).await));
    seen.push(shown(&h.volumes.get("c1:ws1:canary-vol").await));
    seen.push(shown(&h.volumes.status("c1:ws1:canary-vol").await));
    seen.push(shown(&h.volumes.wait("c1:ws1:canary-vol", quick).await));
    let expand = ExpandRequest {
        volume: "c1:ws1:canary-vol".into(),
        new_size_gi: 200,
        expected_version: None,
        wait: quick,
    };
    seen.push(shown(&h.volumes.expand(&expand).await));
    seen.push(shown(&h.volumes.storage_classes(WS).await));
    seen.push(shown(
        &h.volumes
            .mount_snippet(&MountRequest {
                volume_fqn: "c1:ws1:canary-vol".into(),
                mount_path: "/data".into(),
                sub_path: None,
                format: SnippetFormat::PythonSdk,
                per_pod_directories: true,
            })
            .await,
    ));
    seen.push(shown(
        &h.volumes
            .recommend_size(SizingRequest {
                use_case: UseCase::General,
                parameters_billions: None,
                precision: None,
                data_gi: None,
                model_gi: None,
                kept_checkpoints: None,
            })
            .await,
    ));
    seen.push(shown(
        &h.volumes
            .recommend_storage(StorageNeeds {
                data_gi: None,
                cross_region_access: false,
                concurrent_pod_access: true,
                file_system_semantics: false,
                low_latency_reads: false,
                write_once_read_rarely: false,
                cost_first: false,
            })
            .await,
    ));
    seen.push(shown(
        &h.volumes
            .cache_volume_snippet(&CacheVolumeRequest {
                storage_class: "efs-sc".into(),
                cache_size_gi: None,
                model_gi: None,
                format: ManifestFormat::Yaml,
            })
            .await,
    ));
    // Failure paths: a refusal, a missing volume, and servers that echo the key back.
    seen.push(shown(
        &h.volumes.create(&dynamic_request("canary-vol")).await,
    ));
    seen.push(shown(&h.volumes.get("app-999").await));
    for status in [400, 401, 403, 409, 500] {
        h.emulator.inject(FaultRule {
            method: None,
            path_prefix: None,
            times: Some(1),
            fault: Fault::Status {
                status,
                body: format!(
                    r#"{{"statusCode":{status},"message":"bad token {ADMIN_KEY} for you"}}"#
                ),
                headers: Vec::new(),
            },
        });
        seen.push(shown(&h.volumes.get("c1:ws1:canary-vol").await));
    }
    h.emulator.inject(FaultRule::always(Fault::Status {
        status: 200,
        body: format!("not json {ADMIN_KEY}"),
        headers: Vec::new(),
    }));
    seen.push(shown(&h.volumes.list(WS).await));
    seen.push(h.volumes.stderr());

    assert!(seen.len() >= 20);
    for (index, text) in seen.iter().enumerate() {
        assert!(
            !text.contains(ADMIN_KEY),
            "call {index} leaked the key: {text}"
        );
    }
    // The echoed messages arrive redacted, not dropped.
    assert!(seen
        .iter()
        .any(|text| text.contains("bad token [redacted] for you")));
    // Every request carried the key in its Authorization header (checked again on drop).
    let requests = h.requests();
    assert!(requests.len() > 10);
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {ADMIN_KEY}").as_str())
        );
    }
}

#[tokio::test]
async fn a_malformed_key_is_reported_without_echoing_it() {
    let canary = "sk-canary with-space";
    let mut volumes = runtime()
        .instantiate(&Grant::new("http://127.0.0.1:9", canary))
        .await
        .unwrap();
    let outcome = volumes.list(WS).await;
    let text = format!("{outcome:?}");
    assert!(text.contains("MissingConfiguration"), "{text}");
    assert!(!text.contains("sk-canary"), "{text}");
    assert!(!format!("{:?}", Grant::new("http://x", canary)).contains("sk-canary"));
}
