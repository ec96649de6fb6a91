//! `PUT /apps` on an existing volume: new versions, immutable fields, the 409 of a deployment in progress.

use serde_json::{json, Value};

use crate::support::*;

#[test]
fn put_with_an_existing_name_adds_a_version() {
    let emu = start(0);
    let v1 = create(&emu, "ws-1", dynamic("data", "efs-sc", 100));
    let v2 = create(&emu, "ws-1", dynamic("data", "efs-sc", 150));
    assert_eq!(v2["version"], json!(2));
    assert_eq!(v2["fqn"], "c1:ws1:data:2");
    assert_eq!(v2["applicationId"], v1["applicationId"]);
    assert_ne!(v2["id"], v1["id"]);
    let app = get_app(&emu, "app-1");
    assert_eq!(app["lastVersion"], json!(2));
    assert_eq!(app["activeVersion"], json!(2));
    assert_eq!(app["deployment"]["manifest"]["config"]["size"], json!(150));
    assert_eq!(emu.applications_in("c1:ws1").len(), 1);
    // The same name in another workspace is another application.
    let other = create(&emu, "ws-2", dynamic("data", "efs-sc", 1));
    assert_eq!(other["applicationId"], "app-2");
    assert_eq!(other["version"], json!(1));
}

#[test]
fn updates_cannot_shrink_or_change_type_or_storage_class() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("data", "efs-sc", 100));
    let cases: [(&str, Value, &str); 3] = [
        ("shrink", dynamic("data", "efs-sc", 50), "cannot be reduced"),
        (
            "class",
            dynamic("data", "gp3", 100),
            "manifest.config.storage_class",
        ),
        (
            "type",
            static_volume("data", "pv-1"),
            "manifest.config.type",
        ),
    ];
    for (label, manifest, fragment) in cases {
        let msg = error_message(
            &put(&emu, &json!({"manifest": manifest, "workspaceId": "ws-1"})),
            400,
        );
        assert!(msg.contains(fragment), "{label}: {msg}");
    }
    assert_eq!(get_app(&emu, "app-1")["lastVersion"], json!(1));
    // Same size is fine.
    assert_eq!(
        create(&emu, "ws-1", dynamic("data", "efs-sc", 100))["version"],
        json!(2)
    );
}

#[test]
fn a_failed_deployment_does_not_pin_the_storage_class() {
    let emu = start(0);
    let failed = create(&emu, "ws-1", dynamic("data", "missing-sc", 100));
    assert_eq!(status_of(&failed).0, "DEPLOY_FAILED");
    let fixed = create(&emu, "ws-1", dynamic("data", "efs-sc", 10));
    assert_eq!(fixed["version"], json!(2));
    assert_eq!(status_of(&fixed), ("DEPLOY_SUCCESS".to_string(), true));
}

#[test]
fn update_while_a_deployment_is_in_progress_conflicts_unless_forced() {
    let emu = start(5);
    create(&emu, "ws-1", dynamic("data", "efs-sc", 100));
    let body = json!({"manifest": dynamic("data", "efs-sc", 200), "workspaceId": "ws-1"});
    let msg = error_message(&put(&emu, &body), 409);
    assert!(
        msg.contains("in progress") && msg.contains("forceDeploy"),
        "{msg}"
    );

    let mut forced = body.clone();
    forced["forceDeploy"] = json!(true);
    let v2 = put(&emu, &forced);
    assert_eq!(v2.status, 200, "{}", v2.text());
    assert_eq!(v2.json()["data"]["version"], json!(2));
    assert_eq!(status_of(&v2.json()["data"]).0, "INITIALIZED");
}

// ---------------------------------------------------------------------------------------------
