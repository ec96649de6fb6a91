//! Growing a dynamic volume: re-submit its deployed manifest with only `config.size` changed,
//! guarding against shrinking and against lost updates.
//!
//! The API has no conditional write (no ETag or version precondition on `PUT /apps`), so the
//! guard is two-sided: refuse before writing when the volume is not at the version the
//! caller read, and report after writing when someone else deployed in between.

use alloc::format;
use alloc::string::ToString;

use super::clock::Clock;
use super::read;
use super::session::Session;
use super::wait::{self, WaitPolicy};
use crate::api::decode;
use crate::api::endpoints;
use crate::api::http::Transport;
use crate::api::status::NotFoundMeans;
use crate::error::{Error, ResourceKind, Result};
use crate::input::fqn::WorkspaceFqn;
use crate::input::reference::VolumeRef;
use crate::model::{ExpandRequest, Volume, VolumeKind};

/// Grows the volume `reference` names to `request.new_size_gi`.
pub(super) fn expand<T: Transport, C: Clock>(
    session: &mut Session<T, C>,
    request: &ExpandRequest,
    reference: &VolumeRef,
    wait: Option<WaitPolicy>,
) -> Result<Volume> {
    let id = match reference {
        VolumeRef::Id(id) => id.clone(),
        VolumeRef::Fqn(_) => read::fetch(session, reference)?.id,
    };
    let not_found = NotFoundMeans {
        kind: ResourceKind::Volume,
        name: &request.volume,
    };
    let response = session.call(&endpoints::get_application(&id), Some(not_found))?;
    let deployed = decode::decode_deployed(&response, &id)?;
    let volume = &deployed.volume;
    // Write only to the volume the caller named: the manifest goes back as the server sent
    // it, and a PUT of a manifest naming another volume would change that one instead.
    let named_other = |what: &str| Error::UndecodableResponse {
        status: response.status,
        detail: format!(
            "asked for `{}`, the control plane answered with {what}; nothing was written",
            request.volume.trim()
        ),
    };
    if volume.id != id {
        return Err(named_other(&format!("the volume id `{}`", volume.id)));
    }
    if let VolumeRef::Fqn(fqn) = reference {
        if volume.fqn != fqn.to_string() {
            return Err(named_other(&format!("the volume `{}`", volume.fqn)));
        }
    }
    let manifest_says = |key: &str| {
        deployed
            .manifest
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(ToString::to_string)
    };
    if manifest_says("name").as_deref() != Some(volume.name.as_str()) {
        return Err(named_other("a manifest named otherwise"));
    }
    if manifest_says("workspace_fqn").is_some_and(|fqn| fqn != volume.workspace_fqn) {
        return Err(named_other("a manifest of another workspace"));
    }
    let read_version = check_expandable(volume, request)?;
    let workspace = WorkspaceFqn::parse("volume", &volume.workspace_fqn)?;
    let workspace_id = read::workspace(session, &workspace)?.id;
    if deployed
        .workspace_id
        .as_ref()
        .is_some_and(|claimed| *claimed != workspace_id)
    {
        return Err(named_other("a volume of another workspace id"));
    }
    let update =
        endpoints::resubmit_with_size(&deployed.manifest, request.new_size_gi, &workspace_id);
    let response = session.call(&update, None)?;
    let expanded = decode::decode_deployment(&response)?;
    if expanded.id != id || expanded.fqn != volume.fqn {
        return Err(Error::UndecodableResponse {
            status: response.status,
            detail: format!(
                "the control plane answered the expand of `{}` with `{}`; check with `get` \
                 what it holds now",
                volume.fqn, expanded.fqn
            ),
        });
    }
    // The write is not conditional: a version other than ours + 1 means someone else
    // deployed between our read and our write.
    if let (Some(read), Some(written)) = (read_version, expanded.version) {
        // Versions are at most `decode::MAX_VERSION`, so this cannot overflow.
        let ours = read.saturating_add(1);
        if written != ours {
            return Err(Error::ChangedMeanwhile {
                volume_fqn: expanded.fqn,
                expected_version: ours,
                found_version: written,
            });
        }
    }
    match wait {
        Some(policy) => wait::follow(session, &VolumeRef::Id(expanded.id), policy),
        None => Ok(expanded),
    }
}

