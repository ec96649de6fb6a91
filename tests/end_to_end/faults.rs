//! The fault matrix: every way the control plane or the network can misbehave ends in the
//! right typed error — never a trap, never partial results, never a stored half-change.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use tfy_volumes_host::bindings::VolumeError;
use tfy_volumes_host::report::error_case;
use tfy_volumes_host::Grant;
use truefoundry_emulator::{Fault, FaultRule};

use crate::support::{
    dynamic_request, dynamic_volume, expect_error, impatient_runtime, seed, Harness, ADMIN_KEY, WS,
};

/// A harness on the impatient runtime with three volumes in `c1:ws1`.
async fn harness() -> Harness {
    let mut seeded = seed();
    for name in ["alpha", "beta", "gamma"] {
        seeded.volumes.push(dynamic_volume(WS, name, 10));
    }
    Harness::on(impatient_runtime(), seeded, ADMIN_KEY).await
}

fn on_get(path_prefix: &str, times: Option<u32>, fault: Fault) -> FaultRule {
    FaultRule {
        method: Some("GET".into()),
        path_prefix: Some(path_prefix.into()),
        times,
        fault,
    }
}

fn status(status: u16, body: &str) -> Fault {
    Fault::Status {
        status,
        body: body.into(),
        headers: vec![("content-type".into(), "application/json".into())],
    }
}

const APPS: &str = "/api/svc/v1/apps";

/// One row: the fault on the list endpoint, the error case `list` must return, a fragment
/// of its text, and how many requests the emulator must have seen (retries included).
struct Row {
    name: &'static str,
    fault: Fault,
    case: &'static str,
    says: &'static str,
    requests: usize,
}

