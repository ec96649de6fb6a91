//! Following a deployment until it settles: bounded polling that sleeps between checks, and
//! the mapping of a failed deployment to the seed's error rows.

use alloc::string::ToString;

use crate::client::{Client, VolumeRef};
use crate::clock::{Clock, NANOS_PER_SECOND};
use crate::error::{Error, Result};
use crate::http::Transport;
use crate::model::{StatusPhase, Volume, VolumeKind, WaitOptions};

/// Seconds between checks when none is given (the official CLI polls every 5 s).
pub const DEFAULT_INTERVAL_SECONDS: u32 = 5;
/// Seconds before giving up when none is given (the official CLI waits 600 s).
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 600;
const MAX_INTERVAL_SECONDS: u32 = 300;
const MAX_TIMEOUT_SECONDS: u32 = 3600;

/// Validated wait options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitPlan {
    interval_seconds: u32,
    timeout_seconds: u32,
}

impl WaitPlan {
    /// Checks `options` (interval 1–300 s, timeout 1–3600 s) and fills the defaults.
    pub fn from_options(options: WaitOptions) -> Result<Self> {
        let interval_seconds = options.interval_seconds.unwrap_or(DEFAULT_INTERVAL_SECONDS);
        let timeout_seconds = options.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        if !(1..=MAX_INTERVAL_SECONDS).contains(&interval_seconds) {
            return Err(Error::invalid(
                "wait.interval-seconds",
                alloc::format!("{interval_seconds} is outside 1 to {MAX_INTERVAL_SECONDS}"),
                "Pass a number of seconds from 1 to 300, or null for 5.",
            ));
        }
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&timeout_seconds) {
            return Err(Error::invalid(
                "wait.timeout-seconds",
                alloc::format!("{timeout_seconds} is outside 1 to {MAX_TIMEOUT_SECONDS}"),
                "Pass a number of seconds from 1 to 3600, or null for 600.",
            ));
        }
        Ok(WaitPlan {
            interval_seconds,
            timeout_seconds,
        })
    }
}

impl<T: Transport + Clock> Client<T> {
    /// Follows a volume's latest deployment until it settles; returns the running volume.
    pub fn wait(&mut self, volume: &str, options: Option<WaitOptions>) -> Result<Volume> {
        let reference = VolumeRef::parse("volume", volume)?;
        let plan = WaitPlan::from_options(options.unwrap_or_default())?;
        self.redacting(|client| client.follow_reference(&reference, plan))
    }

    /// [`Client::wait`] for an id known to be valid (after `create` or `expand`).
    pub(crate) fn follow(&mut self, id: &str, plan: WaitPlan) -> Result<Volume> {
        self.follow_reference(&VolumeRef::Id(id.to_string()), plan)
    }

    fn follow_reference(&mut self, reference: &VolumeRef, plan: WaitPlan) -> Result<Volume> {
        let start = self.transport_mut().now_nanos();
        let timeout = u64::from(plan.timeout_seconds) * NANOS_PER_SECOND;
        let interval = u64::from(plan.interval_seconds) * NANOS_PER_SECOND;
        loop {
            let volume = self.fetch(reference)?;
            if volume.status.terminal {
                return settled(volume);
            }
            let elapsed = self.transport_mut().now_nanos().saturating_sub(start);
            if elapsed >= timeout {
                return Err(Error::TimedOut {
                    volume_fqn: volume.fqn,
                    last_status: volume.status.display,
                    waited_seconds: u32::try_from(elapsed / NANOS_PER_SECOND).unwrap_or(u32::MAX),
                });
            }
            // Never sleep past the deadline, so the last check happens right at it.
            self.transport_mut()
                .sleep_nanos(interval.min(timeout - elapsed));
        }
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
    use crate::testing::{Scripted, ENV};
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
        let volume = Client::from_env(ENV, &mut transport)
            .wait("app-1", Some(options))
            .unwrap();
        assert_eq!(volume.status.display, "RUNNING");
        assert_eq!(
            transport.sleeps,
            [2 * NANOS_PER_SECOND, 2 * NANOS_PER_SECOND]
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
        let error = Client::from_env(ENV, &mut transport)
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
        let seconds: Vec<u64> = transport
            .sleeps
            .iter()
            .map(|n| n / NANOS_PER_SECOND)
            .collect();
        assert_eq!(seconds, [5, 5, 2]);
        assert_eq!(transport.sent.len(), 4);
    }

    #[test]
    fn failures_map_to_the_seed_rows() {
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
            let error = Client::from_env(ENV, &mut transport)
                .wait("app-1", None)
                .unwrap_err();
            assert_eq!(error, expected);
            assert!(transport.sleeps.is_empty());
        }
    }

    #[test]
    fn options_out_of_range_are_refused_before_any_request() {
        let mut transport = Scripted::default();
        let mut client = Client::from_env(ENV, &mut transport);
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
