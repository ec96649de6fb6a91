//! Host 4: Wassette 0.8.0, the MCP server for components, driven by the official MCP Python
//! SDK. Each tool build is loaded from its file, gets the policy of `wassette/policy.yaml`
//! (the emulator's host instead of the template's) and the key as a Wassette secret; then
//! over MCP: `tools/list` must be exactly what the WIT world says (names, descriptions,
//! input and output schemas, see `wit_schema`); the volume interview is driven as a
//! conversation (each answer added to the list, each step exact); and every tool is called
//! against the emulator with the rows of `wassette_tool_calls.json`, each passing exactly
//! the tool's parameters — all of them required, none optional — with exact results and
//! exact requests received.
//!
//! What Wassette 0.8.0 does with calls, as these tests pin it down:
//! - a result comes back twice: `structuredContent` = `{"result": <value>}` and one text
//!   content holding the same value as JSON; `<value>` is `{"ok": …}` or, for the
//!   component's typed errors, `{"err": {"tag": <case>, "val": <payload>}}`, both with
//!   `isError: false`; a variant is `{"tag": <case>, "val": <payload>}` too;
//! - every parameter is required, and an `option<T>` would be a required `anyOf [null, T]`
//!   (see `oci` for a call that leaves one out): the tool worlds have none
//!   (`wit_schema::no_tool_takes_an_option_anywhere_in_its_arguments`);
//! - a host the policy does not grant is refused before any connection; the component
//!   reports it as its `transport` error.

use std::net::{Ipv4Addr, SocketAddr};

use serde_json::{json, Map, Value};
use tfy_volumes_host::runtime::{READ_ONLY_TOOLS_WASM, TOOLS_WASM};
use truefoundry_emulator::{Emulator, RecordedRequest, Seed};

use crate::mcp_session::McpSession;
use crate::support::{demo_emulator, DEMO_KEY, DEMO_WS};
use crate::wassette_setup::{wassette, ScratchHome};
use crate::wit_schema::{tool_names, tools};

/// The interview conversation and the calls, in order, with their expected results and
/// requests.
const CALLS: &str = include_str!("wassette_tool_calls.json");

/// The `serverInfo` Wassette 0.8.0 sends (its MCP library).
fn server_info() -> Value {
    json!({"name": "rmcp", "version": "3.5.0"})
}

#[test]
fn the_tools_build_answers_every_call_over_mcp_in_wassette() {
    let emulator = demo_emulator();
    let wassette = wassette();
    let home = ScratchHome::new("tools");
    let id = "truefoundry-volumes-tools";
    let loaded = wassette.load(&home, &format!("file://{TOOLS_WASM}"), &[]);
    assert_eq!(loaded["id"], id);
    assert_eq!(loaded["tools"], json!(tool_names("tools")));
    wassette.apply_policy_file(&home, id, "127.0.0.1");
    wassette.set_credentials(&home, id, &emulator.base_url());

    let mut session = wassette.serve(&home);
    assert_eq!(session.server_info, server_info());
    assert_same_tools(&session.list_tools(), &tools("tools"));
    converse(&mut session, &emulator, "tools");
    let calls = call_every_tool(&mut session, &emulator, "tools");
    let stderr = session.finish();

    assert!(!stderr.contains(DEMO_KEY), "the key reached Wassette's log");
    // The tools that changed something are exactly those the read-only world leaves out.
    let mut writers: Vec<&str> = calls
        .received
        .iter()
        .filter(|(_, request)| request.method != "GET")
        .map(|(tool, _)| tool.as_str())
        .collect();
    writers.sort_unstable();
    writers.dedup();
    let mut left_out = left_out_of_read_only();
    left_out.sort_unstable();
    assert_eq!(writers, left_out);
}

