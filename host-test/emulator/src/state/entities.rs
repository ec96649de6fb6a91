//! The records the store keeps: workspaces, volume applications, their deployments and
//! statuses. Plain data, serializable as they are saved in a state file.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock;
use crate::validate::VolumeKind;

/// Statuses after which a deployment never changes (`docs/truefoundry-api.md` §4; the list
/// TrueFoundry's own skill documentation calls terminal).
const TERMINAL: [&str; 6] = [
    "DEPLOY_SUCCESS",
    "DEPLOY_FAILED",
    "BUILD_FAILED",
    "FAILED",
    "PAUSED",
    "CANCELLED",
];

/// Statuses of a deployment that provisioned nothing (it cannot constrain later versions).
pub(crate) const PROVISIONED_NOTHING: [&str; 4] =
    ["DEPLOY_FAILED", "BUILD_FAILED", "FAILED", "CANCELLED"];

/// A workspace, with the parts of its FQN split out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Workspace {
    pub(crate) id: String,
    pub(crate) fqn: String,
    pub(crate) name: String,
    pub(crate) cluster_id: String,
    #[serde(with = "clock::rfc3339")]
    pub(crate) created_at: SystemTime,
}

/// One status of a deployment (a new id on every change, as the real API keeps a history).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Status {
    pub(crate) id: String,
    pub(crate) value: String,
    pub(crate) message: Option<String>,
    #[serde(with = "clock::rfc3339")]
    pub(crate) at: SystemTime,
}

impl Status {
    /// Whether this status is final.
    pub(crate) fn is_terminal(&self) -> bool {
        TERMINAL.contains(&self.value.as_str())
    }
}

/// Where a deployment will end once it turns terminal, decided when it is created.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    Success,
    Failed(String),
}

/// One version of a volume application.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Deployment {
    pub(crate) id: String,
    pub(crate) version: u64,
    pub(crate) manifest: Value,
    #[serde(with = "clock::rfc3339")]
    pub(crate) created_at: SystemTime,
    #[serde(with = "clock::rfc3339")]
    pub(crate) updated_at: SystemTime,
    pub(crate) status: Status,
    pub(crate) kind: VolumeKind,
    pub(crate) outcome: Outcome,
    /// Reads served while non-terminal (progress by reads).
    pub(crate) reads: u32,
}

/// Where an application is in its life: the API's `lifecycleStage`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Lifecycle {
    /// Serving normally.
    #[default]
    Active,
    /// `DELETE` was accepted; the next answer that shows the application shows this stage,
    /// then the deletion completes (or fails, for a mounted volume).
    Deleting,
    /// The deletion could not complete (the volume is mounted); the application stays.
    DeletionFailed,
}

impl Lifecycle {
    /// The `lifecycleStage` value (`docs/truefoundry-api.md` §2.3, §3.1).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Active => "active",
            Lifecycle::Deleting => "deleting",
            Lifecycle::DeletionFailed => "deletion_failed",
        }
    }
}

/// A volume application and all its deployments (oldest first; never empty).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) workspace: Workspace,
    #[serde(with = "clock::rfc3339")]
    pub(crate) created_at: SystemTime,
    #[serde(with = "clock::rfc3339")]
    pub(crate) updated_at: SystemTime,
    pub(crate) deployments: Vec<Deployment>,
    pub(crate) lifecycle: Lifecycle,
    /// Applications that mount this volume (from the seed); a deletion then fails.
    pub(crate) mounted_by: Vec<String>,
}

impl App {
    /// `<cluster>:<workspace>:<name>`.
    pub(crate) fn fqn(&self) -> String {
        format!("{}:{}", self.workspace.fqn, self.name)
    }

    /// The newest deployment.
    pub(crate) fn latest(&self) -> Option<&Deployment> {
        self.deployments.last()
    }

    /// The newest deployment that reached `DEPLOY_SUCCESS`.
    pub(crate) fn active(&self) -> Option<&Deployment> {
        self.deployments
            .iter()
            .rev()
            .find(|d| d.status.value == "DEPLOY_SUCCESS")
    }
}

/// Id counters; ids look like `app-1`, `dep-1`, `st-1`. Saved with the state so a restarted
/// emulator never hands out an id twice.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Ids {
    pub(crate) app: u64,
    pub(crate) dep: u64,
    pub(crate) status: u64,
}

impl Ids {
    /// The next id of a counter, e.g. `dep-4`.
    pub(crate) fn next(counter: &mut u64, prefix: &str) -> String {
        *counter += 1;
        format!("{prefix}-{counter}")
    }
}
