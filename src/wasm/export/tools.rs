//! wasm only: the `tools` and `read-only-tools` worlds — the functions as top-level exports
//! with flat parameters, which agent runtimes turn into tools.

use alloc::string::String;
use alloc::vec::Vec;

use super::bindings::Guest;
use super::convert::{respond, Convert};
use super::{wit, Component};
use crate::model::{self, BrowserSettings, MountRequest, WaitOptions};
use crate::offline::advice::{self, SizingRequest, StorageNeeds};
use crate::offline::cache_volume::{self, CacheVolumeRequest};
use crate::offline::static_volume::{self, StaticVolumeRequest};
use crate::offline::{plan, snippet};
use crate::wasm::client;

/// The flat parameters every create-like tool takes.
#[allow(clippy::too_many_arguments)]
fn create_request(
    workspace_fqn: String,
    name: String,
    kind: wit::VolumeKind,
    size_gi: Option<u32>,
    storage_class: Option<String>,
    persistent_volume_name: Option<String>,
    browser_host: Option<String>,
    browser_path: Option<String>,
    browser_username: Option<String>,
    browser_password_secret_fqn: Option<String>,
    wait_timeout_seconds: Option<u32>,
) -> crate::Result<model::CreateRequest> {
    let browser = BrowserSettings::from_parts(
        browser_host,
        browser_path,
        browser_username,
        browser_password_secret_fqn,
    )?;
    Ok(model::CreateRequest {
        workspace_fqn,
        name,
        kind: kind.convert(),
        size_gi,
        storage_class,
        persistent_volume_name,
        browser,
        wait: wait_timeout_seconds.map(waiting_up_to),
        replace_failed: false,
    })
}

/// Wait options with the default interval and `timeout_seconds`.
fn waiting_up_to(timeout_seconds: u32) -> WaitOptions {
    WaitOptions {
        interval_seconds: None,
        timeout_seconds: Some(timeout_seconds),
    }
}

// Flat parameters are what agent runtimes turn into tool arguments.
#[allow(clippy::too_many_arguments)]
impl Guest for Component {
    fn plan_volume(
        workspace_fqn: String,
        name: String,
        kind: wit::VolumeKind,
        size_gi: Option<u32>,
        storage_class: Option<String>,
        persistent_volume_name: Option<String>,
        browser_host: Option<String>,
        browser_path: Option<String>,
        browser_username: Option<String>,
        browser_password_secret_fqn: Option<String>,
    ) -> Result<wit::CreatePlan, wit::VolumeError> {
        let request = create_request(
            workspace_fqn,
            name,
            kind,
            size_gi,
            storage_class,
            persistent_volume_name,
            browser_host,
            browser_path,
            browser_username,
            browser_password_secret_fqn,
            None,
        );
        respond(request.and_then(|request| plan::plan(&request)))
    }

    fn preflight_volume(
        workspace_fqn: String,
        name: String,
        kind: wit::VolumeKind,
        size_gi: Option<u32>,
        storage_class: Option<String>,
        persistent_volume_name: Option<String>,
        browser_host: Option<String>,
        browser_path: Option<String>,
        browser_username: Option<String>,
        browser_password_secret_fqn: Option<String>,
    ) -> Result<wit::CreatePlan, wit::VolumeError> {
        let request = create_request(
            workspace_fqn,
            name,
            kind,
            size_gi,
            storage_class,
            persistent_volume_name,
            browser_host,
            browser_path,
            browser_username,
            browser_password_secret_fqn,
            None,
        );
        respond(request.and_then(|request| client().preflight(&request)))
    }

    fn list_volumes(workspace_fqn: String) -> Result<Vec<wit::Volume>, wit::VolumeError> {
        respond(client().list(&workspace_fqn))
    }

    fn get_volume(volume: String) -> Result<wit::Volume, wit::VolumeError> {
        respond(client().get(&volume))
    }

    fn volume_status(volume: String) -> Result<wit::VolumeStatus, wit::VolumeError> {
        respond(client().status(&volume))
    }

    fn wait_for_volume(
        volume: String,
        timeout_seconds: Option<u32>,
    ) -> Result<wit::Volume, wit::VolumeError> {
        respond(client().wait(&volume, timeout_seconds.map(waiting_up_to)))
    }

    fn list_storage_classes(
        workspace_fqn: String,
    ) -> Result<wit::ClusterStorage, wit::VolumeError> {
        respond(client().storage_classes(&workspace_fqn))
    }

