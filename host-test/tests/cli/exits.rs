//! One exit code per class of failure, as `--help` and the README list them; the host's
//! per-call deadline as its own typed failure. (11 and 130 need a terminal: see
//! `terminal`; 3 has its own module: `config`.)

use std::net::TcpListener;

use serde_json::{json, Value};
use truefoundry_emulator::{Emulator, Fault, FaultRule, Seed};

use crate::{against, assert_exit, cli, create_args, stdout_json, text, World, WS};

#[test]
fn the_help_lists_the_exit_codes_as_the_readme_does() {
    let help = cli(&["--help"]).output().unwrap();
    assert_exit(&help, 0);
    let help = text(&help.stdout);
    let readme = include_str!("../../../README.md");
    for code in [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "130",
    ] {
        assert!(
            help.lines()
                .any(|line| line.starts_with(&format!("  {code} "))),
            "--help lacks exit code {code}:\n{help}"
        );
        assert!(
            readme.contains(&format!("\n| {code} | ")),
            "the README lacks exit code {code}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let world = World::new("exit-usage");
    assert_exit(&world.run(&["create", "-w", WS]), 2);
    let invalid = world.run(&create_args("Bad_Name", "1", "efs-sc", &["-o", "json"]));
    assert_exit(&invalid, 2);
    assert_eq!(stdout_json(&invalid)["error"], "invalid-input");
    let shown = world.run(&create_args("Bad_Name", "1", "efs-sc", &[]));
    assert_exit(&shown, 2);
    assert!(
        text(&shown.stderr).contains("\nerror: invalid-input\n  field: --name\n"),
        "{}",
        text(&shown.stderr)
    );
    // Missing flags of a provider are named together.
    let recipe = world.run(&[
        "static-volume",
        "--provider",
        "azure-files",
        "-w",
        WS,
        "--name",
        "x",
    ]);
    assert_exit(&recipe, 2);
    let shown = text(&recipe.stderr);
    for flag in [
        "--storage-account",
        "--share-or-container",
        "--resource-group",
    ] {
        assert!(shown.contains(flag), "{shown}");
    }
}

#[test]
fn a_missing_volume_exits_4_and_a_taken_name_5() {
    let world = World::new("exit-4-5");
    let missing = world.run(&["get", "demo-cluster:demo-ws:nope", "-o", "json"]);
    assert_exit(&missing, 4);
    // The component's fix, in the words of this CLI.
    let fix = stdout_json(&missing)["fix"].as_str().unwrap().to_string();
    assert!(
        fix.contains("`tfy-volumes list`") && !fix.contains("`list-volumes`"),
        "{fix}"
    );
    let taken = world.run(&create_args(
        "training-data",
        "1",
        "efs-sc",
        &["-o", "json"],
    ));
    assert_exit(&taken, 5);
    assert_eq!(stdout_json(&taken)["error"], "already-exists");
    let shrink = world.run(&[
        "expand",
        "demo-cluster:demo-ws:training-data",
        "--size-gi",
        "10",
    ]);
    assert_exit(&shrink, 5);
    assert!(text(&shrink.stderr).contains("error: size-cannot-be-reduced"));
}

#[test]
fn a_refused_key_exits_6() {
    let emulator = Emulator::start(Seed::demo()).unwrap();
    let output = against(
        &emulator.base_url(),
        "not-a-key",
        &["list", "-w", WS, "-o", "json"],
    );
    assert_exit(&output, 6);
    assert_eq!(stdout_json(&output)["error"], "unauthorized");
}

#[test]
fn a_wait_that_gives_up_exits_7_and_the_deployment_goes_on() {
    let seed = Seed {
        ready_after_ms: Some(600_000),
        ..Seed::demo()
    };
    let emulator = Emulator::start(seed).unwrap();
    let url = emulator.base_url();
    let created = against(
        &url,
        "demo-api-key",
        &create_args("slow", "1", "efs-sc", &[]),
    );
    assert_exit(&created, 0);
    let waited = against(
        &url,
        "demo-api-key",
        &[
            "wait",
            "demo-cluster:demo-ws:slow",
            "--timeout",
            "2",
            "--interval",
            "1",
        ],
    );
    assert_exit(&waited, 7);
    let stderr = text(&waited.stderr);
    assert!(stderr.contains("error: timed-out\n"), "{stderr}");
    assert!(
        stderr.contains("] demo-cluster:demo-ws:slow: stopped waiting (timed-out)\n"),
        "{stderr}"
    );
}

#[test]
fn a_failed_deployment_exits_8() {
    let world = World::new("exit-8");
    let output = world.run(&create_args("typo", "1", "gp9", &["--wait", "-o", "json"]));
    assert_exit(&output, 8);
    let error = stdout_json(&output);
    assert_eq!(
        (&error["error"], &error["missing-name"]),
        (&json!("storage-class-unavailable"), &json!("gp9"))
    );
    let fix = error["fix"].as_str().unwrap();
    assert!(fix.contains("`--replace-failed`"), "{fix}");
}

#[test]
fn an_unreachable_control_plane_exits_9() {
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{closed}");
    let output = against(&url, "k", &["get", "app-1", "-o", "json"]);
    assert_exit(&output, 9);
    assert_eq!(stdout_json(&output)["error"], "transport");
}

#[test]
fn the_hosts_deadline_exits_10_as_a_typed_failure() {
    let emulator = Emulator::start(Seed::demo()).unwrap();
    emulator.inject(FaultRule::always(Fault::Hang));
    let url = emulator.base_url();
    let started = std::time::Instant::now();
    let output = against(
        &url,
        "demo-api-key",
        &["list", "-w", WS, "--call-timeout", "1", "-o", "json"],
    );
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert_exit(&output, 10);
    assert_eq!(
        stdout_json(&output),
        json!({
            "error": "call-deadline",
            "function": "list-volumes",
            "seconds": 1,
            "message": "`list-volumes` did not finish within 1 s, the host's deadline for one call",
            "fix": "The control plane answered too slowly or not at all. Check it is reachable \
                    and try again; a write may have reached it, so look with `tfy-volumes get` \
                    before repeating one. --call-timeout sets the deadline (seconds).",
        })
    );
    let text_mode = against(
        &url,
        "demo-api-key",
        &["get", "app-1", "--call-timeout", "1"],
    );
    assert_exit(&text_mode, 10);
    let stderr = text(&text_mode.stderr);
    assert_eq!(
        stderr.lines().skip(1).collect::<Vec<_>>(),
        [
            "error: call-deadline: `get` did not finish within 1 s, the host's deadline for one call",
            "  what to do: The control plane answered too slowly or not at all. Check it is \
             reachable and try again; a write may have reached it, so look with `tfy-volumes \
             get` before repeating one. --call-timeout sets the deadline (seconds).",
        ],
        "one failure, no backtrace:\n{stderr}"
    );
}

#[test]
fn a_host_failure_exits_1() {
    let output = cli(&["component", "-f", "/nonexistent/dir/x.wasm"])
        .output()
        .unwrap();
    assert_exit(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot write /nonexistent/dir/x.wasm: "),
        "{stderr}"
    );
    let _: Value = json!(null);
}
