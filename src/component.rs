//! wasm only: the wit-bindgen export. Each function converts its input, calls the core, and
//! converts the result; all WIT<->domain conversions live here.

use alloc::string::String;
use alloc::vec::Vec;

use crate::client::Client;
use crate::error::{Error, ResourceKind};
use crate::model;
use crate::transport::WasiHttp;
use crate::{plan, snippet};

// Generated glue is unsafe by nature (raw canonical-ABI lowering); the core stays safe.
#[allow(unsafe_code)]
mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "full-access",
    });
}

use bindings::exports::truefoundry::volumes::volumes::Guest;
use bindings::truefoundry::volumes::types as wit;

struct Component;

/// A client over wasi:http, configured from the environment the host grants.
fn client() -> Client<WasiHttp> {
    Client::from_env(wasi::cli::environment::get_environment(), WasiHttp)
}

impl Guest for Component {
    fn plan(request: wit::CreateRequest) -> Result<wit::CreatePlan, wit::VolumeError> {
        Ok(plan::plan(&request.into())?.into())
    }

    fn create(request: wit::CreateRequest) -> Result<wit::Volume, wit::VolumeError> {
        Ok(client().create(&request.into())?.into())
    }

    fn list(workspace_fqn: String) -> Result<Vec<wit::Volume>, wit::VolumeError> {
        let volumes = client().list(&workspace_fqn)?;
        Ok(volumes.into_iter().map(Into::into).collect())
    }

    fn get(volume: String) -> Result<wit::Volume, wit::VolumeError> {
        Ok(client().get(&volume)?.into())
    }

    fn mount_snippet(request: wit::MountRequest) -> Result<String, wit::VolumeError> {
        Ok(snippet::render(&request.into())?)
    }
}

// The export macro expands to `#[export_name]` functions, which count as unsafe code.
#[allow(unsafe_code)]
mod export {
    use super::{bindings, Component};
    bindings::export!(Component with_types_in bindings);
}

impl From<wit::VolumeKind> for model::VolumeKind {
    fn from(kind: wit::VolumeKind) -> Self {
        match kind {
            wit::VolumeKind::Dynamic => model::VolumeKind::Dynamic,
            wit::VolumeKind::Static => model::VolumeKind::Static,
        }
    }
}

impl From<model::VolumeKind> for wit::VolumeKind {
    fn from(kind: model::VolumeKind) -> Self {
        match kind {
            model::VolumeKind::Dynamic => wit::VolumeKind::Dynamic,
            model::VolumeKind::Static => wit::VolumeKind::Static,
        }
    }
}

impl From<wit::BrowserSettings> for model::BrowserSettings {
    fn from(settings: wit::BrowserSettings) -> Self {
        model::BrowserSettings {
            username: settings.username,
            password_secret_fqn: settings.password_secret_fqn,
            host: settings.host,
            path: settings.path,
        }
    }
}

impl From<wit::CreateRequest> for model::CreateRequest {
    fn from(request: wit::CreateRequest) -> Self {
        model::CreateRequest {
            workspace_fqn: request.workspace_fqn,
            name: request.name,
            kind: request.kind.into(),
            size_gi: request.size_gi,
            storage_class: request.storage_class,
            persistent_volume_name: request.persistent_volume_name,
            browser: request.browser.map(Into::into),
        }
    }
}

impl From<model::StatusPhase> for wit::StatusPhase {
    fn from(phase: model::StatusPhase) -> Self {
        match phase {
            model::StatusPhase::Deploying => wit::StatusPhase::Deploying,
            model::StatusPhase::Running => wit::StatusPhase::Running,
            model::StatusPhase::Failed => wit::StatusPhase::Failed,
            model::StatusPhase::Paused => wit::StatusPhase::Paused,
            model::StatusPhase::Cancelled => wit::StatusPhase::Cancelled,
            model::StatusPhase::Unknown => wit::StatusPhase::Unknown,
        }
    }
}

impl From<model::VolumeStatus> for wit::VolumeStatus {
    fn from(status: model::VolumeStatus) -> Self {
        wit::VolumeStatus {
            phase: status.phase.into(),
            api_status: status.api_status,
            display: status.display,
            terminal: status.terminal,
            message: status.message,
        }
    }
}

impl From<model::Volume> for wit::Volume {
    fn from(volume: model::Volume) -> Self {
        wit::Volume {
            id: volume.id,
            name: volume.name,
            fqn: volume.fqn,
            mount_reference: volume.mount_reference,
            workspace_fqn: volume.workspace_fqn,
            kind: volume.kind.into(),
            size_gi: volume.size_gi,
            storage_class: volume.storage_class,
            persistent_volume_name: volume.persistent_volume_name,
            status: volume.status.into(),
            version: volume.version,
            created_at: volume.created_at,
            browser_url: volume.browser_url,
            browser_username: volume.browser_username,
        }
    }
}

