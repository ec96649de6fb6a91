//! Creating a volume: resolve the workspace, make sure the name is free (or held by a failed
//! volume the caller asked to replace), submit the manifest, check the answer names what was
//! asked for, and optionally wait for it to run.

use alloc::format;
use alloc::string::String;

use super::clock::Clock;
use super::read;
use super::session::Session;
use super::wait::{self, WaitPolicy};
use crate::api::decode::{self, ExistingApplication};
use crate::api::endpoints;
use crate::api::http::Transport;
use crate::api::status::NotFoundMeans;
use crate::error::{Error, ResourceKind, Result};
use crate::input::manifest::ValidCreate;
use crate::input::reference::VolumeRef;
use crate::model::{StatusPhase, Volume};

/// Creates the volume `valid` describes; refuses with [`Error::AlreadyExists`] when its name
/// is taken (unless [`may_replace`] allows it).
pub(super) fn create<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    valid: &ValidCreate,
    wait: Option<WaitPolicy>,
) -> Result<Volume> {
    let workspace = read::workspace(session, &valid.workspace)?;
    if let Some(holder) = read::holder_of_name(session, &valid.workspace, &valid.manifest.name)? {
        may_replace(valid, holder)?;
    }
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
    let asked = format!("{}:{}", valid.workspace, valid.manifest.name);
    if volume.fqn != asked {
        return Err(Error::UndecodableResponse {
            status: response.status,
            detail: format!(
                "the control plane answered the create of `{asked}` with the volume `{}`; \
                 check with `get` which volumes exist now",
                volume.fqn
            ),
        });
    }
    match wait {
        Some(policy) => wait::follow(session, &VolumeRef::Id(volume.id), policy),
        None => Ok(volume),
    }
}

/// Whether the application `holder`, which already has the name `valid` asks for, may be
/// replaced: only when the caller asked for it and [`replace_refusal`] finds no reason
/// against it. Otherwise the error to return.
pub(super) fn may_replace(valid: &ValidCreate, holder: ExistingApplication) -> Result<()> {
    if !valid.replace_failed {
        return Err(read::name_taken(
            &valid.workspace,
            &valid.manifest.name,
            holder,
        ));
    }
    match replace_refusal(&holder) {
        None => Ok(()),
        Some(reason) => Err(Error::invalid(
            "replace-failed",
            format!("`{}` cannot be replaced: {reason}", valid.manifest.name),
            "Only a volume that never ran and whose last deployment failed can be \
             replaced. Choose another name, or expand or delete the existing volume.",
        )),
    }
}

/// Why `holder` must not be replaced, or `None` when it is a volume that never ran and
/// whose latest deployment failed (and is not being deleted).
pub(super) fn replace_refusal(holder: &ExistingApplication) -> Option<String> {
    if holder.application_type != "volume" {
        Some(format!("it is a {}, not a volume", holder.application_type))
    } else if holder.ever_ran {
        Some("it has run before, so it may hold data".into())
    } else if holder.latest_phase != StatusPhase::Failed {
        Some("its latest deployment did not fail".into())
    } else if holder.lifecycle_stage == "deleting" {
        Some("it is being deleted".into())
    } else {
        None
    }
}