    fn volume_mount_snippet(
        volume_fqn: String,
        mount_path: String,
        sub_path: Option<String>,
        format: wit::SnippetFormat,
        per_pod_directories: bool,
    ) -> Result<wit::Snippet, wit::VolumeError> {
        let request = MountRequest {
            volume_fqn,
            mount_path,
            sub_path,
            format: format.convert(),
            per_pod_directories,
        };
        respond(snippet::render(&request))
    }

    fn recommend_volume_size(
        use_case: wit::UseCase,
        parameters_billions: Option<f64>,
        precision: Option<wit::Precision>,
        data_gi: Option<f64>,
        model_gi: Option<f64>,
        kept_checkpoints: Option<u32>,
    ) -> Result<wit::SizingAdvice, wit::VolumeError> {
        let request = SizingRequest {
            use_case: use_case.convert(),
            parameters_billions,
            precision: precision.convert(),
            data_gi,
            model_gi,
            kept_checkpoints,
        };
        respond(advice::recommend_size(&request))
    }

    fn recommend_storage(
        data_gi: Option<f64>,
        cross_region_access: bool,
        concurrent_pod_access: bool,
        file_system_semantics: bool,
        low_latency_reads: bool,
        write_once_read_rarely: bool,
        cost_first: bool,
    ) -> Result<wit::StorageAdvice, wit::VolumeError> {
        let needs = StorageNeeds {
            data_gi,
            cross_region_access,
            concurrent_pod_access,
            file_system_semantics,
            low_latency_reads,
            write_once_read_rarely,
            cost_first,
        };
        respond(advice::recommend_storage(&needs))
    }

    fn static_volume_recipe(
        provider: wit::PvProvider,
        workspace_fqn: String,
        volume_name: String,
        persistent_volume_name: Option<String>,
        capacity_gi: Option<u32>,
        file_system_id: Option<String>,
        access_point_id: Option<String>,
        bucket: Option<String>,
        region: Option<String>,
        service_account: Option<String>,
        storage_account: Option<String>,
        share_or_container: Option<String>,
        resource_group: Option<String>,
    ) -> Result<wit::StaticVolumeSetup, wit::VolumeError> {
        let request = StaticVolumeRequest {
            provider: provider.convert(),
            workspace_fqn,
            volume_name,
            persistent_volume_name,
            capacity_gi,
            file_system_id,
            access_point_id,
            bucket,
            region,
            service_account,
            storage_account,
            share_or_container,
            resource_group,
        };
        respond(static_volume::recipe(&request))
    }

    fn cache_volume_snippet(
        storage_class: String,
        cache_size_gi: Option<u32>,
        model_gi: Option<f64>,
        format: wit::ManifestFormat,
    ) -> Result<wit::Snippet, wit::VolumeError> {
        let request = CacheVolumeRequest {
            storage_class,
            cache_size_gi,
            model_gi,
            format: format.convert(),
        };
        respond(cache_volume::render(&request))
    }

    #[cfg(feature = "tools")]
    fn create_volume(
        workspace_fqn: String,
        name: String,
        kind: wit::VolumeKind,
        size_gi: Option<u32>,
        storage_class: Option<String>,
        persistent_volume_name: Option<String>,
        browser_host: Option<String>,
        browser_path: Option<String>,
        browser_username: Option<String>,
        browser_password_secret_fqn: Option<String>,
        wait_timeout_seconds: Option<u32>,
    ) -> Result<wit::Volume, wit::VolumeError> {
        let request = create_request(
            workspace_fqn,
            name,
            kind,
            size_gi,
            storage_class,
            persistent_volume_name,
            browser_host,
            browser_path,
            browser_username,
            browser_password_secret_fqn,
            wait_timeout_seconds,
        );
        respond(request.and_then(|request| client().create(&request)))
    }

    #[cfg(feature = "tools")]
    fn expand_volume(
        volume: String,
        new_size_gi: u32,
        expected_version: Option<u32>,
        wait_timeout_seconds: Option<u32>,
    ) -> Result<wit::Volume, wit::VolumeError> {
        let request = model::ExpandRequest {
            volume,
            new_size_gi,
            expected_version,
            wait: wait_timeout_seconds.map(waiting_up_to),
        };
        respond(client().expand(&request))
    }

    #[cfg(feature = "tools")]
    fn delete_volume(
        volume: String,
        confirm_name: String,
    ) -> Result<wit::Volume, wit::VolumeError> {
        respond(client().delete(&volume, &confirm_name))
    }
}
