//! `tfy-volumes interview`: questions on stderr, answers on stdin (piped here; Enter takes
//! the default), a refused answer asked again with the problem, answers given up front with
//! `--answer`, the plan alone with `--plan-only`, and the end of input that creates nothing.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::{assert_exit, names, stdout_json, text, World, WS};

/// The interview on `world` with `args`, `input` on stdin.
fn interview(world: &World, args: &[&str], input: &str) -> Output {
    let mut command = world.command(&[&["interview"], args].concat());
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn answers_on_stdin_create_the_volume_and_a_taken_name_is_asked_again() {
    let world = World::new("interview-create");
    // Workspace; Enter for `dynamic`; a name the demo workspace has, then a free one;
    // Enter for the proposed size, storage class and no browser; no waiting.
    let input = format!("{WS}\n\ntraining-data\nasked-data\n\n\n\nno\n");
    let output = interview(&world, &["-o", "json"], &input);
    assert_exit(&output, 0);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("workspace> "), "{stderr}");
    assert!(stderr.contains("Enter takes dynamic"), "{stderr}");
    let refused = stderr
        .lines()
        .find(|line| line.contains("Not accepted:"))
        .unwrap_or_else(|| panic!("no refusal shown:\n{stderr}"));
    assert!(refused.contains("training-data"), "{refused}");
    // The component's texts in the CLI's words.
    assert!(stderr.contains("`tfy-volumes recommend-size`"), "{stderr}");
    let volume = stdout_json(&output);
    assert_eq!(volume["name"], "asked-data");
    assert_eq!(volume["workspace-fqn"], WS);
    assert_eq!(volume["kind"], "dynamic");
    // The size the interview proposed for a volume nothing is known about.
    assert_eq!(volume["size-gi"], 12);
    assert_eq!(volume["storage-class"], "efs-sc");

    let listed = stdout_json(&world.run(&["list", "-w", WS, "-o", "json"]));
    assert!(names(&listed).contains(&"asked-data"), "{listed}");
}

#[test]
fn answers_given_up_front_leave_only_the_rest_and_plan_only_creates_nothing() {
    let world = World::new("interview-plan");
    let output = interview(
        &world,
        &[
            "--answer",
            &format!("workspace={WS}"),
            "-a",
            "kind=static",
            "-a",
            "name=shared-files",
            "-a",
            "browser=no",
            "-a",
            "wait=no",
            "--plan-only",
            "-o",
            "json",
        ],
        "shared-datasets-pv\n",
    );
    assert_exit(&output, 0);
    let stderr = text(&output.stderr);
    // Only the PersistentVolume was asked.
    assert_eq!(stderr.matches("> ").count(), 1, "{stderr}");
    assert!(stderr.contains("persistent-volume> "), "{stderr}");
    let plan = stdout_json(&output);
    assert_eq!(plan["checked-online"], true, "{plan}");
    let manifest = &plan["manifest"];
    assert_eq!(manifest["config"]["type"], "static");
    assert_eq!(
        manifest["config"]["persistent_volume_name"],
        "shared-datasets-pv"
    );
    let answered: Vec<(&str, &str)> = plan["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["field"].as_str().unwrap(), a["value"].as_str().unwrap()))
        .collect();
    assert!(
        answered.contains(&("persistent-volume", "shared-datasets-pv")),
        "{answered:?}"
    );
    assert!(answered.contains(&("workspace", WS)), "{answered:?}");
    let summary = plan["summary"].as_str().unwrap();
    assert!(!summary.contains("with the same flags"), "{summary}");

    let listed = stdout_json(&world.run(&["list", "-w", WS, "-o", "json"]));
    assert!(!names(&listed).contains(&"shared-files"), "{listed}");

    // The text form ends with the command that creates it, which works as printed.
    let output = interview(
        &world,
        &[
            "-a",
            &format!("workspace={WS}"),
            "-a",
            "kind=static",
            "-a",
            "name=shared-files",
            "-a",
            "persistent-volume=shared-datasets-pv",
            "-a",
            "browser=no",
            "-a",
            "wait=no",
            "--plan-only",
        ],
        "",
    );
    assert_exit(&output, 0);
    let shown = text(&output.stdout);
    let again = shown
        .lines()
        .find_map(|line| line.strip_prefix("To create it: tfy-volumes "))
        .unwrap_or_else(|| panic!("no command shown:\n{shown}"));
    assert!(!shown.contains("with the same flags"), "{shown}");
    let words: Vec<&str> = again.split(' ').collect();
    let created = interview(&world, &[&words[..], &["-o", "json"]].concat()[1..], "");
    assert_exit(&created, 0);
    assert_eq!(stdout_json(&created)["name"], "shared-files");
}

#[test]
fn the_end_of_input_stops_the_interview_and_a_malformed_answer_is_a_usage_error() {
    let world = World::new("interview-stop");
    let output = interview(&world, &["-o", "json"], &format!("{WS}\n"));
    assert_exit(&output, 11);
    let error = stdout_json(&output);
    assert_eq!(error["error"], "cancelled", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("kind question"),
        "{error}"
    );

    let output = interview(&world, &["-a", "colour=red"], "");
    assert_exit(&output, 2);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("no interview field `colour`"), "{stderr}");
    // Refused before anything started: no note about where the command points.
    assert!(!stderr.contains("note: using"), "{stderr}");
    assert!(stderr.contains("size-gi"), "{stderr}");
}
