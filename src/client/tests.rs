//! The client's public surface over a scripted transport: requests in order, answers decoded,
//! failures typed, retries and scrubbing.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;
use serde_json::{json, Value};

use super::*;
use crate::api::http::{HttpResponse, Method, TransportError};
use crate::api::wire;
use crate::error::{Error, ResourceKind};
use crate::input::manifest::tests::{dynamic_request, static_request};
use crate::model::VolumeKind;
use crate::testing::{
    created, empty_page, volume_item, workspace_page, Scripted, VirtualClock, ENV,
};

#[test]
fn create_resolves_workspace_checks_name_then_puts() {
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, empty_page()),
        (
            200,
            created(
                "training-data",
                json!({"type":"dynamic","storage_class":"efs-sc","size":100}),
            ),
        ),
    ]);
    let volume = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap();
    assert_eq!(
        (volume.id.as_str(), volume.fqn.as_str()),
        ("app-1", "c1:ws1:training-data")
    );
    assert_eq!(volume.kind, VolumeKind::Dynamic);
    assert_eq!(
        transport.paths(),
        [
            "/api/svc/v1/workspaces?fqn=c1%3Aws1",
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data&offset=0&limit=200",
            "/api/svc/v1/apps",
        ]
    );
    let put = &transport.sent[2];
    assert_eq!(put.method, Method::Put);
    let body: Value = serde_json::from_slice(put.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["workspaceId"], "ws-123");
    assert_eq!(body["manifest"]["config"]["size"], 100);
    for request in &transport.sent {
        assert!(request
            .headers
            .contains(&("authorization", "Bearer sk-canary-123".into())));
    }
}

#[test]
fn create_refuses_existing_name_without_putting() {
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (
            200,
            json!({"data":[volume_item("app-5","training-data")],"pagination":{"total":1}}),
        ),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap_err();
    assert_eq!(
        error,
        Error::AlreadyExists {
            name: "training-data".into(),
            workspace_fqn: "c1:ws1".into(),
            id: "app-5".into()
        }
    );
    assert_eq!(transport.sent.len(), 2);
}

#[test]
fn create_refuses_a_name_taken_by_another_application_type() {
    let mut service = volume_item("app-6", "shared-datasets");
    service["type"] = json!("service");
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, json!({"data":[service],"pagination":{"total":1}})),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&static_request())
        .unwrap_err();
    assert!(
        matches!(&error, Error::AlreadyExists { name, id, .. } if name == "shared-datasets (a `service`)" && id == "app-6"),
        "{error:?}"
    );
}

#[test]
fn invalid_input_is_refused_before_configuration_and_network() {
    let mut transport = Scripted::default();
    let mut client = Client::from_env([("NOTHING", "")], &mut transport, VirtualClock::default());
    let bad = CreateRequest {
        size_gi: Some(0),
        ..dynamic_request()
    };
    assert!(
        matches!(client.create(&bad), Err(Error::InvalidInput { field, .. }) if field == "size-gi")
    );
    assert!(
        matches!(client.list("nope"), Err(Error::InvalidInput { field, .. }) if field == "workspace-fqn")
    );
    assert!(
        matches!(client.get("a/b"), Err(Error::InvalidInput { field, .. }) if field == "volume")
    );
    assert!(matches!(
        client.list("c1:ws1"),
        Err(Error::MissingConfiguration { variable, .. }) if variable == "TFY_BASE_URL"
    ));
    assert!(transport.sent.is_empty());
}

#[test]
fn list_walks_every_page_and_sorts() {
    let page = |items: Vec<Value>| json!({"data":items,"pagination":{"total":3}});
    let mut transport = Scripted::answering(vec![
        (
            200,
            page(vec![volume_item("a1", "zeta"), volume_item("a2", "alpha")]),
        ),
        (200, page(vec![volume_item("a3", "mid")])),
    ]);
    let volumes = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .list("c1:ws1")
        .unwrap();
    let names: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["alpha", "mid", "zeta"]);
    assert_eq!(
        transport.paths(),
        [
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationType=volume&offset=0&limit=200",
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationType=volume&offset=2&limit=200",
        ]
    );
}

