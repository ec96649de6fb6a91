//! What the control plane refuses: bad key, missing permission, server-side validation.

use tfy_volumes_host::bindings::VolumeError;
use truefoundry_emulator::{Fault, FaultRule};

use crate::support::{dynamic_request, expect_error, seed, Harness, READER_KEY, WS};

#[tokio::test]
async fn a_bad_api_key_is_unauthorized() {
    let mut h = Harness::with(seed(), "sk-wrong-key-0000").await;
    let error = expect_error(h.volumes.list(WS).await.unwrap());
    let VolumeError::Unauthorized(reply) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(reply.status, 401);
    assert_eq!(reply.message, "Unauthorized");
    assert!(reply.fix.contains("TFY_API_KEY"));
    assert!(!format!("{reply:?}").contains("sk-wrong-key-0000"));
    assert_eq!(h.requests().len(), 1);
}

#[tokio::test]
async fn a_read_only_key_cannot_create() {
    let mut h = Harness::with(seed(), READER_KEY).await;
    let error = expect_error(h.volumes.create(&dynamic_request("data")).await.unwrap());
    let VolumeError::PermissionDenied(reply) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(reply.status, 403);
    assert!(!reply.message.is_empty());
    assert!(reply.fix.contains("access"));
    assert_eq!(h.emulator.applications_in(WS).len(), 0);
    // The lookups before the PUT are reads, which a reader may do.
    let methods: Vec<String> = h.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["GET", "GET", "PUT"]);
}

#[tokio::test]
async fn a_server_validation_error_is_rejected_with_its_message() {
    let mut h = Harness::new().await;
    h.emulator.inject(FaultRule {
        method: Some("PUT".into()),
        path_prefix: Some("/api/svc/v1/apps".into()),
        times: Some(1),
        fault: Fault::Status {
            status: 400,
            body: r#"{"statusCode":400,"message":"manifest.config.storage_class: storage class efs-sc is disabled for this workspace"}"#.into(),
            headers: vec![("content-type".into(), "application/json".into())],
        },
    });
    let error = expect_error(h.volumes.create(&dynamic_request("data")).await.unwrap());
    let VolumeError::Rejected(reply) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.message,
        "manifest.config.storage_class: storage class efs-sc is disabled for this workspace"
    );
}

#[tokio::test]
async fn a_conflicting_deployment_is_a_conflict() {
    let mut h = Harness::new().await;
    h.emulator.inject(FaultRule {
        method: Some("PUT".into()),
        path_prefix: None,
        times: Some(1),
        fault: Fault::Status {
            status: 409,
            body: r#"{"statusCode":409,"message":"A deployment is already in progress"}"#.into(),
            headers: Vec::new(),
        },
    });
    let error = expect_error(h.volumes.create(&dynamic_request("data")).await.unwrap());
    let VolumeError::Conflict(reply) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(
        (reply.status, reply.message.as_str()),
        (409, "A deployment is already in progress")
    );
}
