//! stdout parses, for every command and every output format: `-o json` and `-o yaml` give
//! the same value, text gives the artefact in its own language (Python, JSON, YAML, a YAML
//! stream, a table), warnings and notes stay on stderr, and failures of every kind come in
//! the format asked for.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

use crate::{assert_exit, create_args, stdout_json, stdout_yaml, text, World, WS};

/// Runs `args` with `-o json` and `-o yaml` and checks both parse to the same value.
fn same_in_json_and_yaml(world: &World, args: &[&str]) -> Value {
    let json = world.run(&[args, &["-o", "json"]].concat());
    assert_exit(&json, 0);
    let yaml = world.run(&[args, &["-o", "yaml"]].concat());
    assert_exit(&yaml, 0);
    let value = stdout_json(&json);
    assert_eq!(stdout_yaml(&yaml), value, "{args:?}");
    value
}

/// Whether Python parses `source`.
fn python_parses(source: &str) -> bool {
    let mut child = Command::new("python3")
        .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    child.wait().unwrap().success()
}

#[test]
fn reading_commands_print_the_same_value_as_json_and_yaml() {
    let world = World::new("formats-read");
    // What plan and preflight check.
    let request = [
        "-w",
        WS,
        "--name",
        "fmt",
        "--size-gi",
        "5",
        "--storage-class",
        "gp3",
    ];
    let cases: [Vec<&str>; 9] = [
        vec!["list", "-w", WS],
        vec!["get", "demo-cluster:demo-ws:training-data"],
        vec!["status", "demo-cluster:demo-ws:training-data"],
        vec!["storage-classes", "-w", WS],
        [&["preflight"], &request[..]].concat(),
        [&["plan"], &request[..]].concat(),
        vec![
            "recommend-size",
            "--use-case",
            "model-cache",
            "--parameters-billions",
            "7",
        ],
        vec![
            "recommend-storage",
            "--data-gi",
            "2000",
            "--write-once",
            "--cost-first",
        ],
        vec![
            "static-volume",
            "--provider",
            "aws-s3",
            "-w",
            WS,
            "--name",
            "shared",
            "--bucket",
            "my-bucket",
            "--region",
            "us-east-1",
        ],
    ];
    for args in cases {
        same_in_json_and_yaml(&world, &args);
    }
    let volume = same_in_json_and_yaml(&world, &["get", "demo-cluster:demo-ws:training-data"]);
    assert_eq!(
        volume["browser-url"],
        "https://volumes.demo.example.com/training-data/"
    );
    let status = same_in_json_and_yaml(&world, &["status", "demo-cluster:demo-ws:training-data"]);
    assert_eq!(
        status,
        json!({"phase": "running", "api-status": "DEPLOY_SUCCESS", "display": "RUNNING",
               "terminal": true, "message": null})
    );
}

#[test]
fn snippets_print_in_their_own_language_with_warnings_on_stderr() {
    let world = World::new("formats-snippets");
    let volume = "demo-cluster:demo-ws:training-data";
    let run = |format: &str| {
        let output = world.run(&[
            "mount-snippet",
            volume,
            "--mount-path",
            "/data/",
            "--format",
            format,
            "--per-pod",
        ]);
        assert_exit(&output, 0);
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with("warning: Several pods share this volume"),
            "{stderr}"
        );
        text(&output.stdout)
    };
    assert!(python_parses(&run("python-sdk")));
    let mount: Value = serde_json::from_str(&run("json-mount")).unwrap();
    assert_eq!(
        mount,
        json!({"type": "volume", "mount_path": "/data",
               "volume_fqn": "tfy-volume://demo-cluster:demo-ws:training-data"})
    );
    for (format, kind) in [("service-manifest", "service"), ("job-manifest", "job")] {
        let manifest: Value = serde_json::from_str(&run(format)).unwrap();
        assert_eq!(manifest["type"], kind);
        assert_eq!(manifest["mounts"][0], mount);
    }
    let yaml: Value = serde_yaml_ng::from_str(&run("yaml")).unwrap();
    assert_eq!(yaml, json!({"mounts": [mount]}));
    // The same snippet as a machine document carries its warnings as a field.
    let document = same_in_json_and_yaml(
        &world,
        &[
            "mount-snippet",
            volume,
            "--mount-path",
            "/data",
            "--per-pod",
        ],
    );
    assert_eq!(document["warnings"].as_array().unwrap().len(), 1);
    assert!(python_parses(document["text"].as_str().unwrap()));

    for format in ["json", "yaml"] {
        let output = world.run(&[
            "cache-volume",
            "--storage-class",
            "efs-sc",
            "--model-gi",
            "150",
            "--format",
            format,
        ]);
        assert_exit(&output, 0);
        let shown = text(&output.stdout);
        let block: Value = match format {
            "json" => serde_json::from_str(&shown).unwrap(),
            _ => serde_yaml_ng::from_str(&shown).unwrap(),
        };
        assert_eq!(
            block["artifacts_download"]["cache_volume"]["storage_class"], "efs-sc",
            "{format}"
        );
        assert!(text(&output.stderr).starts_with("warning: "), "{format}");
    }
}

