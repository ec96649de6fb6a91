//! The gateway end to end without I/O: requests through [`handle`] over a scripted control
//! plane, checking the exact responses and what was sent upstream.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{json, Value};

use super::*;
use crate::testing::{created, empty_page, volume_item, workspace_page, Scripted, VirtualClock};

const KEY: &str = "sk-caller-canary-42";

fn config() -> Config {
    Config::from_env([("TFY_BASE_URL", "https://tfy.example.com")])
}

fn request(method: &str, path: &str, body: Option<Value>) -> Request {
    let mut headers = vec![(
        "Authorization".to_string(),
        format!("Bearer {KEY}").into_bytes(),
    )];
    if body.is_some() {
        headers.push(("Content-Type".to_string(), b"application/json".to_vec()));
    }
    Request {
        method: method.into(),
        path_with_query: path.into(),
        headers,
        body: body
            .map(|body| serde_json::to_vec(&body).unwrap())
            .unwrap_or_default(),
    }
}

/// Answers `request` over `transport`; returns the status and parsed body.
fn send(request: &Request, transport: &mut Scripted) -> (Response, Value) {
    let response = handle(request, &config(), transport, VirtualClock::default());
    let body = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    (response, body)
}

#[test]
fn list_forwards_the_callers_key_and_answers_the_volumes() {
    let mut transport = Scripted::answering(vec![(
        200,
        json!({"data":[volume_item("app-2","b"), volume_item("app-1","a")],
               "pagination":{"total":2}}),
    )]);
    let (response, body) = send(
        &request("GET", "/workspaces/c1%3Aws1/volumes?ignored=1", None),
        &mut transport,
    );
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let names: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(body[0]["mount-reference"], "tfy-volume://c1:ws1:a");
    assert_eq!(body[0]["status"]["phase"], "running");
    assert_eq!(body[0]["browser-url"], Value::Null);
    assert_eq!(
        transport.paths(),
        ["/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationType=volume&offset=0&limit=200"]
    );
    assert!(transport.sent[0]
        .headers
        .contains(&("authorization", format!("Bearer {KEY}"))));
}

#[test]
fn create_answers_201_with_the_location_and_refuses_a_taken_name_with_409() {
    let config_json = json!({"type":"dynamic","storage_class":"efs-sc","size":10});
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, empty_page()),
        (200, created("data", config_json)),
    ]);
    let body = json!({"name":"data","kind":"dynamic","size-gi":10,"storage-class":"efs-sc"});
    let (response, volume) = send(
        &request("POST", "/workspaces/c1:ws1/volumes", Some(body.clone())),
        &mut transport,
    );
    assert_eq!(response.status, 201, "{volume}");
    assert_eq!(response.header("location"), Some("/volumes/app-1"));
    assert_eq!(volume["fqn"], "c1:ws1:data");
    assert_eq!(volume["status"]["display"], "INITIALIZED");
    let put: Value = serde_json::from_slice(transport.sent[2].body.as_deref().unwrap()).unwrap();
    assert_eq!(put["manifest"]["workspace_fqn"], "c1:ws1");

    let mut taken = Scripted::answering(vec![
        (200, workspace_page()),
        (
            200,
            json!({"data":[volume_item("app-9","data")],"pagination":{"total":1}}),
        ),
    ]);
    let (response, problem) = send(
        &request("POST", "/workspaces/c1:ws1/volumes", Some(body)),
        &mut taken,
    );
    assert_eq!(response.status, 409);
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(problem["case"], "already-exists");
    assert_eq!(
        problem["fields"],
        json!({"name":"data","workspace-fqn":"c1:ws1","id":"app-9","fix":problem["fix"]})
    );
    assert_eq!(taken.sent.len(), 2, "nothing was written");
}