#[test]
fn empty_list_checks_the_workspace_exists() {
    let mut transport = Scripted::answering(vec![(200, empty_page()), (200, empty_page())]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .list("c1:gone")
        .unwrap_err();
    assert_eq!(
        error,
        Error::NotFound {
            kind: ResourceKind::Workspace,
            name: "c1:gone".into()
        }
    );
    let mut transport = Scripted::answering(vec![(200, empty_page()), (200, workspace_page())]);
    assert_eq!(
        Client::from_env(ENV, &mut transport, VirtualClock::default())
            .list("c1:ws1")
            .unwrap(),
        vec![]
    );
}

#[test]
fn pages_that_disagree_with_total_are_an_error() {
    let mut transport = Scripted::answering(vec![
        (
            200,
            json!({"data":[volume_item("a1","one")],"pagination":{"total":5}}),
        ),
        (200, json!({"data":[],"pagination":{"total":5}})),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .list("c1:ws1")
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("reported 5 volumes but its pages ended after 1")),
        "{error:?}"
    );
}

#[test]
fn a_list_that_never_ends_stops_before_exhausting_memory() {
    let full = wire::MAX_PAGE_ITEMS as u64;
    let items: Vec<Value> = (0..full)
        .map(|i| volume_item(&format!("a{i}"), "same"))
        .collect();
    let page = json!({"data": items, "pagination": {"total": 1_000_000}});
    let pages = MAX_LISTED_VOLUMES / full + 1;
    let mut transport = Scripted::answering((0..pages).map(|_| (200, page.clone())).collect());
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .list("c1:ws1")
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("more than 50000 volumes")),
        "{error:?}"
    );
    assert_eq!(transport.sent.len() as u64, pages);
}

#[test]
fn a_page_with_more_items_than_the_api_sends_is_refused_before_decoding_them() {
    let items: Vec<Value> = (0..=wire::MAX_PAGE_ITEMS).map(|_| json!({})).collect();
    let mut transport = Scripted::answering(vec![(
        200,
        json!({"data": items, "pagination": {"total": 1}}),
    )]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .list("c1:ws1")
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("more than 1000 items on one page")),
        "{error:?}"
    );
}

#[test]
fn get_by_id_and_by_fqn_use_the_right_endpoint() {
    let mut transport = Scripted::answering(vec![
        (200, json!({"data": volume_item("app-1", "data")})),
        (
            200,
            json!({"data":[volume_item("app-1","data")],"pagination":{"total":1}}),
        ),
        (
            200,
            json!({"data":[volume_item("app-1","data")],"pagination":{"total":1}}),
        ),
    ]);
    let mut client = Client::from_env(ENV, &mut transport, VirtualClock::default());
    let by_id = client.get("app-1").unwrap();
    let by_fqn = client.get("c1:ws1:data").unwrap();
    let by_reference = client.get("tfy-volume://c1:ws1:data").unwrap();
    assert_eq!(by_id, by_fqn);
    assert_eq!(by_fqn, by_reference);
    assert_eq!(
        transport.paths(),
        [
            "/api/svc/v1/apps/app-1",
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=data&applicationType=volume&offset=0&limit=200",
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=data&applicationType=volume&offset=0&limit=200",
        ]
    );
}

#[test]
fn get_unknown_id_is_not_found() {
    let mut transport =
        Scripted::answering(vec![(404, json!({"statusCode":404,"message":"nope"}))]);
    assert_eq!(
        Client::from_env(ENV, &mut transport, VirtualClock::default()).get("app-404"),
        Err(Error::NotFound {
            kind: ResourceKind::Volume,
            name: "app-404".into()
        })
    );
}

#[test]
fn server_errors_are_typed_and_scrubbed_of_the_key() {
    let mut transport = Scripted::answering(vec![(
        401,
        json!({"statusCode":401,"message":"token sk-canary-123 is invalid"}),
    )]);
    assert_eq!(
        Client::from_env(ENV, &mut transport, VirtualClock::default()).list("c1:ws1"),
        Err(Error::Unauthorized {
            status: 401,
            message: "token [redacted] is invalid".into()
        })
    );
}

