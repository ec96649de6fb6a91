//! The embedded emulator's state file: one command at a time uses it (a second waits, and
//! says so), and nothing either writes is lost. And the tools that do not use it: the
//! foreground emulator and the completion scripts.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use crate::{assert_exit, cli, create_args, stdout_json, text, World};

#[test]
fn a_second_command_waits_for_the_first_and_both_changes_are_kept() {
    let world = World::new("state-lock");
    // The first holds the state file for the seconds its deployment takes.
    let mut first = world
        .command(&create_args("first", "1", "efs-sc", &["--wait"]))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_stderr = BufReader::new(first.stderr.take().unwrap());
    let mut line = String::new();
    // Once it shows progress it holds the lock.
    while !line.contains("DEPLOYING") {
        line.clear();
        assert!(
            first_stderr.read_line(&mut line).unwrap() > 0,
            "the first ended early"
        );
    }
    let second = world.run(&create_args("second", "1", "efs-sc", &[]));
    assert_exit(&second, 0);
    let stderr = text(&second.stderr);
    assert!(
        stderr.starts_with(&format!(
            "note: another tfy-volumes command is using {}; waiting for it to finish\n",
            world.state.display()
        )),
        "{stderr}"
    );
    assert!(first.wait().unwrap().success());
    let listed = stdout_json(&world.run(&["list", "-w", "demo-cluster:demo-ws", "-o", "json"]));
    assert_eq!(
        crate::names(&listed),
        [
            "first",
            "model-cache",
            "second",
            "shared-datasets",
            "training-data"
        ]
    );
}

#[test]
fn the_foreground_emulator_prints_its_address_as_a_document() {
    let mut child = cli(&["emulator", "--port", "0", "-o", "json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut document = String::new();
    while !document.ends_with("}\n") {
        assert!(reader.read_line(&mut document).unwrap() > 0, "{document}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let value: Value = serde_json::from_str(&document).unwrap();
    assert!(
        value["base-url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "{value}"
    );
    assert_eq!(
        (&value["api-key"], &value["state-file"]),
        (&Value::from("demo-api-key"), &Value::Null)
    );
}

#[test]
fn completion_scripts_are_valid_for_their_shell() {
    let bash = cli(&["completions", "bash"]).output().unwrap();
    assert_exit(&bash, 0);
    let script = text(&bash.stdout);
    for command in ["apply", "delete", "completions", "--state-file", "--output"] {
        assert!(script.contains(command), "bash completion lacks {command}");
    }
    let checked = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    let zsh = cli(&["completions", "zsh"]).output().unwrap();
    assert!(text(&zsh.stdout).starts_with("#compdef tfy-volumes\n"));
}
