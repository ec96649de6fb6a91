//! The one scenario every gateway host must pass: every route driven with a real HTTP client
//! (ureq) against the gateway the host serves, which talks to a demo emulator; exact bodies,
//! exact problems, and what the emulator received. Expected answers of the larger bodies
//! (plans, storage classes, advice, recipes) come from the same core run natively against a
//! second demo emulator, so nothing is hard-coded twice; the small ones are spelled out.

use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};
use truefoundry_emulator::{Emulator, Fault, FaultRule};
use truefoundry_volumes::model::CreateRequest;
use truefoundry_volumes::native::{Native, SystemClock};
use truefoundry_volumes::offline::interview::{self, Answer};
use truefoundry_volumes::offline::{advice, cache_volume, plan, static_volume};
use truefoundry_volumes::vocabulary::{plan_closing, translate, Surface};
use truefoundry_volumes::Client;

use crate::support::{
    assert_created, assert_snippet, create_request, demo_emulator, demo_volumes, normalize,
    snippet_request, unknown_volume, without_created_at, DEMO_KEY, DEMO_WS,
};

/// A key the emulator does not know, unusual enough that a leak would show.
const WRONG_KEY: &str = "sk-wrong-canary-7d1e";

/// A reply as the client saw it.
pub struct Reply {
    /// What was asked, for messages.
    pub call: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON, failing the test otherwise.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("{}: not JSON ({error}): {}", self.call, self.text))
    }

    /// The JSON body of a successful reply with this status.
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.call, self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{}",
            self.call
        );
        self.json()
    }

    /// The problem body of a reply with this status, checked for RFC 9457's members: the
    /// component answered (a host's own failure would not be `application/problem+json`).
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.call, self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.call
        );
        let problem = self.json();
        assert_eq!(problem["status"], status, "{}", self.call);
        for member in ["type", "title", "detail", "fix"] {
            assert!(
                problem[member].as_str().is_some_and(|s| !s.is_empty()),
                "{}: {member} in {problem}",
                self.call
            );
        }
        problem
    }
}

/// A blocking HTTP/1.1 client for one gateway.
pub struct Http {
    base: String,
    agent: ureq::Agent,
}

impl Http {
    /// A client for the gateway at `base` (`http://127.0.0.1:PORT`).
    pub fn new(base: &str) -> Http {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(90)))
            .allow_non_standard_methods(true)
            .max_redirects(0)
            .build()
            .into();
        Http {
            base: base.to_string(),
            agent,
        }
    }

    /// Sends `method path` with an optional Bearer `key` and an optional `(content type,
    /// body)`.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Reply {
        let call = format!("{method} {path}");
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(key) = key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        let bytes = match body {
            Some((content_type, bytes)) => {
                request = request.header("content-type", content_type);
                bytes
            }
            None => Vec::new(),
        };
        let request = request
            .body(bytes)
            .unwrap_or_else(|error| panic!("{call}: {error}"));
        let mut response = self
            .agent
            .run(request)
            .unwrap_or_else(|error| panic!("{call}: {error}"));
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    value.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let text = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|error| panic!("{call}: reading the body: {error}"));
        let reply = Reply {
            call,
            status: response.status().as_u16(),
            headers,
            text,
        };
        for key in [DEMO_KEY, WRONG_KEY] {
            assert!(
                !reply.text.contains(key) && !reply.headers.iter().any(|(_, v)| v.contains(key)),
                "{}: the key came back: {}",
                reply.call,
                reply.text
            );
        }
        reply
    }

    /// `GET path` with the demo key.
    pub fn get(&self, path: &str) -> Reply {
        self.send("GET", path, Some(DEMO_KEY), None)
    }

    /// `POST path` with the demo key and `body` as JSON.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        let bytes = serde_json::to_vec(body).expect("a JSON body");
        self.send(
            "POST",
            path,
            Some(DEMO_KEY),
            Some(("application/json", bytes)),
        )
    }
}