#[test]
fn reads_are_retried_with_backoff_until_they_succeed() {
    let busy = || json!({"statusCode":503,"message":"busy"});
    let mut transport = Scripted::answering(vec![
        (503, busy()),
        (429, busy()),
        (200, json!({"data": volume_item("app-1", "data")})),
    ]);
    let mut clock = VirtualClock::default();
    let volume = Client::from_env(ENV, &mut transport, &mut clock)
        .get("app-1")
        .unwrap();
    assert_eq!(volume.name, "data");
    assert_eq!(transport.sent.len(), 3);
    assert_eq!(
        clock.sleeps,
        [Duration::from_millis(500), Duration::from_millis(1000)]
    );
}

#[test]
fn reads_give_up_after_three_attempts() {
    let busy = || (503, json!({"statusCode":503,"message":"busy"}));
    let mut transport = Scripted::answering(vec![busy(), busy(), busy(), busy()]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .get("app-1")
        .unwrap_err();
    assert_eq!(
        error,
        Error::HttpStatus {
            status: 503,
            message: "busy".into()
        }
    );
    assert_eq!(transport.sent.len(), 3);
}

#[test]
fn writes_are_retried_only_when_the_connection_was_refused() {
    let mut transport = Scripted::answering(vec![(200, workspace_page()), (200, empty_page())])
        .then(Err(TransportError::refused("connection refused")))
        .then(Ok(HttpResponse {
            status: 200,
            body: serde_json::to_vec(&created(
                "training-data",
                json!({"type":"dynamic","storage_class":"efs-sc","size":100}),
            ))
            .unwrap(),
            retry_after_seconds: None,
        }));
    let volume = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap();
    assert_eq!(volume.id, "app-1");
    let puts = transport
        .sent
        .iter()
        .filter(|r| r.method == Method::Put)
        .count();
    assert_eq!(puts, 2);

    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, empty_page()),
        (503, json!({"statusCode":503,"message":"busy"})),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap_err();
    assert_eq!(
        error,
        Error::HttpStatus {
            status: 503,
            message: "busy".into()
        }
    );
    assert_eq!(transport.sent.len(), 3, "the PUT was not repeated");
}

#[test]
fn a_key_cut_by_the_message_clip_is_still_scrubbed() {
    let key = ENV[1].1;
    let message = format!("{}{key}{}", "x".repeat(495), "y".repeat(100));
    let mut transport =
        Scripted::answering(vec![(400, json!({"statusCode":400,"message":message}))]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .get("app-1")
        .unwrap_err();
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains(&key[..5]), "{shown}");
    assert!(
        shown.contains("x[reda…"),
        "the placeholder is what gets clipped: {shown}"
    );
}

#[test]
fn a_key_in_a_type_name_is_scrubbed() {
    let key = ENV[1].1;
    let mut transport = Scripted::answering(vec![(
        200,
        json!({"data":{"id":"app-1","type":format!("{key}\nx")}}),
    )]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .get("app-1")
        .unwrap_err();
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains(key), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
}

#[test]
fn transport_failures_become_transport_errors() {
    let mut transport = Scripted::default();
    assert_eq!(
        Client::from_env(ENV, &mut transport, VirtualClock::default()).get("app-1"),
        Err(Error::Transport {
            message: "script exhausted".into()
        })
    );
}

/// A page of applications with a claimed total, as a server that ignores every filter
/// sends it.
fn unfiltered_page(items: Vec<Value>, total: u64) -> Value {
    json!({"data": items, "pagination": {"total": total}})
}

fn service(id: &str, name: &str) -> Value {
    let mut item = volume_item(id, name);
    item["type"] = json!("service");
    item
}

#[test]
fn the_name_check_reads_every_page_when_the_server_ignores_the_filter() {
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (
            200,
            unfiltered_page(vec![service("a1", "web"), service("a2", "api")], 5),
        ),
        (
            200,
            unfiltered_page(vec![service("a3", "db"), service("a4", "cache")], 5),
        ),
        (
            200,
            unfiltered_page(vec![volume_item("a5", "training-data")], 5),
        ),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap_err();
    assert_eq!(
        error,
        Error::AlreadyExists {
            name: "training-data".into(),
            workspace_fqn: "c1:ws1".into(),
            id: "a5".into()
        }
    );
    assert!(transport.sent.iter().all(|r| r.method == Method::Get));
    assert_eq!(
        transport.paths()[1..],
        [
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data&offset=0&limit=200",
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data&offset=2&limit=200",
            "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data&offset=4&limit=200",
        ]
    );
}

/// A volume `training-data` whose only deployment failed and that never ran.
fn failed_volume(ever_ran: bool) -> Value {
    let mut item = volume_item("app-9", "training-data");
    item["deployment"]["currentStatus"] =
        json!({"status":"DEPLOY_FAILED","state":{"isTerminalState":true}});
    item["activeVersion"] = json!(if ever_ran { 1 } else { 0 });
    item
}

#[test]
fn a_failed_volume_is_replaced_only_when_asked_and_only_if_it_never_ran() {
    let repair = CreateRequest {
        replace_failed: true,
        ..dynamic_request()
    };
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, unfiltered_page(vec![failed_volume(false)], 1)),
        (
            200,
            created(
                "training-data",
                json!({"type":"dynamic","storage_class":"efs-sc","size":100}),
            ),
        ),
    ]);
    let volume = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&repair)
        .unwrap();
    assert_eq!(volume.fqn, "c1:ws1:training-data");
    assert_eq!(transport.sent[2].method, Method::Put);

    // Not asked: refused as taken.
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, unfiltered_page(vec![failed_volume(false)], 1)),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap_err();
    assert!(matches!(error, Error::AlreadyExists { .. }), "{error:?}");

    // Asked, but the volume ran once: it may hold data.
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, unfiltered_page(vec![failed_volume(true)], 1)),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&repair)
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { field, problem, .. }
            if field == "replace-failed" && problem.contains("has run before")),
        "{error:?}"
    );
    assert_eq!(transport.sent.len(), 2, "nothing was written");
}

