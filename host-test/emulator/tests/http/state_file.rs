//! The state file: emulators started one after the other on the same file share one world;
//! deployments keep progressing by wall-clock time while no emulator runs; a file that cannot
//! be used is an error naming it, never a silent fresh start.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Value};
use truefoundry_emulator::{reset_state, Emulator, Seed, SeedVolume, StartError, StateError};

use crate::support::*;

/// A fresh directory under the system's temporary directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "truefoundry-emulator-{label}-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names of the files in a directory inside (no temporary file may be left behind).
    fn entries(&self, inside: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.0.join(inside))
            .expect("list scratch")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn start_on_file(seed: Seed, path: &Path) -> Emulator {
    Emulator::start_with_state(seed, path).expect("emulator starts on its state file")
}

fn listed_names(emu: &Emulator) -> Vec<Value> {
    let page = get(emu, "/api/svc/v1/apps?workspaceFqn=c1:ws1").json();
    page["data"]
        .as_array()
        .map(|apps| apps.iter().map(|app| app["name"].clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_second_emulator_carries_on_the_first_ones_world() {
    let dir = Scratch::new("carry-on");
    let file = dir.path("nested/state.json");
    let first = start_on_file(world(0), &file);
    assert_eq!(first.state_file(), Some(file.as_path()));
    let saved: Value = serde_json::from_slice(&fs::read(&file).expect("seeded at start"))
        .expect("the state file is JSON");
    assert_eq!(saved["format"], "truefoundry-emulator-state");
    assert_eq!(saved["version"], json!(1));
    assert_eq!(saved["workspaces"].as_array().map(Vec::len), Some(3));

    create(&first, "ws-1", dynamic("kept", "efs-sc", 10));
    create(&first, "ws-1", dynamic("grown", "efs-sc", 10));
    create(&first, "ws-1", dynamic("grown", "efs-sc", 20));
    create(&first, "ws-1", dynamic("gone", "efs-sc", 1));
    assert_eq!(delete(&first, "app-3").status, 200);
    let kept = get_app(&first, "app-1");
    let grown = get_app(&first, "app-2");
    let deleting = get_app(&first, "app-3");
    assert_eq!(deleting["lifecycleStage"], "deleting");
    drop(first);

    let second = start_on_file(world(0), &file);
    assert_eq!(
        get_app(&second, "app-1"),
        kept,
        "exactly as the first showed it"
    );
    assert_eq!(get_app(&second, "app-2"), grown);
    assert_eq!(grown["lastVersion"], json!(2));
    error_message(&get(&second, "/api/svc/v1/apps/app-3"), 404);
    assert_eq!(listed_names(&second), [json!("kept"), json!("grown")]);
    // Ids go on from where the first emulator stopped.
    let next = create(&second, "ws-1", dynamic("next", "efs-sc", 1));
    assert_eq!(next["applicationId"], "app-4");
    assert_eq!(next["id"], "dep-5");
    drop(second);
    assert_eq!(dir.entries(""), ["nested"]);
    assert_eq!(
        dir.entries("nested"),
        ["state.json"],
        "no temporary file is left behind"
    );
}

#[test]
fn deployments_keep_progressing_by_wall_clock_time_while_no_emulator_runs() {
    const READY_AFTER: Duration = Duration::from_millis(2500);
    let dir = Scratch::new("wall-clock");
    let file = dir.path("state.json");
    let seed = || Seed {
        ready_after_ms: Some(READY_AFTER.as_millis() as u64),
        ..world(0)
    };
    let first = start_on_file(seed(), &file);
    let created_at = Instant::now();
    let deployment = create(&first, "ws-1", dynamic("slow", "efs-sc", 1));
    assert_eq!(status_of(&deployment).0, "INITIALIZED");
    // Reads do not hurry it: only time does.
    for _ in 0..3 {
        assert_eq!(status_of(&get_app(&first, "app-1")).0, "INITIALIZED");
    }
    drop(first);
    let second = start_on_file(seed(), &file);
    assert_eq!(status_of(&get_app(&second, "app-1")).0, "INITIALIZED");
    drop(second);
    assert!(
        created_at.elapsed() < READY_AFTER,
        "the machine was too slow for this test's timing ({:?})",
        created_at.elapsed()
    );

    std::thread::sleep(
        READY_AFTER.saturating_sub(created_at.elapsed()) + Duration::from_millis(100),
    );
    let third = start_on_file(seed(), &file);
    let app = get_app(&third, "app-1");
    assert_eq!(status_of(&app), ("DEPLOY_SUCCESS".to_string(), true));
    assert_eq!(app["activeVersion"], json!(1));
    // Dated when it became ready, not when this emulator noticed.
    let became_ready = app["deployment"]["currentStatus"]["createdAt"].clone();
    let started = seconds_of(&app["deployment"]["createdAt"]);
    let ready = seconds_of(&became_ready);
    assert!((2..=3).contains(&(ready - started)), "{started} -> {ready}");
}

/// Seconds since the Unix epoch of an RFC 3339 time.
fn seconds_of(value: &Value) -> i64 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"));
    let at = humantime::parse_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let since = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_secs()).expect("in range")
}

#[test]
fn a_corrupt_state_file_is_an_error_naming_it_and_is_left_alone() {
    let dir = Scratch::new("corrupt");
    let file = dir.path("state.json");
    for (content, detail) in [
        ("{\"format\": ", "EOF while parsing"),
        ("[]", "expected struct Saved"),
        (
            r#"{"format":"something-else","version":1,"workspaces":[],"applications":[],"ids":{"app":0,"dep":0,"status":0}}"#,
            r#"format "something-else" version 1, but this emulator reads "truefoundry-emulator-state" version 1"#,
        ),
    ] {
        fs::write(&file, content).expect("write");
        let error = Emulator::start_with_state(world(0), &file).expect_err(content);
        let message = error.to_string();
        match error {
            StartError::State(StateError::Corrupt { path, detail: got }) => {
                assert_eq!(path, file);
                assert!(got.contains(detail), "{got}");
            }
            other => panic!("{content}: {other:?}"),
        }
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert!(message.contains("reset it (delete the file)"), "{message}");
        assert_eq!(fs::read_to_string(&file).expect("still there"), content);
    }
}

#[test]
fn a_state_file_contradicting_itself_is_corrupt() {
    let dir = Scratch::new("contradiction");
    let file = dir.path("state.json");
    let first = start_on_file(world(0), &file);
    create(&first, "ws-1", dynamic("orphan", "efs-sc", 1));
    drop(first);
    let mut saved: Value = serde_json::from_slice(&fs::read(&file).expect("saved")).expect("JSON");
    if let Some(workspaces) = saved["workspaces"].as_array_mut() {
        workspaces.retain(|w| w["id"] != "ws-1");
    }
    fs::write(&file, saved.to_string()).expect("write");
    match Emulator::start_with_state(world(0), &file) {
        Err(StartError::State(StateError::Corrupt { detail, .. })) => assert_eq!(
            detail,
            "application \"app-1\" is in workspace \"c1:ws1\", which the file does not list"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unreadable_state_file_is_an_error_naming_it() {
    let dir = Scratch::new("unreadable");
    let file = dir.path("a-directory");
    fs::create_dir(&file).expect("mkdir");
    let error = Emulator::start_with_state(world(0), &file).expect_err("a directory");
    let message = error.to_string();
    assert!(
        matches!(&error, StartError::State(StateError::Unreadable { path, .. }) if *path == file),
        "{error:?}"
    );
    assert!(
        message.starts_with(&format!(
            "cannot read the emulator state file {}: ",
            file.display()
        )),
        "{message}"
    );
}

#[test]
fn a_save_that_fails_answers_500_naming_the_file() {
    let dir = Scratch::new("unwritable");
    let file = dir.path("live/state.json");
    let emu = start_on_file(world(0), &file);
    fs::remove_dir_all(dir.path("live")).expect("remove live");
    fs::write(dir.path("live"), "in the way").expect("block live");
    let resp = put(
        &emu,
        &json!({"manifest": dynamic("unsaved", "efs-sc", 1), "workspaceId": "ws-1"}),
    );
    let message = error_message(&resp, 500);
    assert!(
        message.starts_with(&format!(
            "the emulator applied the request but could not save it: cannot write the emulator state file {}",
            file.display()
        )),
        "{message}"
    );
}

#[test]
fn reset_forgets_the_state_and_the_next_start_seeds_again() {
    let dir = Scratch::new("reset");
    let file = dir.path("state.json");
    let first = start_on_file(world(0), &file);
    create(&first, "ws-1", dynamic("temporary", "efs-sc", 1));
    drop(first);
    reset_state(&file).expect("reset");
    assert!(!file.exists());
    reset_state(&file).expect("resetting an absent file is fine");
    let mut seed = world(0);
    seed.volumes.push(SeedVolume {
        workspace_fqn: "c1:ws1".to_string(),
        manifest: dynamic("seeded", "efs-sc", 1),
        ..Default::default()
    });
    let second = start_on_file(seed, &file);
    assert_eq!(listed_names(&second), [json!("seeded")]);
}