/// `value` as the gateway spells it: its JSON, every text the core wrote in the gateway's
/// words (routes where the core names functions).
fn spelled<T: Serialize>(value: T) -> Value {
    fn worded(value: Value) -> Value {
        match value {
            Value::String(text) => Value::String(translate(&text, Surface::Gateway)),
            Value::Array(items) => Value::Array(items.into_iter().map(worded).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, worded(v))).collect())
            }
            other => other,
        }
    }
    worded(serde_json::to_value(value).expect("serializes"))
}

/// Polls `GET /healthz` until the gateway answers, for hosts started as processes.
pub fn wait_until_serving(base: &str, within: Duration) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    let deadline = std::time::Instant::now() + within;
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        match agent.get(format!("{base}/healthz")).call() {
            Ok(response) if response.status() == 200 => return Ok(()),
            Ok(response) => last = format!("HTTP {}", response.status()),
            Err(error) => last = error.to_string(),
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "{base} did not answer /healthz within {within:?}: {last}"
    ))
}

/// Drives every route of the gateway at `base`, which must serve `emulator`'s control plane.
/// `host` names the volume it creates.
pub fn every_route(base: &str, emulator: &Emulator, host: &str) {
    let http = Http::new(base);
    let reference = demo_emulator();
    let mut native = Client::from_env(
        [
            ("TFY_BASE_URL", reference.base_url()),
            ("TFY_API_KEY", DEMO_KEY.to_string()),
        ],
        Native::new(),
        SystemClock::default(),
    );

    // Without the control plane.
    assert_eq!(
        http.send("GET", "/healthz", None, None).ok(200),
        json!({"status": "ok", "version": "0.1.0"})
    );
    let served = http.send("GET", "/openapi.json", None, None).ok(200);
    let document: Value =
        serde_json::from_str(truefoundry_volumes::gateway::openapi::DOCUMENT).unwrap();
    assert_eq!(served, document);
    let plan_body = create_request(&format!("{host}-plan"));
    let plan_request = serde_json::from_value(plan_body.clone()).unwrap();
    assert_eq!(
        http.send(
            "POST",
            "/plan",
            None,
            Some(("application/json", plan_body.to_string().into_bytes()))
        )
        .ok(200),
        spelled(plan::plan(&plan_request).unwrap())
    );
    let planned = http
        .send(
            "POST",
            "/plan",
            None,
            Some(("application/json", plan_body.to_string().into_bytes())),
        )
        .ok(200);
    assert!(
        planned["summary"]
            .as_str()
            .is_some_and(|summary| summary.ends_with(plan_closing(Surface::Gateway))),
        "{planned}"
    );
    let snippet = http.post("/mount-snippets", &snippet_request()).ok(200);
    assert_snippet(&json!({"ok": snippet}));
    let sizing = json!({"use-case": "model-cache", "parameters-billions": 7, "precision": "bf16"});
    assert_eq!(
        http.post("/sizing", &sizing).ok(200),
        spelled(advice::recommend_size(&serde_json::from_value(sizing).unwrap()).unwrap())
    );
    let needs = json!({"data-gi": 2000, "write-once-read-rarely": true, "cost-first": true});
    assert_eq!(
        http.post("/storage-advice", &needs).ok(200),
        spelled(advice::recommend_storage(&serde_json::from_value(needs).unwrap()).unwrap())
    );
    let recipe = json!({"provider": "aws-efs", "workspace-fqn": DEMO_WS, "volume-name": "shared",
        "file-system-id": "fs-0123456789abcdef0", "access-point-id": "fsap-0123456789abcdef0"});
    assert_eq!(
        http.post("/static-volume-recipes", &recipe).ok(200),
        spelled(static_volume::recipe(&serde_json::from_value(recipe).unwrap()).unwrap())
    );
    let cache = json!({"storage-class": "efs-sc", "model-gi": 60, "format": "yaml"});
    assert_eq!(
        http.post("/cache-volume-snippets", &cache).ok(200),
        spelled(cache_volume::render(&serde_json::from_value(cache).unwrap()).unwrap())
    );
    assert!(
        emulator.requests().is_empty(),
        "the offline routes used the network: {:?}",
        emulator.requests()
    );

    // Reading.
    let listed = http.get(&format!("/workspaces/{DEMO_WS}/volumes")).ok(200);
    let listed: Vec<Value> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|volume| without_created_at(&normalize(volume.clone())))
        .collect();
    assert_eq!(Value::Array(listed), demo_volumes());
    let by_fqn = http
        .get(&format!("/volumes/{DEMO_WS}:training-data"))
        .ok(200);
    assert_eq!(without_created_at(&normalize(by_fqn)), demo_volumes()[2]);
    let by_encoded_reference = http
        .get("/volumes/tfy-volume%3A%2F%2Fdemo-cluster%3Ademo-ws%3Amodel-cache")
        .ok(200);
    assert_eq!(
        without_created_at(&normalize(by_encoded_reference)),
        demo_volumes()[0]
    );
    assert_eq!(
        http.get("/volumes/app-1/status").ok(200),
        json!({"phase": "running", "api-status": "DEPLOY_SUCCESS", "display": "RUNNING",
               "terminal": true, "message": null})
    );
    assert_eq!(
        http.get(&format!("/workspaces/{DEMO_WS}/storage-classes"))
            .ok(200),
        spelled(native.storage_classes(DEMO_WS).unwrap())
    );
    assert_eq!(
        http.post("/preflight", &plan_body).ok(200),
        spelled(native.preflight(&plan_request).unwrap())
    );

    // The interview with the caller's key: checked online, step by step, to a plan whose
    // `request` is what the create route takes.
    let answers = json!([
        {"field": "workspace", "value": DEMO_WS}, {"field": "kind", "value": "dynamic"},
        {"field": "name", "value": format!("{host}-asked")}, {"field": "size-gi", "value": "20"},
        {"field": "storage-class", "value": "efs-sc"}, {"field": "browser", "value": "no"},
        {"field": "wait", "value": "no"}
    ]);
    let answers: Vec<Answer> = serde_json::from_value(answers).unwrap();
    for given in [0, 3, answers.len()] {
        let body = json!({"answers": answers[..given]});
        assert_eq!(
            http.post("/interview", &body).ok(200),
            spelled(
                native
                    .interview(&answers[..given], Surface::Gateway)
                    .unwrap()
            ),
            "after {given} answers"
        );
    }
    let confirmed = http
        .post("/interview", &json!({"answers": answers}))
        .ok(200);
    let request: CreateRequest =
        serde_json::from_value(confirmed["confirm"]["request"].clone()).expect("a create request");
    assert_eq!(request.name, format!("{host}-asked"));
    assert!(
        confirmed["confirm"]["plan"]["checked-online"] == json!(true),
        "{confirmed}"
    );

    // Writing: create, refuse the same name, wait, expand, refuse shrinking.
    let name = format!("{host}-gw");
    let mut body = create_request(&name);
    body.as_object_mut().unwrap().remove("workspace-fqn");
    let created = http.post(&format!("/workspaces/{DEMO_WS}/volumes"), &body);
    let volume = created.ok(201);
    let id = volume["id"].as_str().expect("an id").to_string();
    assert_eq!(
        created.header("location"),
        Some(format!("/volumes/{id}").as_str())
    );
    assert_created(&json!({"ok": normalize(volume)}), &name, emulator);
    let taken = http
        .post(&format!("/workspaces/{DEMO_WS}/volumes"), &body)
        .problem(409);
    assert_eq!(taken["case"], "already-exists");
    assert_eq!(
        taken["fields"],
        json!({"name": name, "workspace-fqn": DEMO_WS, "id": id, "fix": taken["fix"]})
    );
    let running = http
        .post(
            &format!("/volumes/{id}/wait"),
            &json!({"interval-seconds": 1, "timeout-seconds": 30}),
        )
        .ok(200);
    assert_eq!(running["status"]["phase"], "running", "{running}");
    let expanded = http
        .post(
            &format!("/volumes/{id}/expand"),
            &json!({"new-size-gi": 40, "expected-version": 1}),
        )
        .ok(200);
    assert_eq!(
        (expanded["size-gi"].clone(), expanded["version"].clone()),
        (json!(40), json!(2))
    );
    let puts: Vec<Value> = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .filter_map(|r| r.json_body())
        .collect();
    assert_eq!(puts.len(), 2, "one create and one expand");
    assert_eq!(puts[1]["manifest"]["config"]["size"], 40);
    let shrink = http
        .post(
            &format!("/volumes/{id}/expand"),
            &json!({"new-size-gi": 10}),
        )
        .problem(422);
    assert_eq!(shrink["case"], "size-cannot-be-reduced");
    assert_eq!(
        shrink["fields"],
        json!({"current-gi": 40, "requested-gi": 10, "fix": shrink["fix"]})
    );

    // Deleting: only with the name repeated, then followed until the volume is gone.
    for query in ["?confirm-name=not-it", ""] {
        let refused = http
            .send(
                "DELETE",
                &format!("/volumes/{id}{query}"),
                Some(DEMO_KEY),
                None,
            )
            .problem(400);
        assert_eq!(refused["fields"]["field"], "confirm-name", "{refused}");
    }
    let deletes = |emulator: &Emulator| {
        emulator
            .requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .map(|r| r.path.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        deletes(emulator).is_empty(),
        "a refused delete reached the control plane"
    );
    let deleted = http
        .send(
            "DELETE",
            &format!("/volumes/{id}?confirm-name={name}"),
            Some(DEMO_KEY),
            None,
        )
        .ok(200);
    assert_eq!(
        (deleted["id"].as_str(), deleted["size-gi"].as_u64()),
        (Some(id.as_str()), Some(40))
    );
    assert_eq!(deletes(emulator), [format!("/api/svc/v1/apps/{id}")]);
    assert_eq!(
        http.get(&format!("/volumes/{id}")).problem(404)["case"],
        "not-found"
    );

    // The control plane's errors.
    let missing = http
        .get(&format!("/volumes/{}", unknown_volume()))
        .problem(404);
    assert_eq!(
        (
            missing["case"].clone(),
            missing["fields"]["kind"].clone(),
            missing["fields"]["name"].clone()
        ),
        (json!("not-found"), json!("volume"), json!(unknown_volume()))
    );
    let no_workspace = http
        .get("/workspaces/demo-cluster:nope/volumes")
        .problem(404);
    assert_eq!(no_workspace["fields"]["kind"], "workspace");
    let refused = http.send("GET", "/volumes/app-1", Some(WRONG_KEY), None);
    let refused_problem = refused.problem(401);
    assert_eq!(refused_problem["case"], "unauthorized");
    assert_eq!(refused_problem["fields"]["status"], 401);
    assert_eq!(refused.header("www-authenticate"), Some("Bearer"));
    // The control plane echoes the caller's key in a message: it must not come back.
    emulator.inject(FaultRule {
        method: Some("GET".into()),
        path_prefix: Some("/api/svc/v1/apps/app-2".into()),
        times: Some(1),
        fault: Fault::Status {
            status: 400,
            body: json!({"statusCode": 400, "message": format!("bad key {DEMO_KEY}")}).to_string(),
            headers: Vec::new(),
        },
    });
    let echoed = http.get("/volumes/app-2").problem(422);
    assert_eq!(echoed["case"], "rejected");
    assert_eq!(echoed["fields"]["message"], "bad key [redacted]");

    // The gateway's own refusals: nothing reaches the control plane.
    let before = emulator.requests().len();
    let anonymous = http.send("GET", "/volumes/app-1", None, None);
    assert_eq!(anonymous.problem(401)["case"], "unauthorized");
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
    // The interview needs no key: without one it checks the answers offline and says so.
    let answers: Vec<Answer> = serde_json::from_value(json!([
        {"field": "workspace", "value": DEMO_WS}, {"field": "kind", "value": "static"},
        {"field": "name", "value": "shared"}, {"field": "persistent-volume", "value": "pv-1"},
        {"field": "browser", "value": "no"}, {"field": "wait", "value": "no"}
    ]))
    .unwrap();
    let body = json!({"answers": answers}).to_string().into_bytes();
    let offline = interview::Facts::offline(
        "the request has no `Authorization: Bearer <API key>` header".to_string(),
    );
    let expected = interview::next(
        &interview::Answers::new(&answers),
        &offline,
        Surface::Gateway,
    );
    let anonymous_plan = http
        .send("POST", "/interview", None, Some(("application/json", body)))
        .ok(200);
    assert_eq!(anonymous_plan, spelled(expected));
    assert_eq!(anonymous_plan["confirm"]["plan"]["checked-online"], false);
    let cases: Vec<(Reply, u16, Option<&str>)> = vec![
        (http.send("GET", "/nope", Some(DEMO_KEY), None), 404, None),
        (
            http.send("DELETE", "/plan", Some(DEMO_KEY), None),
            405,
            Some("POST"),
        ),
        (http.send("BREW", "/healthz", None, None), 405, Some("GET")),
        (
            http.send(
                "PUT",
                &format!("/workspaces/{DEMO_WS}/volumes"),
                Some(DEMO_KEY),
                None,
            ),
            405,
            Some("GET, POST"),
        ),
        (
            http.send("GET", "/volumes/%ff", Some(DEMO_KEY), None),
            400,
            None,
        ),
        (
            http.send(
                "POST",
                "/plan",
                None,
                Some(("text/plain", b"name=x".to_vec())),
            ),
            415,
            None,
        ),
        (
            http.send(
                "POST",
                "/plan",
                None,
                Some(("application/json", vec![b' '; 70_000])),
            ),
            413,
            None,
        ),
    ];
    for (reply, status, allow) in cases {
        let problem = reply.problem(status);
        assert_eq!(problem["type"], "about:blank", "{}", reply.call);
        assert_eq!(reply.header("allow"), allow, "{}", reply.call);
    }
    for (body, field) in [
        (b"{\"name\": ".to_vec(), "body"),
        (b"[1, 2]".to_vec(), "body"),
        (
            serde_json::to_vec(
                &json!({"workspace-fqn": DEMO_WS, "name": "x1y", "kind": "dynamic",
                                       "size-gi": "big"}),
            )
            .unwrap(),
            "size-gi",
        ),
        (
            serde_json::to_vec(
                &json!({"workspace-fqn": DEMO_WS, "name": "X", "kind": "dynamic",
                                       "size-gi": 1, "storage-class": "efs-sc"}),
            )
            .unwrap(),
            "name",
        ),
        (b"{\"kind\": \"dynamic\", \"wat\": 1}".to_vec(), "wat"),
    ] {
        let reply = http.send("POST", "/plan", None, Some(("application/json", body)));
        let problem = reply.problem(400);
        assert_eq!(problem["case"], "invalid-input", "{}", reply.text);
        assert_eq!(problem["fields"]["field"], field, "{}", reply.text);
    }
    let long_wait = http
        .post("/volumes/app-1/wait", &json!({"timeout-seconds": 3600}))
        .problem(400);
    assert_eq!(long_wait["fields"]["field"], "timeout-seconds");
    assert_eq!(
        emulator.requests().len(),
        before,
        "refusals reached the control plane"
    );

    // Still serving after every malformed request, and only the two keys were ever sent.
    http.send("GET", "/healthz", None, None).ok(200);
    for request in emulator.requests() {
        let authorization = request
            .header("authorization")
            .unwrap_or_default()
            .to_string();
        assert!(
            authorization == format!("Bearer {DEMO_KEY}")
                || authorization == format!("Bearer {WRONG_KEY}"),
            "{} {}: {authorization}",
            request.method,
            request.path
        );
        assert!(!request.path.contains(DEMO_KEY));
        assert!(!String::from_utf8_lossy(&request.body).contains(DEMO_KEY));
    }
}
