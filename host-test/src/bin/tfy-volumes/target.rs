//! Where a command's calls go, decided once and said once on stderr: the control plane the
//! environment names, or the embedded emulator with its state file.
//!
//! `TFY_BASE_URL` (or `TFY_HOST` / `TFY_API_HOST`) and `TFY_API_KEY` together name a control
//! plane; neither set means the embedded emulator. Anything in between — a key without a
//! URL, a URL without a key, a variable set but empty, not UTF-8 or not a URL the component
//! accepts — is a configuration error naming the variable, never a quiet fallback to the
//! emulator.

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};

use tfy_volumes_host::Grant;
use truefoundry_emulator::{Emulator, Seed, StartError};
use truefoundry_volumes::api::credentials::{Credentials, API_KEY_VARIABLE, BASE_URL_VARIABLES};

use crate::failure::Failure;
use crate::output;

/// The demo seed's API key, granted to the component when the emulator is embedded.
pub const DEMO_API_KEY: &str = "demo-api-key";
/// The demo seed's workspace.
pub const DEMO_WORKSPACE: &str = "demo-cluster:demo-ws";
/// Chooses the embedded emulator's state file (an empty value counts as unset).
pub const STATE_VARIABLE: &str = "TFY_VOLUMES_STATE";
/// How long a deployment on the embedded emulator takes to settle: long enough to watch,
/// short enough for a README. It runs by the clock, so it also settles between commands.
const EMBEDDED_DEPLOY_MS: u64 = 3000;

/// Where calls go, and what keeps that place alive for the command.
pub struct Target {
    /// The control plane and key the component is granted.
    pub grant: Grant,
    place: Place,
}

enum Place {
    /// A control plane named by this variable.
    ControlPlane { variable: &'static str },
    /// The embedded emulator on a state file, locked for this command.
    Embedded {
        _emulator: Emulator,
        state_file: PathBuf,
        _lock: File,
    },
    /// A fresh emulator in memory (the demo's).
    InMemory { _emulator: Emulator },
}

impl Target {
    /// Whether calls go to an emulator this process runs.
    pub fn embedded(&self) -> bool {
        !matches!(self.place, Place::ControlPlane { .. })
    }

    /// Seconds between status checks when `--interval` is not given: the emulator's
    /// deployments take seconds, a real control plane's minutes.
    pub fn default_interval(&self) -> u32 {
        if self.embedded() {
            1
        } else {
            5
        }
    }

    /// Says on stderr where calls go.
    fn announce(&self) {
        let line = match &self.place {
            Place::ControlPlane { variable } => {
                format!(
                    "note: using the control plane {} (from {variable})",
                    self.grant.base_url
                )
            }
            Place::Embedded { state_file, .. } => format!(
                "note: using the embedded TrueFoundry emulator (workspace {DEMO_WORKSPACE}), \
                 state kept in {}; `tfy-volumes emulator reset` starts over, TFY_BASE_URL and \
                 TFY_API_KEY point at your control plane",
                state_file.display()
            ),
            Place::InMemory { .. } => format!(
                "note: using a fresh in-memory TrueFoundry emulator (workspace \
                 {DEMO_WORKSPACE}); the embedded emulator's state file is left alone; \
                 TFY_BASE_URL and TFY_API_KEY point at your control plane"
            ),
        };
        output::warn(line);
    }
}

/// Whether the demo (a fresh world of its own) or a command that carries on (the state
/// file) wants the embedded emulator.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    /// The state file, shared by commands one after the other.
    StateFile,
    /// A fresh world in memory.
    InMemory,
}

/// The target the environment names, announced on stderr.
pub fn connect(state_flag: Option<&Path>, embedding: Embedding) -> Result<Target, Failure> {
    let target = match control_plane(|name| std::env::var_os(name))? {
        Some((grant, variable)) => Target {
            grant,
            place: Place::ControlPlane { variable },
        },
        None if embedding == Embedding::InMemory => {
            let emulator = Emulator::start(Seed::demo()).map_err(start_failure)?;
            Target {
                grant: Grant::new(emulator.base_url(), DEMO_API_KEY),
                place: Place::InMemory {
                    _emulator: emulator,
                },
            }
        }
        None => {
            let state_file = state_file(state_flag)?;
            let lock = lock(&state_file)?;
            let emulator = Emulator::builder(embedded_seed())
                .state_file(&state_file)
                .start()
                .map_err(start_failure)?;
            Target {
                grant: Grant::new(emulator.base_url(), DEMO_API_KEY),
                place: Place::Embedded {
                    _emulator: emulator,
                    state_file,
                    _lock: lock,
                },
            }
        }
    };
    target.announce();
    Ok(target)
}

/// The demo world, with deployments that settle by the clock so a later command sees
/// them settled.
fn embedded_seed() -> Seed {
    Seed {
        ready_after_ms: Some(EMBEDDED_DEPLOY_MS),
        ..Seed::demo()
    }
}

