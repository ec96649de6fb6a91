//! Distribution: the three builds pushed to an OCI registry with `wash oci push`, then
//! installed from it with `wassette component load oci://…` and called over MCP.
//!
//! Facts of Wassette 0.8.0 this pins down: it pulls over HTTPS only (a plain-HTTP registry
//! answers its TLS handshake with HTTP: "received corrupt message of type
//! InvalidContentType"), it trusts the authorities in `SSL_CERT_FILE`, and it names a
//! component pulled from `<registry>/<path>:<tag>` after `<path>` with each `/` turned into
//! `_`, so its policy file and secrets go by that id.

use std::fs;
use std::path::Path;
use std::thread;

use serde_json::{json, Value};
use tfy_volumes_host::runtime::{COMPONENT_WASM, READ_ONLY_TOOLS_WASM, TOOLS_WASM};

use crate::registry::{oci_tools, Registry};
use crate::support::{assert_demo_list, demo_emulator, normalize, DEMO_WS};
use crate::wassette_setup::{wassette, ScratchHome};
use crate::wit_schema::{interface_functions, tool_names};

/// The repository namespace the builds are pushed under.
const NAMESPACE: &str = "truefoundry";
/// The tag they are pushed with (any tag would do).
const TAG: &str = "0.1.0";

/// The prefix Wassette puts before each function of the `full-access` build's exported
/// interface `truefoundry:volumes/volumes@0.1.0`.
const INTERFACE_TOOL_PREFIX: &str = "truefoundry_volumes_volumes_0_1_0_";

/// One build: its file, its repository name and the tools Wassette must list for it.
struct Build {
    wasm: &'static str,
    repository: &'static str,
    tools: Vec<String>,
}

fn builds() -> [Build; 3] {
    [
        Build {
            wasm: COMPONENT_WASM,
            repository: "truefoundry-volumes",
            tools: interface_functions("volumes")
                .iter()
                .map(|function| format!("{INTERFACE_TOOL_PREFIX}{function}"))
                .collect(),
        },
        Build {
            wasm: TOOLS_WASM,
            repository: "truefoundry-volumes-tools",
            tools: tool_names("tools"),
        },
        Build {
            wasm: READ_ONLY_TOOLS_WASM,
            repository: "truefoundry-volumes-read-only-tools",
            tools: tool_names("read-only-tools"),
        },
    ]
}

#[test]
fn the_three_builds_install_from_an_oci_registry_into_wassette() {
    let registry_home = ScratchHome::new("registry");
    let tools = oci_tools(&registry_home);
    let wassette = wassette();
    let registry = Registry::start(&registry_home, &tools);
    let reference = |build: &Build| {
        format!(
            "{}/{NAMESPACE}/{}:{TAG}",
            registry.address, build.repository
        )
    };

    for build in &builds() {
        let digest = registry.push(
            &tools,
            &registry_home,
            &reference(build),
            Path::new(build.wasm),
        );
        let manifest: Value = serde_json::from_slice(&registry.blob(&digest))
            .unwrap_or_else(|error| panic!("the manifest is not JSON: {error}"));
        assert_eq!(
            manifest["config"]["mediaType"],
            "application/vnd.wasm.config.v0+json"
        );
        assert_eq!(
            manifest["layers"].as_array().map(Vec::len),
            Some(1),
            "{manifest}"
        );
        assert_eq!(manifest["layers"][0]["mediaType"], "application/wasm");
        let layer = manifest["layers"][0]["digest"]
            .as_str()
            .expect("a layer digest");
        assert!(
            registry.blob(layer) == read(build.wasm),
            "the registry holds another {}",
            build.wasm
        );
        // wash copies the component's metadata into the OCI annotations.
        let annotations = &manifest["annotations"];
        assert_eq!(annotations["org.opencontainers.image.version"], TAG);
        assert_eq!(
            annotations["org.opencontainers.image.licenses"],
            "Apache-2.0"
        );
    }

    let untrusted = ScratchHome::new("oci-untrusted");
    let tools_build = &builds()[1];
    let refused = wassette
        .cli(
            &untrusted,
            &[
                "component",
                "load",
                &format!("oci://{}", reference(tools_build)),
            ],
            &[],
        )
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(!refused.status.success(), "{refused}");
    assert!(
        refused
            .stderr
            .contains("invalid peer certificate: UnknownIssuer"),
        "{refused}"
    );

    // One Wassette home per build (the two tool builds export the same tool names, and
    // Wassette refuses to call a name two loaded components share), installed side by side.
    let emulator = demo_emulator();
    let install = |build: &Build| {
        let home = ScratchHome::new(build.repository);
        let loaded = wassette.load(
            &home,
            &format!("oci://{}", reference(build)),
            &[("SSL_CERT_FILE", &registry.ca)],
        );
        let id = format!("{NAMESPACE}_{}", build.repository);
        assert_eq!(loaded["id"], id.as_str());
        assert_eq!(loaded["tools"], json!(build.tools));
        let pulled = read(home.components().join(format!("{id}.wasm")));
        assert!(
            pulled == read(build.wasm),
            "Wassette pulled another {}",
            build.wasm
        );

        wassette.apply_policy_file(&home, &id, "127.0.0.1");
        wassette.set_credentials(&home, &id, &emulator.base_url());
        let mut session = wassette.serve(&home);
        let listed: Vec<Value> = session
            .list_tools()
            .iter()
            .map(|tool| tool["name"].clone())
            .collect();
        assert_eq!(json!(listed), json!(build.tools));
        let list_volumes = build
            .tools
            .iter()
            .find(|name| name.ends_with("list-volumes"))
            .expect("every build has list-volumes");
        let answer = session.call(list_volumes, &json!({"workspace-fqn": DEMO_WS}));
        // The interface's records keep their options; Wassette makes each a required
        // `anyOf [null, T]`, and a call that leaves one out never reaches the component
        // (why the tool worlds have none).
        let without_option = (build.wasm == COMPONENT_WASM).then(|| {
            let wait = format!("{INTERFACE_TOOL_PREFIX}wait");
            session.call(&wait, &json!({"volume": format!("{DEMO_WS}:model-cache")}))
        });
        session.finish();
        assert_eq!(answer["isError"], false, "{answer}");
        assert_demo_list(&normalize(answer["structuredContent"]["result"].clone()));
        if let Some(refused) = without_option {
            assert_eq!(refused["isError"], true, "{refused}");
            assert_eq!(
                refused["content"],
                json!([{"type": "text",
                        "text": "Error: expected object shape for object, found: missing field options"}])
            );
        }
    };
    let builds = builds();
    thread::scope(|scope| {
        for build in &builds {
            scope.spawn(|| install(build));
        }
    });
}

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    let path = path.as_ref();
    fs::read(path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}
