//! Faults injected on demand.

use std::io;
use std::time::{Duration, Instant};

use serde_json::json;
use truefoundry_emulator::{Fault, FaultRule};

use crate::support::*;

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