#[test]
fn texts_are_tables_streams_and_lines() {
    let world = World::new("formats-text");
    let listed = text(&world.run(&["list", "-w", WS]).stdout);
    let widths: Vec<usize> = listed
        .lines()
        .map(|line| line.find("SIZE").unwrap_or(0))
        .collect();
    assert_eq!(widths[0], 17, "{listed}");
    let recipe = world.run(&[
        "static-volume",
        "--provider",
        "aws-efs",
        "-w",
        WS,
        "--name",
        "shared",
        "--file-system-id",
        "fs-0123456789abcdef0",
        "--access-point-id",
        "fsap-0123456789abcdef0",
    ]);
    assert_exit(&recipe, 0);
    let stream = text(&recipe.stdout);
    let documents = crate::yaml_documents(&stream);
    assert_eq!(documents.len(), 2, "{stream}");
    assert_eq!(documents[0]["spec"]["csi"]["driver"], "efs.csi.aws.com");
    assert_eq!(
        documents[1],
        json!({"type": "volume", "name": "shared", "workspace_fqn": WS,
               "config": {"type": "static", "persistent_volume_name": "shared-pv"}})
    );
    assert!(stream.starts_with("# Steps:\n#   1. "), "{stream}");
    let sized = text(
        &world
            .run(&["recommend-size", "--use-case", "general", "--data-gi", "10"])
            .stdout,
    );
    assert_eq!(sized.lines().next(), Some("12 Gi"));
}

#[test]
fn writing_commands_and_the_tools_print_documents_too() {
    let world = World::new("formats-write");
    let created = world.run(&create_args("fmt", "5", "gp3", &["-o", "yaml"]));
    assert_exit(&created, 0);
    assert_eq!(stdout_yaml(&created)["name"], "fmt");
    let waited = world.run(&["wait", "demo-cluster:demo-ws:fmt", "-o", "json"]);
    assert_exit(&waited, 0);
    assert_eq!(stdout_json(&waited)["status"]["phase"], "running");
    let expanded = world.run(&[
        "expand",
        "demo-cluster:demo-ws:fmt",
        "--size-gi",
        "6",
        "-o",
        "yaml",
    ]);
    assert_exit(&expanded, 0);
    assert_eq!(stdout_yaml(&expanded)["size-gi"], 6);
    let deleted = world.run(&["delete", "demo-cluster:demo-ws:fmt", "--yes", "-o", "json"]);
    assert_exit(&deleted, 0);
    assert_eq!(stdout_json(&deleted)["fqn"], "demo-cluster:demo-ws:fmt");
    let reset = world.run(&["emulator", "reset", "-o", "json"]);
    assert_exit(&reset, 0);
    assert_eq!(
        stdout_json(&reset),
        json!({"reset": world.state.display().to_string()})
    );

    let tour = world.run(&["demo", "-o", "json"]);
    assert_exit(&tour, 0);
    let steps = stdout_json(&tour);
    let titles: Vec<&str> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["step"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 10, "{titles:?}");
    assert_eq!(
        steps[9]["result"]["error"]["error"], "already-exists",
        "the tour ends with the refusal"
    );
    let tour = world.run(&["demo", "-o", "yaml"]);
    assert_exit(&tour, 0);
    assert_eq!(stdout_yaml(&tour).as_array().unwrap().len(), 10);

    let file = world.scratch.0.join("tools.wasm");
    let written = world.run(&[
        "component",
        "--world",
        "tools",
        "-f",
        file.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_exit(&written, 0);
    let written = stdout_json(&written);
    assert_eq!(written["world"], "tools");
    assert_eq!(written["bytes"], std::fs::metadata(&file).unwrap().len());
}

/// Every kind of failure, in the format asked for.
fn failure(output: &Output, format: &str) -> Value {
    assert!(
        output.status.code() != Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    match format {
        "json" => stdout_json(output),
        _ => stdout_yaml(output),
    }
}

#[test]
fn failures_of_every_kind_come_in_the_format_asked_for() {
    let world = World::new("formats-failures");
    for format in ["json", "yaml"] {
        let usage = world.run(&["get", "--size", "3", "x", "-o", format]);
        assert_eq!(
            failure(&usage, format),
            json!({"error": "usage", "message": "unexpected argument '--size' found",
                   "fix": "Usage: tfy-volumes get [OPTIONS] <VOLUME>. Run `tfy-volumes --help` for more."})
        );
        let missing = world.run(&["list", &format!("--output={format}")]);
        assert_eq!(
            failure(&missing, format)["message"],
            "the following required arguments were not provided: --workspace <WORKSPACE>"
        );
        let configuration = world
            .command(&["list", "-w", WS, "-o", format])
            .env("TFY_API_KEY", "k")
            .output()
            .unwrap();
        let value = failure(&configuration, format);
        assert_eq!(
            (&value["error"], &value["variable"]),
            (&json!("configuration"), &json!("TFY_API_KEY"))
        );
        let component = world.run(&["get", "demo-cluster:demo-ws:nope", "-o", format]);
        let value = failure(&component, format);
        assert_eq!(
            (&value["error"], &value["kind"], &value["name"]),
            (
                &json!("not-found"),
                &json!("volume"),
                &json!("demo-cluster:demo-ws:nope")
            )
        );
        let host = world.run(&["component", "-f", "/nonexistent/dir/x.wasm", "-o", format]);
        let value = failure(&host, format);
        assert_eq!(value["error"], "host");
        assert!(
            value["message"]
                .as_str()
                .unwrap()
                .starts_with("cannot write /nonexistent/dir/x.wasm: "),
            "{value}"
        );
    }
    // The old spelling is still accepted.
    let old = world.run(&["get", "demo-cluster:demo-ws:nope", "--json"]);
    assert_eq!(failure(&old, "json")["error"], "not-found");
}
