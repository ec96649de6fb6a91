//! Workspace lookup and listing, clusters by list and by id.

use serde_json::json;

use crate::support::*;

#[test]
fn workspace_lookup_by_fqn_hits_and_misses() {
    let emu = start(0);
    let hit = get(&emu, "/api/svc/v1/workspaces?fqn=c1%3Aws1").json();
    assert_eq!(
        hit["pagination"],
        json!({"total": 1, "offset": 0, "limit": 100})
    );
    let ws = &hit["data"][0];
    assert_eq!(ws["id"], "ws-1");
    assert_eq!(ws["fqn"], "c1:ws1");
    assert_eq!(ws["name"], "ws1");
    assert_eq!(ws["tenantName"], "acme");
    assert_eq!(ws["clusterId"], "c1");
    assert_eq!(ws["accountId"], "acc-acme");
    assert_eq!(ws["createdBySubject"]["subjectType"], "user");
    assert!(is_iso8601_utc(&ws["createdAt"]), "{}", ws["createdAt"]);
    assert!(is_iso8601_utc(&ws["updatedAt"]));
    assert_eq!(
        ws["manifest"],
        json!({"type": "workspace", "cluster_fqn": "c1", "name": "ws1"})
    );

    let miss = get(&emu, "/api/svc/v1/workspaces?fqn=c1:nope");
    assert_eq!(miss.status, 200);
    assert_eq!(
        miss.json(),
        json!({"data": [], "pagination": {"total": 0, "offset": 0, "limit": 100}})
    );
}

#[test]
fn workspace_list_filters_and_pages() {
    let emu = start(0);
    let names = |target: &str| -> Vec<String> {
        get(&emu, target).json()["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w["fqn"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        names("/api/svc/v1/workspaces"),
        ["c1:ws1", "c1:ws2", "c2:ws3"]
    );
    assert_eq!(
        names("/api/svc/v1/workspaces?clusterId=c1"),
        ["c1:ws1", "c1:ws2"]
    );
    assert_eq!(names("/api/svc/v1/workspaces?name=ws3"), ["c2:ws3"]);
    assert_eq!(names("/api/svc/v1/workspaces?limit=1&offset=1"), ["c1:ws2"]);
    let page = get(&emu, "/api/svc/v1/workspaces?limit=1&offset=1").json();
    assert_eq!(
        page["pagination"],
        json!({"total": 3, "offset": 1, "limit": 1})
    );
    for bad in ["limit=0", "limit=1001", "limit=x", "offset=-1"] {
        let resp = get(&emu, &format!("/api/svc/v1/workspaces?{bad}"));
        let msg = error_message(&resp, 400);
        assert!(
            msg.contains(bad.split('=').next().unwrap_or("")),
            "{bad}: {msg}"
        );
    }
}

#[test]
fn clusters_are_listed_and_fetched_by_id() {
    let emu = start(0);
    let list = get(&emu, "/api/svc/v1/clusters").json();
    assert_eq!(list["pagination"]["total"], json!(2));
    let c1 = get(&emu, "/api/svc/v1/clusters/c1").json()["data"].clone();
    assert_eq!(c1, list["data"][0]);
    assert_eq!(c1["id"], "c1");
    assert_eq!(c1["fqn"], "c1");
    assert_eq!(c1["tenantName"], "acme");
    assert!(is_iso8601_utc(&c1["createdAt"]));
    assert_eq!(
        c1["manifest"],
        json!({
            "type": "cluster", "name": "c1", "cluster_type": "aws-eks",
            "environment_names": [], "base_domains": ["*.ml.acme.com", "acme.com"],
            "workbench_config": {"default_storage_class": "efs-sc"}, "collaborators": []
        })
    );
    let c2 = get(&emu, "/api/svc/v1/clusters/c2").json()["data"].clone();
    assert_eq!(c2["manifest"]["cluster_type"], "generic");
    assert!(c2["manifest"].get("workbench_config").is_none(), "{c2}");
    let msg = error_message(&get(&emu, "/api/svc/v1/clusters/nope"), 404);
    assert!(msg.contains("nope"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
