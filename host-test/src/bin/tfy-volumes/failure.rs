//! How a command fails: one [`Failure`] per class, its exit code, and its rendering as text
//! (stderr) or as the JSON or YAML document a program reads (stdout).

use serde_json::{json, Value};
use tfy_volumes_host::bindings::VolumeError;
use tfy_volumes_host::terminal::Text;
use tfy_volumes_host::{report, CallDeadline};

/// The exit codes, as `--help` and the README list them. The numbers never change meaning.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    the host failed (a trap, the memory limit, an output that cannot be written)
  2    usage: arguments, invalid-input, rejected, an unusable manifest, delete without --yes off a terminal
  3    configuration: TFY_BASE_URL/TFY_HOST/TFY_API_HOST/TFY_API_KEY, missing-configuration, the state file
  4    not-found
  5    conflict: already-exists, conflict, changed-meanwhile, size-cannot-be-reduced,
       workspace-mismatch, change-refused (apply)
  6    unauthorized, permission-denied
  7    timed-out: a wait gave up; the deployment or deletion goes on
  8    deployment-failed, storage-class-unavailable, persistent-volume-not-found, deletion-failed
  9    the control plane failed: transport, http-status, undecodable-response
  10   call-deadline: the host stopped a call at its deadline (--call-timeout)
  11   cancelled: you answered no; nothing changed
  130  interrupted (Ctrl-C) while waiting; the deployment goes on";

/// Exit code: the host failed.
pub const EXIT_HOST: u8 = 1;
/// Exit code: arguments or input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: configuration.
pub const EXIT_CONFIGURATION: u8 = 3;
/// Exit code: the host's per-call deadline.
pub const EXIT_CALL_DEADLINE: u8 = 10;
/// Exit code: the person said no.
pub const EXIT_CANCELLED: u8 = 11;
/// Exit code: Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The component returned a typed error; its case decides the exit code.
    Component(VolumeError),
    /// The arguments, or input the CLI checks itself, are unusable.
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        fix: String,
    },
    /// The environment or a file the CLI needs is unusable: never answered by a fallback.
    Configuration {
        /// The variable or file at fault (`TFY_BASE_URL`, the state file's path, …).
        variable: String,
        /// What is wrong with it.
        problem: String,
        /// What to do.
        fix: String,
    },
    /// The host stopped a call at its deadline.
    Deadline(CallDeadline),
    /// `apply` found a change it must not make.
    Refused {
        /// The volume's FQN.
        volume: String,
        /// Each refused change, with its reason.
        changes: Vec<String>,
        /// What to do.
        fix: String,
    },
    /// The person answered no at a confirmation.
    Cancelled(String),
    /// Ctrl-C while the control plane works on.
    Interrupted {
        /// What happened and what goes on.
        message: String,
        /// The command that picks up where this one stopped.
        resume: String,
    },
    /// The host failed (a trap, the memory limit, an unwritable file).
    Host(String),
}

impl From<wasmtime::Error> for Failure {
    fn from(error: wasmtime::Error) -> Self {
        if let Some(deadline) = error.downcast_ref::<CallDeadline>() {
            return Failure::Deadline(deadline.clone());
        }
        // One line for a person: what trapped or ran out, never wasmtime's backtrace.
        let cause = error.root_cause().to_string();
        let cause = cause.lines().next().unwrap_or_default().to_string();
        match error.downcast_ref::<wasmtime::Trap>() {
            Some(trap) if cause != trap.to_string() => {
                Failure::Host(format!("the component stopped ({trap}): {cause}"))
            }
            Some(trap) => Failure::Host(format!("the component stopped: {trap}")),
            None => Failure::Host(cause),
        }
    }
}

/// Unwraps a component result, turning its error into a [`Failure`].
pub fn ok<T>(result: Result<T, VolumeError>) -> Result<T, Failure> {
    result.map_err(Failure::Component)
}

