//! The `tfy-volumes` command line, run as a process: the README's block line by line
//! (`readme`), parseable output in every format (`formats`), exit codes by class (`exits`),
//! configuration that must never fall back to the emulator (`config`), confirmations and a
//! pseudo-terminal (`terminal`), `apply` (`apply`), the interview on piped stdin
//! (`interview`), progress while waiting (`progress`), the state file and the tools beside
//! it (`state`), a copy installed away from the build tree (`installed`), a control plane
//! that answers terminal escapes (`hostile`), and the commands and flags the component's
//! texts name (`vocabulary`).

mod apply;
mod config;
mod exits;
mod formats;
mod hostile;
mod installed;
mod interview;
mod progress;
mod readme;
mod state;
mod terminal;
mod vocabulary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// The compiled-code cache of the tests that do not test the cache itself: inside the build
/// tree, shared by the runs, so the component is compiled once.
const TEST_CACHE: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/tfy-volumes-cache");

/// The variables that choose a control plane, a workspace or a state file: cleared for every
/// run, so the developer's own environment never leaks into a test.
const CHOOSING_VARIABLES: [&str; 6] = [
    "TFY_BASE_URL",
    "TFY_HOST",
    "TFY_API_HOST",
    "TFY_API_KEY",
    "TFY_WORKSPACE",
    "TFY_VOLUMES_STATE",
];

/// A fresh directory under the system's temporary directory, away from the build tree;
/// removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(label: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "tfy-volumes-cli-{label}-{}-{number}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }

    pub fn dir(&self, name: &str) -> PathBuf {
        let dir = self.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The CLI with the test cache and nothing of the caller's TFY_* environment.
pub fn cli(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tfy-volumes"));
    command.args(args).env("TFY_VOLUMES_CACHE_DIR", TEST_CACHE);
    for variable in CHOOSING_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// An embedded emulator world of its own: a state file in a scratch directory, so commands
/// run one after the other carry on, and tests never share one.
pub struct World {
    pub scratch: Scratch,
    pub state: PathBuf,
}

impl World {
    pub fn new(label: &str) -> World {
        let scratch = Scratch::new(label);
        let state = scratch.0.join("state.json");
        World { scratch, state }
    }

    /// The CLI on this world's state file.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = cli(args);
        command.env("TFY_VOLUMES_STATE", &self.state);
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the CLI runs")
    }
}

/// The CLI against a control plane at `base_url` with `key`.
pub fn against(base_url: &str, key: &str, args: &[&str]) -> Output {
    cli(args)
        .env("TFY_BASE_URL", base_url)
        .env("TFY_API_KEY", key)
        .output()
        .expect("the CLI runs")
}

/// The demo workspace.
pub const WS: &str = "demo-cluster:demo-ws";

/// `create -w <demo workspace> --name <name> --size-gi <size> --storage-class <class>`, then
/// `extra`.
pub fn create_args<'a>(
    name: &'a str,
    size_gi: &'a str,
    class: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "create",
        "-w",
        WS,
        "--name",
        name,
        "--size-gi",
        size_gi,
        "--storage-class",
        class,
    ];
    args.extend_from_slice(extra);
    args
}

/// The names in a list of volumes as `-o json` or `-o yaml` prints it.
pub fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|volume| volume["name"].as_str().expect("a name"))
        .collect()
}

/// The documents of a YAML stream (`---` between them).
pub fn yaml_documents(stream: &str) -> Vec<Value> {
    serde_yaml_ng::Deserializer::from_str(stream)
        .map(|document| serde::Deserialize::deserialize(document).expect("a YAML document"))
        .collect()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// stdout parsed as JSON, or a panic showing both streams.
pub fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// stdout parsed as YAML, or a panic showing both streams.
pub fn stdout_yaml(output: &Output) -> Value {
    serde_yaml_ng::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not YAML ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The exit code, with both streams shown when it is not `expected`.
pub fn assert_exit(output: &Output, expected: i32) {
    assert_eq!(
        output.status.code(),
        Some(expected),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The line the CLI writes on stderr when it uses the embedded emulator on `state`.
pub fn embedded_note(state: &Path) -> String {
    format!(
        "note: using the embedded TrueFoundry emulator (workspace demo-cluster:demo-ws), state \
         kept in {}; `tfy-volumes emulator reset` starts over, TFY_BASE_URL and TFY_API_KEY \
         point at your control plane",
        state.display()
    )
}

#[test]
fn list_prints_the_demo_workspace_as_json_and_as_a_table() {
    let world = World::new("list");
    let json = world.run(&["list", "-w", "demo-cluster:demo-ws", "-o", "json"]);
    assert_exit(&json, 0);
    assert_eq!(
        names(&stdout_json(&json)),
        ["model-cache", "shared-datasets", "training-data"]
    );

    let table = world.run(&["list", "-w", "demo-cluster:demo-ws"]);
    let shown = text(&table.stdout);
    let header = shown.lines().next().unwrap();
    assert_eq!(
        header,
        "NAME             SIZE    STORAGE CLASS                 STATUS   CREATED"
    );
    assert!(
        shown.contains("\ntraining-data    100 Gi  efs-sc"),
        "{shown}"
    );
    assert_eq!(
        text(&table.stderr),
        embedded_note(&world.state) + "\n",
        "the target is said once"
    );
}

#[test]
fn the_workspace_comes_from_tfy_workspace() {
    let world = World::new("workspace");
    let output = world
        .command(&["list", "-o", "json"])
        .env("TFY_WORKSPACE", "demo-cluster:demo-ws")
        .output()
        .unwrap();
    assert_exit(&output, 0);
    assert_eq!(stdout_json(&output).as_array().unwrap().len(), 3);
}

#[test]
fn the_demo_tours_every_export_and_ends_with_the_refusal() {
    let world = World::new("demo");
    let output = world.run(&["demo"]);
    assert_exit(&output, 0);
    let shown = text(&output.stdout);
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
        assert!(shown.contains(section), "missing {section:?} in\n{shown}");
    }
    // The demo's world is its own: the state file is neither read nor written.
    assert!(!world.state.exists(), "the demo wrote {:?}", world.state);
    assert!(text(&output.stderr).starts_with("note: using a fresh in-memory TrueFoundry"));
}
