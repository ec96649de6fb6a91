//! The README's command block, run as a new user would: each line its own process
//! (`sh -c`), in a fresh home directory, with `tfy-volumes` on the PATH and `volume.yaml` as
//! the README shows it. Run with `--nocapture` to see the transcript.

use std::process::Output;

use serde_json::Value;

use crate::{text, Scratch, TEST_CACHE};

const README: &str = include_str!("../../../README.md");

/// The lines of the fenced block that starts with `first_line`, with `\` continuations
/// joined.
fn block(first_line: &str) -> Vec<String> {
    let start = README
        .find(&format!("\n{first_line}\n"))
        .unwrap_or_else(|| panic!("the README has no block starting {first_line:?}"));
    let body = &README[start + 1..];
    let body = &body[..body.find("```").expect("the block ends")];
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in body.lines() {
        match line.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(line);
                lines.push(std::mem::take(&mut pending));
            }
        }
    }
    lines
}

/// What each line printed, by the line.
struct Transcript(Vec<(String, Output)>);

impl Transcript {
    /// The output of the line equal to `line_start`, else of the first that starts so.
    fn of(&self, line_start: &str) -> &Output {
        let exact = self.0.iter().find(|(line, _)| line == line_start);
        &exact
            .or_else(|| self.0.iter().find(|(line, _)| line.starts_with(line_start)))
            .unwrap_or_else(|| panic!("no README line starts {line_start:?}"))
            .1
    }

    fn stdout(&self, line_start: &str) -> String {
        text(&self.of(line_start).stdout)
    }
}

#[test]
fn the_readme_block_works_line_by_line_for_a_new_user() {
    let scratch = Scratch::new("readme");
    let bin = scratch.dir("bin");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tfy-volumes"), bin.join("tfy-volumes")).unwrap();
    let home = scratch.dir("home");
    let work = scratch.dir("work");
    let manifest = block("type: volume").join("\n") + "\n";
    std::fs::write(work.join("volume.yaml"), manifest).unwrap();

    let lines = block("tfy-volumes emulator reset");
    assert_eq!(lines.len(), 19, "{lines:#?}");
    let mut transcript = Transcript(Vec::new());
    let mut shown = String::new();
    for line in lines {
        let output = std::process::Command::new("sh")
            .args(["-c", &line])
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("HOME", &home)
            .env("TFY_VOLUMES_CACHE_DIR", TEST_CACHE)
            .current_dir(&work)
            .output()
            .unwrap();
        shown.push_str(&format!(
            "$ {line}\n{}{}",
            text(&output.stderr),
            text(&output.stdout)
        ));
        assert_eq!(
            output.status.code(),
            Some(0),
            "`{line}` failed; the transcript so far:\n{shown}"
        );
        transcript.0.push((line, output));
    }
    println!("{shown}");

    // Every line that talks to a control plane says once where it points: the state file in
    // the new user's data directory.
    let state = home.join(".local/share/tfy-volumes/emulator-state.json");
    let note = crate::embedded_note(&state);
    for (line, output) in &transcript.0 {
        let stderr = text(&output.stderr);
        let notes = stderr
            .lines()
            .filter(|shown| shown.starts_with("note: using"))
            .count();
        let networked = [
            "list",
            "preflight",
            "interview",
            "create",
            "expand",
            "status",
            "get",
            "apply",
            "storage-classes",
            "delete",
        ]
        .iter()
        .any(|command| line.starts_with(&format!("tfy-volumes {command} ")));
        assert_eq!(notes, usize::from(networked), "{line}\n{stderr}");
        if networked {
            assert!(stderr.starts_with(&note), "{line}\n{stderr}");
        }
    }

    // What each line did, carried over from the lines before it.
    assert!(transcript
        .stdout("tfy-volumes emulator reset")
        .starts_with("The embedded emulator starts again from the demo workspace"));
    assert!(transcript
        .stdout("tfy-volumes plan")
        .ends_with("Run `tfy-volumes create` with the same flags to create it.\n"));
    // The interview with every answer given plans the same volume `create` then makes.
    let interviewed = transcript.stdout("tfy-volumes interview");
    assert!(
        interviewed.ends_with("--answer wait=no --yes\n"),
        "{interviewed}"
    );
    assert!(
        interviewed.contains("  Size:             20 Gi\n"),
        "{interviewed}"
    );
    let created = transcript.stdout("tfy-volumes create");
    assert!(created.contains("  Size           20 Gi\n"), "{created}");
    assert!(created.contains("  Status         RUNNING\n"), "{created}");
    let expanded = transcript.stdout("tfy-volumes expand");
    assert!(expanded.contains("  Size           40 Gi\n"), "{expanded}");
    assert!(expanded.contains("  Version        2\n"), "{expanded}");
    // Created is when the volume was created, not when the expansion was deployed.
    let created_at = |details: &str| {
        details
            .lines()
            .find(|line| line.starts_with("  Created "))
            .map(str::to_string)
    };
    assert_eq!(created_at(&expanded), created_at(&created));
    assert_eq!(transcript.stdout("tfy-volumes status"), "RUNNING\n");
    let got: Value = serde_json::from_str(&transcript.stdout("tfy-volumes get")).unwrap();
    assert_eq!(
        (&got["name"], &got["size-gi"], &got["status"]["phase"]),
        (
            &Value::from("logs"),
            &Value::from(40),
            &Value::from("running")
        )
    );
    assert_eq!(
        transcript.stdout("tfy-volumes apply -f volume.yaml --dry-run"),
        "demo-cluster:demo-ws:datasets does not exist; apply creates it:\n\
         \x20 + config.type: dynamic\n\
         \x20 + config.storage_class: efs-sc\n\
         \x20 + config.size: 50 Gi\n"
    );
    let applied = transcript.stdout("tfy-volumes apply -f volume.yaml");
    assert!(
        applied.starts_with("Volume           datasets\n"),
        "{applied}"
    );
    let listed: Value = serde_yaml_ng::from_str(
        &transcript.stdout("tfy-volumes list -w demo-cluster:demo-ws -o yaml"),
    )
    .unwrap();
    assert_eq!(
        crate::names(&listed),
        [
            "datasets",
            "logs",
            "model-cache",
            "shared-datasets",
            "training-data"
        ]
    );
    let mount: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(work.join("mount.yaml")).unwrap())
            .unwrap();
    assert_eq!(
        mount["mounts"][0]["volume_fqn"],
        "tfy-volume://demo-cluster:demo-ws:logs"
    );
    let shared = std::fs::read_to_string(work.join("shared.yaml")).unwrap();
    let documents = crate::yaml_documents(&shared);
    assert_eq!(documents.len(), 2, "{shared}");
    assert_eq!(documents[0]["kind"], "PersistentVolume");
    assert_eq!(documents[1]["type"], "volume");
    let cache: Value =
        serde_yaml_ng::from_str(&transcript.stdout("tfy-volumes cache-volume")).unwrap();
    assert!(cache.is_object(), "{cache:?}");
    assert_eq!(
        transcript.stdout("tfy-volumes delete"),
        "Deleted volume logs (demo-cluster:demo-ws:logs).\n"
    );
}