#[test]
fn the_read_only_build_lists_no_tool_that_writes() {
    let emulator = demo_emulator();
    let wassette = wassette();
    let home = ScratchHome::new("read-only");
    let id = "truefoundry-volumes-read-only-tools";
    let loaded = wassette.load(&home, &format!("file://{READ_ONLY_TOOLS_WASM}"), &[]);
    assert_eq!(loaded["id"], id);
    // The other way to apply the policy: one `permission grant` per permission.
    wassette.grant_policy(&home, id, "127.0.0.1");
    wassette.set_credentials(&home, id, &emulator.base_url());

    let mut session = wassette.serve(&home);
    // Exactly the read-only world: none of the tools the other test sees writing.
    assert_same_tools(&session.list_tools(), &tools("read-only-tools"));
    assert!(!left_out_of_read_only().is_empty());
    let mut received = converse(&mut session, &emulator, "read-only-tools");
    received.extend(call_every_tool(&mut session, &emulator, "read-only-tools").received);
    session.finish();
    let changes: Vec<Value> = received
        .iter()
        .filter(|(_, request)| request.method != "GET")
        .map(|(_, request)| shown(request))
        .collect();
    assert!(changes.is_empty(), "the read-only build sent {changes:?}");
}

#[test]
fn wassette_refuses_a_host_the_policy_does_not_grant() {
    let granted = demo_emulator();
    // Another loopback address: a grant names a host and opens all its ports, so a second
    // port on 127.0.0.1 would be allowed.
    let other = Emulator::start_on(
        SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), 0)),
        Seed::demo(),
    )
    .expect("the second emulator starts on 127.0.0.2");
    let wassette = wassette();
    let home = ScratchHome::new("network");
    let id = "truefoundry-volumes-tools";
    wassette.load(&home, &format!("file://{TOOLS_WASM}"), &[]);
    wassette.apply_policy_file(&home, id, &granted.addr().ip().to_string());
    wassette.set_credentials(&home, id, &other.base_url());

    let mut session = wassette.serve(&home);
    let answer = session.call("list-volumes", &json!({"workspace-fqn": DEMO_WS}));
    session.finish();

    assert_eq!(
        result_of(&answer, "list-volumes"),
        json!({"err": {"tag": "transport", "val": {
            "message": "the host denied the request (its outbound policy does not allow this address)",
            "fix": "Check that TFY_BASE_URL is right and reachable from this host, and that the host allows outbound requests to it; then retry."}}})
    );
    assert_eq!(
        other.requests(),
        Vec::<RecordedRequest>::new(),
        "127.0.0.2 got a request"
    );
    assert_eq!(granted.requests(), Vec::<RecordedRequest>::new());
}

/// The tools of the `tools` world that `read-only-tools` leaves out.
fn left_out_of_read_only() -> Vec<String> {
    let read_only = tool_names("read-only-tools");
    tool_names("tools")
        .into_iter()
        .filter(|name| !read_only.contains(name))
        .collect()
}

/// `tools/list` is `expected`: the same names in the same order, then each tool's fields;
/// a difference names the tool and the field.
fn assert_same_tools(listed: &[Value], expected: &[Value]) {
    let names =
        |tools: &[Value]| -> Vec<Value> { tools.iter().map(|t| t["name"].clone()).collect() };
    assert_eq!(names(listed), names(expected), "tool names");
    for (got, want) in listed.iter().zip(expected) {
        for field in ["description", "inputSchema", "outputSchema"] {
            assert!(
                got[field] == want[field],
                "{} {field}:\n  served {}\n  WIT    {}",
                want["name"],
                got[field],
                want[field]
            );
        }
        assert_eq!(
            got.as_object().map(|t| t.len()),
            Some(4),
            "more than name, description and schemas: {got}"
        );
    }
}

/// What [`call_every_tool`] saw besides the expected results.
#[derive(Default)]
struct Calls {
    /// Every request the emulator received, with the tool whose call sent it.
    received: Vec<(String, RecordedRequest)>,
}