impl From<model::CreatePlan> for wit::CreatePlan {
    fn from(plan: model::CreatePlan) -> Self {
        wit::CreatePlan {
            summary: plan.summary,
            manifest_json: plan.manifest_json,
            warnings: plan.warnings,
        }
    }
}

impl From<wit::SnippetFormat> for model::SnippetFormat {
    fn from(format: wit::SnippetFormat) -> Self {
        match format {
            wit::SnippetFormat::PythonSdk => model::SnippetFormat::PythonSdk,
            wit::SnippetFormat::JsonMount => model::SnippetFormat::JsonMount,
            wit::SnippetFormat::ServiceManifest => model::SnippetFormat::ServiceManifest,
            wit::SnippetFormat::JobManifest => model::SnippetFormat::JobManifest,
            wit::SnippetFormat::Yaml => model::SnippetFormat::Yaml,
        }
    }
}

impl From<wit::MountRequest> for model::MountRequest {
    fn from(request: wit::MountRequest) -> Self {
        model::MountRequest {
            volume_fqn: request.volume_fqn,
            mount_path: request.mount_path,
            sub_path: request.sub_path,
            format: request.format.into(),
        }
    }
}

impl From<ResourceKind> for wit::ResourceKind {
    fn from(kind: ResourceKind) -> Self {
        match kind {
            ResourceKind::Workspace => wit::ResourceKind::Workspace,
            ResourceKind::Volume => wit::ResourceKind::Volume,
        }
    }
}

impl From<Error> for wit::VolumeError {
    fn from(error: Error) -> Self {
        let fix = error.fix();
        let reply = |status: u16, message: String| wit::ServerReply {
            status,
            message,
            fix: fix.clone(),
        };
        let failure =
            |volume_fqn: String, resource: String, message: String| wit::DeploymentFailure {
                volume_fqn,
                missing_name: resource,
                message,
                fix: fix.clone(),
            };
        match error {
            Error::InvalidInput {
                field,
                problem,
                fix,
            } => wit::VolumeError::InvalidInput(wit::FieldProblem {
                field,
                problem,
                fix,
            }),
            Error::MissingConfiguration { variable, problem } => {
                wit::VolumeError::MissingConfiguration(wit::FieldProblem {
                    field: variable,
                    problem,
                    fix: fix.clone(),
                })
            }
            Error::Unauthorized { status, message } => {
                wit::VolumeError::Unauthorized(reply(status, message))
            }
            Error::PermissionDenied { status, message } => {
                wit::VolumeError::PermissionDenied(reply(status, message))
            }
            Error::NotFound { kind, name } => wit::VolumeError::NotFound(wit::MissingResource {
                kind: kind.into(),
                name,
                fix: fix.clone(),
            }),
            Error::AlreadyExists {
                name,
                workspace_fqn,
                id,
            } => wit::VolumeError::AlreadyExists(wit::ExistingVolume {
                name,
                workspace_fqn,
                id,
                fix: fix.clone(),
            }),
            Error::SizeCannotBeReduced {
                current_gi,
                requested_gi,
            } => wit::VolumeError::SizeCannotBeReduced(wit::SizeChange {
                current_gi,
                requested_gi,
                fix: fix.clone(),
            }),
            Error::StorageClassUnavailable {
                volume_fqn,
                storage_class,
                message,
            } => wit::VolumeError::StorageClassUnavailable(failure(
                volume_fqn,
                storage_class,
                message,
            )),
            Error::PersistentVolumeNotFound {
                volume_fqn,
                persistent_volume,
                message,
            } => wit::VolumeError::PersistentVolumeNotFound(failure(
                volume_fqn,
                persistent_volume,
                message,
            )),
            Error::WorkspaceMismatch {
                volume_workspace,
                requested_workspace,
            } => wit::VolumeError::WorkspaceMismatch(wit::WorkspaceConflict {
                volume_workspace,
                requested_workspace,
                fix: fix.clone(),
            }),
            Error::Rejected { status, message } => {
                wit::VolumeError::Rejected(reply(status, message))
            }
            Error::Conflict { status, message } => {
                wit::VolumeError::Conflict(reply(status, message))
            }
            Error::HttpStatus { status, message } => {
                wit::VolumeError::HttpStatus(reply(status, message))
            }
            Error::Transport { message } => wit::VolumeError::Transport(wit::FailureDetail {
                message,
                fix: fix.clone(),
            }),
            Error::UndecodableResponse { status, detail } => {
                wit::VolumeError::UndecodableResponse(wit::BadResponse {
                    status,
                    detail,
                    fix: fix.clone(),
                })
            }
        }
    }
}