#[test]
fn a_body_naming_another_workspace_than_the_path_is_refused_before_any_request() {
    let mut transport = Scripted::default();
    let body = json!({"workspace-fqn":"c1:other","name":"data","kind":"dynamic"});
    let (response, problem) = send(
        &request("POST", "/workspaces/c1:ws1/volumes", Some(body)),
        &mut transport,
    );
    assert_eq!(response.status, 400);
    assert_eq!(problem["fields"]["field"], "workspace-fqn");
    assert_eq!(
        problem["fields"]["problem"],
        "differs from `c1:ws1` in the path"
    );
    assert!(transport.sent.is_empty());
}

#[test]
fn waiting_is_bounded_by_the_gateway() {
    let mut transport = Scripted::default();
    let (response, problem) = send(
        &request(
            "POST",
            "/volumes/app-1/wait",
            Some(json!({"timeout-seconds": 61})),
        ),
        &mut transport,
    );
    assert_eq!(response.status, 400);
    assert_eq!(problem["fields"]["field"], "timeout-seconds");
    let (response, problem) = send(
        &request(
            "POST",
            "/volumes/app-1/wait",
            Some(json!({"interval-seconds": 0})),
        ),
        &mut transport,
    );
    assert_eq!(response.status, 400);
    assert_eq!(problem["fields"]["field"], "interval-seconds");
    let create = json!({"name":"data","kind":"dynamic","size-gi":1,"storage-class":"s",
                        "wait":{"timeout-seconds": 3600}});
    let (response, problem) = send(
        &request("POST", "/workspaces/c1:ws1/volumes", Some(create)),
        &mut transport,
    );
    assert_eq!(response.status, 400);
    assert_eq!(problem["fields"]["field"], "wait.timeout-seconds");
    assert!(transport.sent.is_empty());
}

#[test]
fn an_empty_wait_body_waits_up_to_the_gateway_default() {
    let pending = json!({"data":{"id":"app-1","name":"v","fqn":"c1:ws1:v","type":"volume",
        "workspaceFqn":"c1:ws1","deployment":{"version":1,
        "manifest":{"name":"v","config":{"type":"dynamic","storage_class":"s","size":1}},
        "currentStatus":{"status":"INITIALIZED","state":{"isTerminalState":false}}}}});
    let answers: Vec<(u16, Value)> = (0..20).map(|_| (200, pending.clone())).collect();
    let mut transport = Scripted::answering(answers);
    let mut clock = VirtualClock::default();
    let response = handle(
        &request("POST", "/volumes/app-1/wait", None),
        &config(),
        &mut transport,
        &mut clock,
    );
    assert_eq!(response.status, 504);
    let problem: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(problem["case"], "timed-out");
    assert_eq!(problem["fields"]["waited-seconds"], 60);
    assert_eq!(clock.now.as_secs(), 60);
}

#[test]
fn requests_without_a_key_get_401_and_send_nothing() {
    let mut transport = Scripted::default();
    let mut anonymous = request("GET", "/volumes/app-1", None);
    anonymous.headers.clear();
    let (response, problem) = send(&anonymous, &mut transport);
    assert_eq!(response.status, 401);
    assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    assert_eq!(problem["case"], "unauthorized");
    assert!(transport.sent.is_empty());
    // The offline routes need no key.
    anonymous.method = "POST".into();
    anonymous.path_with_query = "/sizing".into();
    anonymous
        .headers
        .push(("content-type".into(), b"application/json".to_vec()));
    anonymous.body = br#"{"use-case":"model-cache","parameters-billions":7}"#.to_vec();
    let (response, advice) = send(&anonymous, &mut transport);
    assert_eq!(response.status, 200, "{advice}");
    assert_eq!(advice["size-gi"], 32);
}

#[test]
fn without_a_control_plane_online_routes_are_500_and_offline_ones_work() {
    let config = Config::from_env([("TFY_API_KEY", "ignored")]);
    let mut transport = Scripted::default();
    let response = handle(
        &request("GET", "/volumes/app-1", None),
        &config,
        &mut transport,
        VirtualClock::default(),
    );
    assert_eq!(response.status, 500);
    let problem: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(problem["case"], "missing-configuration");
    assert_eq!(problem["fields"]["field"], "TFY_BASE_URL");
    let health = handle(
        &request("GET", "/healthz", None),
        &config,
        &mut transport,
        VirtualClock::default(),
    );
    assert_eq!(health.status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&health.body).unwrap(),
        json!({"status":"ok","version":env!("CARGO_PKG_VERSION")})
    );
    assert!(transport.sent.is_empty());
}