/// One row of `wassette_tool_calls.json`.
struct Row {
    tool: String,
    /// The one world the row is for, when its result differs between the two.
    world: Option<String>,
    arguments: Map<String, Value>,
    result: Value,
    requests: Vec<Value>,
}

fn table() -> Value {
    serde_json::from_str(CALLS).expect("wassette_tool_calls.json is JSON")
}

fn rows() -> Vec<Row> {
    table()["calls"]
        .as_array()
        .expect("a `calls` list")
        .iter()
        .map(|row| Row {
            tool: row["tool"].as_str().expect("a tool name").to_string(),
            world: row["world"].as_str().map(str::to_string),
            arguments: row["arguments"].as_object().expect("arguments").clone(),
            result: row["result"].clone(),
            requests: serde_json::from_value(row["requests"].clone()).expect("requests"),
        })
        .collect()
}

/// Calls `tool` with `arguments` and checks the result and the requests the emulator
/// received (each with the granted key) against `result` and `requests`; a mismatch is added
/// to `mismatches`. Returns the requests received.
fn check_call(
    session: &mut McpSession,
    emulator: &Emulator,
    tool: &str,
    arguments: &Map<String, Value>,
    expected: (&Value, &[Value]),
    mismatches: &mut Vec<String>,
) -> Vec<RecordedRequest> {
    let (result, requests) = expected;
    emulator.clear_requests();
    let answer = session.call(tool, &Value::Object(arguments.clone()));
    let got = with_placeholder_times(result_of(&answer, tool));
    let shown_arguments = Value::Object(arguments.clone());
    if got != *result {
        mismatches.push(format!(
            "{tool} {shown_arguments}:\n  expected {result}\n  got      {got}"
        ));
    }
    let received = emulator.requests();
    let bearer = format!("Bearer {DEMO_KEY}");
    if let Some(request) = received
        .iter()
        .find(|r| r.header("authorization") != Some(bearer.as_str()))
    {
        mismatches.push(format!(
            "{tool}: {} went without the granted key",
            shown(request)
        ));
    }
    let got_requests: Vec<Value> = received.iter().map(shown).collect();
    if got_requests != requests {
        mismatches.push(format!(
            "{tool} {shown_arguments}:\n  expected requests {}\n  got               {}",
            json!(requests),
            json!(got_requests)
        ));
    }
    received
}

/// Calls every row for `world` (its tool is in the world, and the row is for every world
/// or this one), each with exactly the tool's parameters, which must all be in the row: the
/// row's result after exactly the row's requests, each with the granted key. Every tool of
/// the world but the interview ([`converse`]'s) must have a row. Panics with every mismatch
/// at once.
fn call_every_tool(session: &mut McpSession, emulator: &Emulator, world: &str) -> Calls {
    let schemas = tools(world);
    let mut mismatches = Vec::new();
    let mut calls = Calls::default();
    // `converse` has called the interview.
    let mut called = vec![String::from("volume-interview")];
    for row in rows() {
        let Some(tool) = schemas
            .iter()
            .find(|tool| tool["name"] == row.tool.as_str())
        else {
            continue;
        };
        if row.world.as_deref().is_some_and(|only| only != world) {
            continue;
        }
        let mut parameters: Vec<&String> = tool["inputSchema"]["properties"]
            .as_object()
            .expect("parameters")
            .keys()
            .collect();
        let mut passed: Vec<&String> = row.arguments.keys().collect();
        parameters.sort_unstable();
        passed.sort_unstable();
        assert_eq!(
            passed, parameters,
            "the row for {} must pass every parameter of the tool (none is optional)",
            row.tool
        );
        let received = check_call(
            session,
            emulator,
            &row.tool,
            &row.arguments,
            (&row.result, &row.requests),
            &mut mismatches,
        );
        calls.received.extend(
            received
                .into_iter()
                .map(|request| (row.tool.clone(), request)),
        );
        called.push(row.tool);
    }
    let never: Vec<&Value> = schemas
        .iter()
        .map(|tool| &tool["name"])
        .filter(|name| !called.iter().any(|tool| *name == tool.as_str()))
        .collect();
    assert!(never.is_empty(), "{world}: no row calls {never:?}");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    calls
}

