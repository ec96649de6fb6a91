//! wasm only: the `full-access` world — every function inside the `volumes` interface.

use alloc::string::String;
use alloc::vec::Vec;

use super::bindings::exports::truefoundry::volumes::volumes::Guest;
use super::{client, wit, Component};
use crate::{advice, cache_volume, plan, snippet, static_volume};

impl Guest for Component {
    fn plan(request: wit::CreateRequest) -> Result<wit::CreatePlan, wit::VolumeError> {
        Ok(plan::plan(&request.into())?.into())
    }

    fn preflight(request: wit::CreateRequest) -> Result<wit::CreatePlan, wit::VolumeError> {
        Ok(client().preflight(&request.into())?.into())
    }

    fn create(request: wit::CreateRequest) -> Result<wit::Volume, wit::VolumeError> {
        Ok(client().create(&request.into())?.into())
    }

    fn list_volumes(workspace_fqn: String) -> Result<Vec<wit::Volume>, wit::VolumeError> {
        let volumes = client().list(&workspace_fqn)?;
        Ok(volumes.into_iter().map(Into::into).collect())
    }

    fn get(volume: String) -> Result<wit::Volume, wit::VolumeError> {
        Ok(client().get(&volume)?.into())
    }

    fn status(volume: String) -> Result<wit::VolumeStatus, wit::VolumeError> {
        Ok(client().status(&volume)?.into())
    }

    fn wait(
        volume: String,
        options: Option<wit::WaitOptions>,
    ) -> Result<wit::Volume, wit::VolumeError> {
        Ok(client().wait(&volume, options.map(Into::into))?.into())
    }

    fn expand(request: wit::ExpandRequest) -> Result<wit::Volume, wit::VolumeError> {
        Ok(client().expand(&request.into())?.into())
    }

    fn storage_classes(workspace_fqn: String) -> Result<wit::ClusterStorage, wit::VolumeError> {
        Ok(client().storage_classes(&workspace_fqn)?.into())
    }

    fn mount_snippet(request: wit::MountRequest) -> Result<wit::Snippet, wit::VolumeError> {
        Ok(snippet::render(&request.into())?.into())
    }

    fn recommend_size(request: wit::SizingRequest) -> Result<wit::SizingAdvice, wit::VolumeError> {
        Ok(advice::recommend_size(&request.into())?.into())
    }

    fn recommend_storage(needs: wit::StorageNeeds) -> Result<wit::StorageAdvice, wit::VolumeError> {
        Ok(advice::recommend_storage(&needs.into())?.into())
    }

    fn static_volume_recipe(
        request: wit::StaticVolumeRequest,
    ) -> Result<wit::StaticVolumePlan, wit::VolumeError> {
        Ok(static_volume::recipe(&request.into())?.into())
    }

    fn cache_volume_snippet(
        request: wit::CacheVolumeRequest,
    ) -> Result<wit::Snippet, wit::VolumeError> {
        Ok(cache_volume::render(&request.into())?.into())
    }
}