/// A failure to start the emulator: its state file is configuration, the rest the host's.
fn start_failure(error: StartError) -> Failure {
    match error {
        StartError::State(error) => Failure::configuration(
            STATE_VARIABLE,
            format!("points at an unusable file: {error}"),
            "Run `tfy-volumes emulator reset` to start again from the demo workspace, or \
             choose another file with --state-file or TFY_VOLUMES_STATE.",
        ),
        other => Failure::Host(format!("could not start the embedded emulator: {other}")),
    }
}

/// The control plane `env` names and the variable it came from, `None` when nothing is
/// set, or the configuration error.
pub fn control_plane(
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Option<(Grant, &'static str)>, Failure> {
    let mut chosen: Option<(&'static str, String)> = None;
    // Every variable that is set must be usable, even one a higher-ranked variable
    // overrides: a person who set it meant something by it.
    for variable in BASE_URL_VARIABLES {
        let Some(value) = env(variable) else { continue };
        let url = usable_text(variable, value, URL_FIX)?;
        Credentials::from_env([
            (variable, url.as_str()),
            (API_KEY_VARIABLE, "checked-below"),
        ])
        .map_err(|error| problem_of(variable, error))?;
        chosen.get_or_insert((variable, url));
    }
    let key = env(API_KEY_VARIABLE);
    match (chosen, key) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(Failure::configuration(
            API_KEY_VARIABLE,
            "is set, but no control plane is: TFY_BASE_URL (or TFY_HOST / TFY_API_HOST) is \
             not set",
            "Set TFY_BASE_URL to your control plane's URL, for example \
             https://acme.truefoundry.cloud, or unset TFY_API_KEY to use the embedded \
             emulator.",
        )),
        (Some((variable, _)), None) => Err(Failure::configuration(
            API_KEY_VARIABLE,
            format!("is not set, but {variable} names a control plane"),
            format!(
                "Set TFY_API_KEY to an API key of that control plane (Settings > API Keys), \
                 or unset {variable} to use the embedded emulator."
            ),
        )),
        (Some((variable, url)), Some(key)) => {
            let key = usable_text(
                API_KEY_VARIABLE,
                key,
                "Set TFY_API_KEY to the API key as TrueFoundry shows it.",
            )?;
            Credentials::from_env([(variable, url.as_str()), (API_KEY_VARIABLE, key.as_str())])
                .map_err(|error| problem_of(API_KEY_VARIABLE, error))?;
            Ok(Some((Grant::new(url.trim(), key), variable)))
        }
    }
}

/// What to do with an unusable URL variable.
const URL_FIX: &str = "Set it to your control plane's URL, for example \
                       https://acme.truefoundry.cloud, or unset it to use the embedded \
                       emulator.";

/// `value` as text, refusing one that is not UTF-8 or blank. Never shows the value: it
/// may be a key.
fn usable_text(variable: &str, value: OsString, fix: &str) -> Result<String, Failure> {
    let text = value
        .into_string()
        .map_err(|_| Failure::configuration(variable, "is set but is not valid UTF-8", fix))?;
    if text.trim().is_empty() {
        return Err(Failure::configuration(variable, "is set but empty", fix));
    }
    Ok(text)
}

/// The component's own verdict on a variable, as a configuration failure.
fn problem_of(variable: &str, error: truefoundry_volumes::Error) -> Failure {
    let problem = match error {
        truefoundry_volumes::Error::MissingConfiguration { problem, .. } => problem,
        other => other.to_string(),
    };
    let fix = if variable == API_KEY_VARIABLE {
        "Set TFY_API_KEY to the API key as TrueFoundry shows it (one word, no spaces)."
    } else {
        URL_FIX
    };
    Failure::configuration(variable, problem, fix)
}

/// The embedded emulator's state file: `--state-file`, else `$TFY_VOLUMES_STATE`, else
/// `tfy-volumes/emulator-state.json` in the user's data directory (`$XDG_DATA_HOME` or
/// `~/.local/share` on Linux, `~/Library/Application Support` on macOS).
pub fn state_file(flag: Option<&Path>) -> Result<PathBuf, Failure> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(value) = std::env::var_os(STATE_VARIABLE).filter(|value| !value.is_empty()) {
        return Ok(PathBuf::from(value));
    }
    dirs::data_dir()
        .map(|base| base.join("tfy-volumes").join("emulator-state.json"))
        .ok_or_else(|| {
            Failure::configuration(
                STATE_VARIABLE,
                "is not set and there is no user data directory (HOME and XDG_DATA_HOME are \
                 unset)",
                "Set TFY_VOLUMES_STATE (or pass --state-file) to a file for the embedded \
                 emulator's state.",
            )
        })
}

