//! The `tfy-volumes` command line, run as a process: against its embedded emulator, as a copy
//! installed away from the build tree (`installed`), and against a control plane that answers
//! terminal escapes (`hostile`).

mod hostile;
mod installed;

use std::process::{Command, Output};

use serde_json::Value;

/// The compiled-code cache of the tests that do not test the cache itself: inside the build
/// tree, shared by the runs, so the component is compiled once.
const TEST_CACHE: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/tfy-volumes-cache");

fn tfy_volumes(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfy-volumes"));
    command.args(args).env("TFY_VOLUMES_CACHE_DIR", TEST_CACHE);
    // Without a control plane in the environment the CLI embeds the emulator.
    for variable in ["TFY_BASE_URL", "TFY_HOST", "TFY_API_HOST", "TFY_API_KEY"] {
        command.env_remove(variable);
    }
    command.output().expect("the CLI runs")
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn list_prints_the_demo_workspace_as_json_and_as_a_table() {
    let json = tfy_volumes(&["list", "-w", "demo-cluster:demo-ws", "--json"]);
    assert_eq!(json.status.code(), Some(0));
    let names: Vec<String> = stdout_json(&json)
        .as_array()
        .unwrap()
        .iter()
        .map(|volume| volume["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["model-cache", "shared-datasets", "training-data"]);

    let table = tfy_volumes(&["list", "-w", "demo-cluster:demo-ws"]);
    let text = String::from_utf8(table.stdout).unwrap();
    let header = text.lines().next().unwrap();
    for column in ["NAME", "SIZE", "STORAGE CLASS", "STATUS", "CREATED"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(text.contains("\ntraining-data    100 Gi  efs-sc"), "{text}");
    assert!(String::from_utf8_lossy(&table.stderr).contains("embedded TrueFoundry emulator"));
}

#[test]
fn a_component_error_exits_1_with_its_case_as_json() {
    let output = tfy_volumes(&["get", "demo-cluster:demo-ws:nope", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stdout_json(&output);
    assert_eq!(error["error"], "not-found");
    assert_eq!(error["kind"], "volume");
    assert_eq!(error["name"], "demo-cluster:demo-ws:nope");
}

#[test]
fn bad_arguments_exit_2() {
    let output = tfy_volumes(&["create", "-w", "demo-cluster:demo-ws"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "clap refuses a missing --name"
    );
}

#[test]
fn the_demo_tours_every_export_and_ends_with_the_refusal() {
    let output = tfy_volumes(&["demo"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for section in [
        "== recommend-size",
        "== storage-classes",
        "== preflight",
        "== create, waiting until it runs ==",
        "Status         RUNNING",
        "Size           64 Gi",
        "== list",
        "== mount snippet: Python SDK",
        "volume_fqn=\"tfy-volume://demo-cluster:demo-ws:",
        "error: already-exists",
    ] {
        assert!(text.contains(section), "missing {section:?} in\n{text}");
    }
}
