//! `PUT /apps` creating volumes: the deployment it answers, where the workspace comes from, and the manifest rules.

use std::time::Duration;

use serde_json::{json, Value};
use truefoundry_emulator::Emulator;

use crate::support::*;

#[test]
fn create_dynamic_volume_returns_an_initialized_deployment() {
    let emu = start(2);
    let mut manifest = dynamic("training-data", "efs-sc", 100);
    manifest["config"]["access_modes"] = json!(["ReadWriteMany"]);
    let dep = create(&emu, "ws-1", manifest.clone());

    assert_eq!(dep["id"], "dep-1");
    assert_eq!(dep["version"], json!(1));
    assert_eq!(dep["fqn"], "c1:ws1:training-data:1");
    assert_eq!(dep["applicationId"], "app-1");
    let mut echoed = manifest;
    echoed["workspace_fqn"] = json!("c1:ws1");
    assert_eq!(
        dep["manifest"], echoed,
        "manifest echoed with workspace_fqn and extra keys"
    );
    assert_eq!(dep["createdBySubject"]["subjectId"], "emulator-user");
    assert_eq!(dep["currentStatusId"], "st-1");
    let st = &dep["currentStatus"];
    assert_eq!(st["id"], "st-1");
    assert_eq!(st["deploymentId"], "dep-1");
    assert_eq!(st["status"], "INITIALIZED");
    assert_eq!(st["transition"], "DEPLOYING");
    assert_eq!(
        st["state"],
        json!({"isTerminalState": false, "display": "Initialized"})
    );
    assert!(st.get("message").is_none());
    assert!(is_iso8601_utc(&dep["createdAt"]) && is_iso8601_utc(&dep["updatedAt"]));
}

#[test]
fn get_shows_the_application_with_nested_workspace_and_latest_deployment() {
    let emu = start(1);
    let dep = create(&emu, "ws-1", static_volume("shared", "pv-1"));
    let app = get_app(&emu, "app-1");
    assert_eq!(app["id"], "app-1");
    assert_eq!(app["fqn"], "c1:ws1:shared");
    assert_eq!(app["name"], "shared");
    assert_eq!(app["type"], "volume");
    assert_eq!(app["tenantName"], "acme");
    assert_eq!(app["workspaceId"], "ws-1");
    assert_eq!(app["workspaceFqn"], "c1:ws1");
    assert_eq!(
        app["workspace"],
        json!({"name": "ws1", "fqn": "c1:ws1", "clusterId": "c1"})
    );
    assert_eq!(app["lifecycleStage"], "active");
    assert_eq!(app["metadata"], json!({}));
    assert_eq!(app["autopilot"], json!({}));
    assert_eq!(app["recommendations"], json!([]));
    assert_eq!(app["alerts"], json!([]));
    assert_eq!(app["lastVersion"], json!(1));
    assert_eq!(app["lastDeploymentId"], "dep-1");
    // The CLI's model requires an integer: 0 while nothing ever ran.
    assert_eq!(
        app["activeVersion"],
        json!(0),
        "nothing active while INITIALIZED"
    );
    assert!(app.get("activeDeploymentId").is_none());
    assert!(app.get("status").is_none(), "no flat status field");
    assert_eq!(app["deployment"], dep, "deployment as the PUT returned it");

    let app = get_app(&emu, "app-1");
    assert_eq!(status_of(&app), ("DEPLOY_SUCCESS".to_string(), true));
    assert_eq!(app["activeVersion"], json!(1));
    assert_eq!(app["activeDeploymentId"], "dep-1");
    assert_eq!(
        app["deployment"]["currentStatus"]["state"]["display"],
        "Running"
    );
}

#[test]
fn create_with_volume_browser_echoes_it() {
    let emu = start(0);
    let manifest = with_browser(dynamic("browsed", "gp3", 5), browser());
    let dep = create(&emu, "ws-1", manifest);
    assert_eq!(dep["manifest"]["volume_browser"], browser());
    assert_eq!(status_of(&dep), ("DEPLOY_SUCCESS".to_string(), true));
}

