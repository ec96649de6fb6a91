//! wasm only: the wit-bindgen export of the world this build targets — `full-access` by
//! default, `tools` or `read-only-tools` with the cargo feature of that name. Each exported
//! function converts its input, calls the core, and converts the result; all WIT<->domain
//! conversions live in this module.

use alloc::string::String;

use crate::advice;
use crate::cache_volume;
use crate::client::Client;
use crate::error::{Error, ResourceKind};
use crate::model;
use crate::static_volume;
use crate::storage_class;
use crate::transport::Wasi;

#[cfg(all(feature = "tools", feature = "read-only-tools"))]
compile_error!("choose one world: the `tools` and `read-only-tools` features exclude each other");

// Generated glue is unsafe by nature (raw canonical-ABI lowering); the core stays safe.
// The tool worlds' flat parameters are the point of those worlds.
#[allow(unsafe_code, clippy::too_many_arguments)]
mod bindings {
    #[cfg(not(any(feature = "tools", feature = "read-only-tools")))]
    wit_bindgen::generate!({ path: "wit", world: "full-access" });
    #[cfg(feature = "tools")]
    wit_bindgen::generate!({ path: "wit", world: "tools" });
    #[cfg(feature = "read-only-tools")]
    wit_bindgen::generate!({ path: "wit", world: "read-only-tools" });
}

#[cfg(not(any(feature = "tools", feature = "read-only-tools")))]
mod interface;
#[cfg(any(feature = "tools", feature = "read-only-tools"))]
mod tools;

use bindings::truefoundry::volumes::types as wit;

/// The type the exports are implemented on.
struct Component;

/// A client over wasi:http and wasi:clocks, configured from the environment the host grants.
pub(crate) fn client() -> Client<Wasi> {
    Client::from_env(wasi::cli::environment::get_environment(), Wasi)
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
            wait: request.wait.map(Into::into),
        }
    }
}

impl From<wit::WaitOptions> for model::WaitOptions {
    fn from(options: wit::WaitOptions) -> Self {
        model::WaitOptions {
            interval_seconds: options.interval_seconds,
            timeout_seconds: options.timeout_seconds,
        }
    }
}

impl From<wit::ExpandRequest> for model::ExpandRequest {
    fn from(request: wit::ExpandRequest) -> Self {
        model::ExpandRequest {
            volume: request.volume,
            new_size_gi: request.new_size_gi,
            expected_version: request.expected_version,
            wait: request.wait.map(Into::into),
        }
    }
}

impl From<storage_class::Cloud> for wit::Cloud {
    fn from(cloud: storage_class::Cloud) -> Self {
        match cloud {
            storage_class::Cloud::Aws => wit::Cloud::Aws,
            storage_class::Cloud::Gcp => wit::Cloud::Gcp,
            storage_class::Cloud::Azure => wit::Cloud::Azure,
            storage_class::Cloud::Other => wit::Cloud::Other,
        }
    }
}

impl From<storage_class::StorageClassInfo> for wit::StorageClassInfo {
    fn from(class: storage_class::StorageClassInfo) -> Self {
        wit::StorageClassInfo {
            name: class.name,
            driver: class.driver,
            tier: class.tier,
            access_mode: class.access_mode,
            notes: class.notes,
            is_default: class.is_default,
        }
    }
}

impl From<storage_class::ClusterStorage> for wit::ClusterStorage {
    fn from(storage: storage_class::ClusterStorage) -> Self {
        wit::ClusterStorage {
            cluster_id: storage.cluster_id,
            cluster_type: storage.cluster_type,
            cloud: storage.cloud.into(),
            default_storage_class: storage.default_storage_class,
            storage_classes: storage
                .storage_classes
                .into_iter()
                .map(Into::into)
                .collect(),
            browser_hosts: storage.browser_hosts,
        }
    }
}

impl From<wit::UseCase> for advice::UseCase {
    fn from(use_case: wit::UseCase) -> Self {
        match use_case {
            wit::UseCase::ModelCache => advice::UseCase::ModelCache,
            wit::UseCase::TrainingDataset => advice::UseCase::TrainingDataset,
            wit::UseCase::Checkpoints => advice::UseCase::Checkpoints,
            wit::UseCase::General => advice::UseCase::General,
        }
    }
}

impl From<wit::Precision> for advice::Precision {
    fn from(precision: wit::Precision) -> Self {
        match precision {
            wit::Precision::Fp32 => advice::Precision::Fp32,
            wit::Precision::Fp16 => advice::Precision::Fp16,
            wit::Precision::Bf16 => advice::Precision::Bf16,
            wit::Precision::Int8 => advice::Precision::Int8,
            wit::Precision::Int4 => advice::Precision::Int4,
        }
    }
}

impl From<wit::SizingRequest> for advice::SizingRequest {
    fn from(request: wit::SizingRequest) -> Self {
        advice::SizingRequest {
            use_case: request.use_case.into(),
            parameters_billions: request.parameters_billions,
            precision: request.precision.map(Into::into),
            data_gi: request.data_gi,
            model_gi: request.model_gi,
            kept_checkpoints: request.kept_checkpoints,
        }
    }
}

