//! wasm only: the `tools` and `read-only-tools` worlds — one top-level export per task, every
//! parameter required, which agent runtimes turn into tools. Each builds the core's request
//! from its parameters (the rest left to the core's defaults) and calls the core.

use alloc::string::String;
use alloc::vec::Vec;

use super::bindings::Guest;
use super::convert::{respond, Convert};
use super::{wit, Component, SURFACE};
use crate::model::MountRequest;
use crate::offline::advice::{self, SizingRequest, StorageNeeds, UseCase};
use crate::offline::cache_volume::{self, CacheVolumeRequest};
use crate::offline::snippet;
use crate::offline::static_volume::{self, PvProvider, StaticVolumeRequest};
use crate::wasm::client;

type Outcome<T> = Result<T, wit::VolumeError>;

fn recipe(request: StaticVolumeRequest) -> Outcome<wit::StaticVolumeSetup> {
    respond(static_volume::recipe(&request))
}

/// [`recipe`] for an Azure tool, whose share or container parameter is named `parameter`
/// rather than the interface's `share-or-container`.
fn azure_recipe(request: StaticVolumeRequest, parameter: &str) -> Outcome<wit::StaticVolumeSetup> {
    recipe(request).map_err(|error| match error {
        wit::VolumeError::InvalidInput(mut problem) if problem.field == "share-or-container" => {
            problem.field = parameter.into();
            wit::VolumeError::InvalidInput(problem)
        }
        other => other,
    })
}

fn sizing(request: SizingRequest) -> Outcome<wit::SizingAdvice> {
    respond(advice::recommend_size(&request))
}

// Flat parameters are what agent runtimes turn into tool arguments.
#[allow(clippy::too_many_arguments)]
impl Guest for Component {
    fn volume_interview(answers: Vec<wit::InterviewAnswer>) -> Outcome<wit::InterviewStep> {
        respond(client().interview(&answers.convert(), SURFACE))
    }

    fn list_volumes(workspace_fqn: String) -> Outcome<Vec<wit::Volume>> {
        respond(client().list(&workspace_fqn))
    }

    fn get_volume(volume: String) -> Outcome<wit::Volume> {
        respond(client().get(&volume))
    }

    fn volume_status(volume: String) -> Outcome<wit::VolumeStatus> {
        respond(client().status(&volume))
    }

    fn wait_for_volume(volume: String) -> Outcome<wit::Volume> {
        respond(client().wait(&volume, None))
    }

    fn list_storage_classes(workspace_fqn: String) -> Outcome<wit::ClusterStorage> {
        respond(client().storage_classes(&workspace_fqn))
    }

    fn volume_mount_snippet(
        volume_fqn: String,
        mount_path: String,
        format: wit::SnippetFormat,
    ) -> Outcome<wit::Snippet> {
        respond(snippet::render(&MountRequest {
            volume_fqn,
            mount_path,
            sub_path: None,
            format: format.convert(),
            per_pod_directories: false,
        }))
    }

    fn recommend_model_cache_size(
        parameters_billions: f64,
        precision: wit::Precision,
    ) -> Outcome<wit::SizingAdvice> {
        sizing(SizingRequest {
            parameters_billions: Some(parameters_billions),
            precision: Some(precision.convert()),
            ..SizingRequest::new(UseCase::ModelCache)
        })
    }

    fn recommend_dataset_volume_size(data_gi: f64) -> Outcome<wit::SizingAdvice> {
        sizing(SizingRequest {
            data_gi: Some(data_gi),
            ..SizingRequest::new(UseCase::TrainingDataset)
        })
    }

    fn recommend_checkpoint_volume_size(
        model_gi: f64,
        kept_checkpoints: u32,
    ) -> Outcome<wit::SizingAdvice> {
        sizing(SizingRequest {
            model_gi: Some(model_gi),
            kept_checkpoints: Some(kept_checkpoints),
            ..SizingRequest::new(UseCase::Checkpoints)
        })
    }

