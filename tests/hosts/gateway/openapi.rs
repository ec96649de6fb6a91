//! The OpenAPI document the gateway serves is a valid OpenAPI 3.1 document by a standard
//! validator: `openapi-spec-validator` 0.9.0 from PyPI, installed once under
//! `<target>/host-tools/`, run on the bytes `GET /openapi.json` returned.

use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use tfy_volumes_host::serve::GatewayServer;
use tfy_volumes_host::Limits;

use super::our_host::built;
use super::scenario::Http;
use crate::support::{demo_emulator, install_python_packages, run, HOST_TIMEOUT};

/// PyPI `openapi-spec-validator`.
const VALIDATOR: &str = "0.9.0";

#[test]
fn the_served_openapi_document_passes_openapi_spec_validator() {
    let site = install_python_packages(
        &format!("openapi-spec-validator-{VALIDATOR}"),
        &[&format!("openapi-spec-validator=={VALIDATOR}")],
        &[],
    );
    let emulator = demo_emulator();
    let gateway = built(&emulator.base_url(), Limits::default());
    let server = GatewayServer::start(gateway, SocketAddr::from(([127, 0, 0, 1], 0)), 1)
        .expect("the gateway server starts");
    let served = Http::new(&server.base_url())
        .send("GET", "/openapi.json", None, None)
        .text;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gateway-openapi");
    fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("openapi.json");
    fs::write(&file, served).expect("the document is written");
    let mut validate = Command::new("python3");
    validate
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .env("PYTHONPATH", &site)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let finished = run(&mut validate, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    assert!(finished.status.success(), "{finished}");
    assert_eq!(finished.stdout.trim(), format!("{}: OK", file.display()));

    // And it refuses a broken one, so the check can fail.
    fs::write(
        &file,
        r#"{"openapi": "3.1.0", "paths": {"/x": {"get": {}}}}"#,
    )
    .unwrap();
    let broken = run(&mut validate, HOST_TIMEOUT).unwrap_or_else(|error| panic!("{error}"));
    assert!(!broken.status.success(), "{broken}");
}
