//! A hostile or broken control plane (issue 10): it cannot get the key printed back, crash
//! the component, make it write to another volume or follow ids into other paths. Each test
//! scripts the server byte for byte ([`Hostile`]) and runs the built component in our host.

use serde_json::{json, Value};
use tfy_volumes_host::bindings::{
    BrowserSettings, CreateRequest, ExpandRequest, MountRequest, SnippetFormat, VolumeError,
};
use tfy_volumes_host::{Grant, Volumes};

use crate::hostile::{assert_no_key, Hostile, Reply, Seen};
use crate::support::{dynamic_request, expect_error, runtime, WS};

/// A 32-character key, as real ones are long; any 8 of its characters in a row would be a leak.
const KEY: &str = "tfy-canary-9f3a2b7c41d05e8a6b3c7d";

async fn instance(server: &Hostile) -> Volumes {
    runtime()
        .instantiate(&Grant::new(server.base_url(), KEY))
        .await
        .expect("the component instantiates")
}

fn workspace_page() -> Value {
    json!({"data":[{"id":"ws-1","fqn":WS,"clusterId":"c1"}],"pagination":{"total":1}})
}

/// A volume application whose every server-written text carries `text`.
fn volume_carrying(id: &str, name: &str, text: &str) -> Value {
    json!({"id":id,"name":name,"fqn":format!("{WS}:{name}"),"type":"volume","workspaceFqn":WS,
        "createdAt":text,"lifecycleStage":"active","activeVersion":1,
        "deployment":{"version":1,"manifest":{"type":"volume","name":name,"workspace_fqn":WS,
            "config":{"type":"dynamic","storage_class":text,"size":10},
            "volume_browser":{"username":text,"endpoint":{"host":text,"path":"/"}}},
        "currentStatus":{"status":"DEPLOY_FAILED","state":{"isTerminalState":true},
            "message":format!("failed for {text}")}}})
}

/// The key spelled with JSON escapes throughout: a raw-byte scrub would not see it.
fn escaped_key() -> String {
    KEY.chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect()
}

fn page(items: Vec<Value>, total: u64) -> Value {
    json!({"data": items, "pagination": {"total": total}})
}

#[tokio::test]
async fn the_key_echoed_in_successful_answers_is_never_returned() {
    let long = format!("{}{KEY}{}", "x".repeat(495), "y".repeat(100));
    let server = Hostile::start(move |request: &Seen| match request.path() {
        "/api/svc/v1/workspaces" => Reply::Json(200, workspace_page()),
        "/api/svc/v1/apps" => Reply::Json(
            200,
            page(
                vec![
                    volume_carrying("app-1", "plain", KEY),
                    volume_carrying("app-2", "clipped", &long),
                ],
                2,
            ),
        ),
        "/api/svc/v1/apps/app-3" => {
            // Hand-written JSON: the key only as `\u` escapes.
            let text = format!(
                r#"{{"data":{{"id":"app-3","name":"escaped","fqn":"c1:ws1:escaped","type":"volume","workspaceFqn":"c1:ws1","createdAt":"{0}","deployment":{{"version":1,"manifest":{{"name":"escaped","config":{{"type":"dynamic","storage_class":"{0}","size":1}}}},"currentStatus":{{"status":"DEPLOY_SUCCESS","message":"{0}"}}}}}}}}"#,
                escaped_key()
            );
            Reply::json_text(200, &text)
        }
        "/api/svc/v1/clusters/c1" => Reply::Json(
            200,
            json!({"data":{"id":KEY,"manifest":{"cluster_type":KEY,
                "base_domains":[format!("*.{KEY}.example.com")],
                "workbench_config":{"default_storage_class":KEY}}}}),
        ),
        _ => Reply::Json(404, json!({"statusCode":404,"message":KEY})),
    });
    let mut volumes = instance(&server).await;
    let listed = volumes.list(WS).await.unwrap().unwrap();
    assert_eq!(listed.len(), 2);
    let plain = listed.iter().find(|volume| volume.name == "plain").unwrap();
    assert_eq!(plain.storage_class.as_deref(), Some("[redacted]"));
    assert_eq!(plain.browser_username.as_deref(), Some("[redacted]"));
    let escaped = volumes.get("app-3").await.unwrap().unwrap();
    assert_eq!(escaped.storage_class.as_deref(), Some("[redacted]"));
    let status = volumes.status("app-3").await.unwrap();
    let storage = volumes.storage_classes(WS).await.unwrap();
    let shown = format!("{listed:?} {escaped:?} {status:?} {storage:?}");
    assert_no_key(KEY, &shown);
    assert!(shown.contains("[redacted]"));
}

