//! Creating a volume: resolve the workspace, make sure the name is free, submit the manifest,
//! check the answer names what was asked for, and optionally wait for it to run.

use super::clock::Clock;
use super::read;
use super::session::Session;
use super::wait::{self, WaitPolicy};
use crate::api::decode;
use crate::api::endpoints;
use crate::api::http::Transport;
use crate::api::status::NotFoundMeans;
use crate::error::{Error, ResourceKind, Result};
use crate::input::manifest::ValidCreate;
use crate::input::reference::VolumeRef;
use crate::model::Volume;

/// Creates the volume `valid` describes; refuses with [`Error::AlreadyExists`] when its name
/// is taken.
pub(super) fn create<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    valid: &ValidCreate,
    wait: Option<WaitPolicy>,
) -> Result<Volume> {
    let workspace = read::workspace_with_free_name(session, valid)?;
    let create = endpoints::create_or_update(&valid.manifest, &workspace.id);
    let not_found = NotFoundMeans {
        kind: ResourceKind::Workspace,
        name: &valid.manifest.workspace_fqn,
    };
    let response = session.call(&create, Some(not_found))?;
    let volume = decode::decode_deployment(&response)?;
    if volume.workspace_fqn != valid.manifest.workspace_fqn {
        return Err(Error::WorkspaceMismatch {
            volume_workspace: volume.workspace_fqn,
            requested_workspace: valid.manifest.workspace_fqn.clone(),
        });
    }
    match wait {
        Some(policy) => wait::follow(session, &VolumeRef::Id(volume.id), policy),
        None => Ok(volume),
    }
}
