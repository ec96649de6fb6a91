//! What the caller should do next after each error: one or two sentences per case.

use alloc::format;
use alloc::string::{String, ToString};

use super::{Error, ResourceKind};

impl Error {
    /// What the caller should do next, in one or two sentences.
    pub fn fix(&self) -> String {
        match self {
            Error::InvalidInput { fix, .. } => fix.clone(),
            Error::MissingConfiguration { variable, .. } => format!(
                "Ask the host operator to grant {variable}: TFY_BASE_URL is the control plane URL \
                 such as https://<org>.truefoundry.cloud (aliases TFY_HOST, TFY_API_HOST), \
                 TFY_API_KEY an API key from Settings > API Keys."
            ),
            Error::Unauthorized { .. } => "Check TFY_API_KEY: it may be mistyped, revoked or \
                 expired, or belong to another control plane than TFY_BASE_URL. Generate a new \
                 key in the TrueFoundry UI under Settings > API Keys."
                .to_string(),
            Error::PermissionDenied { .. } => "Ask a workspace admin to grant this API key's \
                 user or team editor access to the workspace (read access suffices for \
                 `list-volumes` and `get`), or use a key that has it."
                .to_string(),
            Error::NotFound { kind, name } => match kind {
                ResourceKind::Cluster => format!(
                    "The cluster `{name}` of this workspace is not visible to this API key; ask \
                     an admin for read access to it, or give the `storage-class` and \
                     `browser.host` yourself."
                ),
                ResourceKind::Workspace => format!(
                    "Check the workspace FQN `{name}` (format <cluster>:<workspace>) in the \
                     TrueFoundry UI under Workspaces; ask the user which workspace to use \
                     rather than guessing."
                ),
                ResourceKind::Volume => format!(
                    "Check `{name}`: `list-volumes` shows the workspace's volumes; name one by \
                     its id or its FQN <cluster>:<workspace>:<name>."
                ),
            },
            Error::AlreadyExists { name, .. } => format!(
                "Use the existing volume `{name}` (`get` reads it), or choose another name. \
                 To grow it, `expand` it. If it never ran and its deployment failed, `create` \
                 it again with `replace-failed` set to replace it."
            ),
            Error::SizeCannotBeReduced { .. } => "Volumes cannot shrink. To get a smaller volume, \
                 `create` a new one of the smaller size, copy the data over, and point your \
                 applications at it."
                .to_string(),
            Error::StorageClassUnavailable { .. } => "Pick a storage class the cluster has \
                 (`kubectl get storageclass` lists them, or ask the cluster admin), then `create` \
                 the volume again with it and `replace-failed` set: the failed volume never ran, \
                 so it is replaced in place."
                .to_string(),
            Error::PersistentVolumeNotFound {
                persistent_volume, ..
            } => format!(
                "Ask the cluster admin to create the PersistentVolume `{persistent_volume}` \
                 first (`kubectl get pv {persistent_volume}` checks), then `create` the volume \
                 again with `replace-failed` set, which replaces the failed one in place."
            ),
            Error::WorkspaceMismatch {
                volume_workspace, ..
            } => format!(
                "Volumes are workspace-scoped: deploy the application in `{volume_workspace}`, \
                 or create a volume in the application's workspace."
            ),
            Error::DeploymentFailed { volume_fqn, .. } => format!(
                "Read the message and fix its cause (the deployment's events in the TrueFoundry \
                 UI for `{volume_fqn}` say more). If the volume never ran, `create` it again \
                 with `replace-failed` set; otherwise `delete` it or deploy it again."
            ),
            Error::DeletionFailed { volume_fqn } => format!(
                "Usually an application still mounts it: remove the mount of \
                 `tfy-volume://{volume_fqn}` from every Service and Job that uses it, \
                 redeploy them, then delete the volume again."
            ),
            Error::TimedOut {
                volume_fqn,
                last_status,
                ..
            } if last_status == "DELETING" => format!(
                "The deletion goes on without us: `get` `{volume_fqn}` later; once it answers \
                 not-found, the volume is gone."
            ),
            Error::TimedOut { volume_fqn, .. } => format!(
                "The deployment goes on without us: `wait` on `{volume_fqn}` again, or check \
                 its `status` later."
            ),
            Error::ChangedMeanwhile { volume_fqn, .. } => format!(
                "Someone else changed `{volume_fqn}`: `get` it, check its current size and \
                 version, then decide again."
            ),
            Error::Rejected { .. } => "Read the server's message, correct the named field and \
                 call again."
                .to_string(),
            Error::Conflict { .. } => "Another deployment of this volume is still in progress: \
                 `wait` until it settles, then try again."
                .to_string(),
            Error::HttpStatus { status, .. } => match status {
                300..=399 => "The control plane redirected the request: set TFY_BASE_URL to \
                     the control plane's own URL (https://<org>.truefoundry.cloud), not a \
                     login page or an old address."
                    .to_string(),
                429 => "The control plane is rate-limiting this key: wait a little, then \
                     retry."
                    .to_string(),
                500..=599 => "The control plane had a problem: retry in a minute; if it \
                     persists, check TrueFoundry's status or contact support."
                    .to_string(),
                _ => "Read the server's message; check TFY_BASE_URL points at a TrueFoundry \
                     control plane."
                    .to_string(),
            },
            Error::Transport { .. } => "Check that TFY_BASE_URL is right and reachable from \
                 this host, and that the host allows outbound requests to it; then retry."
                .to_string(),
            Error::UndecodableResponse { .. } => "Check that TFY_BASE_URL points at a \
                 TrueFoundry control plane (not a proxy or login page); if it does, report \
                 this answer as a bug."
                .to_string(),
        }
    }
}
