//! The component alone in the wasmtime CLI (49.0.3) against a hostile control plane: the
//! defences live in the component, so they hold in a host that adds none of ours (no memory
//! cap of ours, no per-call deadline, no outbound allowlist).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::hostile::{assert_no_key, Hostile, Reply, Seen};
use crate::support::{python_tools, run, Finished};

/// A 32-character key; any 8 of its characters in a row would be a leak.
const KEY: &str = "tfy-canary-9f3a2b7c41d05e8a6b3c7d";

/// `wasmtime run -S http` of `component` against `server`, invoking `call`.
fn wasmtime(server: &Hostile, component: &str, call: &str, timeout: Duration) -> Finished {
    let mut command = Command::new(&python_tools().wasmtime_cli);
    command
        .args(["run", "-S", "http"])
        .arg("--env")
        .arg(format!("TFY_BASE_URL={}", server.base_url()))
        .arg("--env")
        .arg(format!("TFY_API_KEY={KEY}"))
        .args(["--invoke", call])
        .arg(Path::new(component))
        // What made the host's debug dumps reach results before.
        .env("RUST_BACKTRACE", "1");
    run(&mut command, timeout).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn the_read_only_build_never_prints_an_echoed_key() {
    let server = Hostile::start(|_: &Seen| {
        let item = json!({"id":"app-1","name":"data","fqn":"c1:ws1:data","type":"volume",
            "workspaceFqn":"c1:ws1","createdAt":KEY,
            "deployment":{"version":1,"manifest":{"name":"data","config":{"type":"dynamic",
                "storage_class":KEY,"size":1},
                "volume_browser":{"username":KEY,"endpoint":{"host":KEY,"path":"/"}}},
            "currentStatus":{"status":"DEPLOY_FAILED","message":format!("{}{KEY}", "x".repeat(495))}}});
        Reply::Json(200, json!({"data":[item],"pagination":{"total":1}}))
    });
    let finished = wasmtime(
        &server,
        tfy_volumes_host::runtime::READ_ONLY_TOOLS_WASM,
        "list-volumes(\"c1:ws1\")",
        Duration::from_secs(60),
    );
    assert!(finished.status.success(), "{finished}");
    assert!(finished.stdout.contains("[redacted]"), "{finished}");
    assert_no_key(KEY, &format!("{}{}", finished.stdout, finished.stderr));
}

#[test]
fn a_body_of_millions_of_empty_items_is_a_typed_error_not_a_trap() {
    let mut body = String::from(r#"{"data":["#);
    body.push_str(&"{},".repeat(2_700_000));
    body.push_str(r#"{}],"pagination":{"total":1}}"#);
    let server = Hostile::start(move |_: &Seen| Reply::json_text(200, &body));
    let finished = wasmtime(
        &server,
        tfy_volumes_host::runtime::COMPONENT_WASM,
        "list-volumes(\"c1:ws1\")",
        Duration::from_secs(120),
    );
    assert!(finished.status.success(), "{finished}");
    assert!(
        finished.stdout.contains("undecodable-response")
            && finished.stdout.contains("more than 1000 items on one page"),
        "{finished}"
    );
}

#[test]
fn a_body_cut_short_reads_as_one_short_line_even_with_backtraces_on() {
    let server = Hostile::start(|_: &Seen| {
        Reply::Raw(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\
              connection: close\r\n\r\n{\"data\":"
                .to_vec(),
        )
    });
    let finished = wasmtime(
        &server,
        tfy_volumes_host::runtime::COMPONENT_WASM,
        "get(\"app-1\")",
        Duration::from_secs(60),
    );
    assert!(finished.status.success(), "{finished}");
    let result = finished.stdout.trim();
    assert!(result.starts_with("err(transport("), "{finished}");
    assert!(
        !result.contains("backtrace") && !result.contains("\\n"),
        "{finished}"
    );
    assert!(result.len() < 600, "{} bytes: {result}", result.len());
}

#[test]
fn a_server_trickling_bytes_is_cut_off_by_the_components_own_deadline() {
    let server = Hostile::start(|_: &Seen| Reply::Trickle {
        every: Duration::from_secs(1),
        for_at_most: Duration::from_secs(300),
    });
    let started = Instant::now();
    let finished = wasmtime(
        &server,
        tfy_volumes_host::runtime::COMPONENT_WASM,
        "get(\"app-1\")",
        Duration::from_secs(200),
    );
    let took = started.elapsed();
    assert!(finished.status.success(), "{finished}");
    assert!(
        finished.stdout.contains("err(transport(")
            && finished.stdout.contains("took longer than 120 s"),
        "{finished}"
    );
    assert!(took < Duration::from_secs(150), "took {took:?}");
}

#[test]
fn mount_paths_with_extra_slashes_or_dot_segments_are_invalid_in_the_wasmtime_cli() {
    let server = Hostile::start(|_: &Seen| Reply::Json(500, json!({})));
    for path in ["//data", "/../../etc"] {
        let call = format!(
            "mount-snippet({{volume-fqn: \"c1:ws1:data\", mount-path: \"{path}\", sub-path: none, \
             format: yaml, per-pod-directories: false}})"
        );
        let finished = wasmtime(
            &server,
            tfy_volumes_host::runtime::COMPONENT_WASM,
            &call,
            Duration::from_secs(60),
        );
        assert!(
            finished.stdout.contains("err(invalid-input(")
                && finished.stdout.contains("field: \"mount-path\""),
            "{path}: {finished}"
        );
    }
    assert!(server.seen().is_empty());
}