/// Whether `--state-file` or `$TFY_VOLUMES_STATE` names a state file explicitly.
pub fn state_file_chosen(flag: Option<&Path>) -> bool {
    flag.is_some() || std::env::var_os(STATE_VARIABLE).is_some_and(|value| !value.is_empty())
}

/// Locks `<state file>.lock` for this command, waiting (with a note) while another command
/// holds it: two emulators on one file would each overwrite the other's changes.
pub fn lock(state_file: &Path) -> Result<File, Failure> {
    let mut name = state_file.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let lock_path = state_file.with_file_name(name);
    let unusable = |error: std::io::Error| {
        Failure::configuration(
            STATE_VARIABLE,
            format!(
                "points at {}, whose lock file {} cannot be used: {error}",
                state_file.display(),
                lock_path.display()
            ),
            "Choose a writable place with --state-file or TFY_VOLUMES_STATE.",
        )
    };
    if let Some(parent) = lock_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(unusable)?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(unusable)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            output::warn(format!(
                "note: another tfy-volumes command is using {}; waiting for it to finish",
                state_file.display()
            ));
            file.lock().map_err(unusable)?;
            Ok(file)
        }
        Err(std::fs::TryLockError::Error(error)) => Err(unusable(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::os::unix::ffi::OsStringExt;

    fn env<'a>(pairs: &'a [(&'a str, OsString)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
        }
    }

    fn refused(pairs: &[(&str, OsString)]) -> serde_json::Value {
        match control_plane(env(pairs)) {
            Err(failure) => failure.json(),
            Ok(found) => panic!("accepted: {:?}", found.map(|(grant, _)| grant)),
        }
    }

    /// An environment, the variable a failure must name, and how its problem starts.
    type Case<'a> = (Vec<(&'a str, OsString)>, &'a str, &'a str);

    fn text(value: &str) -> OsString {
        OsString::from(value)
    }

    #[test]
    fn nothing_set_means_the_emulator_and_both_set_the_control_plane() {
        assert!(control_plane(env(&[])).unwrap().is_none());
        let (grant, variable) = control_plane(env(&[
            ("TFY_HOST", text(" https://acme.truefoundry.cloud ")),
            ("TFY_API_KEY", text("sk-1")),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(
            (grant.base_url.as_str(), grant.api_key.as_str(), variable),
            ("https://acme.truefoundry.cloud", "sk-1", "TFY_HOST")
        );
    }

    #[test]
    fn every_unusable_variable_is_named() {
        let not_utf8 = OsString::from_vec(vec![b'h', 0xff, b'x']);
        let cases: Vec<Case> = vec![
            (
                vec![("TFY_API_KEY", text("k"))],
                "TFY_API_KEY",
                "is set, but no control plane",
            ),
            (
                vec![("TFY_BASE_URL", text("https://a.io"))],
                "TFY_API_KEY",
                "is not set",
            ),
            (
                vec![
                    ("TFY_BASE_URL", not_utf8.clone()),
                    ("TFY_API_KEY", text("k")),
                ],
                "TFY_BASE_URL",
                "is set but is not valid UTF-8",
            ),
            (
                vec![("TFY_API_HOST", not_utf8.clone())],
                "TFY_API_HOST",
                "is set but is not valid UTF-8",
            ),
            (
                vec![("TFY_HOST", text("  "))],
                "TFY_HOST",
                "is set but empty",
            ),
            (
                vec![
                    ("TFY_HOST", text("acme.truefoundry.cloud")),
                    ("TFY_API_KEY", text("k")),
                ],
                "TFY_HOST",
                "must start with https://",
            ),
            (
                vec![
                    ("TFY_BASE_URL", text("https://a.io")),
                    ("TFY_API_HOST", text("ftp://b.io")),
                    ("TFY_API_KEY", text("k")),
                ],
                "TFY_API_HOST",
                "must start with https://",
            ),
            (
                vec![
                    ("TFY_BASE_URL", text("https://a.io")),
                    ("TFY_API_KEY", text("")),
                ],
                "TFY_API_KEY",
                "is set but empty",
            ),
            (
                vec![
                    ("TFY_BASE_URL", text("https://a.io")),
                    ("TFY_API_KEY", not_utf8),
                ],
                "TFY_API_KEY",
                "is set but is not valid UTF-8",
            ),
            (
                vec![
                    ("TFY_BASE_URL", text("https://a.io")),
                    ("TFY_API_KEY", text("sk 1")),
                ],
                "TFY_API_KEY",
                "contains whitespace",
            ),
        ];
        for (pairs, variable, problem) in cases {
            let failure = refused(&pairs);
            assert_eq!(failure["error"], json!("configuration"), "{pairs:?}");
            assert_eq!(failure["variable"], json!(variable), "{pairs:?}");
            let shown = failure["problem"].as_str().unwrap();
            assert!(shown.starts_with(problem), "{pairs:?}: {shown}");
            assert!(!failure.to_string().contains("sk 1"), "the key is shown");
        }
    }
}