/// The local refusals, in the order a user would want to hear them. Returns the version read.
fn check_expandable(volume: &Volume, request: &ExpandRequest) -> Result<Option<u32>> {
    if let (Some(expected), Some(found)) = (request.expected_version, volume.version) {
        if expected != found {
            return Err(Error::ChangedMeanwhile {
                volume_fqn: volume.fqn.clone(),
                expected_version: expected,
                found_version: found,
            });
        }
    }
    if volume.kind == VolumeKind::Static {
        return Err(Error::invalid(
            "volume",
            format!(
                "`{}` is a static volume: its size is that of the PersistentVolume `{}`",
                volume.fqn,
                volume.persistent_volume_name.as_deref().unwrap_or("?")
            ),
            "Grow the underlying storage (EFS, S3 and GCS need nothing; Azure Files: resize \
             the share), or create a larger dynamic volume and copy the data.",
        ));
    }
    let Some(current) = volume.size_gi else {
        return Err(Error::UndecodableResponse {
            status: 200,
            detail: format!("volume {}: its manifest has no `config.size`", volume.fqn),
        });
    };
    if request.new_size_gi < current {
        return Err(Error::SizeCannotBeReduced {
            current_gi: current,
            requested_gi: request.new_size_gi,
        });
    }
    if request.new_size_gi == current {
        return Err(Error::invalid(
            "new-size-gi",
            format!("`{}` already has {current} Gi", volume.fqn),
            "Pass a size larger than the current one; nothing needs to change otherwise.",
        ));
    }
    if !volume.status.terminal {
        return Err(Error::Conflict {
            status: 409,
            message: format!(
                "version {} of `{}` is still deploying ({})",
                volume.version.unwrap_or_default(),
                volume.fqn,
                volume.status.display
            ),
        });
    }
    Ok(volume.version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::http::Method;
    use crate::client::Client;
    use crate::testing::{workspace_page, Scripted, VirtualClock, ENV};
    use alloc::vec;
    use alloc::vec::Vec;
    use serde_json::{json, Value};

    fn app(version: u32, config: Value, status: &str, terminal: bool) -> Value {
        json!({"data":{"id":"app-1","name":"v1x","fqn":"c1:ws1:v1x","type":"volume",
            "workspaceFqn":"c1:ws1","workspaceId":"ws-123","deployment":{"version":version,
            "manifest":{"type":"volume","name":"v1x","workspace_fqn":"c1:ws1","config":config,
                        "volume_browser":{"username":"admin","endpoint":{"host":"a.example.com","path":"/v/"}}},
            "currentStatus":{"status":status,"state":{"isTerminalState":terminal}}}}})
    }

    fn dynamic(size: u32) -> Value {
        json!({"type":"dynamic","storage_class":"efs-sc","size":size,"access_modes":["ReadWriteMany"]})
    }

    fn deployment(version: u32, size: u32) -> Value {
        json!({"data":{"version":version,"fqn":format!("c1:ws1:v1x:{version}"),"applicationId":"app-1",
            "manifest":{"type":"volume","name":"v1x","workspace_fqn":"c1:ws1","config":dynamic(size)},
            "currentStatus":{"status":"INITIALIZED","state":{"isTerminalState":false}}}})
    }

    fn request(size: u32, expected: Option<u32>) -> ExpandRequest {
        ExpandRequest {
            volume: "app-1".into(),
            new_size_gi: size,
            expected_version: expected,
            wait: None,
        }
    }

    #[test]
    fn expand_resubmits_the_manifest_with_only_the_size_changed() {
        let mut transport = Scripted::answering(vec![
            (200, app(2, dynamic(100), "DEPLOY_SUCCESS", true)),
            (200, workspace_page()),
            (200, deployment(3, 150)),
        ]);
        let volume = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .expand(&request(150, Some(2)))
            .unwrap();
        assert_eq!((volume.size_gi, volume.version), (Some(150), Some(3)));
        assert_eq!(
            transport.paths(),
            [
                "/api/svc/v1/apps/app-1",
                "/api/svc/v1/workspaces?fqn=c1%3Aws1",
                "/api/svc/v1/apps"
            ]
        );
        let put = &transport.sent[2];
        assert_eq!(put.method, Method::Put);
        let body: Value = serde_json::from_slice(put.body.as_deref().unwrap()).unwrap();
        let mut expected = app(2, dynamic(150), "", true)["data"]["deployment"]["manifest"].clone();
        expected["config"]["size"] = json!(150);
        assert_eq!(body, json!({"manifest": expected, "workspaceId": "ws-123"}));
    }

    #[test]
    fn refusals_happen_before_any_change() {
        let cases: Vec<(Value, ExpandRequest, Error)> = vec![
            (
                app(2, dynamic(100), "DEPLOY_SUCCESS", true),
                request(50, None),
                Error::SizeCannotBeReduced {
                    current_gi: 100,
                    requested_gi: 50,
                },
            ),
            (
                app(2, dynamic(100), "DEPLOY_SUCCESS", true),
                request(150, Some(1)),
                Error::ChangedMeanwhile {
                    volume_fqn: "c1:ws1:v1x".into(),
                    expected_version: 1,
                    found_version: 2,
                },
            ),
            (
                app(2, dynamic(100), "INITIALIZED", false),
                request(150, None),
                Error::Conflict {
                    status: 409,
                    message: "version 2 of `c1:ws1:v1x` is still deploying (INITIALIZED)".into(),
                },
            ),
        ];
        for (answer, request, expected) in cases {
            let mut transport = Scripted::answering(vec![(200, answer)]);
            let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
                .expand(&request)
                .unwrap_err();
            assert_eq!(error, expected);
            assert!(transport.sent.iter().all(|r| r.method == Method::Get));
        }
        for (answer, field) in [
            (app(2, dynamic(100), "DEPLOY_SUCCESS", true), "new-size-gi"),
            (
                app(
                    2,
                    json!({"type":"static","persistent_volume_name":"pv"}),
                    "DEPLOY_SUCCESS",
                    true,
                ),
                "volume",
            ),
        ] {
            let mut transport = Scripted::answering(vec![(200, answer)]);
            let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
                .expand(&request(100, None))
                .unwrap_err();
            assert!(
                matches!(&error, Error::InvalidInput { field: f, .. } if f == field),
                "{error:?}"
            );
            assert_eq!(transport.sent.len(), 1);
        }
    }

    #[test]
    fn a_size_above_the_maximum_is_refused_before_any_request() {
        let mut transport = Scripted::default();
        let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .expand(&request(64_001, None))
            .unwrap_err();
        assert!(matches!(&error, Error::InvalidInput { field, .. } if field == "new-size-gi"));
        assert!(transport.sent.is_empty());
    }

    #[test]
    fn a_concurrent_deployment_is_reported_after_the_write() {
        let mut transport = Scripted::answering(vec![
            (200, app(2, dynamic(100), "DEPLOY_SUCCESS", true)),
            (200, workspace_page()),
            (200, deployment(4, 150)),
        ]);
        let error = Client::from_env(ENV, &mut transport, VirtualClock::default())
            .expand(&request(150, None))
            .unwrap_err();
        assert_eq!(
            error,
            Error::ChangedMeanwhile {
                volume_fqn: "c1:ws1:v1x".into(),
                expected_version: 3,
                found_version: 4
            }
        );
    }
}
