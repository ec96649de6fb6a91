//! The TrueFoundry API emulator over real HTTP: a tiny HTTP/1.1 client on `std::net::TcpStream`
//! talks to an emulator on loopback, and every test asserts exact statuses and fields.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tfy_volumes_host::emulator::{
    Access, Emulator, Fault, FaultRule, Seed, SeedCluster, SeedKey, SeedWorkspace,
};

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 client.

/// One HTTP response as read off the wire.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// The `Content-Length` the server announced, if any.
    declared: Option<usize>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Writes one request (always with `Content-Length`).
fn write_request(
    stream: &mut TcpStream,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: emulator\r\nContent-Length: {}\r\n",
        body.len()
    );
    if close {
        head.push_str("Connection: close\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

/// Reads status line, headers, and the body by `Content-Length` (stopping early at EOF, so a
/// truncated body shows as `body.len() < declared`) or until the connection closes.
fn read_response(reader: &mut BufReader<TcpStream>) -> io::Result<Resp> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed before a status line",
        ));
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, line.clone()))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let declared = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = Vec::new();
    match declared {
        Some(n) => reader.by_ref().take(n as u64).read_to_end(&mut body)?,
        None => reader.read_to_end(&mut body)?,
    };
    Ok(Resp {
        status,
        headers,
        body,
        declared,
    })
}

/// One request on a fresh connection.
fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> io::Result<Resp> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(timeout))?;
    write_request(&mut stream, method, target, headers, body, true)?;
    read_response(&mut BufReader::new(stream))
}

const ADMIN: &str = "admin-key";
const READ_ONLY: &str = "read-only-key";
const TEAM: &str = "team-key";

