//! The way back: a volume whose create failed is repaired in place when the caller asks, and
//! a volume is deleted only when the caller repeats its name, with the control plane's
//! asynchronous deletion followed to the end.

use tfy_volumes_host::bindings::{
    CreateRequest, StatusPhase, VolumeError, VolumeLifecycle, WaitOptions,
};

use crate::support::{
    body, dynamic_request, dynamic_volume, expect_error, seed, Harness, ADMIN_KEY, WS,
};

fn waiting() -> Option<WaitOptions> {
    Some(WaitOptions {
        interval_seconds: Some(1),
        timeout_seconds: Some(30),
    })
}

#[tokio::test]
async fn a_create_that_failed_on_a_mistyped_storage_class_is_repaired_in_place() {
    let mut h = Harness::new().await;
    let typo = CreateRequest {
        storage_class: Some("efs-cs".into()),
        wait: waiting(),
        ..dynamic_request("logs")
    };
    let failed = expect_error(h.volumes.create(&typo).await.unwrap());
    let VolumeError::StorageClassUnavailable(failure) = &failed else {
        panic!("expected storage-class-unavailable, got {failed:?}");
    };
    assert_eq!(failure.missing_name, "efs-cs");
    assert!(failure.fix.contains("replace-failed"), "{}", failure.fix);

    // Creating again without saying so is refused, as for any taken name.
    let again = expect_error(h.volumes.create(&dynamic_request("logs")).await.unwrap());
    assert!(matches!(again, VolumeError::AlreadyExists(_)), "{again:?}");

    let repair = CreateRequest {
        replace_failed: true,
        wait: waiting(),
        ..dynamic_request("logs")
    };
    let repaired = h.volumes.create(&repair).await.unwrap().unwrap();
    assert_eq!(repaired.status.phase, StatusPhase::Running);
    assert_eq!(repaired.storage_class.as_deref(), Some("efs-sc"));
    assert_eq!(
        repaired.version,
        Some(2),
        "the corrected manifest is a new version"
    );
    let puts: Vec<_> = h
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 2);
    assert_eq!(
        body(&puts[1])["manifest"]["config"]["storage_class"],
        "efs-sc"
    );
    assert_eq!(h.emulator.applications_in(WS).len(), 1, "still one volume");
}

#[tokio::test]
async fn a_volume_that_ran_is_never_replaced() {
    let mut seeded = seed();
    seeded.volumes.push(dynamic_volume(WS, "datasets", 50));
    let mut h = Harness::with(seeded, ADMIN_KEY).await;
    let repair = CreateRequest {
        replace_failed: true,
        ..dynamic_request("datasets")
    };
    let error = expect_error(h.volumes.create(&repair).await.unwrap());
    let VolumeError::InvalidInput(problem) = &error else {
        panic!("expected invalid-input, got {error:?}");
    };
    assert_eq!(problem.field, "replace-failed");
    assert!(
        problem
            .problem
            .contains("its latest deployment did not fail")
            || problem.problem.contains("has run before"),
        "{}",
        problem.problem
    );
    assert!(
        h.requests().iter().all(|r| r.method == "GET"),
        "nothing written"
    );
}

#[tokio::test]
async fn delete_needs_the_volume_name_repeated_then_follows_the_deletion_to_the_end() {
    let mut seeded = seed();
    seeded.volumes.push(dynamic_volume(WS, "scratch", 10));
    let mut h = Harness::with(seeded, ADMIN_KEY).await;

    let refused = expect_error(h.volumes.delete("c1:ws1:scratch", "scratc").await.unwrap());
    let VolumeError::InvalidInput(problem) = &refused else {
        panic!("expected invalid-input, got {refused:?}");
    };
    assert_eq!(problem.field, "confirm-name");
    assert!(problem.fix.contains("`scratch`"), "{}", problem.fix);
    assert!(h.requests().iter().all(|r| r.method != "DELETE"));

    let deleted = h
        .volumes
        .delete("c1:ws1:scratch", "scratch")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(deleted.fqn, "c1:ws1:scratch");
    assert_eq!(deleted.lifecycle, VolumeLifecycle::Active, "as it was");
    let lines = h.request_lines();
    let delete_at = lines
        .iter()
        .position(|line| line == &format!("DELETE /api/svc/v1/apps/{}", deleted.id))
        .expect("a DELETE was sent");
    // Answered once more as deleting, then gone.
    assert_eq!(
        lines[delete_at + 1..],
        [
            format!("GET /api/svc/v1/apps/{}", deleted.id),
            format!("GET /api/svc/v1/apps/{}", deleted.id),
        ]
    );
    assert!(h.emulator.applications_in(WS).is_empty());

    let gone = expect_error(h.volumes.delete("c1:ws1:scratch", "scratch").await.unwrap());
    assert!(matches!(gone, VolumeError::NotFound(_)), "{gone:?}");
}

#[tokio::test]
async fn a_volume_still_mounted_fails_to_delete_and_stays() {
    let mut seeded = seed();
    let mut mounted = dynamic_volume(WS, "shared", 10);
    mounted.mounted_by = vec!["c1:ws1:trainer".into()];
    seeded.volumes.push(mounted);
    let mut h = Harness::with(seeded, ADMIN_KEY).await;
    let error = expect_error(h.volumes.delete("c1:ws1:shared", "shared").await.unwrap());
    let VolumeError::DeletionFailed(failure) = &error else {
        panic!("expected deletion-failed, got {error:?}");
    };
    assert_eq!(failure.volume_fqn, "c1:ws1:shared");
    assert!(
        failure.fix.contains("tfy-volume://c1:ws1:shared"),
        "{}",
        failure.fix
    );
    assert_eq!(h.emulator.applications_in(WS).len(), 1);
}
