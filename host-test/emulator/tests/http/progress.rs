//! Deployment status progression: INITIALIZED, then DEPLOY_SUCCESS or DEPLOY_FAILED.

use serde_json::json;

use crate::support::*;

#[test]
fn status_turns_terminal_after_reads_until_ready_reads() {
    let emu = start(2);
    let dep = create(&emu, "ws-1", dynamic("data", "efs-sc", 1));
    assert_eq!(status_of(&dep), ("INITIALIZED".to_string(), false));
    // Emulator::application does not count as a read.
    for _ in 0..3 {
        assert_eq!(
            status_of(&emu.application("app-1").expect("app")).0,
            "INITIALIZED"
        );
    }
    assert_eq!(status_of(&get_app(&emu, "app-1")).0, "INITIALIZED");
    // A list page containing the app is a read too.
    let list = get(&emu, "/api/svc/v1/apps?workspaceFqn=c1:ws1").json();
    assert_eq!(status_of(&list["data"][0]).0, "INITIALIZED");
    let app = get_app(&emu, "app-1");
    assert_eq!(status_of(&app), ("DEPLOY_SUCCESS".to_string(), true));
    let st = &app["deployment"]["currentStatus"];
    assert_eq!(
        st["state"],
        json!({"isTerminalState": true, "display": "Running"})
    );
    assert_eq!(st["transition"], "");
    assert_ne!(
        app["deployment"]["currentStatusId"], "st-1",
        "a new status row"
    );
    assert_eq!(app["deployment"]["currentStatusId"], st["id"]);
    assert_eq!(status_of(&get_app(&emu, "app-1")).0, "DEPLOY_SUCCESS");
}

#[test]
fn deployments_fail_for_unknown_storage_class_or_missing_pv() {
    let emu = start(1);
    let missing_class = "storageclass.storage.k8s.io \"premium-rwx\" not found";
    let missing_pv = "persistentvolume \"pv-404\" not found";
    #[rustfmt::skip] // (workspace, manifest, final status, status message)
    let cases = [
        ("ws-1", dynamic("bad-class", "premium-rwx", 1), "DEPLOY_FAILED", Some(missing_class)),
        ("ws-1", static_volume("bad-pv", "pv-404"), "DEPLOY_FAILED", Some(missing_pv)),
        ("ws-1", static_volume("good-pv", "pv-1"), "DEPLOY_SUCCESS", None),
        // Cluster c2 lists no storage classes: any class is accepted.
        ("ws-3", dynamic("any-class", "whatever", 1), "DEPLOY_SUCCESS", None),
    ];
    for (ws, manifest, want, message) in cases {
        let dep = create(&emu, ws, manifest);
        let id = dep["applicationId"].as_str().unwrap_or("").to_string();
        assert_eq!(status_of(&get_app(&emu, &id)).0, "INITIALIZED", "{id}");
        let app = get_app(&emu, &id);
        let st = &app["deployment"]["currentStatus"];
        assert_eq!(st["status"], want, "{id}");
        assert_eq!(st["state"]["isTerminalState"], json!(true));
        match message {
            Some(m) => {
                assert_eq!(st["message"], m, "{id}");
                assert_eq!(st["state"]["display"], "Failed");
                assert_eq!(app["activeVersion"], json!(0));
            }
            None => assert!(st.get("message").is_none(), "{st}"),
        }
    }
}

#[test]
fn zero_reads_until_ready_is_terminal_at_once() {
    let emu = start(0);
    let dep = create(&emu, "ws-1", dynamic("data", "efs-sc", 1));
    assert_eq!(status_of(&dep), ("DEPLOY_SUCCESS".to_string(), true));
}

// ---------------------------------------------------------------------------------------------
