//! Asynchronous deletion (`docs/truefoundry-api.md` §2.5): `DELETE /apps/{id}` answers 200
//! `{message}`, the application is answered once more as `deleting` (by id or in a list), then
//! it is gone; a mounted volume's deletion fails and the volume stays.

use serde_json::json;
use truefoundry_emulator::{Emulator, SeedVolume};

use crate::support::*;

/// Asserts the 200 `{message}` answer of an accepted `DELETE`.
fn assert_deletion_initiated(resp: &Resp, id: &str) {
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(
        resp.json(),
        json!({"message": format!("Deletion of application {id} initiated")})
    );
}

fn names_listed(emu: &Emulator, query: &str) -> Vec<(String, String)> {
    let resp = get(emu, &format!("/api/svc/v1/apps?workspaceFqn=c1:ws1{query}"));
    assert_eq!(resp.status, 200, "{}", resp.text());
    let page = resp.json();
    let data = page["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(page["pagination"]["total"], json!(data.len()), "{page}");
    data.iter()
        .map(|app| {
            (
                app["name"].as_str().unwrap_or_default().to_string(),
                app["lifecycleStage"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

fn pair(name: &str, stage: &str) -> (String, String) {
    (name.to_string(), stage.to_string())
}

#[test]
fn get_and_delete_unknown_applications_are_404() {
    let emu = start(0);
    let msg = error_message(&get(&emu, "/api/svc/v1/apps/app-404"), 404);
    assert!(msg.contains("app-404"), "{msg}");
    let resp = call(
        &emu,
        "DELETE",
        "/api/svc/v1/apps/app-404",
        Some(ADMIN),
        None,
    );
    error_message(&resp, 404);
}

#[test]
fn a_deleted_application_is_answered_once_as_deleting_then_is_gone() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("keep", "efs-sc", 1));
    create(&emu, "ws-1", dynamic("drop", "efs-sc", 1));
    let before = get_app(&emu, "app-2");
    assert_deletion_initiated(&delete(&emu, "app-2"), "app-2");

    let last = get_app(&emu, "app-2");
    assert_eq!(last["lifecycleStage"], "deleting");
    let mut unchanged = last.clone();
    unchanged["lifecycleStage"] = json!("active");
    unchanged["updatedAt"] = before["updatedAt"].clone();
    assert_eq!(unchanged, before, "only the stage (and updatedAt) changed");

    let msg = error_message(&get(&emu, "/api/svc/v1/apps/app-2"), 404);
    assert_eq!(msg, "Application with id app-2 not found");
    assert!(emu.application("app-2").is_none());
    assert_eq!(names_listed(&emu, ""), [pair("keep", "active")]);
    // The name is free again: a new application, version 1.
    let again = create(&emu, "ws-1", dynamic("drop", "efs-sc", 1));
    assert_eq!(again["applicationId"], "app-3");
    assert_eq!(again["version"], json!(1));
}

#[test]
fn a_list_answers_a_deleting_application_once() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("keep", "efs-sc", 1));
    create(&emu, "ws-1", dynamic("drop", "efs-sc", 1));
    assert_deletion_initiated(&delete(&emu, "app-2"), "app-2");
    // Inspecting the emulator does not count as an answer.
    assert_eq!(
        emu.application("app-2")
            .map(|app| app["lifecycleStage"].clone()),
        Some(json!("deleting"))
    );
    // A list that filters it out does not count either.
    assert_eq!(
        names_listed(&emu, "&lifecycleStage=active"),
        [pair("keep", "active")]
    );
    assert_eq!(
        names_listed(&emu, ""),
        [pair("keep", "active"), pair("drop", "deleting")]
    );
    assert_eq!(names_listed(&emu, ""), [pair("keep", "active")]);
    error_message(&get(&emu, "/api/svc/v1/apps/app-2"), 404);
    error_message(&delete(&emu, "app-2"), 404);
}

#[test]
fn deleting_cancels_a_deployment_in_progress() {
    let emu = start(5);
    create(&emu, "ws-1", dynamic("busy", "efs-sc", 1));
    assert_deletion_initiated(&delete(&emu, "app-1"), "app-1");
    let last = get_app(&emu, "app-1");
    assert_eq!(last["lifecycleStage"], "deleting");
    let status = &last["deployment"]["currentStatus"];
    assert_eq!(status["status"], "CANCELLED");
    assert_eq!(status["state"]["isTerminalState"], json!(true));
    assert_eq!(
        status["message"],
        "Cancelled: the application is being deleted"
    );
    assert_eq!(status["id"], "st-2", "a new status, as every change has");
    error_message(&get(&emu, "/api/svc/v1/apps/app-1"), 404);
}

#[test]
fn a_volume_being_deleted_takes_no_new_version_and_a_second_delete_changes_nothing() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("drop", "efs-sc", 1));
    assert_deletion_initiated(&delete(&emu, "app-1"), "app-1");
    let refused = put(
        &emu,
        &json!({"manifest": dynamic("drop", "efs-sc", 2), "workspaceId": "ws-1"}),
    );
    assert_eq!(
        error_message(&refused, 409),
        "Application drop is being deleted; wait until it is gone, then create it again"
    );
    assert_deletion_initiated(&delete(&emu, "app-1"), "app-1");
    assert_eq!(get_app(&emu, "app-1")["lifecycleStage"], "deleting");
    error_message(&get(&emu, "/api/svc/v1/apps/app-1"), 404);
}

#[test]
fn a_mounted_volume_fails_to_delete_and_stays_as_it_was() {
    let mut seed = world(0);
    seed.volumes.push(SeedVolume {
        workspace_fqn: "c1:ws1".to_string(),
        manifest: dynamic("in-use", "efs-sc", 10),
        status: None,
        mounted_by: vec!["trainer".to_string()],
    });
    let emu = Emulator::start(seed).expect("emulator starts");
    let before = get_app(&emu, "app-1");
    assert_deletion_initiated(&delete(&emu, "app-1"), "app-1");
    assert_eq!(get_app(&emu, "app-1")["lifecycleStage"], "deleting");
    for _ in 0..2 {
        let app = get_app(&emu, "app-1");
        assert_eq!(app["lifecycleStage"], "deletion_failed");
        assert_eq!(
            app["deployment"], before["deployment"],
            "nothing was undone"
        );
        assert_eq!(app["activeVersion"], json!(1));
    }
    assert_eq!(names_listed(&emu, ""), [pair("in-use", "deletion_failed")]);
    assert_eq!(
        names_listed(&emu, "&lifecycleStage=deletion_failed,deleting"),
        [pair("in-use", "deletion_failed")]
    );
    // The volume is still usable: a new version makes it active again.
    let grown = create(&emu, "ws-1", dynamic("in-use", "efs-sc", 20));
    assert_eq!(grown["version"], json!(2));
    assert_eq!(get_app(&emu, "app-1")["lifecycleStage"], "active");
}