#[test]
fn workspace_comes_from_workspace_id_or_manifest_fqn() {
    let emu = start(0);
    let by_fqn = {
        let mut m = dynamic("by-fqn", "efs-sc", 1);
        m["workspace_fqn"] = json!("c1:ws2");
        put(&emu, &json!({"manifest": m}))
    };
    assert_eq!(by_fqn.status, 200, "{}", by_fqn.text());
    assert_eq!(by_fqn.json()["data"]["fqn"], "c1:ws2:by-fqn:1");

    let mut agreeing = dynamic("agreeing", "efs-sc", 1);
    agreeing["workspace_fqn"] = json!("c1:ws1");
    assert_eq!(
        put(&emu, &json!({"manifest": agreeing, "workspaceId": "ws-1"})).status,
        200
    );

    let mut disagreeing = dynamic("disagree", "efs-sc", 1);
    disagreeing["workspace_fqn"] = json!("c1:ws2");
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "both disagree",
            json!({"manifest": disagreeing, "workspaceId": "ws-1"}),
            400,
            "does not match",
        ),
        (
            "unknown id",
            json!({"manifest": dynamic("x-1", "efs-sc", 1), "workspaceId": "ws-9"}),
            404,
            "ws-9",
        ),
        (
            "unknown fqn",
            json!({"manifest": {"type": "volume", "name": "x-2", "workspace_fqn": "c9:w",
            "config": {"type": "static", "persistent_volume_name": "p"}}}),
            404,
            "c9:w",
        ),
        (
            "neither",
            json!({"manifest": dynamic("x-3", "efs-sc", 1)}),
            400,
            "workspaceId",
        ),
        (
            "id not a string",
            json!({"manifest": dynamic("x-4", "efs-sc", 1), "workspaceId": 7}),
            400,
            "workspaceId",
        ),
        (
            "no manifest",
            json!({"workspaceId": "ws-1"}),
            400,
            "manifest is required",
        ),
        (
            "manifest not object",
            json!({"manifest": "volume", "workspaceId": "ws-1"}),
            400,
            "manifest must be an object",
        ),
        ("body not object", json!(["manifest"]), 400, "JSON object"),
        (
            "dryRun not bool",
            json!({"manifest": dynamic("x-5", "efs-sc", 1), "workspaceId": "ws-1", "dryRun": "yes"}),
            400,
            "dryRun",
        ),
    ];
    for (label, body, status, fragment) in cases {
        let msg = error_message(&put(&emu, &body), status);
        assert!(msg.contains(fragment), "{label}: {msg}");
    }
    let not_json = send(
        emu.addr(),
        "PUT",
        "/api/svc/v1/apps",
        &[("Authorization", "Bearer admin-key")],
        b"{manifest:",
        Duration::from_secs(10),
    )
    .expect("answer");
    assert!(error_message(&not_json, 400).contains("must be JSON"));
    assert_eq!(emu.applications_in("c1:ws1").len(), 1);
    assert_eq!(emu.applications_in("c1:ws2").len(), 1);
}

/// A valid dynamic manifest with the value at dotted `path` replaced (or added).
fn with(path: &str, value: Value) -> Value {
    edit(dynamic("vol", "efs-sc", 10), path, Some(value))
}

/// A valid dynamic manifest without the key at dotted `path`.
fn without(path: &str) -> Value {
    edit(dynamic("vol", "efs-sc", 10), path, None)
}

/// A valid manifest with a full volume browser, edited at `path` inside `volume_browser`.
fn browser_with(path: &str, value: Option<Value>) -> Value {
    let manifest = with_browser(dynamic("vol", "efs-sc", 10), browser());
    edit(manifest, &format!("volume_browser.{path}"), value)
}

fn edit(mut manifest: Value, path: &str, value: Option<Value>) -> Value {
    let keys: Vec<&str> = path.split('.').collect();
    let (last, parents) = keys.split_last().expect("non-empty path");
    let mut cur = &mut manifest;
    for key in parents {
        cur = &mut cur[*key];
    }
    match value {
        Some(value) => cur[*last] = value,
        None => {
            let parent = cur.as_object_mut().expect("parent is an object");
            parent.remove(*last);
        }
    }
    manifest
}