#[test]
fn the_callers_key_never_comes_back_even_when_the_control_plane_echoes_it() {
    let echo = format!("key {KEY} is not allowed here");
    let mut transport = Scripted::answering(vec![(403, json!({"statusCode":403,"message":echo}))]);
    let (response, problem) = send(&request("GET", "/volumes/app-1", None), &mut transport);
    assert_eq!(response.status, 403);
    assert_eq!(problem["case"], "permission-denied");
    assert_eq!(problem["fields"]["status"], 403);
    let text = String::from_utf8(response.body.clone()).unwrap();
    assert!(!text.contains(KEY), "{text}");
    assert!(
        text.contains("key [redacted] is not allowed here"),
        "{text}"
    );

    let mut named = Scripted::answering(vec![(200, json!({"data": volume_item("app-1", KEY)}))]);
    let (response, _) = send(&request("GET", "/volumes/app-1", None), &mut named);
    let text = String::from_utf8(response.body).unwrap();
    assert!(!text.contains(KEY), "{text}");
}

#[test]
fn expand_takes_the_volume_from_the_path() {
    let mut transport = Scripted::default();
    let (response, problem) = send(
        &request(
            "POST",
            "/volumes/app-1/expand",
            Some(json!({"new-size-gi": 0})),
        ),
        &mut transport,
    );
    assert_eq!(response.status, 400);
    assert_eq!(problem["fields"]["field"], "new-size-gi");
    let (response, problem) = send(
        &request("POST", "/volumes/app-1/expand", Some(json!({}))),
        &mut transport,
    );
    assert_eq!(response.status, 400);
    assert_eq!(problem["fields"]["field"], "new-size-gi");
    assert!(problem["fields"]["problem"]
        .as_str()
        .unwrap()
        .starts_with("missing field `new-size-gi`"));
    assert!(transport.sent.is_empty());
}

#[test]
fn routing_problems_have_their_statuses_and_headers() {
    let mut transport = Scripted::default();
    let (response, problem) = send(&request("GET", "/nope", None), &mut transport);
    assert_eq!(
        (response.status, problem["type"].as_str()),
        (404, Some("about:blank"))
    );
    let (response, _) = send(&request("DELETE", "/plan", None), &mut transport);
    assert_eq!(
        (response.status, response.header("allow")),
        (405, Some("POST"))
    );
    let mut text = request("POST", "/plan", None);
    text.headers
        .push(("content-type".into(), b"text/plain".to_vec()));
    text.body = b"name=x".to_vec();
    let (response, _) = send(&text, &mut transport);
    assert_eq!(
        (response.status, response.header("accept-post")),
        (415, Some("application/json"))
    );
    let big = request("POST", "/plan", Some(Value::String("x".repeat(70_000))));
    assert_eq!(send(&big, &mut transport).0.status, 413);
    let (response, _) = send(&request("GET", "/volumes/%ff", None), &mut transport);
    assert_eq!(response.status, 400);
    let (response, document) = send(&request("GET", "/openapi.json", None), &mut transport);
    assert_eq!(response.status, 200);
    assert_eq!(document["openapi"], "3.1.0");
    assert!(transport.sent.is_empty());
}

