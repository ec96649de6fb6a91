//! The one error type of the component: every way a call can fail, each case carrying what
//! the caller needs to act. The sentence that says what to do next is in `fix.rs`; turning
//! HTTP answers into errors is the API layer's job ([`crate::api::status`]); keeping the key
//! out of error texts is [`crate::redact`]'s.

mod fix;

use alloc::format;
use alloc::string::{String, ToString};
#[cfg(test)]
use alloc::{vec, vec::Vec};

/// Kinds of things a lookup can fail to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "json",
    derive(serde::Serialize),
    serde(rename_all = "kebab-case")
)]
pub enum ResourceKind {
    /// A cluster, named by its id.
    Cluster,
    /// A workspace, named by its FQN.
    Workspace,
    /// A volume, named by its id or FQN.
    Volume,
}

impl ResourceKind {
    fn noun(self) -> &'static str {
        match self {
            ResourceKind::Cluster => "cluster",
            ResourceKind::Workspace => "workspace",
            ResourceKind::Volume => "volume",
        }
    }
}

/// Every way a call can fail. Each variant knows what the caller should do next ([`Error::fix`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An argument breaks a rule; nothing was sent.
    #[error("invalid {field}: {problem}")]
    InvalidInput {
        /// The offending field, as the WIT names it (`size-gi`, `browser.path`, ...).
        field: String,
        /// The rule it breaks, with the value it had.
        problem: String,
        /// How to correct it.
        fix: String,
    },
    /// A required environment variable is missing or malformed.
    #[error("environment variable {variable}: {problem}")]
    MissingConfiguration {
        /// The variable (`TFY_BASE_URL` or `TFY_API_KEY`).
        variable: String,
        /// What is wrong with it.
        problem: String,
    },
    /// HTTP 401: the API key was refused.
    #[error("the control plane refused the API key (HTTP {status}): {message}")]
    Unauthorized {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// HTTP 403: the key lacks permission.
    #[error("permission denied (HTTP {status}): {message}")]
    PermissionDenied {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The workspace or volume does not exist (or is not visible to this key).
    #[error("{} `{name}` not found", kind.noun())]
    NotFound {
        /// What is missing.
        kind: ResourceKind,
        /// The id or FQN that was looked up.
        name: String,
    },
    /// `create` refused because the name is taken in the workspace.
    #[error("a volume named `{name}` already exists in workspace `{workspace_fqn}` (id {id})")]
    AlreadyExists {
        /// The taken name.
        name: String,
        /// The workspace.
        workspace_fqn: String,
        /// Id of the existing application.
        id: String,
    },
    /// A volume can grow but never shrink.
    #[error("a volume cannot shrink: it has {current_gi} Gi, {requested_gi} Gi was requested")]
    SizeCannotBeReduced {
        /// Current size in Gi.
        current_gi: u32,
        /// Requested size in Gi.
        requested_gi: u32,
    },
    /// The deployment failed because the storage class is not on the cluster.
    #[error("storage class `{storage_class}` is not available for `{volume_fqn}`: {message}")]
    StorageClassUnavailable {
        /// The volume.
        volume_fqn: String,
        /// The storage class it asked for.
        storage_class: String,
        /// The control plane's message.
        message: String,
    },
    /// The deployment failed because the static volume's PersistentVolume is missing.
    #[error("PersistentVolume `{persistent_volume}` for `{volume_fqn}` was not found: {message}")]
    PersistentVolumeNotFound {
        /// The volume.
        volume_fqn: String,
        /// The PersistentVolume it wraps.
        persistent_volume: String,
        /// The control plane's message.
        message: String,
    },
    /// A volume was used from a workspace it does not belong to.
    #[error("volume belongs to workspace `{volume_workspace}`, not `{requested_workspace}`")]
    WorkspaceMismatch {
        /// The volume's workspace.
        volume_workspace: String,
        /// The workspace it was used from.
        requested_workspace: String,
    },
    /// The deployment ended failed, paused or cancelled for another reason.
    #[error("the deployment of `{volume_fqn}` ended {api_status}: {message}")]
    DeploymentFailed {
        /// The volume.
        volume_fqn: String,
        /// The final API status.
        api_status: String,
        /// The control plane's message (may be empty).
        message: String,
    },
    /// The control plane could not delete the volume (`lifecycleStage: deletion_failed`).
    #[error("the control plane could not delete `{volume_fqn}`")]
    DeletionFailed {
        /// The volume.
        volume_fqn: String,
    },
    /// A wait gave up before the deployment settled.
    #[error("`{volume_fqn}` was still {last_status} after {waited_seconds} s")]
    TimedOut {
        /// The volume.
        volume_fqn: String,
        /// The last status seen.
        last_status: String,
        /// Seconds waited.
        waited_seconds: u32,
    },
    /// The volume is not at the version the caller expected.
    #[error("`{volume_fqn}` is at version {found_version}, not {expected_version}")]
    ChangedMeanwhile {
        /// The volume.
        volume_fqn: String,
        /// The version expected.
        expected_version: u32,
        /// The version found.
        found_version: u32,
    },
    /// HTTP 400/422: the control plane refused the request as invalid.
    #[error("the control plane rejected the request (HTTP {status}): {message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// HTTP 409: another deployment is in progress.
    #[error("conflict (HTTP {status}): {message}")]
    Conflict {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// Any other unsuccessful HTTP status.
    #[error("the control plane answered HTTP {status}: {message}")]
    HttpStatus {
        /// HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// No answer: connection, DNS, TLS, timeout, body too large, or refused by the host.
    #[error("request failed: {message}")]
    Transport {
        /// What went wrong.
        message: String,
    },
    /// An answer that is not the JSON the API documents.
    #[error("could not decode the control plane's answer (HTTP {status}): {detail}")]
    UndecodableResponse {
        /// HTTP status.
        status: u16,
        /// Why it could not be decoded.
        detail: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidInput`] for `field`.
    pub fn invalid(field: &str, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.to_string(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// An [`Error::UndecodableResponse`] for a body that did not match the expected shape.
    pub fn undecodable(status: u16, what: &str, cause: impl core::fmt::Display) -> Self {
        Error::UndecodableResponse {
            status,
            detail: format!("expected {what}: {cause}"),
        }
    }
}

/// Every error variant once, with `text` in each of its text fields, for tests that must
/// cover them all.
#[cfg(test)]
pub(crate) fn every_variant(text: &str) -> Vec<Error> {
    let t = || text.to_string();
    vec![
        Error::InvalidInput {
            field: "name".to_string(),
            problem: t(),
            fix: t(),
        },
        Error::MissingConfiguration {
            variable: "TFY_API_KEY".to_string(),
            problem: t(),
        },
        Error::Unauthorized {
            status: 401,
            message: t(),
        },
        Error::PermissionDenied {
            status: 403,
            message: t(),
        },
        Error::NotFound {
            kind: ResourceKind::Workspace,
            name: t(),
        },
        Error::NotFound {
            kind: ResourceKind::Cluster,
            name: t(),
        },
        Error::NotFound {
            kind: ResourceKind::Volume,
            name: t(),
        },
        Error::AlreadyExists {
            name: t(),
            workspace_fqn: t(),
            id: t(),
        },
        Error::SizeCannotBeReduced {
            current_gi: 10,
            requested_gi: 5,
        },
        Error::StorageClassUnavailable {
            volume_fqn: t(),
            storage_class: t(),
            message: t(),
        },
        Error::PersistentVolumeNotFound {
            volume_fqn: t(),
            persistent_volume: t(),
            message: t(),
        },
        Error::WorkspaceMismatch {
            volume_workspace: t(),
            requested_workspace: t(),
        },
        Error::DeploymentFailed {
            volume_fqn: t(),
            api_status: t(),
            message: t(),
        },
        Error::DeletionFailed { volume_fqn: t() },
        Error::TimedOut {
            volume_fqn: t(),
            last_status: t(),
            waited_seconds: 600,
        },
        Error::ChangedMeanwhile {
            volume_fqn: t(),
            expected_version: 2,
            found_version: 3,
        },
        Error::Rejected {
            status: 400,
            message: t(),
        },
        Error::Conflict {
            status: 409,
            message: t(),
        },
        Error::HttpStatus {
            status: 500,
            message: t(),
        },
        Error::Transport { message: t() },
        Error::UndecodableResponse {
            status: 200,
            detail: t(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_fix_and_a_message() {
        for error in every_variant("what the server said, in full") {
            assert!(error.fix().len() > 20, "{error:?} has a weak fix");
            assert!(!error.to_string().is_empty());
        }
    }
}