/// Sends the manifest as a dry run (nothing is stored).
fn dry_run(emu: &Emulator, manifest: &Value) -> Resp {
    put(
        emu,
        &json!({"manifest": manifest, "workspaceId": "ws-1", "dryRun": true}),
    )
}

/// One refused case per rule of `docs/truefoundry-api.md` §7 and §7.1: 400, and the message
/// names the field and the rule.
#[test]
fn manifest_rules_refuse_with_a_message_naming_the_field() {
    let emu = start(0);
    let secret = "volume_browser.password_secret_fqn";
    let host = "volume_browser.endpoint.host";
    let path = "volume_browser.endpoint.path";
    let static_no_pv = json!({"type": "volume", "name": "vol", "config": {"type": "static"}});
    // (manifest, field named in the message after "manifest.", rule fragment)
    #[rustfmt::skip] // one rule per line reads as a table
    let cases: Vec<(Value, &str, &str)> = vec![
        (without("type"), "type", "required"),
        (with("type", json!("service")), "type", "unsupported application type"),
        (without("name"), "name", "required"),
        (with("name", json!(12)), "name", "must be a string"),
        (with("name", json!("ab")), "name", "3 to 32"),
        (with("name", json!("a".repeat(33))), "name", "3 to 32"),
        (with("name", json!("1ab")), "name", "start with a lowercase letter"),
        (with("name", json!("ab-")), "name", "end with a lowercase letter or a digit"),
        (with("name", json!("aBc")), "name", "only lowercase letters, digits and '-'"),
        (with("name", json!("a_bc")), "name", "only lowercase letters, digits and '-'"),
        (with("name", json!("a--b")), "name", "two hyphens in a row"),
        (with("workspace_fqn", json!(1)), "workspace_fqn", "must be a string"),
        (without("config"), "config", "required"),
        (with("config", json!("dynamic")), "config", "must be an object"),
        (without("config.type"), "config.type", "required"),
        (with("config.type", json!("existing")), "config.type", "\"dynamic\" or \"static\""),
        (without("config.storage_class"), "config.storage_class", "required"),
        (with("config.storage_class", json!(3)), "config.storage_class", "must be a string"),
        (without("config.size"), "config.size", "required"),
        (with("config.size", json!(0)), "config.size", "integer from 1 to 64000"),
        (with("config.size", json!(64001)), "config.size", "integer from 1 to 64000"),
        (with("config.size", json!(-5)), "config.size", "integer from 1 to 64000"),
        (with("config.size", json!(1.5)), "config.size", "integer from 1 to 64000"),
        (with("config.size", json!("100Gi")), "config.size", "integer from 1 to 64000"),
        (static_no_pv, "config.persistent_volume_name", "required"),
        (with("volume_browser", json!(true)), "volume_browser", "must be an object"),
        (browser_with("username", Some(json!("ab"))), "volume_browser.username", "3 to 10"),
        (browser_with("username", Some(json!("abcdefghijk"))), "volume_browser.username", "3 to 10"),
        (browser_with("username", Some(json!("Admin"))), "volume_browser.username", "lowercase"),
        (browser_with("username", Some(json!("ad-min"))), "volume_browser.username", "lowercase"),
        (browser_with("username", Some(json!("1admin"))), "volume_browser.username", "starting with a letter"),
        (browser_with("password_secret_fqn", Some(json!("c1:ws1:pw"))), secret, "tfy-secret://"),
        (browser_with("password_secret_fqn", Some(json!("tfy-secret://a:pw"))), secret, "tfy-secret://"),
        (browser_with("password_secret_fqn", Some(json!("tfy-secret://a::pw"))), secret, "tfy-secret://"),
        (browser_with("endpoint", None), "volume_browser.endpoint", "required"),
        (browser_with("endpoint.host", None), host, "required"),
        (browser_with("endpoint.host", Some(json!("localhost"))), host, "dotted hostname"),
        (browser_with("endpoint.host", Some(json!("ml.example.c0m"))), host, "dotted hostname"),
        (browser_with("endpoint.host", Some(json!("300.1.1.1"))), host, "dotted hostname"),
        (browser_with("endpoint.path", Some(json!("/data"))), path, "begin and end with '/'"),
        (browser_with("endpoint.path", Some(json!("data/"))), path, "begin and end with '/'"),
        (browser_with("endpoint.path", Some(json!("/-data/"))), path, "each segment"),
        (browser_with("endpoint.path", Some(json!("/a//b/"))), path, "each segment"),
    ];
    for (manifest, field, rule) in cases {
        let msg = error_message(&dry_run(&emu, &manifest), 400);
        let field = format!("manifest.{field}: ");
        assert!(
            msg.starts_with(&field),
            "{manifest}: {msg:?} should name {field:?}"
        );
        assert!(
            msg.contains(rule),
            "{manifest}: {msg:?} should state {rule:?}"
        );
    }
    assert!(emu.applications_in("c1:ws1").is_empty());
}