impl Failure {
    /// A configuration failure.
    pub fn configuration(
        variable: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Failure {
        Failure::Configuration {
            variable: variable.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// A usage failure.
    pub fn usage(message: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::Usage {
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// The exit code of this failure's class (see [`EXIT_CODES_HELP`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Component(error) => component_exit_code(error),
            Failure::Usage { .. } => EXIT_USAGE,
            Failure::Configuration { .. } => EXIT_CONFIGURATION,
            Failure::Deadline(_) => EXIT_CALL_DEADLINE,
            Failure::Refused { .. } => 5,
            Failure::Cancelled(_) => EXIT_CANCELLED,
            Failure::Interrupted { .. } => EXIT_INTERRUPTED,
            Failure::Host(_) => EXIT_HOST,
        }
    }

    /// The failure as one JSON object: `{"error": <case>, ...}`, the component's cases as
    /// the WIT names them and the CLI's own as `usage`, `configuration`, `call-deadline`,
    /// `change-refused`, `cancelled`, `interrupted` and `host`.
    pub fn json(&self) -> Value {
        match self {
            Failure::Component(error) => report::error_json(error),
            Failure::Usage { message, fix } => {
                json!({"error": "usage", "message": message, "fix": fix})
            }
            Failure::Configuration {
                variable,
                problem,
                fix,
            } => json!({"error": "configuration", "variable": variable, "problem": problem,
                        "fix": fix}),
            Failure::Deadline(deadline) => json!({
                "error": "call-deadline", "function": deadline.function,
                "seconds": deadline.seconds, "message": deadline.to_string(),
                "fix": DEADLINE_FIX,
            }),
            Failure::Refused {
                volume,
                changes,
                fix,
            } => json!({"error": "change-refused", "volume-fqn": volume, "changes": changes,
                        "fix": fix}),
            Failure::Cancelled(message) => json!({"error": "cancelled", "message": message}),
            Failure::Interrupted { message, resume } => {
                json!({"error": "interrupted", "message": message, "resume": resume})
            }
            Failure::Host(message) => json!({"error": "host", "message": message}),
        }
    }

    /// The failure for people: `error: <case>`, its facts, and what to do.
    pub fn text(&self) -> Text {
        let mut text = match self {
            Failure::Component(error) => return report::error_text(error),
            Failure::Usage { message, fix } => {
                let mut text = Text::from(format!("error: {message}"));
                text.line(format!("  what to do: {fix}"));
                text
            }
            Failure::Configuration {
                variable,
                problem,
                fix,
            } => {
                let mut text = Text::from(format!("error: configuration: {variable} {problem}"));
                text.line(format!("  what to do: {fix}"));
                text
            }
            Failure::Deadline(deadline) => {
                let mut text = Text::from(format!("error: call-deadline: {deadline}"));
                text.line(format!("  what to do: {DEADLINE_FIX}"));
                text
            }
            Failure::Refused {
                volume,
                changes,
                fix,
            } => {
                let mut text = Text::from(format!(
                    "error: change-refused: apply will not change {volume} this way"
                ));
                for change in changes {
                    text.line(format!("  ! {change}"));
                }
                text.line(format!("  what to do: {fix}"));
                text
            }
            Failure::Cancelled(message) => Text::from(format!("cancelled: {message}")),
            Failure::Interrupted { message, resume } => {
                let mut text = Text::from(format!("interrupted: {message}"));
                text.line(format!("  to pick up: {resume}"));
                text
            }
            Failure::Host(message) => Text::from(format!("error: {message}")),
        };
        if let Failure::Host(_) = self {
            text.line("  what to do: this is a fault of tfy-volumes or its host; report it");
        }
        text
    }
}

/// What to do when the host's deadline stops a call.
const DEADLINE_FIX: &str = "The control plane answered too slowly or not at all. Check it is \
                            reachable and try again; a write may have reached it, so look with \
                            `tfy-volumes get` before repeating one. --call-timeout sets the \
                            deadline (seconds).";

/// The exit code of a component error, by class.
fn component_exit_code(error: &VolumeError) -> u8 {
    match error {
        VolumeError::InvalidInput(_) | VolumeError::Rejected(_) => EXIT_USAGE,
        VolumeError::MissingConfiguration(_) => EXIT_CONFIGURATION,
        VolumeError::NotFound(_) => 4,
        VolumeError::AlreadyExists(_)
        | VolumeError::Conflict(_)
        | VolumeError::ChangedMeanwhile(_)
        | VolumeError::SizeCannotBeReduced(_)
        | VolumeError::WorkspaceMismatch(_) => 5,
        VolumeError::Unauthorized(_) | VolumeError::PermissionDenied(_) => 6,
        VolumeError::TimedOut(_) => 7,
        VolumeError::DeploymentFailed(_)
        | VolumeError::StorageClassUnavailable(_)
        | VolumeError::PersistentVolumeNotFound(_)
        | VolumeError::DeletionFailed(_) => 8,
        VolumeError::Transport(_)
        | VolumeError::HttpStatus(_)
        | VolumeError::UndecodableResponse(_) => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_inside_a_host_error_is_found_and_typed() {
        let deadline = CallDeadline {
            function: "get".into(),
            seconds: 2,
        };
        let failure = Failure::from(wasmtime::Error::new(deadline.clone()));
        assert_eq!(failure.exit_code(), EXIT_CALL_DEADLINE);
        assert_eq!(
            failure.json(),
            json!({"error": "call-deadline", "function": "get", "seconds": 2,
                   "message": "`get` did not finish within 2 s, the host's deadline for one call",
                   "fix": DEADLINE_FIX})
        );
    }

    #[test]
    fn a_host_error_is_one_line_without_a_backtrace() {
        let error = wasmtime::Error::msg("the component tried to grow its memory")
            .context("error while executing at wasm backtrace:\n    0: 0x1 - f\n    1: 0x2 - g");
        let failure = Failure::from(error);
        assert_eq!(failure.exit_code(), EXIT_HOST);
        assert_eq!(
            failure.json(),
            json!({"error": "host", "message": "the component tried to grow its memory"})
        );
    }

    #[test]
    fn every_exit_code_is_listed_in_the_help() {
        let failures = [
            Failure::usage("m", "f"),
            Failure::configuration("V", "p", "f"),
            Failure::Deadline(CallDeadline {
                function: "get".into(),
                seconds: 1,
            }),
            Failure::Refused {
                volume: "c:w:v".into(),
                changes: vec![],
                fix: "f".into(),
            },
            Failure::Cancelled("m".into()),
            Failure::Interrupted {
                message: "m".into(),
                resume: "r".into(),
            },
            Failure::Host("m".into()),
        ];
        // Each code's entry, continuation lines included.
        let mut entries: Vec<(u8, String)> = Vec::new();
        for line in EXIT_CODES_HELP.lines().skip(1) {
            let trimmed = line.trim_start();
            match trimmed
                .split_once(' ')
                .map(|(code, rest)| (code.parse::<u8>(), rest))
            {
                Some((Ok(code), rest)) => entries.push((code, rest.to_string())),
                _ => entries.last_mut().unwrap().1.push_str(trimmed),
            }
        }
        for failure in failures {
            let case = failure.json()["error"].as_str().unwrap().to_string();
            let entry = entries
                .iter()
                .find(|(code, _)| *code == failure.exit_code())
                .unwrap_or_else(|| panic!("no entry for {case}"));
            assert!(entry.1.contains(&case), "{case} is not under {entry:?}");
        }
    }
}
