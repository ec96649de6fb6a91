//! API keys: unknown keys get 401, read-only keys 403 on writes, workspace-scoped keys see only their workspaces.

use std::time::Duration;

use serde_json::json;

use crate::support::*;

#[test]
fn requests_without_a_known_bearer_key_get_401() {
    let emu = start(0);
    let cases: [(&str, Option<&str>); 5] = [
        ("no header", None),
        ("wrong key", Some("Bearer not-a-key")),
        ("other scheme", Some("Basic admin-key")),
        ("empty token", Some("Bearer ")),
        ("no scheme", Some(ADMIN)),
    ];
    for (label, auth) in cases {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let resp = send(
            emu.addr(),
            "GET",
            "/api/svc/v1/workspaces",
            &headers,
            b"",
            Duration::from_secs(10),
        )
        .expect(label);
        assert_eq!(resp.status, 401, "{label}");
        assert_eq!(
            resp.json(),
            json!({"statusCode": 401, "message": "Unauthorized"}),
            "{label}"
        );
        assert!(!resp.text().contains("not-a-key"), "{label}: token echoed");
    }
    let ok = get(&emu, "/api/svc/v1/workspaces");
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("content-type"),
        Some("application/json; charset=utf-8")
    );
}

#[test]
fn read_only_key_reads_but_cannot_write() {
    let emu = start(0);
    let app = create(&emu, "ws-1", dynamic("data", "efs-sc", 10));
    let app_id = app["applicationId"].as_str().expect("applicationId");
    let list = call(&emu, "GET", "/api/svc/v1/apps", Some(READ_ONLY), None);
    assert_eq!(list.json()["pagination"]["total"], json!(1));
    let body = json!({"manifest": dynamic("other", "efs-sc", 10), "workspaceId": "ws-1"});
    let refused = call(
        &emu,
        "PUT",
        "/api/svc/v1/apps",
        Some(READ_ONLY),
        Some(&body),
    );
    assert!(error_message(&refused, 403).contains("read-only"));
    let path = format!("/api/svc/v1/apps/{app_id}");
    let refused = call(&emu, "DELETE", &path, Some(READ_ONLY), None);
    error_message(&refused, 403);
    assert_eq!(emu.applications_in("c1:ws1").len(), 1);
}

#[test]
fn workspace_scoped_key_sees_and_touches_only_its_workspaces() {
    let emu = start(0);
    let mine = create(&emu, "ws-1", dynamic("mine", "efs-sc", 10));
    let theirs = create(&emu, "ws-2", dynamic("theirs", "efs-sc", 10));

    let list = call(&emu, "GET", "/api/svc/v1/workspaces", Some(TEAM), None).json();
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["data"][0]["fqn"], "c1:ws1");
    assert_eq!(list["pagination"]["total"], json!(1));
    let hidden = call(
        &emu,
        "GET",
        "/api/svc/v1/workspaces?fqn=c1:ws2",
        Some(TEAM),
        None,
    )
    .json();
    assert_eq!(hidden["data"], json!([]));

    let apps = call(&emu, "GET", "/api/svc/v1/apps", Some(TEAM), None).json();
    assert_eq!(apps["pagination"]["total"], json!(1));
    assert_eq!(apps["data"][0]["name"], "mine");

    let theirs_path = format!(
        "/api/svc/v1/apps/{}",
        theirs["applicationId"].as_str().unwrap_or("")
    );
    error_message(&call(&emu, "GET", &theirs_path, Some(TEAM), None), 403);
    error_message(&call(&emu, "DELETE", &theirs_path, Some(TEAM), None), 403);
    let into_other = json!({"manifest": dynamic("sneaky", "efs-sc", 1), "workspaceId": "ws-2"});
    let msg = error_message(
        &call(
            &emu,
            "PUT",
            "/api/svc/v1/apps",
            Some(TEAM),
            Some(&into_other),
        ),
        403,
    );
    assert!(msg.contains("c1:ws2"), "{msg}");

    let mine_path = format!(
        "/api/svc/v1/apps/{}",
        mine["applicationId"].as_str().unwrap_or("")
    );
    assert_eq!(call(&emu, "GET", &mine_path, Some(TEAM), None).status, 200);
    let into_mine = json!({"manifest": dynamic("fine", "efs-sc", 1), "workspaceId": "ws-1"});
    assert_eq!(
        call(
            &emu,
            "PUT",
            "/api/svc/v1/apps",
            Some(TEAM),
            Some(&into_mine)
        )
        .status,
        200
    );
    assert_eq!(emu.applications_in("c1:ws2").len(), 1);
}

// ---------------------------------------------------------------------------------------------
