//! Every local rule refuses bad input with the field named, before any request is sent.

use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, MountRequest, SnippetFormat, VolumeError, VolumeKind,
};

use crate::support::{dynamic_request, Harness};

fn with_browser(edit: fn(&mut BrowserSettings)) -> CreateRequest {
    let mut browser = BrowserSettings {
        username: None,
        password_secret_fqn: Some("tfy-secret://acme:volumes:pw".into()),
        host: "files.ml.example.com".into(),
        path: None,
    };
    edit(&mut browser);
    CreateRequest {
        browser: Some(browser),
        ..dynamic_request("data")
    }
}

fn field_of(outcome: Result<impl std::fmt::Debug, VolumeError>) -> String {
    match outcome {
        Err(VolumeError::InvalidInput(problem)) => {
            assert!(!problem.problem.is_empty() && !problem.fix.is_empty());
            problem.field
        }
        other => panic!("expected invalid-input, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_create_requests_name_the_field_and_send_nothing() {
    let statik = |edit: fn(&mut CreateRequest)| {
        let mut request = CreateRequest {
            kind: VolumeKind::Static,
            size_gi: None,
            storage_class: None,
            persistent_volume_name: Some("datasets-pv".into()),
            ..dynamic_request("data")
        };
        edit(&mut request);
        request
    };
    let cases: Vec<(CreateRequest, &str)> = vec![
        (
            CreateRequest {
                workspace_fqn: "ws1".into(),
                ..dynamic_request("data")
            },
            "workspace-fqn",
        ),
        (
            CreateRequest {
                workspace_fqn: "c1:ws1:extra".into(),
                ..dynamic_request("data")
            },
            "workspace-fqn",
        ),
        (dynamic_request("ab"), "name"),
        (dynamic_request("Data"), "name"),
        (dynamic_request("data--set"), "name"),
        (dynamic_request("data-"), "name"),
        (dynamic_request(&"a".repeat(33)), "name"),
        (
            CreateRequest {
                size_gi: Some(0),
                ..dynamic_request("data")
            },
            "size-gi",
        ),
        (
            CreateRequest {
                size_gi: Some(64_001),
                ..dynamic_request("data")
            },
            "size-gi",
        ),
        (
            CreateRequest {
                size_gi: None,
                ..dynamic_request("data")
            },
            "size-gi",
        ),
        (
            CreateRequest {
                storage_class: None,
                ..dynamic_request("data")
            },
            "storage-class",
        ),
        (
            CreateRequest {
                storage_class: Some("EFS".into()),
                ..dynamic_request("data")
            },
            "storage-class",
        ),
        (
            statik(|r| r.persistent_volume_name = None),
            "persistent-volume-name",
        ),
        (statik(|r| r.size_gi = Some(10)), "size-gi"),
        (
            with_browser(|b| b.username = Some("ad".into())),
            "browser.username",
        ),
        (
            with_browser(|b| b.username = Some("administrator".into())),
            "browser.username",
        ),
        (
            with_browser(|b| b.password_secret_fqn = Some("c1:ws1:pw".into())),
            "browser.password-secret-fqn",
        ),
        (
            with_browser(|b| b.host = "localhost".into()),
            "browser.host",
        ),
        (
            with_browser(|b| b.host = "*.ml.example.com".into()),
            "browser.host",
        ),
        (
            with_browser(|b| b.path = Some("data/".into())),
            "browser.path",
        ),
        (
            with_browser(|b| b.path = Some("/data".into())),
            "browser.path",
        ),
    ];
    let mut h = Harness::new().await;
    for (request, field) in cases {
        assert_eq!(
            field_of(h.volumes.create(&request).await.unwrap()),
            field,
            "{request:?}"
        );
        assert_eq!(
            field_of(h.volumes.plan(&request).await.unwrap()),
            field,
            "plan {request:?}"
        );
    }
    assert_eq!(h.request_lines(), Vec::<String>::new());
}

#[tokio::test]
async fn invalid_list_get_and_mount_arguments_send_nothing() {
    let mut h = Harness::new().await;
    assert_eq!(
        field_of(h.volumes.list("no-colon").await.unwrap()),
        "workspace-fqn"
    );
    assert_eq!(field_of(h.volumes.list("").await.unwrap()), "workspace-fqn");
    assert_eq!(
        field_of(h.volumes.get("../etc/passwd").await.unwrap()),
        "volume"
    );
    assert_eq!(field_of(h.volumes.get("c1:ws1").await.unwrap()), "volume");
    assert_eq!(field_of(h.volumes.get("").await.unwrap()), "volume");
    let mount = |volume: &str, path: &str, sub: Option<&str>| MountRequest {
        volume_fqn: volume.into(),
        mount_path: path.into(),
        sub_path: sub.map(Into::into),
        format: SnippetFormat::JsonMount,
        per_pod_directories: false,
    };
    for (request, field) in [
        (mount("my-volume", "/data", None), "volume-fqn"),
        (
            mount("tfy-secret://c1:ws1:v1x", "/data", None),
            "volume-fqn",
        ),
        (mount("c1:ws1:data", "data", None), "mount-path"),
        (mount("c1:ws1:data", "/", None), "mount-path"),
        (mount("c1:ws1:data", "/data/", None), "mount-path"),
        (mount("c1:ws1:data", "/data", Some("/models")), "sub-path"),
        (mount("c1:ws1:data", "/data", Some("../up")), "sub-path"),
    ] {
        assert_eq!(
            field_of(h.volumes.mount_snippet(&request).await.unwrap()),
            field,
            "{request:?}"
        );
    }
    assert_eq!(h.request_lines(), Vec::<String>::new());
}
