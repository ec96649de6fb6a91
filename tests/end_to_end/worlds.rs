//! The three builds: `full-access` (one interface), `tools` and `read-only-tools` (top-level
//! functions for agent runtimes), with their metadata and embedded WIT documentation.

use serde_json::Value;
use tfy_volumes_host::runtime::{COMPONENT_WASM, GATEWAY_WASM, READ_ONLY_TOOLS_WASM, TOOLS_WASM};
use tfy_volumes_host::Grant;
use wasmtime::component::Val;

use crate::support::{dynamic_volume, runtime, seed, ADMIN_KEY, WS};
use crate::tool_calls::compiled;
use truefoundry_emulator::Emulator;

/// The data of the component's top-level custom section `name` (the nested core modules'
/// sections do not count).
fn top_level_section(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    use wasmparser::Payload;
    // `parse_all` descends into nested modules and components, each closed by an `End`.
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.unwrap() {
            Payload::CustomSection(section) if depth == 0 && section.name() == name => {
                return Some(section.data().to_vec())
            }
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) if depth == 0 => return None,
            Payload::End(_) => depth -= 1,
            _ => {}
        }
    }
    None
}

fn exports(path: &'static str) -> Vec<String> {
    let engine = runtime().engine();
    compiled(path)
        .component_type()
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect()
}

const READ_ONLY: [&str; 17] = [
    "volume-interview",
    "list-volumes",
    "get-volume",
    "volume-status",
    "wait-for-volume",
    "list-storage-classes",
    "volume-mount-snippet",
    "recommend-model-cache-size",
    "recommend-dataset-volume-size",
    "recommend-checkpoint-volume-size",
    "recommend-storage",
    "aws-efs-volume-recipe",
    "aws-s3-volume-recipe",
    "gcs-volume-recipe",
    "azure-files-volume-recipe",
    "azure-blob-volume-recipe",
    "cache-volume-snippet",
];

/// The tools that change something: only the `tools` build has them.
const WRITERS: [&str; 3] = ["create-volume", "expand-volume", "delete-volume"];

#[test]
fn the_read_only_build_exports_no_function_that_changes_anything() {
    assert_eq!(exports(READ_ONLY_TOOLS_WASM), READ_ONLY);
    // `tools` includes `read-only-tools`; the order of exports is the encoder's.
    let mut all: Vec<&str> = READ_ONLY.to_vec();
    all.extend(WRITERS);
    all.sort_unstable();
    let mut tools = exports(TOOLS_WASM);
    tools.sort_unstable();
    assert_eq!(tools, all);
    assert_eq!(
        exports(COMPONENT_WASM),
        ["truefoundry:volumes/volumes@0.1.0"]
    );
}

#[test]
fn every_tool_has_a_short_name_and_an_embedded_description() {
    for path in [TOOLS_WASM, READ_ONLY_TOOLS_WASM] {
        let docs = top_level_section(&std::fs::read(path).unwrap(), "package-docs")
            .expect("a package-docs section");
        assert_eq!(docs[0], 1, "package-docs format version");
        let docs: Value = serde_json::from_slice(&docs[1..]).unwrap();
        let functions = &docs["worlds"]["root"]["func_exports"];
        for name in exports(path) {
            assert!(name.len() <= 64, "{name} is too long for a tool name");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
            let text = functions[&name]["docs"].as_str().unwrap_or_default();
            assert!(
                text.len() > 80,
                "{path}: `{name}` has no useful description: {text:?}"
            );
            assert!(
                text.contains("Errors:"),
                "{path}: `{name}` documents no errors"
            );
        }
    }
}