fn rows() -> Vec<Row> {
    let json = |code: u16, message: &str| {
        status(
            code,
            &format!(r#"{{"statusCode":{code},"message":"{message}"}}"#),
        )
    };
    vec![
        Row {
            name: "401",
            fault: json(401, "Unauthorized"),
            case: "unauthorized",
            says: "Unauthorized",
            requests: 1,
        },
        Row {
            name: "403",
            fault: json(403, "Forbidden"),
            case: "permission-denied",
            says: "Forbidden",
            requests: 1,
        },
        Row {
            name: "404",
            fault: json(404, "no such workspace"),
            case: "not-found",
            says: "c1:ws1",
            requests: 1,
        },
        Row {
            name: "409",
            fault: json(409, "in progress"),
            case: "conflict",
            says: "in progress",
            requests: 1,
        },
        Row {
            name: "429",
            fault: json(429, "slow down"),
            case: "http-status",
            says: "slow down",
            requests: 3,
        },
        Row {
            name: "500",
            fault: json(500, "boom"),
            case: "http-status",
            says: "boom",
            requests: 1,
        },
        Row {
            name: "502",
            fault: status(502, "<html>Bad Gateway</html>"),
            case: "http-status",
            says: "Bad Gateway",
            requests: 3,
        },
        Row {
            name: "503",
            fault: json(503, "maintenance"),
            case: "http-status",
            says: "maintenance",
            requests: 3,
        },
        Row {
            name: "non-JSON body",
            fault: status(200, "<html>login</html>"),
            case: "undecodable-response",
            says: "expected a page of applications",
            requests: 1,
        },
        Row {
            name: "wrong shape",
            fault: status(200, r#"{"data":{"id":5}}"#),
            case: "undecodable-response",
            says: "expected a page of applications",
            requests: 1,
        },
        Row {
            name: "empty 200",
            fault: status(200, ""),
            case: "undecodable-response",
            says: "EOF",
            requests: 1,
        },
        Row {
            name: "redirect",
            fault: Fault::Redirect {
                status: 302,
                location: "https://login.example.com/".into(),
            },
            case: "http-status",
            says: "",
            requests: 1,
        },
        Row {
            name: "never answers",
            fault: Fault::Hang,
            case: "transport",
            says: "timed out",
            requests: 1,
        },
        Row {
            name: "body cut short",
            fault: Fault::TruncatedBody,
            case: "transport",
            says: "",
            requests: 1,
        },
        Row {
            name: "100 MB body",
            fault: Fault::HugeBody { bytes: 100_000_000 },
            case: "transport",
            says: "exceeds 8 MiB",
            requests: 1,
        },
        Row {
            name: "pages disagree with total",
            fault: Fault::InconsistentTotal { total: 1000 },
            case: "undecodable-response",
            says: "inconsistent pagination",
            requests: 2,
        },
    ]
}

#[tokio::test]
async fn every_fault_on_list_ends_in_its_typed_error() {
    for row in rows() {
        let mut h = harness().await;
        h.emulator.inject(on_get(APPS, None, row.fault.clone()));
        let started = Instant::now();
        // The outer unwrap proves the host did not trap.
        let outcome = h.volumes.list(WS).await.unwrap();
        let error = expect_error(outcome);
        assert_eq!(error_case(&error), row.case, "{}: {error:?}", row.name);
        let text = format!("{error:?}");
        assert!(text.contains(row.says), "{}: {text}", row.name);
        let seen = h.requests().iter().filter(|r| r.path == APPS).count();
        assert_eq!(seen, row.requests, "{}: requests", row.name);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{} took {:?}",
            row.name,
            started.elapsed()
        );
        // The instance survives the fault: the next call works once the server behaves.
        h.emulator.clear_faults();
        let volumes = h.volumes.list(WS).await.unwrap().unwrap();
        assert_eq!(volumes.len(), 3, "{}: the instance still works", row.name);
    }
}

#[tokio::test]
async fn a_redirect_tells_to_fix_the_base_url() {
    let mut h = harness().await;
    h.emulator.inject(on_get(
        APPS,
        None,
        Fault::Redirect {
            status: 307,
            location: "https://elsewhere/".into(),
        },
    ));
    let error = expect_error(h.volumes.list(WS).await.unwrap());
    let VolumeError::HttpStatus(reply) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(reply.status, 307);
    assert!(reply.fix.contains("TFY_BASE_URL"), "{}", reply.fix);
}

#[tokio::test]
async fn a_transient_overload_is_retried_honouring_retry_after() {
    let mut h = harness().await;
    h.emulator.inject(on_get(
        APPS,
        Some(1),
        Fault::Status {
            status: 503,
            body: r#"{"statusCode":503,"message":"busy"}"#.into(),
            headers: vec![("retry-after".into(), "1".into())],
        },
    ));
    let started = Instant::now();
    let volumes = h.volumes.list(WS).await.unwrap().unwrap();
    assert_eq!(volumes.len(), 3);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );
    assert_eq!(h.requests().iter().filter(|r| r.path == APPS).count(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let grant = Grant::new(format!("http://127.0.0.1:{port}"), ADMIN_KEY);
    let mut volumes = impatient_runtime().instantiate(&grant).await.unwrap();
    let started = Instant::now();
    let error = expect_error(volumes.list(WS).await.unwrap());
    let VolumeError::Transport(failure) = error else {
        panic!("got {error:?}")
    };
    assert_eq!(failure.message, "connection refused");
    // Backoffs of 0.5 s and 1 s between the three attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_failed_write_leaves_nothing_behind_and_is_not_repeated() {
    for (code, case) in [
        (500, "http-status"),
        (503, "http-status"),
        (502, "http-status"),
    ] {
        let mut h = harness().await;
        h.emulator.inject(FaultRule {
            method: Some("PUT".into()),
            path_prefix: Some(APPS.into()),
            times: None,
            fault: status(code, r#"{"statusCode":500,"message":"boom"}"#),
        });
        let error = expect_error(h.volumes.create(&dynamic_request("delta")).await.unwrap());
        assert_eq!(error_case(&error), case);
        let puts = h.requests().iter().filter(|r| r.method == "PUT").count();
        assert_eq!(puts, 1, "{code}: a write is never retried after an answer");
        let names: Vec<String> = h
            .emulator
            .applications_in(WS)
            .iter()
            .map(|app| app["name"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            names,
            ["alpha", "beta", "gamma"],
            "{code}: nothing was created"
        );
    }
}

#[tokio::test]
async fn a_write_that_hangs_is_a_transport_error_not_a_retry() {
    let mut h = harness().await;
    h.emulator.inject(FaultRule {
        method: Some("PUT".into()),
        path_prefix: Some(APPS.into()),
        times: None,
        fault: Fault::Hang,
    });
    let error = expect_error(h.volumes.create(&dynamic_request("epsilon")).await.unwrap());
    let VolumeError::Transport(failure) = error else {
        panic!("got {error:?}")
    };
    assert!(failure.message.contains("timed out"), "{}", failure.message);
    assert_eq!(h.requests().iter().filter(|r| r.method == "PUT").count(), 1);
}