    fn recommend_storage(
        data_gi: f64,
        cross_region_access: bool,
        concurrent_pod_access: bool,
        file_system_semantics: bool,
        low_latency_reads: bool,
        write_once_read_rarely: bool,
        cost_first: bool,
    ) -> Outcome<wit::StorageAdvice> {
        // 0 GiB, the tool's "unknown", advises as no size at all does.
        respond(advice::recommend_storage(&StorageNeeds {
            data_gi: Some(data_gi),
            cross_region_access,
            concurrent_pod_access,
            file_system_semantics,
            low_latency_reads,
            write_once_read_rarely,
            cost_first,
        }))
    }

    fn aws_efs_volume_recipe(
        workspace_fqn: String,
        volume_name: String,
        file_system_id: String,
        access_point_id: String,
    ) -> Outcome<wit::StaticVolumeSetup> {
        recipe(StaticVolumeRequest {
            file_system_id: Some(file_system_id),
            access_point_id: Some(access_point_id),
            ..StaticVolumeRequest::new(PvProvider::AwsEfs, workspace_fqn, volume_name)
        })
    }

    fn aws_s3_volume_recipe(
        workspace_fqn: String,
        volume_name: String,
        bucket: String,
        region: String,
    ) -> Outcome<wit::StaticVolumeSetup> {
        recipe(StaticVolumeRequest {
            bucket: Some(bucket),
            region: Some(region),
            ..StaticVolumeRequest::new(PvProvider::AwsS3, workspace_fqn, volume_name)
        })
    }

    fn gcs_volume_recipe(
        workspace_fqn: String,
        volume_name: String,
        bucket: String,
        service_account: String,
    ) -> Outcome<wit::StaticVolumeSetup> {
        recipe(StaticVolumeRequest {
            bucket: Some(bucket),
            service_account: Some(service_account),
            ..StaticVolumeRequest::new(PvProvider::GcpGcs, workspace_fqn, volume_name)
        })
    }

    fn azure_files_volume_recipe(
        workspace_fqn: String,
        volume_name: String,
        storage_account: String,
        share: String,
        resource_group: String,
    ) -> Outcome<wit::StaticVolumeSetup> {
        azure_recipe(
            StaticVolumeRequest {
                storage_account: Some(storage_account),
                share_or_container: Some(share),
                resource_group: Some(resource_group),
                ..StaticVolumeRequest::new(PvProvider::AzureFiles, workspace_fqn, volume_name)
            },
            "share",
        )
    }

    fn azure_blob_volume_recipe(
        workspace_fqn: String,
        volume_name: String,
        storage_account: String,
        container: String,
        resource_group: String,
    ) -> Outcome<wit::StaticVolumeSetup> {
        azure_recipe(
            StaticVolumeRequest {
                storage_account: Some(storage_account),
                share_or_container: Some(container),
                resource_group: Some(resource_group),
                ..StaticVolumeRequest::new(PvProvider::AzureBlob, workspace_fqn, volume_name)
            },
            "container",
        )
    }

    fn cache_volume_snippet(
        storage_class: String,
        cache_size_gi: u32,
        format: wit::ManifestFormat,
    ) -> Outcome<wit::Snippet> {
        respond(cache_volume::render(&CacheVolumeRequest {
            storage_class,
            cache_size_gi: Some(cache_size_gi),
            model_gi: None,
            format: format.convert(),
        }))
    }

    #[cfg(feature = "tools")]
    fn create_volume(answers: Vec<wit::InterviewAnswer>) -> Outcome<wit::Volume> {
        respond(client().create_from_answers(&answers.convert()))
    }

    #[cfg(feature = "tools")]
    fn expand_volume(volume: String, new_size_gi: u32) -> Outcome<wit::Volume> {
        respond(client().expand(&crate::model::ExpandRequest {
            volume,
            new_size_gi,
            expected_version: None,
            wait: None,
        }))
    }

    #[cfg(feature = "tools")]
    fn delete_volume(volume: String, confirm_name: String) -> Outcome<wit::Volume> {
        respond(client().delete(&volume, &confirm_name))
    }
}
