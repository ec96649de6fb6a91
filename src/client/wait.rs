//! Following a deployment until it settles: bounded polling that sleeps between checks, and
//! the mapping of a failed deployment to the error that names its cause.

use core::time::Duration;

use super::clock::Clock;
use super::read;
use super::session::Session;
use crate::api::http::Transport;
use crate::error::{Error, Result};
use crate::input::reference::VolumeRef;
use crate::model::{StatusPhase, Volume, VolumeKind, WaitOptions};

/// Seconds between checks when none is given (the official CLI polls every 5 s).
pub const DEFAULT_INTERVAL_SECONDS: u32 = 5;
/// Seconds before giving up when none is given (the official CLI waits 600 s).
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 600;
const MAX_INTERVAL_SECONDS: u32 = 300;
const MAX_TIMEOUT_SECONDS: u32 = 3600;

/// How long to follow a deployment and how often to look: validated [`WaitOptions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitPolicy {
    interval_seconds: u32,
    timeout_seconds: u32,
}

impl WaitPolicy {
    /// Checks `options` (interval 1–300 s, timeout 1–3600 s) and fills the defaults.
    pub fn from_options(options: WaitOptions) -> Result<Self> {
        let interval_seconds = options.interval_seconds.unwrap_or(DEFAULT_INTERVAL_SECONDS);
        let timeout_seconds = options.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        if !(1..=MAX_INTERVAL_SECONDS).contains(&interval_seconds) {
            return Err(Error::invalid(
                "wait.interval-seconds",
                alloc::format!("{interval_seconds} is outside 1 to {MAX_INTERVAL_SECONDS}"),
                "Give `wait.interval-seconds` from 1 to 300, or leave it unset for 5.",
            ));
        }
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&timeout_seconds) {
            return Err(Error::invalid(
                "wait.timeout-seconds",
                alloc::format!("{timeout_seconds} is outside 1 to {MAX_TIMEOUT_SECONDS}"),
                "Give `wait.timeout-seconds` from 1 to 3600, or leave it unset for 600.",
            ));
        }
        Ok(WaitPolicy {
            interval_seconds,
            timeout_seconds,
        })
    }
}

/// Follows the volume's latest deployment until it settles; the running volume, or the error
/// its final status stands for, or [`Error::TimedOut`].
pub(super) fn follow<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    reference: &VolumeRef,
    policy: WaitPolicy,
) -> Result<Volume> {
    let start = session.now();
    let timeout = Duration::from_secs(u64::from(policy.timeout_seconds));
    let interval = Duration::from_secs(u64::from(policy.interval_seconds));
    loop {
        let volume = read::fetch(session, reference)?;
        if volume.status.terminal {
            return settled(volume);
        }
        let elapsed = session.now().saturating_sub(start);
        if elapsed >= timeout {
            return Err(Error::TimedOut {
                volume_fqn: volume.fqn,
                last_status: volume.status.display,
                waited_seconds: u32::try_from(elapsed.as_secs()).unwrap_or(u32::MAX),
            });
        }
        // Never sleep past the deadline, so the last check happens right at it.
        session.sleep(interval.min(timeout - elapsed));
    }
}

/// The volume when it runs; otherwise the error its final status stands for.
pub fn settled(volume: Volume) -> Result<Volume> {
    if volume.status.phase == StatusPhase::Running {
        return Ok(volume);
    }
    let message = volume.status.message.clone().unwrap_or_default();
    let lower = message.to_ascii_lowercase();
    let failed = volume.status.phase == StatusPhase::Failed;
    match volume.kind {
        VolumeKind::Dynamic if failed && mentions_storage_class(&lower) => {
            Err(Error::StorageClassUnavailable {
                volume_fqn: volume.fqn,
                storage_class: volume.storage_class.unwrap_or_default(),
                message,
            })
        }
        VolumeKind::Static if failed && mentions_missing_pv(&lower) => {
            Err(Error::PersistentVolumeNotFound {
                volume_fqn: volume.fqn,
                persistent_volume: volume.persistent_volume_name.unwrap_or_default(),
                message,
            })
        }
        _ => Err(Error::DeploymentFailed {
            volume_fqn: volume.fqn,
            api_status: volume.status.api_status,
            message,
        }),
    }
}

/// Kubernetes reports `storageclass.storage.k8s.io "x" not found`; people write "storage class".
fn mentions_storage_class(message: &str) -> bool {
    message.contains("storageclass") || message.contains("storage class")
}