#[test]
fn every_build_carries_its_metadata() {
    for (path, name, described) in [
        (
            COMPONENT_WASM,
            "truefoundry-volumes-full-access",
            "Manage TrueFoundry persistent volumes",
        ),
        (
            TOOLS_WASM,
            "truefoundry-volumes-tools",
            "Manage TrueFoundry persistent volumes",
        ),
        (
            READ_ONLY_TOOLS_WASM,
            "truefoundry-volumes-read-only-tools",
            "Manage TrueFoundry persistent volumes",
        ),
        (
            GATEWAY_WASM,
            "truefoundry-volumes-gateway",
            "The TrueFoundry volume API over HTTP",
        ),
    ] {
        // Read as `wasm-tools metadata show` reads it: the license must parse as SPDX and the
        // URLs as URLs, or this fails.
        let bytes = std::fs::read(path).unwrap();
        let metadata = match wasm_metadata::Payload::from_binary(&bytes).unwrap() {
            wasm_metadata::Payload::Component { metadata, .. } => metadata,
            wasm_metadata::Payload::Module(_) => panic!("{path} is a core module"),
        };
        assert_eq!(metadata.name.as_deref(), Some(name), "{path}");
        assert_eq!(
            metadata
                .version
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some(env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(
            metadata
                .licenses
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("Apache-2.0")
        );
        let repository = "https://github.com/truefoundry-volumes/truefoundry-volumes";
        assert_eq!(
            metadata.source.as_ref().map(ToString::to_string).as_deref(),
            Some(repository)
        );
        assert_eq!(
            metadata
                .homepage
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some(repository)
        );
        let description = metadata
            .description
            .as_ref()
            .map(ToString::to_string)
            .unwrap();
        assert!(description.starts_with(described), "{description}");
        let producers = metadata.producers.expect("a producers section");
        let processed_by = producers.get("processed-by").expect("processed-by");
        assert_eq!(
            processed_by
                .get("truefoundry-volumes-build")
                .map(String::as_str),
            Some(env!("CARGO_PKG_VERSION"))
        );
    }
}

#[tokio::test]
async fn the_tools_build_runs_in_the_same_sandbox() {
    let mut seeded = seed();
    seeded.volumes.push(dynamic_volume(WS, "models", 20));
    let emulator = Emulator::start(seeded).unwrap();
    let grant = Grant::new(emulator.base_url(), ADMIN_KEY);
    let component = compiled(TOOLS_WASM);
    let mut store = runtime().sandbox(&grant, grant.origin());
    let instance = runtime()
        .linker()
        .instantiate_async(&mut store, &component)
        .await
        .unwrap();

    let list = instance.get_func(&mut store, "list-volumes").unwrap();
    let mut results = [Val::Bool(false)];
    list.call_async(&mut store, &[Val::String(WS.into())], &mut results)
        .await
        .unwrap();
    let Val::Result(Ok(Some(listed))) = &results[0] else {
        panic!("{:?}", results[0])
    };
    let Val::List(volumes) = listed.as_ref() else {
        panic!("{listed:?}")
    };
    assert_eq!(volumes.len(), 1);
    let Val::Record(fields) = &volumes[0] else {
        panic!("{:?}", volumes[0])
    };
    let name = fields
        .iter()
        .find(|(field, _)| field == "name")
        .map(|(_, value)| value);
    assert_eq!(name, Some(&Val::String("models".into())));

    let read_only = compiled(READ_ONLY_TOOLS_WASM);
    let mut store = runtime().sandbox(&grant, grant.origin());
    let instance = runtime()
        .linker()
        .instantiate_async(&mut store, &read_only)
        .await
        .unwrap();
    for writer in WRITERS {
        assert!(instance.get_func(&mut store, writer).is_none(), "{writer}");
    }
    assert_eq!(
        emulator.requests().len(),
        1,
        "only the list reached the server"
    );
}

#[test]
fn the_wassette_policy_grants_one_host_and_two_variables() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../wassette/policy.yaml"
    ))
    .unwrap();
    let policy: Value = serde_yaml_ng::from_str(&text).unwrap();
    let permissions = policy["permissions"].as_object().unwrap();
    let kinds: Vec<&str> = permissions.keys().map(String::as_str).collect();
    assert_eq!(
        kinds,
        ["environment", "network"],
        "no storage or other grants"
    );
    assert_eq!(permissions["network"]["allow"].as_array().unwrap().len(), 1);
    assert!(permissions["network"]["allow"][0]["host"]
        .as_str()
        .is_some());
    let keys: Vec<&str> = permissions["environment"]["allow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["TFY_BASE_URL", "TFY_API_KEY"]);
}
