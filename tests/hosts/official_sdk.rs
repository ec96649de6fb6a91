//! Emulator fidelity: the official TrueFoundry Python SDK (`truefoundry-sdk` 0.6.0, generated
//! from TrueFoundry's OpenAPI) decodes every emulator answer the component relies on with its
//! own models, which fail on a missing required field or a wrong type.
//!
//! ```sh
//! PYTHONPATH=<target>/host-tools/truefoundry-sdk-0.6.0 \
//!     python3 tests/hosts/drivers/official_sdk.py http://127.0.0.1:<port> demo-api-key demo-cluster:demo-ws
//! ```

use std::process::Command;

use serde_json::{json, Value};

use crate::support::{
    demo_emulator, driver, install_python_packages, run_ok, DEMO_KEY, DEMO_WS, HOST_TIMEOUT,
};

/// The pinned SDK version.
const TRUEFOUNDRY_SDK: &str = "0.6.0";

#[test]
fn the_official_sdk_accepts_the_emulators_answers() {
    let site = install_python_packages(
        &format!("truefoundry-sdk-{TRUEFOUNDRY_SDK}"),
        &[&format!("truefoundry-sdk=={TRUEFOUNDRY_SDK}")],
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
        decoded,
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
    let put = emulator
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    assert_eq!(put.path, "/api/svc/v1/apps");
    let pages = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/svc/v1/apps")
        .count();
    assert_eq!(pages, 3, "two pages of volumes and an empty one");
}