#[test]
fn a_create_answered_with_another_volume_is_not_taken_for_it() {
    let mut transport = Scripted::answering(vec![
        (200, workspace_page()),
        (200, empty_page()),
        (
            200,
            created(
                "prod-db",
                json!({"type":"dynamic","storage_class":"efs-sc","size":100}),
            ),
        ),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .create(&dynamic_request())
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. }
            if detail.contains("`c1:ws1:training-data`") && detail.contains("`c1:ws1:prod-db`")),
        "{error:?}"
    );
}

#[test]
fn server_ids_that_could_reshape_a_path_are_refused_before_any_request_uses_them() {
    let mut hostile = volume_item("x/../../../../../admin/users?delete=1&", "data");
    hostile["id"] = json!("x/../../../../../admin/users?delete=1&");
    let mut transport = Scripted::answering(vec![(200, unfiltered_page(vec![hostile], 1))]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .expand(&ExpandRequest {
            volume: "c1:ws1:data".into(),
            new_size_gi: 20,
            expected_version: None,
            wait: None,
        })
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("letters, digits")),
        "{error:?}"
    );
    assert_eq!(transport.sent.len(), 1, "no request used the id");
}

#[test]
fn an_implausible_version_is_refused_rather_than_wrapped() {
    let mut item = volume_item("app-1", "data");
    item["deployment"]["version"] = json!(4_294_967_295u64);
    let mut transport = Scripted::answering(vec![(200, json!({ "data": item }))]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .get("app-1")
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("not plausible")),
        "{error:?}"
    );
}

#[test]
fn expand_writes_only_to_the_volume_it_was_asked_for() {
    let mut other = volume_item("app-1", "prod-db");
    other["fqn"] = json!("c9:other:prod-db");
    other["workspaceFqn"] = json!("c9:other");
    other["deployment"]["manifest"]["workspace_fqn"] = json!("c9:other");
    let mut transport = Scripted::answering(vec![
        (
            200,
            unfiltered_page(vec![volume_item("app-1", "training-data")], 1),
        ),
        (200, json!({ "data": other })),
    ]);
    let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
        .expand(&ExpandRequest {
            volume: "c1:ws1:training-data".into(),
            new_size_gi: 20,
            expected_version: None,
            wait: None,
        })
        .unwrap_err();
    assert!(
        matches!(&error, Error::UndecodableResponse { detail, .. }
            if detail.contains("`c9:other:prod-db`") && detail.contains("nothing was written")),
        "{error:?}"
    );
    assert!(transport.sent.iter().all(|r| r.method == Method::Get));
}
