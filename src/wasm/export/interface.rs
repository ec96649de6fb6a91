//! wasm only: the `full-access` world — every function inside the `volumes` interface.

use alloc::string::String;
use alloc::vec::Vec;

use super::bindings::exports::truefoundry::volumes::volumes::Guest;
use super::convert::{respond, Convert};
use super::{wit, Component, SURFACE};
use crate::offline::{advice, cache_volume, plan, snippet, static_volume};
use crate::wasm::client;

type Outcome<T> = Result<T, wit::VolumeError>;

impl Guest for Component {
    fn plan(request: wit::CreateRequest) -> Outcome<wit::CreatePlan> {
        respond(plan::plan(&request.convert()))
    }

    fn preflight(request: wit::CreateRequest) -> Outcome<wit::CreatePlan> {
        respond(client().preflight(&request.convert()))
    }

    fn interview(answers: Vec<wit::InterviewAnswer>) -> Outcome<wit::InterviewStep> {
        respond(client().interview(&answers.convert(), SURFACE))
    }

    fn create(request: wit::CreateRequest) -> Outcome<wit::Volume> {
        respond(client().create(&request.convert()))
    }

    fn list_volumes(workspace_fqn: String) -> Outcome<Vec<wit::Volume>> {
        respond(client().list(&workspace_fqn))
    }

    fn get(volume: String) -> Outcome<wit::Volume> {
        respond(client().get(&volume))
    }

    fn status(volume: String) -> Outcome<wit::VolumeStatus> {
        respond(client().status(&volume))
    }

    fn wait(volume: String, options: Option<wit::WaitOptions>) -> Outcome<wit::Volume> {
        respond(client().wait(&volume, options.convert()))
    }

    fn expand(request: wit::ExpandRequest) -> Outcome<wit::Volume> {
        respond(client().expand(&request.convert()))
    }

    fn delete(volume: String, confirm_name: String) -> Outcome<wit::Volume> {
        respond(client().delete(&volume, &confirm_name))
    }

    fn storage_classes(workspace_fqn: String) -> Outcome<wit::ClusterStorage> {
        respond(client().storage_classes(&workspace_fqn))
    }

    fn mount_snippet(request: wit::MountRequest) -> Outcome<wit::Snippet> {
        respond(snippet::render(&request.convert()))
    }

    fn recommend_size(request: wit::SizingRequest) -> Outcome<wit::SizingAdvice> {
        respond(advice::recommend_size(&request.convert()))
    }

    fn recommend_storage(needs: wit::StorageNeeds) -> Outcome<wit::StorageAdvice> {
        respond(advice::recommend_storage(&needs.convert()))
    }

    fn static_volume_recipe(request: wit::StaticVolumeRequest) -> Outcome<wit::StaticVolumeSetup> {
        respond(static_volume::recipe(&request.convert()))
    }

    fn cache_volume_snippet(request: wit::CacheVolumeRequest) -> Outcome<wit::Snippet> {
        respond(cache_volume::render(&request.convert()))
    }
}
