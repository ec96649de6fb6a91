//! `apply -f volume.yaml`: creates, leaves alone, expands, and refuses any other change with
//! its reason — a volume is never replaced.

use serde_json::{json, Value};

use crate::{assert_exit, stdout_json, text, World};

/// Writes `manifest` into the world's directory and runs `apply -f` on it with `extra`.
fn apply(world: &World, manifest: &str, extra: &[&str]) -> std::process::Output {
    let file = world.scratch.0.join("volume.yaml");
    std::fs::write(&file, manifest).unwrap();
    let file = file.to_str().unwrap().to_string();
    world.run(&[&["apply", "-f", file.as_str()], extra].concat())
}

fn dynamic(name: &str, class: &str, size: u32) -> String {
    format!(
        "type: volume\nname: {name}\nconfig:\n  type: dynamic\n  storage_class: {class}\n  \
         size: {size}\nworkspace_fqn: demo-cluster:demo-ws\n"
    )
}

#[test]
fn apply_creates_then_leaves_alone_then_expands() {
    let world = World::new("apply-flow");
    let dry = apply(
        &world,
        &dynamic("cache", "efs-sc", 10),
        &["--dry-run", "-o", "json"],
    );
    assert_exit(&dry, 0);
    assert_eq!(
        stdout_json(&dry),
        json!({"action": "create", "volume-fqn": "demo-cluster:demo-ws:cache", "dry-run": true,
               "volume": null, "changes": [
                   {"field": "config.type", "from": null, "to": "dynamic"},
                   {"field": "config.storage_class", "from": null, "to": "efs-sc"},
                   {"field": "config.size", "from": null, "to": "10 Gi"}]})
    );
    assert_exit(&world.run(&["get", "demo-cluster:demo-ws:cache"]), 4);

    let created = apply(
        &world,
        &dynamic("cache", "efs-sc", 10),
        &["--wait", "-o", "json"],
    );
    assert_exit(&created, 0);
    let created = stdout_json(&created);
    assert_eq!(created["action"], "create");
    assert_eq!(created["volume"]["status"]["phase"], "running");

    let same = apply(&world, &dynamic("cache", "efs-sc", 10), &[]);
    assert_exit(&same, 0);
    assert_eq!(
        text(&same.stdout),
        "demo-cluster:demo-ws:cache is up to date; nothing to apply.\n"
    );

    let grown = apply(&world, &dynamic("cache", "efs-sc", 30), &[]);
    assert_exit(&grown, 0);
    assert!(
        text(&grown.stderr).contains(
            "demo-cluster:demo-ws:cache exists; apply expands it:\n  ~ config.size: 10 Gi -> 30 Gi\n"
        ),
        "{}",
        text(&grown.stderr)
    );
    assert!(text(&grown.stdout).contains("  Size           30 Gi\n"));
    let volume: Value =
        stdout_json(&world.run(&["get", "demo-cluster:demo-ws:cache", "-o", "json"]));
    assert_eq!(
        (&volume["size-gi"], &volume["version"]),
        (&json!(30), &json!(2))
    );
}

#[test]
fn apply_refuses_every_change_but_growth_with_its_reason() {
    let world = World::new("apply-refuse");
    let output = apply(
        &world,
        &dynamic("training-data", "gp3", 50),
        &["-o", "json"],
    );
    assert_exit(&output, 5);
    assert_eq!(
        stdout_json(&output)["changes"],
        json!([
            "config.storage_class: efs-sc -> gp3 (a volume's storage class cannot change)",
            "config.size: 100 Gi -> 50 Gi (volumes never shrink)",
            "volume_browser.endpoint: https://volumes.demo.example.com/training-data/ -> (none) \
             (apply changes only the size)",
        ])
    );
    let text_mode = apply(
        &world,
        "type: volume\nname: shared-datasets\nconfig:\n  type: dynamic\n  storage_class: efs-sc\n  \
         size: 5\n",
        &["-w", "demo-cluster:demo-ws"],
    );
    assert_exit(&text_mode, 5);
    let stderr = text(&text_mode.stderr);
    assert!(
        stderr.contains(
            "error: change-refused: apply will not change demo-cluster:demo-ws:shared-datasets \
             this way\n  ! config.type: static -> dynamic (a volume's kind cannot change)\n"
        ),
        "{stderr}"
    );
    // Nothing changed.
    let volume =
        stdout_json(&world.run(&["get", "demo-cluster:demo-ws:training-data", "-o", "json"]));
    assert_eq!(
        (&volume["size-gi"], &volume["version"]),
        (&json!(100), &json!(1))
    );
}

#[test]
fn apply_refuses_what_is_not_a_volume_manifest() {
    let world = World::new("apply-bad");
    let cases: [(&str, &[&str], &str); 5] = [
        (
            "type: service\nname: web\n",
            &[],
            "is not a volume manifest (type: service)",
        ),
        (
            "type: volume\nname: x1x\nconfig:\n  type: dynamic\n  storage_class: efs-sc\n  \
             size: 1\n  access_modes: [ReadWriteOnce]\nworkspace_fqn: demo-cluster:demo-ws\n",
            &[],
            "is not a usable volume manifest: unknown field `access_modes`",
        ),
        (
            "type: volume\nname: x1x\nconfig:\n  type: dynamic\n  storage_class: efs-sc\n",
            &["-w", "demo-cluster:demo-ws"],
            "is not a usable volume manifest: missing field `size`",
        ),
        (
            &dynamic("x1x", "efs-sc", 1),
            &["-w", "other:ws"],
            "names workspace demo-cluster:demo-ws, but --workspace",
        ),
        (
            "type: volume\nname: x1x\nconfig:\n  type: static\n  persistent_volume_name: pv\n",
            &[],
            "has no workspace_fqn",
        ),
    ];
    for (manifest, extra, problem) in cases {
        let output = apply(&world, manifest, &[extra, &["-o", "json"]].concat());
        assert_exit(&output, 2);
        let error = stdout_json(&output);
        assert_eq!(error["error"], "usage", "{manifest}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(problem), "{manifest}: {message}");
    }
    // The component's own rules apply before anything is sent.
    let invalid = apply(&world, &dynamic("Bad_Name", "efs-sc", 1), &["-o", "json"]);
    assert_exit(&invalid, 2);
    assert_eq!(stdout_json(&invalid)["field"], "name");
}
