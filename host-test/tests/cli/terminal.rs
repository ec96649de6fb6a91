//! At a terminal, through a pseudo-terminal (`pty_session.py`, Python's `pty`): confirmations
//! before create, expand and delete; the live progress line of `create --wait`; Ctrl-C that
//! stops the waiting, not the deployment, and the command that picks up again.

use std::process::Command;

use serde_json::{json, Value};
use truefoundry_emulator::{Emulator, Seed};

use crate::{assert_exit, cli, create_args, stdout_json, text, World, TEST_CACHE};

const HELPER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/pty_session.py");
/// The width `pty_session.py` gives its terminal.
const COLUMNS: usize = 120;

/// What a terminal session showed, and how it ended.
struct Session {
    /// Everything the terminal showed, escape sequences and carriage returns included.
    raw: String,
    code: i64,
    steps: u64,
}

impl Session {
    /// The screen as a person reads it in the end: a terminal of [`COLUMNS`] columns
    /// that wraps full lines, moves to the line start at CR, erases a line at `ESC [2K` and
    /// ignores other escape sequences (colours, cursor visibility).
    fn screen(&self) -> String {
        let mut rows: Vec<Vec<char>> = vec![Vec::new()];
        let mut column = 0;
        let mut chars = self.raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\u{1b}' => {
                    let mut sequence = String::new();
                    if chars.peek() == Some(&'[') {
                        chars.next();
                        for next in chars.by_ref() {
                            sequence.push(next);
                            if ('@'..='~').contains(&next) {
                                break;
                            }
                        }
                    }
                    if sequence == "2K" {
                        rows.last_mut().unwrap().clear();
                    }
                }
                '\r' => column = 0,
                '\n' => {
                    rows.push(Vec::new());
                    column = 0;
                }
                c => {
                    if column == COLUMNS {
                        rows.push(Vec::new());
                        column = 0;
                    }
                    let row = rows.last_mut().unwrap();
                    if row.len() <= column {
                        row.resize(column, ' ');
                        row.push(c);
                    } else {
                        row[column] = c;
                    }
                    column += 1;
                }
            }
        }
        rows.iter()
            .map(|row| row.iter().collect::<String>().trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every text the terminal showed at some moment, each redraw on a line of its own.
    fn redraws(&self) -> String {
        let mut plain = String::new();
        let mut chars = self.raw.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for next in chars.by_ref() {
                        if ('@'..='~').contains(&next) {
                            break;
                        }
                    }
                }
                plain.push('\n');
                continue;
            }
            plain.push(if c == '\r' { '\n' } else { c });
        }
        plain
    }
}