/// Kubernetes reports `persistentvolume "x" not found`.
fn mentions_missing_pv(message: &str) -> bool {
    let names_pv = message.contains("persistentvolume") || message.contains("persistent volume");
    names_pv && (message.contains("not found") || message.contains("does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::testing::{Scripted, VirtualClock, ENV};
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;
    use serde_json::{json, Value};

    fn app(status: &str, terminal: bool, message: Option<&str>, config: Value) -> Value {
        json!({"data":{"id":"app-1","name":"v1x","fqn":"c1:ws1:v1x","type":"volume",
            "workspaceFqn":"c1:ws1","deployment":{"version":1,
            "manifest":{"name":"v1x","config":config},
            "currentStatus":{"status":status,"state":{"isTerminalState":terminal},
                             "message":message}}}})
    }

    fn dynamic() -> Value {
        json!({"type":"dynamic","storage_class":"fast","size":5})
    }

    fn fixed() -> Value {
        json!({"type":"static","persistent_volume_name":"pv-1"})
    }

    #[test]
    fn wait_polls_until_running_sleeping_the_interval() {
        let mut transport = Scripted::answering(vec![
            (200, app("INITIALIZED", false, None, dynamic())),
            (200, app("ROLLOUT_STARTED", false, None, dynamic())),
            (200, app("DEPLOY_SUCCESS", true, None, dynamic())),
        ]);
        let options = WaitOptions {
            interval_seconds: Some(2),
            timeout_seconds: None,
        };
        let mut clock = VirtualClock::default();
        let volume = Client::from_env(ENV, &mut transport, &mut clock)
            .wait("app-1", Some(options))
            .unwrap();
        assert_eq!(volume.status.display, "RUNNING");
        assert_eq!(
            clock.sleeps,
            [Duration::from_secs(2), Duration::from_secs(2)]
        );
        assert_eq!(transport.sent.len(), 3);
    }

    #[test]
    fn wait_gives_up_at_the_deadline() {
        // By FQN: each check is a list lookup.
        let page =
            |answer: Value| json!({"data":[answer["data"].clone()],"pagination":{"total":1}});
        let answers: Vec<(u16, Value)> = (0..10)
            .map(|_| (200, page(app("INITIALIZED", false, None, dynamic()))))
            .collect();
        let mut transport = Scripted::answering(answers);
        let options = WaitOptions {
            interval_seconds: Some(5),
            timeout_seconds: Some(12),
        };
        let mut clock = VirtualClock::default();
        let error = Client::from_env(ENV, &mut transport, &mut clock)
            .wait("c1:ws1:v1x", Some(options))
            .unwrap_err();
        assert_eq!(
            error,
            Error::TimedOut {
                volume_fqn: "c1:ws1:v1x".into(),
                last_status: "INITIALIZED".into(),
                waited_seconds: 12
            }
        );
        // Checks at 0, 5, 10 and 12 s: the last sleep is cut to the deadline.
        let seconds: Vec<u64> = clock.sleeps.iter().map(Duration::as_secs).collect();
        assert_eq!(seconds, [5, 5, 2]);
        assert_eq!(transport.sent.len(), 4);
    }

    #[test]
    fn failures_map_to_the_error_naming_their_cause() {
        let cases = [
            (
                app(
                    "DEPLOY_FAILED",
                    true,
                    Some("storageclass.storage.k8s.io \"fast\" not found"),
                    dynamic(),
                ),
                Error::StorageClassUnavailable {
                    volume_fqn: "c1:ws1:v1x".into(),
                    storage_class: "fast".into(),
                    message: "storageclass.storage.k8s.io \"fast\" not found".into(),
                },
            ),
            (
                app(
                    "DEPLOY_FAILED",
                    true,
                    Some("persistentvolume \"pv-1\" not found"),
                    fixed(),
                ),
                Error::PersistentVolumeNotFound {
                    volume_fqn: "c1:ws1:v1x".into(),
                    persistent_volume: "pv-1".into(),
                    message: "persistentvolume \"pv-1\" not found".into(),
                },
            ),
            (
                app("DEPLOY_FAILED", true, Some("quota exceeded"), dynamic()),
                Error::DeploymentFailed {
                    volume_fqn: "c1:ws1:v1x".into(),
                    api_status: "DEPLOY_FAILED".into(),
                    message: "quota exceeded".into(),
                },
            ),
            (
                app("CANCELLED", true, None, fixed()),
                Error::DeploymentFailed {
                    volume_fqn: "c1:ws1:v1x".into(),
                    api_status: "CANCELLED".into(),
                    message: String::new(),
                },
            ),
        ];
        for (answer, expected) in cases {
            let mut transport = Scripted::answering(vec![(200, answer)]);
            let mut clock = VirtualClock::default();
            let error = Client::from_env(ENV, &mut transport, &mut clock)
                .wait("app-1", None)
                .unwrap_err();
            assert_eq!(error, expected);
            assert!(clock.sleeps.is_empty());
        }
    }

    #[test]
    fn options_out_of_range_are_refused_before_any_request() {
        let mut transport = Scripted::default();
        let mut client = Client::from_env(ENV, &mut transport, VirtualClock::default());
        for (options, field) in [
            (
                WaitOptions {
                    interval_seconds: Some(0),
                    timeout_seconds: None,
                },
                "wait.interval-seconds",
            ),
            (
                WaitOptions {
                    interval_seconds: Some(301),
                    timeout_seconds: None,
                },
                "wait.interval-seconds",
            ),
            (
                WaitOptions {
                    interval_seconds: None,
                    timeout_seconds: Some(0),
                },
                "wait.timeout-seconds",
            ),
            (
                WaitOptions {
                    interval_seconds: None,
                    timeout_seconds: Some(3601),
                },
                "wait.timeout-seconds",
            ),
        ] {
            assert!(matches!(
                client.wait("app-1", Some(options)),
                Err(Error::InvalidInput { field: named, .. }) if named == field
            ));
        }
        assert!(transport.sent.is_empty());
    }
}
