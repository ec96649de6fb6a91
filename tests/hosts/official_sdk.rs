//! Emulator fidelity: TrueFoundry's official Python packages decode every emulator answer the
//! component relies on with their own models, which fail on a missing required field or a
//! wrong type:
//! - the SDK (`truefoundry-sdk` 0.6.0, generated from TrueFoundry's OpenAPI), through its own
//!   client;
//! - the CLI (`truefoundry` 0.17.5, the `truefoundry.deploy` package users import), whose
//!   entity models require more than the OpenAPI: `activeVersion` on every application (also
//!   one that never ran), `cloudProvider` on every cluster, a nested `workspace`. Its answers
//!   include a fresh, a failed and a deleting application.
//!
//! ```sh
//! PYTHONPATH=<target>/host-tools/truefoundry-0.17.5-sdk-0.6.0 \
//!     python3 tests/hosts/drivers/official_sdk.py http://127.0.0.1:<port> demo-api-key demo-cluster:demo-ws
//! ```

use std::process::Command;

use serde_json::{json, Value};

use crate::support::{
    demo_emulator, driver, install_python_packages, run_ok, DEMO_KEY, DEMO_WS, HOST_TIMEOUT,
};

/// The pinned SDK version.
const TRUEFOUNDRY_SDK: &str = "0.6.0";

/// The pinned CLI version.
const TRUEFOUNDRY_CLI: &str = "0.17.5";

#[test]
fn the_official_sdk_and_cli_models_accept_the_emulators_answers() {
    let site = install_python_packages(
        &format!("truefoundry-{TRUEFOUNDRY_CLI}-sdk-{TRUEFOUNDRY_SDK}"),
        &[
            &format!("truefoundry=={TRUEFOUNDRY_CLI}"),
            &format!("truefoundry-sdk=={TRUEFOUNDRY_SDK}"),
            // A dependency of the CLI published only as source (pure Python); every other
            // package still comes as a wheel.
            "--no-binary=gitignorefile",
        ],
        &[],
    );
    let emulator = demo_emulator();
    let mut command = Command::new("python3");
    command
        .arg(driver("official_sdk.py"))
        .args([emulator.base_url().as_str(), DEMO_KEY, DEMO_WS])
        .env("PYTHONPATH", &site)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let finished = run_ok(&mut command, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    let decoded: Value = serde_json::from_str(finished.stdout.trim())
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", finished.stdout));
    assert_eq!(
        decoded["sdk"],
        json!({
            "workspace": {"id": "ws-demo", "fqn": DEMO_WS},
            // The SDK's pager walks both pages of two.
            "volumes": ["model-cache", "shared-datasets", "training-data"],
            "first": {"fqn": format!("{DEMO_WS}:training-data"), "lifecycle_stage": "active",
                      "status": "DEPLOY_SUCCESS", "size": 100},
            // The SDK types `version` as a float.
            "created": {"fqn": format!("{DEMO_WS}:sdk-created:1"), "version": 1.0,
                        "status": "INITIALIZED"},
            "cluster": {"id": "demo-cluster", "type": "aws-eks"},
        })
    );
    let app = |name: &str, active: u64, status: &str, stage: &str| {
        json!({"name": name, "active_version": active, "last_version": 1, "status": status,
               "stage": stage})
    };
    let ready = |name: &str| app(name, 1, "DEPLOY_SUCCESS", "active");
    assert_eq!(
        decoded["cli"],
        json!({
            "workspaces": [{"name": "demo-ws", "fqn": DEMO_WS, "cluster": "demo-cluster"}],
            "clusters": [{"id": "demo-cluster", "cloud": "aws"},
                         {"id": "demo-cluster", "cloud": "aws"}],
            "deployment": {"fqn": format!("{DEMO_WS}:cli-failed:1"),
                           "application_fqn": format!("{DEMO_WS}:cli-failed"),
                           "version": 1, "status": "INITIALIZED"},
            "listed": [ready("training-data"), ready("model-cache"), ready("shared-datasets"),
                       app("sdk-created", 0, "INITIALIZED", "active"),
                       app("cli-failed", 0, "INITIALIZED", "active")],
            "deleted": {"message": "Deletion of application app-1 initiated"},
            "deleting": app("training-data", 1, "DEPLOY_SUCCESS", "deleting"),
            "after": [ready("model-cache"), ready("shared-datasets"), ready("sdk-created"),
                      app("cli-failed", 0, "DEPLOY_FAILED", "active")],
        })
    );
    let put = emulator
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    assert_eq!(put.path, "/api/svc/v1/apps");
    let sdk_pages = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/svc/v1/apps")
        .filter(|r| r.query_param("limit") == Some("2"))
        .count();
    assert_eq!(sdk_pages, 3, "two pages of volumes and an empty one");
}