#[test]
fn no_request_panics() {
    // Every route with every method, odd paths, and bodies of every kind.
    let methods = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "", "G\0T",
    ];
    let mut paths: Vec<String> = routes::ROUTES
        .iter()
        .map(|route| {
            route
                .path
                .replace("{workspace}", "c1:ws1")
                .replace("{volume}", "app-1")
        })
        .collect();
    paths.extend(
        [
            "",
            "/",
            "//",
            "?",
            "#",
            "/%",
            "/volumes/%",
            "/volumes/%2",
            "/volumes/\u{7f}",
            "*",
        ]
        .map(String::from),
    );
    let bodies: [&[u8]; 8] = [
        b"",
        b"null",
        b"[]",
        b"{}",
        b"{\"name\":",
        b"\xff\xfe",
        b"{\"kind\":{\"a\":[1,2,{}]},\"size-gi\":-1,\"wait\":{\"timeout-seconds\":1e99}}",
        b"\"string\"",
    ];
    for method in methods {
        for path in &paths {
            for body in bodies {
                for content_type in [None, Some("application/json"), Some("\u{0}")] {
                    let mut request = Request {
                        method: method.into(),
                        path_with_query: path.clone(),
                        headers: Vec::new(),
                        body: body.to_vec(),
                    };
                    if let Some(content_type) = content_type {
                        request
                            .headers
                            .push(("content-type".into(), content_type.as_bytes().to_vec()));
                    }
                    let mut transport = Scripted::default();
                    let response =
                        handle(&request, &config(), &mut transport, VirtualClock::default());
                    assert!((200..600).contains(&response.status));
                    assert!(
                        response.status < 500 || response.status == 502,
                        "{method} {path}: {}",
                        response.status
                    );
                }
            }
        }
    }
}

#[test]
fn the_interview_asks_without_a_key_and_its_request_is_what_the_create_routes_take() {
    let mut transport = Scripted::default();
    let mut anonymous = request("POST", "/interview", None);
    anonymous.headers.clear();
    let (response, step) = send(&anonymous, &mut transport);
    assert_eq!(response.status, 200, "{step}");
    assert_eq!(step["ask"]["field"], "workspace");
    assert_eq!(step["ask"]["default-answer"], Value::Null);

    anonymous
        .headers
        .push(("content-type".into(), b"application/json".to_vec()));
    anonymous.body = serde_json::to_vec(&json!({"answers": [
        {"field": "workspace", "value": "c1:ws1"}, {"field": "kind", "value": "dynamic"},
        {"field": "name", "value": "data"}, {"field": "size-gi", "value": "10"},
        {"field": "storage-class", "value": "efs-sc"}, {"field": "browser", "value": "no"},
        {"field": "wait", "value": "no"}]}))
    .unwrap();
    let (response, step) = send(&anonymous, &mut transport);
    assert_eq!(response.status, 200, "{step}");
    let plan = &step["confirm"];
    assert_eq!(plan["plan"]["checked-online"], false);
    let warnings = plan["plan"]["warnings"].to_string();
    assert!(
        warnings.contains("no `Authorization: Bearer <API key>` header"),
        "{warnings}"
    );
    assert!(
        plan["next-step"]
            .as_str()
            .is_some_and(|text| text.contains("POST /interview again")),
        "{plan}"
    );
    // The plan's request goes back in as it is: `POST /plan` decodes what create decodes.
    let mut planned = request("POST", "/plan", Some(plan["request"].clone()));
    planned.headers.clear();
    planned
        .headers
        .push(("content-type".into(), b"application/json".to_vec()));
    let (response, replanned) = send(&planned, &mut transport);
    assert_eq!(response.status, 200, "{replanned}");
    assert_eq!(replanned["manifest-json"], plan["plan"]["manifest-json"]);
    assert!(transport.sent.is_empty());

    // A key that is there but malformed is refused, as everywhere.
    let mut malformed = anonymous.clone();
    malformed
        .headers
        .push(("authorization".into(), b"Basic sk-x".to_vec()));
    let (response, problem) = send(&malformed, &mut transport);
    assert_eq!(response.status, 401, "{problem}");
    // An unknown field in the body names itself.
    anonymous.body = br#"{"answers": [{"field": "colour", "value": "red"}]}"#.to_vec();
    let (response, problem) = send(&anonymous, &mut transport);
    assert_eq!(response.status, 400, "{problem}");
    assert!(problem["fields"]["field"]
        .as_str()
        .is_some_and(|field| field.starts_with("answers")));
}
