//! Configuration that is set but unusable is an error naming the variable (exit 3), never
//! the embedded emulator: no emulator note on stderr, no state file written.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use serde_json::json;

use crate::{assert_exit, create_args, stdout_json, text, World};

/// Runs `list` with `variables` set, expecting a configuration failure naming `variable`
/// whose problem starts with `problem`.
fn refused(variables: &[(&str, OsString)], variable: &str, problem: &str) {
    let world = World::new("config");
    let mut command = world.command(&["list", "-w", "demo-cluster:demo-ws", "-o", "json"]);
    for (name, value) in variables {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    assert_exit(&output, 3);
    let error = stdout_json(&output);
    assert_eq!(
        (&error["error"], &error["variable"]),
        (&json!("configuration"), &json!(variable)),
        "{variables:?}"
    );
    let shown = error["problem"].as_str().unwrap();
    assert!(shown.starts_with(problem), "{variables:?}: {shown}");
    assert_eq!(
        text(&output.stderr),
        "",
        "{variables:?}: nothing about an emulator"
    );
    assert!(!world.state.exists(), "{variables:?}: the emulator ran");
    assert!(
        !output.stdout.windows(9).any(|w| w == b"secret-ke"),
        "the key is shown"
    );
}

fn value(text: &str) -> OsString {
    OsString::from(text)
}

fn not_utf8() -> OsString {
    OsString::from_vec(b"https://acme.\xff.cloud".to_vec())
}

#[test]
fn a_key_without_a_control_plane_is_refused() {
    refused(
        &[("TFY_API_KEY", value("secret-key"))],
        "TFY_API_KEY",
        "is set, but no control plane is",
    );
}

#[test]
fn a_control_plane_without_a_key_is_refused() {
    for variable in ["TFY_BASE_URL", "TFY_HOST", "TFY_API_HOST"] {
        refused(
            &[(variable, value("https://acme.truefoundry.cloud"))],
            "TFY_API_KEY",
            &format!("is not set, but {variable} names a control plane"),
        );
    }
}

#[test]
fn a_url_that_is_not_utf8_is_refused() {
    for variable in ["TFY_BASE_URL", "TFY_HOST", "TFY_API_HOST"] {
        refused(
            &[(variable, not_utf8()), ("TFY_API_KEY", value("secret-key"))],
            variable,
            "is set but is not valid UTF-8",
        );
    }
}

#[test]
fn an_empty_or_malformed_url_is_refused() {
    for variable in ["TFY_BASE_URL", "TFY_HOST", "TFY_API_HOST"] {
        refused(
            &[(variable, value("")), ("TFY_API_KEY", value("secret-key"))],
            variable,
            "is set but empty",
        );
        refused(
            &[
                (variable, value("acme.truefoundry.cloud")),
                ("TFY_API_KEY", value("secret-key")),
            ],
            variable,
            "must start with https://",
        );
    }
    // A variable that a higher-ranked one overrides must still be usable.
    refused(
        &[
            ("TFY_BASE_URL", value("https://acme.truefoundry.cloud")),
            (
                "TFY_API_HOST",
                value("https://user:pw@acme.truefoundry.cloud"),
            ),
            ("TFY_API_KEY", value("secret-key")),
        ],
        "TFY_API_HOST",
        "must name a host",
    );
}

#[test]
fn an_unusable_key_is_refused_without_showing_it() {
    let url = ("TFY_BASE_URL", value("https://acme.truefoundry.cloud"));
    refused(
        &[url.clone(), ("TFY_API_KEY", value(""))],
        "TFY_API_KEY",
        "is set but empty",
    );
    refused(
        &[
            url.clone(),
            (
                "TFY_API_KEY",
                OsString::from_vec(b"secret-ke\xffy".to_vec()),
            ),
        ],
        "TFY_API_KEY",
        "is set but is not valid UTF-8",
    );
    refused(
        &[url, ("TFY_API_KEY", value("secret-key with spaces"))],
        "TFY_API_KEY",
        "contains whitespace or control characters",
    );
}

#[test]
fn a_configuration_error_in_text_names_the_variable_and_the_fix() {
    let world = World::new("config-text");
    let output = world
        .command(&create_args("x1x", "1", "efs-sc", &[]))
        .env("TFY_API_KEY", "secret-key")
        .output()
        .unwrap();
    assert_exit(&output, 3);
    assert_eq!(
        text(&output.stderr),
        "error: configuration: TFY_API_KEY is set, but no control plane is: TFY_BASE_URL (or \
         TFY_HOST / TFY_API_HOST) is not set\n  what to do: Set TFY_BASE_URL to your control \
         plane's URL, for example https://acme.truefoundry.cloud, or unset TFY_API_KEY to use \
         the embedded emulator.\n"
    );
    assert!(!world.state.exists());
}

#[test]
fn an_unusable_state_file_is_a_configuration_error() {
    let world = World::new("config-state");
    std::fs::write(&world.state, "not a state").unwrap();
    let output = world.run(&["list", "-w", "demo-cluster:demo-ws", "-o", "json"]);
    assert_exit(&output, 3);
    let error = stdout_json(&output);
    assert_eq!(error["variable"], "TFY_VOLUMES_STATE");
    assert!(
        error["problem"]
            .as_str()
            .unwrap()
            .starts_with("points at an unusable file: the emulator state file "),
        "{error}"
    );
    // Reset forgets it, and the next command starts from the demo workspace.
    assert_exit(&world.run(&["emulator", "reset"]), 0);
    assert_exit(&world.run(&["list", "-w", "demo-cluster:demo-ws"]), 0);
}
