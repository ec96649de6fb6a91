//! Listing with filters and pages, and unknown routes.

use serde_json::json;

use crate::support::*;

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
        ("workspace_fqn=c1:ws1", &["alpha", "beta", "alphabet", "gamma"]), // ignored (docs/truefoundry-api.md §1)
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
