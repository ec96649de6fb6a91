//! Our host serves the gateway build (`tfy_volumes_host::serve`): a fresh instance per
//! request under the sandbox every call gets — only `TFY_BASE_URL` in its environment, only
//! that origin reachable, the memory cap, and a per-request deadline.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde_json::json;
use tfy_volumes_host::runtime::GATEWAY_WASM;
use tfy_volumes_host::serve::{Gateway, GatewayServer};
use tfy_volumes_host::Limits;
use truefoundry_emulator::{Fault, FaultRule};

use super::scenario::{self, Http};
use crate::support::{demo_emulator, DEMO_KEY};

/// The gateway build from the build tree, serving `base_url`'s control plane.
pub(super) fn built(base_url: &str, limits: Limits) -> Gateway {
    Gateway::from_file(Path::new(GATEWAY_WASM), base_url, limits).expect("the gateway compiles")
}

fn start(gateway: Gateway) -> GatewayServer {
    GatewayServer::start(gateway, SocketAddr::from(([127, 0, 0, 1], 0)), 2)
        .expect("the gateway server starts")
}

#[test]
fn every_route_through_our_host() {
    let emulator = demo_emulator();
    let gateway = built(&emulator.base_url(), Limits::default());
    let server = start(gateway);
    scenario::every_route(&server.base_url(), &emulator, "ourhost");
}

#[test]
fn the_outbound_policy_holds_whatever_the_environment_says() {
    let emulator = demo_emulator();
    // The component is told another control plane; the host still allows only the emulator.
    let gateway = built(&emulator.base_url(), Limits::default())
        .with_variable("TFY_BASE_URL", "http://127.0.0.1:9");
    let server = start(gateway);
    let problem = Http::new(&server.base_url())
        .get("/volumes/app-1")
        .problem(502);
    assert_eq!(problem["case"], "transport");
    assert_eq!(
        problem["fields"]["message"],
        "the host denied the request (its outbound policy does not allow this address)"
    );
    assert!(emulator.requests().is_empty());
}

#[test]
fn a_request_past_the_deadline_is_stopped() {
    let emulator = demo_emulator();
    emulator.inject(FaultRule::always(Fault::Hang));
    let limits = Limits {
        call_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = start(built(&emulator.base_url(), limits));
    let started = std::time::Instant::now();
    let reply = Http::new(&server.base_url()).get("/volumes/app-1");
    assert_eq!(reply.status, 504, "{}", reply.text);
    assert_eq!(
        reply.text,
        "the component failed: the request did not finish within 1 s"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn the_operators_key_serves_anonymous_callers_only_when_opted_in() {
    let emulator = demo_emulator();
    let shared = |opt_in: Option<&str>| {
        let mut gateway =
            built(&emulator.base_url(), Limits::default()).with_variable("TFY_API_KEY", DEMO_KEY);
        if let Some(value) = opt_in {
            gateway = gateway.with_variable("TFY_GATEWAY_ALLOW_SHARED_KEY", value);
        }
        start(gateway)
    };
    let closed = shared(None);
    let reply = Http::new(&closed.base_url()).send("GET", "/volumes/app-1/status", None, None);
    assert_eq!(reply.problem(401)["case"], "unauthorized");
    assert!(emulator.requests().is_empty());
    let open = shared(Some("true"));
    let reply = Http::new(&open.base_url()).send("GET", "/volumes/app-1/status", None, None);
    assert_eq!(
        reply.ok(200),
        json!({"phase": "running", "api-status": "DEPLOY_SUCCESS", "display": "RUNNING",
               "terminal": true, "message": null})
    );
    assert_eq!(
        emulator.requests()[0].header("authorization"),
        Some(format!("Bearer {DEMO_KEY}").as_str())
    );
}