/// Runs `args` in a pseudo-terminal with `env` (and the test cache), typing each step's
/// answer after its prompt.
fn at_terminal(env: &[(&str, &str)], args: &[&str], steps: &[(&str, &str)]) -> Session {
    let mut environment = serde_json::Map::new();
    environment.insert("TFY_VOLUMES_CACHE_DIR".into(), json!(TEST_CACHE));
    environment.insert("TERM".into(), json!("xterm-256color"));
    environment.insert("PATH".into(), json!("/usr/bin:/bin"));
    for (name, value) in env {
        environment.insert((*name).into(), json!(value));
    }
    let argv: Vec<&str> = std::iter::once(env!("CARGO_BIN_EXE_tfy-volumes"))
        .chain(args.iter().copied())
        .collect();
    let spec = json!({
        "argv": argv,
        "env": environment,
        "timeout": 90,
        "steps": steps.iter().map(|(expect, send)| json!({"expect": expect, "send": send}))
            .collect::<Vec<_>>(),
    });
    let output = Command::new("python3")
        .args([HELPER, &spec.to_string()])
        .output()
        .expect("python3 runs the terminal session");
    assert!(
        output.status.success(),
        "the session helper failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["timed_out"], false, "{result}");
    Session {
        raw: result["transcript"].as_str().unwrap().to_string(),
        code: result["code"].as_i64().unwrap(),
        steps: result["steps"].as_u64().unwrap(),
    }
}

#[test]
fn create_wait_at_a_terminal_asks_then_shows_a_live_line_and_a_final_one() {
    let world = World::new("tty-create");
    let state = world.state.display().to_string();
    let env = [("TFY_VOLUMES_STATE", state.as_str())];
    let session = at_terminal(
        &env,
        &create_args("tty", "3", "efs-sc", &["--wait"]),
        &[("Create it? [y/N] ", "y\r")],
    );
    let screen = session.screen();
    assert_eq!((session.code, session.steps), (0, 1), "{screen}");
    // The plan, then the question.
    assert!(
        screen.contains(
            "Checked against the control plane: the workspace exists and the name is free.\n"
        ),
        "{screen}"
    );
    // A line per status change, kept; the final line; the result.
    assert!(
        screen.contains("\n  [   0 s] demo-cluster:demo-ws:tty: DEPLOYING (INITIALIZED)\n"),
        "{screen}"
    );
    let last = screen
        .lines()
        .find(|line| line.ends_with("demo-cluster:demo-ws:tty: RUNNING; done waiting"))
        .unwrap_or_else(|| panic!("no final line in\n{screen}"));
    let seconds: u64 = last.trim_start()[1..5].trim().parse().unwrap();
    assert!((2..=10).contains(&seconds), "{last}");
    assert!(screen.contains("\n  Status         RUNNING\n"), "{screen}");
    // Meanwhile a live line ticked, second by second, with the status in it.
    let redraws = session.redraws();
    for tick in [
        "[  1s] demo-cluster:demo-ws:tty: DEPLOYING (INITIALIZED)",
        "[  2s] demo-cluster:demo-ws:tty: DEPLOYING (INITIALIZED)",
    ] {
        assert!(redraws.contains(tick), "no {tick:?} in\n{redraws}");
    }
}

#[test]
fn answering_no_changes_nothing_and_exits_11() {
    let world = World::new("tty-no");
    let state = world.state.display().to_string();
    let env = [("TFY_VOLUMES_STATE", state.as_str())];
    let session = at_terminal(
        &env,
        &create_args("tty", "3", "efs-sc", &[]),
        &[("Create it? [y/N] ", "n\r")],
    );
    assert_eq!(session.code, 11, "{}", session.screen());
    assert!(
        session
            .screen()
            .ends_with("cancelled: nothing was created\n"),
        "{}",
        session.screen()
    );
    assert_exit(&world.run(&["get", "demo-cluster:demo-ws:tty"]), 4);

    let expand = at_terminal(
        &env,
        &[
            "expand",
            "demo-cluster:demo-ws:training-data",
            "--size-gi",
            "120",
        ],
        &[("Expand it? [y/N] ", "\r")],
    );
    let screen = expand.screen();
    assert_eq!(expand.code, 11, "{screen}");
    assert!(
        screen.contains("Expand demo-cluster:demo-ws:training-data from 100 Gi to 120 Gi.\n"),
        "{screen}"
    );
    let volume =
        stdout_json(&world.run(&["get", "demo-cluster:demo-ws:training-data", "-o", "json"]));
    assert_eq!(volume["size-gi"], 100);
}

#[test]
fn delete_asks_for_the_name_at_a_terminal_and_needs_yes_elsewhere() {
    let world = World::new("tty-delete");
    let state = world.state.display().to_string();
    let env = [("TFY_VOLUMES_STATE", state.as_str())];
    let volume = "demo-cluster:demo-ws:model-cache";
    // Off a terminal, without --yes: refused before anything is read.
    let refused = world.run(&["delete", volume]);
    assert_exit(&refused, 2);
    assert!(text(&refused.stderr)
        .contains("error: delete needs --yes when stdin is not a terminal; nothing was deleted\n"));
    // A wrong name: the component refuses, nothing is deleted.
    let wrong = at_terminal(
        &env,
        &["delete", volume],
        &[("to delete it, or press Enter to keep it: ", "model-cash\r")],
    );
    assert_eq!(wrong.code, 2, "{}", wrong.screen());
    assert!(
        wrong.screen().contains("error: invalid-input"),
        "{}",
        wrong.screen()
    );
    // No name: cancelled.
    let kept = at_terminal(
        &env,
        &["delete", volume],
        &[("to delete it, or press Enter to keep it: ", "\r")],
    );
    assert_eq!(kept.code, 11, "{}", kept.screen());
    assert_exit(&world.run(&["get", volume]), 0);
    // The right name.
    let deleted = at_terminal(
        &env,
        &["delete", volume],
        &[("Type the volume's name (model-cache)", "model-cache\r")],
    );
    assert_eq!(deleted.code, 0, "{}", deleted.screen());
    assert!(deleted
        .screen()
        .contains("Deleted volume model-cache (demo-cluster:demo-ws:model-cache).\n"));
    assert_exit(&world.run(&["get", volume]), 4);
    // --yes off a terminal.
    let yes = world.run(&["delete", "demo-cluster:demo-ws:training-data", "--yes"]);
    assert_exit(&yes, 0);
}

#[test]
fn ctrl_c_stops_the_waiting_not_the_deployment_and_says_how_to_resume() {
    let seed = Seed {
        ready_after_ms: Some(6000),
        ..Seed::demo()
    };
    let emulator = Emulator::start(seed).unwrap();
    let url = emulator.base_url();
    let env = [
        ("TFY_BASE_URL", url.as_str()),
        ("TFY_API_KEY", "demo-api-key"),
    ];
    let args = create_args("slow", "3", "efs-sc", &["--wait", "--yes"]);
    let session = at_terminal(&env, &args, &[("DEPLOYING (INITIALIZED)", "\u{3}")]);
    let screen = session.screen();
    assert_eq!(session.code, 130, "{screen}");
    assert!(
        screen.contains(
            "interrupted: stopped waiting; the deployment of demo-cluster:demo-ws:slow goes on \
             without this command\n  to pick up: tfy-volumes wait demo-cluster:demo-ws:slow\n"
        ),
        "{screen}"
    );
    assert!(
        screen.contains("demo-cluster:demo-ws:slow: stopped waiting (Ctrl-C)\n"),
        "{screen}"
    );
    // The command it names picks up and sees the deployment finish.
    let resumed = cli(&["wait", "demo-cluster:demo-ws:slow", "-o", "json"])
        .env("TFY_BASE_URL", &url)
        .env("TFY_API_KEY", "demo-api-key")
        .output()
        .unwrap();
    assert_exit(&resumed, 0);
    assert_eq!(stdout_json(&resumed)["status"]["phase"], "running");
}
