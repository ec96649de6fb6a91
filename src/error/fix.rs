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
                 user or team editor access to the workspace (read access suffices for list and \
                 get), or use a key that has it."
                .to_string(),
            Error::NotFound { kind, name } => match kind {
                ResourceKind::Cluster => format!(
                    "The cluster `{name}` of this workspace is not visible to this API key; ask \
                     an admin for read access to it, or pass the storage class and browser \
                     host explicitly."
                ),
                ResourceKind::Workspace => format!(
                    "Check the workspace FQN `{name}` (format <cluster>:<workspace>) in the \
                     TrueFoundry UI under Workspaces; ask the user which workspace to use \
                     rather than guessing."
                ),
                ResourceKind::Volume => format!(
                    "Check `{name}`: list the workspace's volumes (`list-volumes`), and pass \
                     an id or an FQN <cluster>:<workspace>:<name>."
                ),
            },
            Error::AlreadyExists { name, .. } => format!(
                "Use the existing volume `{name}` (call `get` on it), or choose another name. \
                 To grow it, expand it instead of creating it again."
            ),
            Error::SizeCannotBeReduced { .. } => "Volumes cannot shrink. To get a smaller volume, \
                 create a new one of the smaller size, copy the data over, and point your \
                 applications at it."
                .to_string(),
            Error::StorageClassUnavailable { .. } => "Pick a storage class the cluster offers \
                 (ask the cluster admin or run `kubectl get storageclass`) and create the volume \
                 again with it and `replace-failed` set, which repairs the failed one in place."
                .to_string(),
            Error::PersistentVolumeNotFound {
                persistent_volume, ..
            } => format!(
                "Ask the cluster admin to create the PersistentVolume `{persistent_volume}` \
                 first (check with `kubectl get pv {persistent_volume}`), then create the volume \
                 again."
            ),
            Error::WorkspaceMismatch {
                volume_workspace, ..
            } => format!(
                "Volumes are workspace-scoped: deploy the application in `{volume_workspace}`, \
                 or create a volume in the application's workspace."
            ),
            Error::DeploymentFailed { volume_fqn, .. } => format!(
                "Read the message, fix the cause (see the deployment's events in the TrueFoundry \
                 UI for `{volume_fqn}`), then deploy again."
            ),
            Error::DeletionFailed { volume_fqn } => format!(
                "Usually an application still mounts it: remove the mount of \
                 `tfy-volume://{volume_fqn}` from every Service and Job that uses it, \
                 redeploy them, then delete the volume again."
            ),
            Error::TimedOut { volume_fqn, .. } => format!(
                "The deployment goes on without us: call `wait` on `{volume_fqn}` again with a \
                 longer timeout, or `status` later."
            ),
            Error::ChangedMeanwhile { volume_fqn, .. } => format!(
                "Someone else changed `{volume_fqn}`: call `get`, check its current manifest and \
                 size, then decide again with the new version."
            ),
            Error::Rejected { .. } => "Read the server's message, correct the named field and \
                 call again."
                .to_string(),
            Error::Conflict { .. } => "Another deployment of this volume is still in progress: \
                 wait until `get` shows a terminal status, then try again."
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