#[tokio::test]
async fn a_key_cut_by_a_clip_or_spelled_with_escapes_is_scrubbed_from_errors() {
    let long = format!("{}{KEY}{}", "x".repeat(495), "y".repeat(100));
    let server = Hostile::start(move |request: &Seen| match request.path() {
        "/api/svc/v1/apps/app-1" => Reply::Json(400, json!({"statusCode":400,"message":long})),
        "/api/svc/v1/apps/app-2" => Reply::json_text(
            401,
            &format!(
                r#"{{"statusCode":401,"message":"bad key {}"}}"#,
                escaped_key()
            ),
        ),
        _ => Reply::Json(404, json!({})),
    });
    let mut volumes = instance(&server).await;
    let clipped = expect_error(volumes.get("app-1").await.unwrap());
    let escaped = expect_error(volumes.get("app-2").await.unwrap());
    assert!(matches!(clipped, VolumeError::Rejected(_)), "{clipped:?}");
    let VolumeError::Unauthorized(reply) = &escaped else {
        panic!("{escaped:?}")
    };
    assert_eq!(reply.message, "bad key [redacted]");
    assert_no_key(KEY, &format!("{clipped:?} {escaped:?}"));
}

#[tokio::test]
async fn millions_of_empty_items_under_the_body_cap_are_a_typed_error() {
    // 8.1 MB: under the 8 MiB body cap, 2.7 million items.
    let mut body = String::from(r#"{"data":["#);
    body.push_str(&"{},".repeat(2_700_000));
    body.push_str(r#"{}],"pagination":{"total":1}}"#);
    assert!(body.len() < 8 * 1024 * 1024);
    let server = Hostile::start(move |request: &Seen| match request.path() {
        "/api/svc/v1/workspaces" => Reply::Json(200, workspace_page()),
        _ => Reply::json_text(200, &body),
    });
    let mut volumes = instance(&server).await;
    for outcome in [
        volumes.list(WS).await.unwrap().map(|_| ()),
        volumes
            .create(&dynamic_request("fresh"))
            .await
            .unwrap()
            .map(|_| ()),
    ] {
        let error = expect_error(outcome);
        let VolumeError::UndecodableResponse(bad) = &error else {
            panic!("expected undecodable-response, got {error:?}")
        };
        assert!(
            bad.detail.contains("more than 1000 items on one page"),
            "{}",
            bad.detail
        );
    }
    assert!(
        volumes.peak_memory_bytes() < 40 * 1024 * 1024,
        "peak {} bytes",
        volumes.peak_memory_bytes()
    );
    assert!(server.seen().iter().all(|seen| seen.method == "GET"));
}

#[tokio::test]
async fn pages_of_huge_volumes_stop_at_a_memory_bound_not_a_trap() {
    // 1000 volumes of 6 KiB of storage class each: about 6.5 MB a page, forever.
    let class = "s".repeat(6 * 1024);
    let items: Vec<Value> = (0..1000)
        .map(|i| {
            let mut item = volume_carrying(&format!("app-{i}"), &format!("v{i}"), "text");
            item["deployment"]["manifest"]["config"]["storage_class"] = json!(class);
            item
        })
        .collect();
    let body = serde_json::to_string(&page(items, 1_000_000)).unwrap();
    let server = Hostile::start(move |_: &Seen| Reply::json_text(200, &body));
    let mut volumes = instance(&server).await;
    let error = expect_error(volumes.list(WS).await.unwrap());
    let VolumeError::UndecodableResponse(bad) = &error else {
        panic!("expected undecodable-response, got {error:?}")
    };
    assert!(bad.detail.contains("more than 24 MiB"), "{}", bad.detail);
    assert!(volumes.peak_memory_bytes() < 60 * 1024 * 1024);
}

#[tokio::test]
async fn an_id_that_would_reshape_a_path_never_reaches_one() {
    let id = "x/../../../../../admin/users?delete=1&";
    let server = Hostile::start(move |request: &Seen| match request.path() {
        "/api/svc/v1/apps" => Reply::Json(200, page(vec![volume_carrying(id, "data", "t")], 1)),
        _ => Reply::Json(200, json!({})),
    });
    let mut volumes = instance(&server).await;
    let expand = ExpandRequest {
        volume: format!("{WS}:data"),
        new_size_gi: 20,
        expected_version: None,
        wait: None,
    };
    let error = expect_error(volumes.expand(&expand).await.unwrap());
    assert!(
        matches!(error, VolumeError::UndecodableResponse(_)),
        "{error:?}"
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen.iter().all(|s| !s.target.contains("admin")));
}

#[tokio::test]
async fn the_name_check_reads_every_page_of_a_server_that_ignores_filters() {
    let server = Hostile::start(move |request: &Seen| {
        let offset = request
            .target
            .split("offset=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0);
        match (request.method.as_str(), request.path()) {
            ("GET", "/api/svc/v1/workspaces") => Reply::Json(200, workspace_page()),
            ("GET", "/api/svc/v1/apps") => {
                // Three pages of two, whatever the filter; the name is on the last.
                let names = match offset {
                    0 => ["web", "api"],
                    2 => ["db", "cache"],
                    _ => ["fresh", "queue"],
                };
                let items = names
                    .iter()
                    .map(|name| volume_carrying(&format!("id-{name}"), name, "t"))
                    .collect();
                Reply::Json(200, page(items, 6))
            }
            _ => Reply::Json(500, json!({"message":"a write reached the server"})),
        }
    });
    let mut volumes = instance(&server).await;
    let error = expect_error(volumes.create(&dynamic_request("fresh")).await.unwrap());
    let VolumeError::AlreadyExists(existing) = &error else {
        panic!("expected already-exists, got {error:?}")
    };
    assert_eq!(existing.id, "id-fresh");
    assert!(
        server.seen().iter().all(|seen| seen.method == "GET"),
        "no PUT"
    );
}

#[tokio::test]
async fn expand_refuses_an_answer_about_another_volume() {
    let server = Hostile::start(move |request: &Seen| match request.path() {
        "/api/svc/v1/apps" => Reply::Json(
            200,
            page(vec![volume_carrying("app-1", "training-data", "t")], 1),
        ),
        "/api/svc/v1/apps/app-1" => {
            let mut other = volume_carrying("app-1", "prod-db", "t");
            other["fqn"] = json!("c9:other:prod-db");
            other["workspaceFqn"] = json!("c9:other");
            other["deployment"]["manifest"]["workspace_fqn"] = json!("c9:other");
            other["deployment"]["currentStatus"] =
                json!({"status":"DEPLOY_SUCCESS","state":{"isTerminalState":true}});
            Reply::Json(200, json!({ "data": other }))
        }
        _ => Reply::Json(200, workspace_page()),
    });
    let mut volumes = instance(&server).await;
    let expand = ExpandRequest {
        volume: format!("{WS}:training-data"),
        new_size_gi: 200,
        expected_version: None,
        wait: None,
    };
    let error = expect_error(volumes.expand(&expand).await.unwrap());
    let VolumeError::UndecodableResponse(bad) = &error else {
        panic!("expected undecodable-response, got {error:?}")
    };
    assert!(bad.detail.contains("c9:other:prod-db"), "{}", bad.detail);
    assert!(
        server.seen().iter().all(|seen| seen.method == "GET"),
        "no PUT"
    );
}

#[tokio::test]
async fn a_create_answered_with_another_volume_is_refused() {
    let server = Hostile::start(move |request: &Seen| {
        match (request.method.as_str(), request.path()) {
            ("GET", "/api/svc/v1/workspaces") => Reply::Json(200, workspace_page()),
            ("GET", _) => Reply::Json(200, page(vec![], 0)),
            _ => Reply::Json(
                200,
                json!({"data":{"id":"dep-9","version":1,"fqn":"c1:ws1:prod-db:1","applicationId":"app-9",
                "manifest":{"type":"volume","name":"prod-db","workspace_fqn":WS,
                    "config":{"type":"dynamic","storage_class":"efs-sc","size":100}}}}),
            ),
        }
    });
    let mut volumes = instance(&server).await;
    let error = expect_error(volumes.create(&dynamic_request("fresh")).await.unwrap());
    let VolumeError::UndecodableResponse(bad) = &error else {
        panic!("expected undecodable-response, got {error:?}")
    };
    assert!(bad.detail.contains("`c1:ws1:fresh`") && bad.detail.contains("`c1:ws1:prod-db`"));
}

#[tokio::test]
async fn a_version_that_would_wrap_is_refused_before_any_write() {
    let server = Hostile::start(move |request: &Seen| {
        let mut item = volume_carrying("app-1", "data", "t");
        item["deployment"]["version"] = json!(4_294_967_295u64);
        item["deployment"]["currentStatus"] =
            json!({"status":"DEPLOY_SUCCESS","state":{"isTerminalState":true}});
        match request.path() {
            "/api/svc/v1/apps/app-1" => Reply::Json(200, json!({ "data": item })),
            _ => Reply::Json(200, workspace_page()),
        }
    });
    let mut volumes = instance(&server).await;
    let expand = ExpandRequest {
        volume: "app-1".into(),
        new_size_gi: 20,
        expected_version: Some(4_294_967_295),
        wait: None,
    };
    let error = expect_error(volumes.expand(&expand).await.unwrap());
    let VolumeError::UndecodableResponse(bad) = &error else {
        panic!("expected undecodable-response, got {error:?}")
    };
    assert!(bad.detail.contains("not plausible"), "{}", bad.detail);
    assert!(server.seen().iter().all(|seen| seen.method == "GET"));
}

#[tokio::test]
async fn huge_inputs_are_refused_by_their_documented_caps() {
    let server = Hostile::start(|_: &Seen| Reply::Json(500, json!({})));
    let mut volumes = instance(&server).await;
    let with_browser = |secret: String, path: String| CreateRequest {
        browser: Some(BrowserSettings {
            username: None,
            password_secret_fqn: Some(secret),
            host: "ml.example.com".into(),
            path: Some(path),
        }),
        ..dynamic_request("capped")
    };
    let secret = format!("tfy-secret://a:b:{}", "c".repeat(10 * 1024 * 1024));
    let path = format!("/{}/", "p".repeat(4 * 1024 * 1024));
    for (request, field) in [
        (
            with_browser(secret, "/ok/".into()),
            "browser.password-secret-fqn",
        ),
        (
            with_browser("tfy-secret://a:b:c".into(), path),
            "browser.path",
        ),
    ] {
        let error = expect_error(volumes.plan(&request).await.unwrap());
        let VolumeError::InvalidInput(problem) = &error else {
            panic!("expected invalid-input, got {error:?}")
        };
        assert_eq!(problem.field, field);
        assert!(problem.problem.len() < 300, "{}", problem.problem);
    }
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn framing_and_tls_failures_read_as_one_short_line() {
    // Both Transfer-Encoding and Content-Length: the chunked framing wins (RFC 9112 §6.3).
    let server = Hostile::start(|_: &Seen| {
        let body = r#"{"data":{"id":"app-1"}}"#;
        Reply::Raw(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\
                 transfer-encoding: chunked\r\nconnection: close\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
                body.len()
            )
            .into_bytes(),
        )
    });
    let mut volumes = instance(&server).await;
    let error = expect_error(volumes.get("app-1").await.unwrap());
    let shown = format!("{error:?}");
    assert!(!shown.contains("of 5 bytes"), "{shown}");

    // https:// to a plain-HTTP server, which answers the TLS hello with an HTTP error.
    let plain = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", plain.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in plain.incoming().flatten() {
            use std::io::Write;
            let mut stream = stream;
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let grant = Grant::new(url, KEY);
    let mut volumes = runtime()
        .instantiate_allowing(&grant, grant.origin())
        .await
        .expect("the component instantiates");
    let error = expect_error(volumes.get("app-1").await.unwrap());
    let VolumeError::Transport(failure) = &error else {
        panic!("expected transport, got {error:?}")
    };
    assert!(failure.message.contains("TLS"), "{}", failure.message);
    assert!(failure.message.contains("http://"), "{}", failure.message);
    assert!(!failure.message.contains('\n') && failure.message.len() < 200);
}

#[tokio::test]
async fn mount_paths_with_extra_slashes_or_dot_segments_are_refused() {
    let server = Hostile::start(|_: &Seen| Reply::Json(500, json!({})));
    let mut volumes = instance(&server).await;
    for path in ["//data", "///data", "//a/b", "/../../etc", "/data/./x"] {
        let request = MountRequest {
            volume_fqn: format!("{WS}:data"),
            mount_path: path.into(),
            sub_path: None,
            format: SnippetFormat::Yaml,
            per_pod_directories: false,
        };
        let error = expect_error(volumes.mount_snippet(&request).await.unwrap());
        let VolumeError::InvalidInput(problem) = &error else {
            panic!("{path}: expected invalid-input, got {error:?}")
        };
        assert_eq!(problem.field, "mount-path", "{path}");
    }
}