/// Drives `volume-interview` as the `conversation` of `wassette_tool_calls.json` does: each
/// step adds its answer (none at first) to the list so far and calls with the whole list;
/// the step's result (for `world` when it differs) and requests must be exact. The
/// conversation must end in `confirm`. Returns the requests received.
fn converse(
    session: &mut McpSession,
    emulator: &Emulator,
    world: &str,
) -> Vec<(String, RecordedRequest)> {
    const TOOL: &str = "volume-interview";
    let table = table();
    let steps = table["conversation"]["steps"]
        .as_array()
        .expect("a `conversation` of steps");
    let mut answers: Vec<Value> = Vec::new();
    let mut mismatches = Vec::new();
    let mut received = Vec::new();
    for step in steps {
        if !step["answer"].is_null() {
            answers.push(step["answer"].clone());
        }
        let result = match step.get("result-by-world") {
            Some(by_world) => &by_world[world],
            None => &step["result"],
        };
        let requests: Vec<Value> =
            serde_json::from_value(step["requests"].clone()).expect("requests");
        let mut arguments = Map::new();
        arguments.insert("answers".into(), json!(answers));
        let got = check_call(
            session,
            emulator,
            TOOL,
            &arguments,
            (result, &requests),
            &mut mismatches,
        );
        received.extend(got.into_iter().map(|request| (TOOL.to_string(), request)));
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches in the conversation:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    let last = steps.last().expect("a step");
    let last = last
        .get("result-by-world")
        .map_or(&last["result"], |by| &by[world]);
    assert_eq!(
        last["ok"]["tag"], "confirm",
        "the conversation ends in a plan"
    );
    received
}

/// The value a successful `tools/call` carries (`structuredContent.result`), after checking
/// that its text content is the same value as JSON and that it is not flagged an error.
fn result_of(answer: &Value, tool: &str) -> Value {
    assert_eq!(answer["isError"], false, "{tool}: {answer}");
    let result = answer["structuredContent"]["result"].clone();
    let text = answer["content"][0]["text"].as_str().unwrap_or_default();
    let from_text: Value = serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("{tool}: the text content is not JSON ({error}): {answer}"));
    assert_eq!(
        from_text, result,
        "{tool}: the two forms of the result differ"
    );
    assert_eq!(
        answer["content"].as_array().map(Vec::len),
        Some(1),
        "{tool}: {answer}"
    );
    result
}

/// `value` with every `created-at` that is a UTC time replaced by `<utc-time>` (the
/// emulator's clock).
fn with_placeholder_times(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let is_time = key == "created-at"
                        && value
                            .as_str()
                            .is_some_and(|at| at.len() == 20 && at.ends_with('Z'));
                    let value = if is_time {
                        json!("<utc-time>")
                    } else {
                        with_placeholder_times(value)
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(with_placeholder_times).collect())
        }
        other => other,
    }
}

/// A request as the rows write it: `METHOD /path?name=value&…` (decoded), or for one with a
/// body `{"request": <that>, "body": <the JSON body>}`.
fn shown(request: &RecordedRequest) -> Value {
    let query: Vec<String> = request
        .query
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let line = if query.is_empty() {
        format!("{} {}", request.method, request.path)
    } else {
        format!("{} {}?{}", request.method, request.path, query.join("&"))
    };
    if request.body.is_empty() {
        Value::String(line)
    } else {
        let body = request
            .json_body()
            .unwrap_or_else(|| Value::String(String::from_utf8_lossy(&request.body).into_owned()));
        json!({"request": line, "body": body})
    }
}