impl From<advice::SizingAdvice> for wit::SizingAdvice {
    fn from(advice: advice::SizingAdvice) -> Self {
        wit::SizingAdvice {
            size_gi: advice.size_gi,
            rationale: advice.rationale,
            warnings: advice.warnings,
        }
    }
}

impl From<wit::StorageNeeds> for advice::StorageNeeds {
    fn from(needs: wit::StorageNeeds) -> Self {
        advice::StorageNeeds {
            data_gi: needs.data_gi,
            cross_region_access: needs.cross_region_access,
            concurrent_pod_access: needs.concurrent_pod_access,
            file_system_semantics: needs.file_system_semantics,
            low_latency_reads: needs.low_latency_reads,
            write_once_read_rarely: needs.write_once_read_rarely,
            cost_first: needs.cost_first,
        }
    }
}

impl From<advice::StorageAdvice> for wit::StorageAdvice {
    fn from(advice: advice::StorageAdvice) -> Self {
        wit::StorageAdvice {
            choice: match advice.choice {
                advice::StorageChoice::Volume => wit::StorageChoice::Volume,
                advice::StorageChoice::BlobStorage => wit::StorageChoice::BlobStorage,
            },
            reasons: advice.reasons,
            warnings: advice.warnings,
        }
    }
}

impl From<wit::PvProvider> for static_volume::PvProvider {
    fn from(provider: wit::PvProvider) -> Self {
        match provider {
            wit::PvProvider::AwsEfs => static_volume::PvProvider::AwsEfs,
            wit::PvProvider::AwsS3 => static_volume::PvProvider::AwsS3,
            wit::PvProvider::GcpGcs => static_volume::PvProvider::GcpGcs,
            wit::PvProvider::AzureFiles => static_volume::PvProvider::AzureFiles,
            wit::PvProvider::AzureBlob => static_volume::PvProvider::AzureBlob,
        }
    }
}

impl From<wit::StaticVolumeRequest> for static_volume::StaticVolumeRequest {
    fn from(request: wit::StaticVolumeRequest) -> Self {
        static_volume::StaticVolumeRequest {
            provider: request.provider.into(),
            workspace_fqn: request.workspace_fqn,
            volume_name: request.volume_name,
            persistent_volume_name: request.persistent_volume_name,
            capacity_gi: request.capacity_gi,
            file_system_id: request.file_system_id,
            access_point_id: request.access_point_id,
            bucket: request.bucket,
            region: request.region,
            service_account: request.service_account,
            storage_account: request.storage_account,
            share_or_container: request.share_or_container,
            resource_group: request.resource_group,
        }
    }
}

impl From<static_volume::StaticVolumePlan> for wit::StaticVolumePlan {
    fn from(plan: static_volume::StaticVolumePlan) -> Self {
        wit::StaticVolumePlan {
            persistent_volume_yaml: plan.persistent_volume_yaml,
            volume_manifest_json: plan.volume_manifest_json,
            steps: plan.steps,
            notes: plan.notes,
        }
    }
}

impl From<wit::CacheVolumeRequest> for cache_volume::CacheVolumeRequest {
    fn from(request: wit::CacheVolumeRequest) -> Self {
        cache_volume::CacheVolumeRequest {
            storage_class: request.storage_class,
            cache_size_gi: request.cache_size_gi,
            model_gi: request.model_gi,
            format: request.format.into(),
        }
    }
}

impl From<wit::ManifestFormat> for cache_volume::ManifestFormat {
    fn from(format: wit::ManifestFormat) -> Self {
        match format {
            wit::ManifestFormat::Json => cache_volume::ManifestFormat::Json,
            wit::ManifestFormat::Yaml => cache_volume::ManifestFormat::Yaml,
        }
    }
}

impl From<model::Snippet> for wit::Snippet {
    fn from(snippet: model::Snippet) -> Self {
        wit::Snippet {
            text: snippet.text,
            warnings: snippet.warnings,
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
            checked_online: plan.checked_online,
            storage_classes: plan.storage_classes,
            browser_hosts: plan.browser_hosts,
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
            per_pod_directories: request.per_pod_directories,
        }
    }
}

impl From<ResourceKind> for wit::ResourceKind {
    fn from(kind: ResourceKind) -> Self {
        match kind {
            ResourceKind::Cluster => wit::ResourceKind::Cluster,
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
            Error::DeploymentFailed {
                volume_fqn,
                api_status,
                message,
            } => wit::VolumeError::DeploymentFailed(wit::FailedDeployment {
                volume_fqn,
                api_status,
                message,
                fix: fix.clone(),
            }),
            Error::TimedOut {
                volume_fqn,
                last_status,
                waited_seconds,
            } => wit::VolumeError::TimedOut(wit::WaitTimeout {
                volume_fqn,
                last_status,
                waited_seconds,
                fix: fix.clone(),
            }),
            Error::ChangedMeanwhile {
                volume_fqn,
                expected_version,
                found_version,
            } => wit::VolumeError::ChangedMeanwhile(wit::VersionConflict {
                volume_fqn,
                expected_version,
                found_version,
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