/// A request with `key` as bearer token (or no Authorization header) that must complete.
fn call(
    emu: &Emulator,
    method: &str,
    target: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Resp {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let resp = send(
        emu.addr(),
        method,
        target,
        &headers,
        &body,
        Duration::from_secs(20),
    )
    .unwrap_or_else(|e| panic!("{method} {target}: {e}"));
    assert_eq!(
        Some(resp.body.len()),
        resp.declared,
        "{method} {target}: body shorter than Content-Length"
    );
    resp
}

fn get(emu: &Emulator, target: &str) -> Resp {
    call(emu, "GET", target, Some(ADMIN), None)
}

fn put(emu: &Emulator, body: &Value) -> Resp {
    call(emu, "PUT", "/api/svc/v1/apps", Some(ADMIN), Some(body))
}

/// PUT that must succeed; returns the Deployment (`data`).
fn create(emu: &Emulator, workspace_id: &str, manifest: Value) -> Value {
    let resp = put(
        emu,
        &json!({"manifest": manifest, "workspaceId": workspace_id}),
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["data"].clone()
}

fn get_app(emu: &Emulator, id: &str) -> Value {
    let resp = get(emu, &format!("/api/svc/v1/apps/{id}"));
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["data"].clone()
}

/// Asserts a `{statusCode, message}` error and returns the message.
fn error_message(resp: &Resp, status: u16) -> String {
    assert_eq!(resp.status, status, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["statusCode"], json!(status), "{body}");
    body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message in {body}"))
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Seeds and manifests.

/// Tenant `acme`, cluster `c1` (storage classes efs-sc and gp3, PV `pv-1`, default class
/// efs-sc), cluster `c2` (nothing declared), workspaces `c1:ws1` (ws-1), `c1:ws2` (ws-2) and
/// `c2:ws3` (ws-3); admin, read-only and ws1-only keys; no volumes.
fn world(reads_until_ready: u32) -> Seed {
    let key = |token: &str, access: Access| SeedKey {
        token: token.to_string(),
        access,
    };
    let ws = |fqn: &str, id: &str| SeedWorkspace {
        fqn: fqn.to_string(),
        id: id.to_string(),
    };
    Seed {
        tenant_name: "acme".to_string(),
        api_keys: vec![
            key(ADMIN, Access::Admin),
            key(READ_ONLY, Access::ReadOnly),
            key(TEAM, Access::Workspaces(vec!["c1:ws1".to_string()])),
        ],
        clusters: vec![
            SeedCluster {
                id: "c1".to_string(),
                cluster_type: "aws-eks".to_string(),
                base_domains: vec!["*.ml.acme.com".to_string(), "acme.com".to_string()],
                default_storage_class: Some("efs-sc".to_string()),
                storage_classes: vec!["efs-sc".to_string(), "gp3".to_string()],
                persistent_volumes: vec!["pv-1".to_string()],
            },
            SeedCluster {
                id: "c2".to_string(),
                ..SeedCluster::default()
            },
        ],
        workspaces: vec![
            ws("c1:ws1", "ws-1"),
            ws("c1:ws2", "ws-2"),
            ws("c2:ws3", "ws-3"),
        ],
        volumes: Vec::new(),
        reads_until_ready,
    }
}

fn start(reads_until_ready: u32) -> Emulator {
    Emulator::start(world(reads_until_ready)).expect("emulator starts")
}

fn dynamic(name: &str, class: &str, size: u64) -> Value {
    json!({"type": "volume", "name": name,
           "config": {"type": "dynamic", "storage_class": class, "size": size}})
}

fn static_volume(name: &str, pv: &str) -> Value {
    json!({"type": "volume", "name": name,
           "config": {"type": "static", "persistent_volume_name": pv}})
}

fn with_browser(mut manifest: Value, browser: Value) -> Value {
    manifest["volume_browser"] = browser;
    manifest
}

fn browser() -> Value {
    json!({"username": "admin", "password_secret_fqn": "tfy-secret://acme:vol:pw",
           "endpoint": {"host": "ml.acme.com", "path": "/data/"}, "service_account": "default"})
}

fn status_of(app_or_deployment: &Value) -> (String, bool) {
    let st = if app_or_deployment.get("deployment").is_some() {
        &app_or_deployment["deployment"]["currentStatus"]
    } else {
        &app_or_deployment["currentStatus"]
    };
    (
        st["status"].as_str().unwrap_or("<none>").to_string(),
        st["state"]["isTerminalState"].as_bool().unwrap_or(false),
    )
}

fn is_iso8601_utc(s: &Value) -> bool {
    let Some(s) = s.as_str() else { return false };
    let b = s.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && s.chars().filter(char::is_ascii_digit).count() == 14
}

// ---------------------------------------------------------------------------------------------
// Authentication and access.

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
// Workspaces and clusters.

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
// Creating volumes.

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
    assert!(
        app.get("activeVersion").is_none(),
        "nothing active while INITIALIZED"
    );
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

/// One refused case per rule of spec §7/§7.1: 400, and the message names the field and the rule.
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
// Updates.

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
// Status progression.

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
                assert!(app.get("activeVersion").is_none());
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
// Listing, get, delete, routing.

#[test]
fn list_filters_select_the_right_applications() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("alpha", "efs-sc", 1)); // app-1
    create(&emu, "ws-1", dynamic("beta", "efs-sc", 1)); // app-2
    create(&emu, "ws-2", dynamic("alphabet", "efs-sc", 1)); // app-3
    create(&emu, "ws-3", static_volume("gamma", "pv")); // app-4
    #[rustfmt::skip] // query -> expected names, one case per line
    let cases: [(&str, &[&str]); 13] = [
        ("", &["alpha", "beta", "alphabet", "gamma"]),
        ("workspaceFqn=c1%3Aws1", &["alpha", "beta"]),
        ("workspace_fqn=c1:ws1", &["alpha", "beta", "alphabet", "gamma"]), // ignored (spec §1)
        ("workspaceId=ws-2,ws-3", &["alphabet", "gamma"]),
        ("applicationType=volume", &["alpha", "beta", "alphabet", "gamma"]),
        ("applicationType=service", &[]),
        ("applicationType=service,volume&workspaceFqn=c1:ws2", &["alphabet"]),
        ("applicationName=alpha", &["alpha"]),
        ("nameSearchQuery=alpha", &["alpha", "alphabet"]),
        ("applicationName=beta&nameSearchQuery=alpha", &["beta"]),
        ("fqn=c1:ws2:alphabet", &["alphabet"]),
        ("applicationId=app-4", &["gamma"]),
        ("workspaceFqn=c1:ws1&applicationName=gamma", &[]),
    ];
    for (query, want) in cases {
        let page = get(&emu, &format!("/api/svc/v1/apps?{query}")).json();
        let names: Vec<&str> = page["data"]
            .as_array()
            .map(|a| a.iter().filter_map(|app| app["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, want, "{query}");
        assert_eq!(page["pagination"]["total"], json!(want.len()), "{query}");
    }
}

#[test]
fn list_pages_with_offset_and_limit() {
    let emu = start(0);
    let names = ["v-one", "v-two", "v-three", "v-four", "v-five"];
    for name in names {
        create(&emu, "ws-1", dynamic(name, "efs-sc", 1));
    }
    let mut seen = Vec::new();
    for (offset, want_len) in [(0, 2), (2, 2), (4, 1), (5, 0), (6, 0)] {
        let page = get(&emu, &format!("/api/svc/v1/apps?workspaceFqn=c1:ws1&applicationType=volume&limit=2&offset={offset}")).json();
        let data = page["data"].as_array().cloned().unwrap_or_default();
        assert_eq!(data.len(), want_len, "offset {offset}");
        assert_eq!(
            page["pagination"],
            json!({"total": 5, "offset": offset, "limit": 2})
        );
        seen.extend(
            data.iter()
                .filter_map(|a| a["name"].as_str().map(String::from)),
        );
    }
    assert_eq!(seen, names, "creation order, each exactly once");
    let default = get(&emu, "/api/svc/v1/apps").json();
    assert_eq!(
        default["pagination"],
        json!({"total": 5, "offset": 0, "limit": 100})
    );
    assert_eq!(get(&emu, "/api/svc/v1/apps?limit=1000").status, 200);
}

#[test]
fn list_limit_outside_1_to_1000_is_refused() {
    let emu = start(0);
    for query in [
        "limit=0",
        "limit=1001",
        "limit=ten",
        "limit=",
        "offset=x",
        "offset=-2",
    ] {
        let msg = error_message(&get(&emu, &format!("/api/svc/v1/apps?{query}")), 400);
        let param = query.split('=').next().unwrap_or("");
        assert!(msg.starts_with(param), "{query}: {msg}");
    }
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
fn delete_removes_the_application() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("keep", "efs-sc", 1));
    create(&emu, "ws-1", dynamic("drop", "efs-sc", 1));
    let resp = call(&emu, "DELETE", "/api/svc/v1/apps/app-2", Some(ADMIN), None);
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.json(),
        json!({"message": "Application deleted successfully"})
    );
    error_message(&get(&emu, "/api/svc/v1/apps/app-2"), 404);
    assert!(emu.application("app-2").is_none());
    let names: Vec<Value> = emu
        .applications_in("c1:ws1")
        .iter()
        .map(|a| a["name"].clone())
        .collect();
    assert_eq!(names, [json!("keep")]);
    // The name is free again: a new application, version 1.
    let again = create(&emu, "ws-1", dynamic("drop", "efs-sc", 1));
    assert_eq!(again["applicationId"], "app-3");
    assert_eq!(again["version"], json!(1));
}

#[test]
fn unknown_routes_and_methods_are_404_in_nest_style() {
    let emu = start(0);
    let cases = [
        ("GET", "/api/svc/v1/nope", "Cannot GET /api/svc/v1/nope"),
        ("PATCH", "/api/svc/v1/apps", "Cannot PATCH /api/svc/v1/apps"),
        (
            "POST",
            "/api/svc/v1/apps?x=1",
            "Cannot POST /api/svc/v1/apps",
        ),
        (
            "PUT",
            "/api/svc/v1/apps/app-1",
            "Cannot PUT /api/svc/v1/apps/app-1",
        ),
        (
            "GET",
            "/api/svc/v1/apps/app-1/deployments",
            "Cannot GET /api/svc/v1/apps/app-1/deployments",
        ),
        ("GET", "/healthz", "Cannot GET /healthz"),
    ];
    for (method, target, message) in cases {
        let resp = call(&emu, method, target, Some(ADMIN), None);
        assert_eq!(
            resp.json(),
            json!({"statusCode": 404, "message": message}),
            "{method} {target}"
        );
    }
    // Outside /api no key is needed to get the 404.
    let resp = call(&emu, "GET", "/", None, None);
    assert_eq!(resp.status, 404);
}

// ---------------------------------------------------------------------------------------------
// Recording.

#[test]
fn every_request_is_recorded_with_decoded_query_and_lowercased_headers() {
    let emu = start(0);
    let body = br#"{"manifest":{"type":"volume"}}"#;
    let resp = send(
        emu.addr(),
        "PUT",
        "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&nameSearchQuery=a+b%2Fc",
        &[("Authorization", "Bearer admin-key"), ("X-Trace-ID", "T-1")],
        body,
        Duration::from_secs(10),
    )
    .expect("answer");
    assert_eq!(resp.status, 400, "invalid manifest, still recorded");
    call(&emu, "GET", "/api/svc/v1/workspaces", None, None); // a 401, recorded too

    let recorded = emu.requests();
    assert_eq!(recorded.len(), 2);
    let put = &recorded[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, "/api/svc/v1/apps");
    assert_eq!(
        put.query,
        vec![
            ("workspaceFqn".to_string(), "c1:ws1".to_string()),
            ("nameSearchQuery".to_string(), "a b/c".to_string()),
        ]
    );
    assert_eq!(put.query_param("workspaceFqn"), Some("c1:ws1"));
    assert_eq!(put.query_param("missing"), None);
    assert_eq!(put.header("x-trace-id"), Some("T-1"));
    assert_eq!(put.header("Authorization"), Some("Bearer admin-key"));
    assert!(
        put.headers
            .iter()
            .any(|(k, v)| k == "x-trace-id" && v == "T-1"),
        "{:?}",
        put.headers
    );
    assert!(put
        .headers
        .iter()
        .all(|(k, _)| *k == k.to_ascii_lowercase()));
    assert_eq!(put.body, body.to_vec());
    assert_eq!(
        put.json_body(),
        Some(json!({"manifest": {"type": "volume"}}))
    );
    assert_eq!(recorded[1].method, "GET");
    assert_eq!(recorded[1].header("authorization"), None);

    emu.clear_requests();
    assert!(emu.requests().is_empty());
    get(&emu, "/api/svc/v1/clusters");
    assert_eq!(emu.requests().len(), 1);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let emu = start(0);
    let mut stream = TcpStream::connect(emu.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    for fqn in ["c1:ws1", "c1:ws2", "c2:ws3"] {
        let target = format!("/api/svc/v1/workspaces?fqn={fqn}");
        write_request(
            &mut stream,
            "GET",
            &target,
            &[("Authorization", "Bearer admin-key")],
            b"",
            false,
        )
        .expect("write");
        let resp = read_response(&mut reader).expect("response");
        assert_eq!(resp.json()["data"][0]["fqn"], fqn);
    }
    assert_eq!(emu.requests().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Faults.

fn rule(method: Option<&str>, prefix: Option<&str>, times: Option<u32>, fault: Fault) -> FaultRule {
    FaultRule {
        method: method.map(String::from),
        path_prefix: prefix.map(String::from),
        times,
        fault,
    }
}

#[test]
fn status_fault_answers_exactly_and_is_used_up() {
    let emu = start(0);
    emu.inject(rule(
        Some("get"),
        Some("/api/svc/v1/work"),
        Some(2),
        Fault::Status {
            status: 503,
            body: "upstream down".to_string(),
            headers: vec![("Retry-After".to_string(), "7".to_string())],
        },
    ));
    for _ in 0..2 {
        // Faulted requests skip authentication.
        let resp = call(&emu, "GET", "/api/svc/v1/workspaces", None, None);
        assert_eq!(resp.status, 503);
        assert_eq!(resp.text(), "upstream down");
        assert_eq!(resp.header("retry-after"), Some("7"));
    }
    assert_eq!(
        get(&emu, "/api/svc/v1/workspaces").status,
        200,
        "times used up"
    );
    assert_eq!(
        call(&emu, "GET", "/api/svc/v1/workspaces", None, None).status,
        401
    );
    assert_eq!(emu.requests().len(), 4, "faulted requests are recorded");
}

#[test]
fn faults_match_on_method_and_path_prefix_and_clear() {
    let emu = start(0);
    emu.inject(rule(Some("PUT"), None, None, Fault::CloseWithoutResponse));
    emu.inject(rule(
        None,
        Some("/api/svc/v1/clusters"),
        None,
        Fault::Status {
            status: 500,
            body: "{}".to_string(),
            headers: vec![],
        },
    ));
    assert_eq!(get(&emu, "/api/svc/v1/workspaces").status, 200);
    assert_eq!(get(&emu, "/api/svc/v1/clusters/c1").status, 500);
    let err = send(
        emu.addr(),
        "PUT",
        "/api/svc/v1/apps",
        &[],
        b"{}",
        Duration::from_secs(10),
    );
    assert!(err.is_err(), "PUT is cut off");
    emu.clear_faults();
    assert_eq!(get(&emu, "/api/svc/v1/clusters/c1").status, 200);
}

#[test]
fn delay_fault_answers_normally_after_the_delay() {
    let emu = start(0);
    emu.inject(rule(
        None,
        None,
        Some(1),
        Fault::Delay(Duration::from_millis(300)),
    ));
    let started = Instant::now();
    let resp = get(&emu, "/api/svc/v1/workspaces?fqn=c1:ws1");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(resp.json()["data"][0]["id"], "ws-1");
}

#[test]
fn hang_fault_never_answers() {
    let emu = start(0);
    emu.inject(rule(None, None, Some(1), Fault::Hang));
    let err = send(
        emu.addr(),
        "GET",
        "/api/svc/v1/workspaces",
        &[("Authorization", "Bearer admin-key")],
        b"",
        Duration::from_millis(400),
    )
    .expect_err("no answer");
    assert!(
        matches!(
            err.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ),
        "{err:?}"
    );
    assert_eq!(
        emu.requests().len(),
        1,
        "the hung request was read and recorded"
    );
    assert_eq!(
        get(&emu, "/api/svc/v1/workspaces").status,
        200,
        "other clients still served"
    );
    // Dropping the emulator with a hung connection must not block (checked by the test ending).
}

#[test]
fn close_without_response_fault_drops_the_connection() {
    let emu = start(0);
    emu.inject(rule(None, None, Some(1), Fault::CloseWithoutResponse));
    let err = send(
        emu.addr(),
        "GET",
        "/api/svc/v1/workspaces",
        &[],
        b"",
        Duration::from_secs(10),
    )
    .expect_err("no answer");
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "{err:?}");
    assert_eq!(emu.requests().len(), 1);
}

#[test]
fn truncated_body_fault_sends_half_of_the_normal_answer() {
    let emu = start(0);
    emu.inject(rule(Some("PUT"), None, Some(1), Fault::TruncatedBody));
    let body = json!({"manifest": dynamic("data", "efs-sc", 1), "workspaceId": "ws-1"}).to_string();
    let resp = send(
        emu.addr(),
        "PUT",
        "/api/svc/v1/apps",
        &[("Authorization", "Bearer admin-key")],
        body.as_bytes(),
        Duration::from_secs(10),
    )
    .expect("headers arrive");
    assert_eq!(resp.status, 200);
    let declared = resp.declared.expect("Content-Length");
    assert!(declared > 100, "{declared}");
    assert_eq!(resp.body.len(), declared / 2);
    assert!(resp.text().starts_with("{\"data\":{"), "{}", resp.text());
    // The server did store the volume: only the answer was lost.
    assert_eq!(emu.applications_in("c1:ws1").len(), 1);
}

#[test]
fn redirect_fault_points_elsewhere() {
    let emu = start(0);
    emu.inject(rule(
        None,
        None,
        None,
        Fault::Redirect {
            status: 307,
            location: "https://elsewhere.example.com/api/svc/v1/apps".to_string(),
        },
    ));
    let resp = get(&emu, "/api/svc/v1/apps");
    assert_eq!(resp.status, 307);
    assert_eq!(
        resp.header("location"),
        Some("https://elsewhere.example.com/api/svc/v1/apps")
    );
    assert!(resp.body.is_empty());
}

#[test]
fn huge_body_fault_streams_the_announced_size() {
    let emu = start(0);
    let filler: u64 = 8 * 1024 * 1024 + 3;
    emu.inject(rule(None, None, Some(1), Fault::HugeBody { bytes: filler }));
    let resp = get(&emu, "/api/svc/v1/apps");
    assert_eq!(resp.status, 200);
    assert!(
        resp.text().starts_with("{\"data\":[{"),
        "JSON-looking prefix"
    );
    let prefix_len = resp.body.iter().position(|&b| b == b'x').expect("filler");
    assert_eq!(resp.body.len() as u64, prefix_len as u64 + filler);
    assert_eq!(resp.declared, Some(resp.body.len()));
}

#[test]
fn inconsistent_total_fault_misreports_the_list_total() {
    let emu = start(0);
    create(&emu, "ws-1", dynamic("only", "efs-sc", 1));
    emu.inject(rule(
        Some("GET"),
        Some("/api/svc/v1/apps"),
        Some(1),
        Fault::InconsistentTotal { total: 42 },
    ));
    let page = get(&emu, "/api/svc/v1/apps").json();
    assert_eq!(page["pagination"]["total"], json!(42));
    assert_eq!(page["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        get(&emu, "/api/svc/v1/apps").json()["pagination"]["total"],
        json!(1)
    );
}

// ---------------------------------------------------------------------------------------------
// Concurrency, seeds, lifecycle.

#[test]
fn sixty_four_concurrent_clients_create_distinct_volumes() {
    let emu = start(0);
    let addr = emu.addr();
    let threads: Vec<_> = (0..64)
        .map(|i| {
            std::thread::spawn(move || {
                let body = json!({"manifest": dynamic(&format!("vol-{i}"), "efs-sc", 1), "workspaceId": "ws-1"});
                send(
                    addr,
                    "PUT",
                    "/api/svc/v1/apps",
                    &[("Authorization", "Bearer admin-key"), ("Content-Type", "application/json")],
                    body.to_string().as_bytes(),
                    Duration::from_secs(30),
                )
            })
        })
        .collect();
    let mut app_ids = Vec::new();
    for t in threads {
        let resp = t.join().expect("thread").expect("answer");
        assert_eq!(resp.status, 200, "{}", resp.text());
        let data = resp.json()["data"].clone();
        app_ids.push(data["applicationId"].as_str().unwrap_or("").to_string());
    }
    app_ids.sort();
    app_ids.dedup();
    assert_eq!(app_ids.len(), 64);
    let page = get(&emu, "/api/svc/v1/apps?limit=1000").json();
    assert_eq!(page["pagination"]["total"], json!(64));
    assert_eq!(emu.requests().len(), 65);
}

#[test]
fn demo_seed_serves_three_ready_volumes() {
    let emu = Emulator::start(Seed::demo()).expect("demo starts");
    let ws = call(
        &emu,
        "GET",
        "/api/svc/v1/workspaces?fqn=demo-cluster:demo-ws",
        Some("demo-api-key"),
        None,
    )
    .json();
    assert_eq!(ws["data"][0]["id"], "ws-demo");
    let apps = call(
        &emu,
        "GET",
        "/api/svc/v1/apps?workspaceFqn=demo-cluster:demo-ws&applicationType=volume",
        Some("demo-api-key"),
        None,
    )
    .json();
    let summary: Vec<(String, String, String)> = apps["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|app| {
                    (
                        app["name"].as_str().unwrap_or("").to_string(),
                        app["deployment"]["manifest"]["config"]["type"]
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                        status_of(app).0,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let expect = |n: &str, t: &str| (n.to_string(), t.to_string(), "DEPLOY_SUCCESS".to_string());
    assert_eq!(
        summary,
        [
            expect("training-data", "dynamic"),
            expect("model-cache", "dynamic"),
            expect("shared-datasets", "static")
        ]
    );
    let training = &apps["data"][0]["deployment"]["manifest"];
    assert_eq!(training["config"]["size"], json!(100));
    assert_eq!(training["workspace_fqn"], "demo-cluster:demo-ws");
    assert!(training["volume_browser"]["endpoint"]["host"].is_string());
    assert_eq!(
        apps["data"][1]["deployment"]["manifest"]["config"]["size"],
        json!(200)
    );
    assert_eq!(
        apps["data"][2]["deployment"]["manifest"]["config"]["persistent_volume_name"],
        "shared-datasets-pv"
    );
    let cluster = call(
        &emu,
        "GET",
        "/api/svc/v1/clusters/demo-cluster",
        Some("demo-api-key"),
        None,
    )
    .json();
    assert_eq!(
        cluster["data"]["manifest"]["base_domains"],
        json!(["*.demo.example.com"])
    );
    assert_eq!(
        cluster["data"]["manifest"]["workbench_config"]["default_storage_class"],
        "efs-sc"
    );
}

#[test]
fn seed_keys_are_redacted_in_debug_output() {
    let seed = Seed::demo();
    let debug = format!("{seed:?}");
    assert!(!debug.contains("demo-api-key"), "{debug}");
    assert!(debug.contains("<redacted>"));
}

#[test]
fn partial_json_seed_loads_with_defaults() {
    let seed: Seed = serde_json::from_value(json!({
        "api_keys": [{"token": "t0k", "access": "admin"}, {"token": "t1", "access": {"workspaces": ["c:w"]}}],
        "workspaces": [{"fqn": "c:w"}],
        "volumes": [{"workspace_fqn": "c:w", "status": "DEPLOY_FAILED",
                     "manifest": {"type": "volume", "name": "old", "config": {"type": "static", "persistent_volume_name": "gone"}}}]
    }))
    .expect("partial seed parses");
    assert_eq!(seed.tenant_name, "demo");
    assert_eq!(seed.reads_until_ready, 1);
    assert_eq!(
        seed.api_keys[1].access,
        Access::Workspaces(vec!["c:w".to_string()])
    );
    let emu = Emulator::start(seed).expect("starts");
    let ws = call(&emu, "GET", "/api/svc/v1/workspaces", Some("t0k"), None).json();
    assert_eq!(ws["data"][0]["id"], "ws-w", "default id from the name");
    let app = emu.applications_in("c:w").pop().expect("seeded volume");
    let st = &app["deployment"]["currentStatus"];
    assert_eq!(st["status"], "DEPLOY_FAILED");
    assert_eq!(st["message"], "persistentvolume \"gone\" not found");
}

#[test]
fn inconsistent_seeds_are_refused() {
    let bad_manifest = Seed {
        volumes: vec![tfy_volumes_host::emulator::SeedVolume {
            workspace_fqn: "demo-cluster:demo-ws".to_string(),
            manifest: dynamic("x", "efs-sc", 1),
            status: None,
        }],
        ..Seed::demo()
    };
    let unknown_ws = Seed {
        volumes: vec![tfy_volumes_host::emulator::SeedVolume {
            workspace_fqn: "nope:nope".to_string(),
            manifest: dynamic("fine", "efs-sc", 1),
            status: None,
        }],
        ..Seed::demo()
    };
    let bad_fqn = Seed {
        workspaces: vec![SeedWorkspace {
            fqn: "no-colon".to_string(),
            id: String::new(),
        }],
        volumes: vec![],
        ..Seed::demo()
    };
    for (label, seed, fragment) in [
        ("manifest", bad_manifest, "manifest.name"),
        ("workspace", unknown_ws, "nope:nope"),
        ("fqn", bad_fqn, "no-colon"),
    ] {
        let err = Emulator::start(seed).expect_err(label);
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{label}");
        assert!(err.to_string().contains(fragment), "{label}: {err}");
    }
}

#[test]
fn dropping_the_emulator_stops_the_server() {
    let emu = start(0);
    let addr = emu.addr();
    assert_eq!(emu.base_url(), format!("http://127.0.0.1:{}", addr.port()));
    // An idle keep-alive connection must not keep the server alive.
    let idle = TcpStream::connect(addr).expect("connect");
    drop(emu);
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
        "still listening"
    );
    let mut idle = idle;
    idle.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut buf = [0u8; 1];
    // Closed either way: EOF if the server had accepted it, a reset if it was still queued.
    let read = idle.read(&mut buf).map_err(|e| e.kind());
    assert!(
        matches!(read, Ok(0) | Err(io::ErrorKind::ConnectionReset)),
        "idle connection still open: {read:?}"
    );
}

#[tokio::test]
async fn works_from_inside_a_tokio_runtime() {
    let emu = Emulator::start(world(0)).expect("starts inside a runtime");
    let addr = emu.addr();
    let resp = tokio::task::spawn_blocking(move || {
        send(
            addr,
            "GET",
            "/api/svc/v1/clusters",
            &[("Authorization", "Bearer admin-key")],
            b"",
            Duration::from_secs(10),
        )
    })
    .await
    .expect("join")
    .expect("answer");
    assert_eq!(resp.status, 200);
    drop(emu); // must not panic inside a runtime
}