/// The accepted side of each rule, at its edges. Unknown `config` keys are echoed.
#[test]
fn manifest_rules_accept_the_edges() {
    let emu = start(0);
    let minimal_browser = json!({"endpoint": {"host": "ml.acme.com"}});
    let cases: Vec<Value> = vec![
        dynamic("vol", "efs-sc", 10),
        with("name", json!("a-1")),
        with("name", json!("a".repeat(32))),
        with("name", json!("v2-data-0")),
        with("config.size", json!(1)),
        with("config.size", json!(64000)),
        with("config.access_modes", json!(["ReadWriteOnce"])),
        with("config.storage_class", json!("any-class-name")),
        static_volume("vol", "pv-1"),
        with("volume_browser", Value::Null),
        with_browser(dynamic("vol", "efs-sc", 10), browser()),
        with_browser(dynamic("vol", "efs-sc", 10), minimal_browser),
        browser_with("username", Some(json!("abc"))),
        browser_with("username", Some(json!("admin12345"))),
        browser_with("password_secret_fqn", None),
        browser_with("endpoint.host", Some(json!("a.b"))),
        browser_with("endpoint.host", Some(json!("10.1.2.3"))),
        browser_with("endpoint.host", Some(json!("Volumes.ML-1.Example.COM"))),
        browser_with("endpoint.path", None),
        browser_with("endpoint.path", Some(json!("/"))),
        browser_with("endpoint.path", Some(json!("/a-b/c_d.e/9/"))),
    ];
    for manifest in cases {
        let resp = dry_run(&emu, &manifest);
        assert_eq!(resp.status, 200, "{manifest}: {}", resp.text());
        let mut expected = manifest.clone();
        expected["workspace_fqn"] = json!("c1:ws1");
        assert_eq!(resp.json()["data"]["manifest"], expected, "echoed as sent");
        assert_eq!(resp.json()["data"]["version"], json!(1));
    }
    assert!(
        emu.applications_in("c1:ws1").is_empty(),
        "dry runs store nothing"
    );
}

#[test]
fn dry_run_returns_the_would_be_deployment_without_storing() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("first", "efs-sc", 1));
    let body =
        json!({"manifest": dynamic("second", "efs-sc", 1), "workspaceId": "ws-1", "dryRun": true});
    let dep = put(&emu, &body).json()["data"].clone();
    assert_eq!(dep["fqn"], "c1:ws1:second:1");
    assert_eq!(dep["id"], "dep-2");
    assert_eq!(dep["applicationId"], "app-2");
    assert_eq!(emu.applications_in("c1:ws1").len(), 1);
    // The ids the dry run showed are still free.
    let real = create(&emu, "ws-1", dynamic("third", "efs-sc", 1));
    assert_eq!(real["id"], "dep-2");
    assert_eq!(real["applicationId"], "app-2");
}

// ---------------------------------------------------------------------------------------------
