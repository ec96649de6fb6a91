//! Read-only checks against the control plane: a workspace's cluster storage, and `plan`
//! checked online (workspace exists, name free, storage class offered, browser host served).
//! What the answers mean for the plan is [`plan::checked_online`]'s.

use alloc::format;
use alloc::string::String;

use super::clock::Clock;
use super::create;
use super::read;
use super::session::Session;
use crate::api::decode;
use crate::api::endpoints;
use crate::api::http::Transport;
use crate::api::status::NotFoundMeans;
use crate::error::{Error, ResourceKind, Result};
use crate::input::fqn::WorkspaceFqn;
use crate::input::manifest::ValidCreate;
use crate::input::validate;
use crate::model::CreatePlan;
use crate::offline::plan;
use crate::offline::storage_class::ClusterStorage;

/// The storage classes and browser hosts of a workspace's cluster.
pub(super) fn storage_classes<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    workspace: &WorkspaceFqn,
) -> Result<ClusterStorage> {
    let cluster_id = read::workspace(session, workspace)?.cluster_id;
    cluster_storage(session, &cluster_id)
}

fn cluster_storage<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    cluster_id: &str,
) -> Result<ClusterStorage> {
    validate::application_id("cluster", cluster_id).map_err(|_| Error::UndecodableResponse {
        status: 200,
        detail: format!("the workspace names a malformed cluster id `{cluster_id}`"),
    })?;
    let not_found = NotFoundMeans {
        kind: ResourceKind::Cluster,
        name: cluster_id,
    };
    let response = session.call(&endpoints::get_cluster(cluster_id), Some(not_found))?;
    decode::decode_cluster(&response, cluster_id).map(ClusterStorage::from_facts)
}

/// `plan`, the offline plan of `valid`, checked against the control plane with read-only
/// requests: the workspace exists, the name is free, the class and browser host fit the
/// cluster (warnings only).
pub(super) fn preflight<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    valid: &ValidCreate,
    plan: CreatePlan,
) -> Result<CreatePlan> {
    let workspace = read::workspace(session, &valid.workspace)?;
    let replacing = match read::holder_of_name(session, &valid.workspace, &valid.manifest.name)? {
        Some(holder) => {
            let id = holder.id.clone();
            create::may_replace(valid, holder)?;
            Some(id)
        }
        None => None,
    };
    let storage = readable_storage(session, &workspace.cluster_id)?;
    Ok(plan::checked_online(
        plan,
        &valid.manifest,
        replacing.as_deref(),
        storage.as_ref().map_err(String::as_str),
    ))
}

/// The storage of the cluster `cluster_id`, or the warning to give when this key may not
/// read it: that must not block a plan.
pub(super) fn readable_storage<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    cluster_id: &str,
) -> Result<core::result::Result<ClusterStorage, String>> {
    match cluster_storage(session, cluster_id) {
        Ok(storage) => Ok(Ok(storage)),
        Err(error @ (Error::PermissionDenied { .. } | Error::NotFound { .. })) => Ok(Err(format!(
            "Could not read the cluster `{cluster_id}` to check the storage class and browser \
             host: {error}."
        ))),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Client;
    use crate::input::manifest::tests::dynamic_request;
    use crate::model::{BrowserSettings, CreateRequest};
    use crate::offline::storage_class::Cloud;
    use crate::testing::{empty_page, volume_item, Scripted, VirtualClock, ENV};
    use alloc::vec;
    use alloc::vec::Vec;
    use serde_json::json;

    fn workspace_page() -> serde_json::Value {
        json!({"data":[{"id":"ws-123","fqn":"c1:ws1","clusterId":"c1"}],"pagination":{"total":1}})
    }

    fn cluster() -> serde_json::Value {
        json!({"data":{"id":"c1","manifest":{"cluster_type":"aws-eks",
            "base_domains":["*.ml.example.com"],"workbench_config":{"default_storage_class":"efs-sc"}}}})
    }

    #[test]
    fn preflight_reads_workspace_name_and_cluster() {
        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (200, empty_page()),
            (200, cluster()),
        ]);
        let request = CreateRequest {
            storage_class: Some("gp3".into()),
            browser: Some(BrowserSettings {
                host: "other.example.org".into(),
                password_secret_fqn: Some("tfy-secret://a:b:c".into()),
                ..Default::default()
            }),
            ..dynamic_request()
        };
        let plan = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .preflight(&request)
            .unwrap();
        assert!(plan.checked_online);
        assert_eq!(plan.storage_classes, ["efs-sc"]);
        assert_eq!(plan.browser_hosts, ["ml.example.com"]);
        assert_eq!(plan.warnings.len(), 2, "{:?}", plan.warnings);
        assert!(plan.warnings[0].contains("`gp3`"));
        assert!(plan.warnings[1].contains("`other.example.org`"));
        assert_eq!(
            transport.paths(),
            [
                "/api/svc/v1/workspaces?fqn=c1%3Aws1",
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data&offset=0&limit=200",
                "/api/svc/v1/clusters/c1",
            ]
        );
    }

    #[test]
    fn preflight_refuses_a_taken_name() {
        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (
                200,
                json!({"data":[volume_item("app-9","training-data")],"pagination":{"total":1}}),
            ),
        ]);
        let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .preflight(&dynamic_request())
            .unwrap_err();
        assert!(matches!(error, Error::AlreadyExists { ref id, .. } if id == "app-9"));
    }

    #[test]
    fn an_unreadable_cluster_is_a_warning() {
        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (200, empty_page()),
            (
                403,
                json!({"statusCode":403,"message":"no access to cluster"}),
            ),
        ]);
        let plan = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .preflight(&dynamic_request())
            .unwrap();
        assert!(plan.checked_online);
        assert_eq!(plan.storage_classes, Vec::<String>::new());
        assert!(
            plan.warnings[0].contains("no access to cluster"),
            "{:?}",
            plan.warnings
        );
    }

    #[test]
    fn storage_classes_follow_the_workspace_to_its_cluster() {
        let mut transport = Scripted::answering(vec![(200, workspace_page()), (200, cluster())]);
        let storage = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .storage_classes("c1:ws1")
            .unwrap();
        assert_eq!(
            (storage.cluster_id.as_str(), storage.cloud),
            ("c1", Cloud::Aws)
        );
        assert!(storage.storage_classes[0].is_default);
        assert_eq!(transport.paths()[1], "/api/svc/v1/clusters/c1");
    }
}
