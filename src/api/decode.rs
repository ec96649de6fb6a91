//! Decoders: one per response the component reads, turning the control plane's bytes into
//! domain values. Lenient about unknown and missing optional fields, strict about the facts
//! the component acts on (ids, names, workspaces).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::http::HttpResponse;
use super::wire::{self, Application, DataEnvelope, Deployment, Page};
use crate::error::{Error, ResourceKind, Result};
use crate::input::fqn::{VolumeFqn, WorkspaceFqn, VOLUME_SCHEME};
use crate::model::{ClusterFacts, Lifecycle, StatusPhase, Volume, VolumeKind, VolumeStatus};

fn parse<'a, T: serde::Deserialize<'a>>(response: &'a HttpResponse, what: &str) -> Result<T> {
    serde_json::from_slice(&response.body)
        .map_err(|cause| Error::undecodable(response.status, what, cause))
}

/// A workspace as the component needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedWorkspace {
    /// Internal id, for `workspaceId`.
    pub id: String,
    /// The cluster it runs on.
    pub cluster_id: String,
}

/// `workspace` from a workspace lookup, or [`Error::NotFound`].
///
/// Items are matched on their `fqn`, so a server that ignored the filter cannot make us use
/// another workspace. The cluster id falls back on the FQN's first part (docs/truefoundry-api.md §9).
pub fn decode_workspace(
    response: &HttpResponse,
    workspace: &WorkspaceFqn,
) -> Result<ResolvedWorkspace> {
    let page: Page<wire::Workspace> = parse(response, "a page of workspaces")?;
    let wanted = workspace.to_string();
    let matching = page
        .data
        .into_iter()
        .find(|item| item.fqn.as_deref() == Some(wanted.as_str()));
    match matching {
        Some(item) if !item.id.is_empty() => Ok(ResolvedWorkspace {
            id: item.id,
            cluster_id: item
                .cluster_id
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| workspace.cluster().to_string()),
        }),
        Some(_) => Err(Error::undecodable(
            response.status,
            "a workspace id",
            "the id is empty",
        )),
        None => Err(Error::NotFound {
            kind: ResourceKind::Workspace,
            name: wanted,
        }),
    }
}

/// What a cluster's `{data: Cluster}` says about storage, as sent (nothing derived yet).
pub fn decode_cluster(response: &HttpResponse, cluster_id: &str) -> Result<ClusterFacts> {
    let envelope: DataEnvelope<wire::Cluster> = parse(response, "a cluster")?;
    let manifest = envelope.data.manifest;
    let cluster_type = manifest
        .as_ref()
        .and_then(|manifest| manifest.cluster_type.clone())
        .unwrap_or_default();
    let default_storage_class = manifest
        .as_ref()
        .and_then(|manifest| manifest.workbench_config.as_ref())
        .and_then(|config| config.default_storage_class.clone())
        .filter(|class| !class.is_empty());
    let base_domains = manifest
        .and_then(|manifest| manifest.base_domains)
        .unwrap_or_default();
    Ok(ClusterFacts {
        cluster_id: envelope.data.id.unwrap_or_else(|| cluster_id.to_string()),
        cluster_type,
        default_storage_class,
        base_domains,
    })
}

/// What `expand` needs from a get-by-id answer: the volume, its manifest exactly as
/// deployed (unknown keys kept), and the owning workspace's id when the answer has it.
#[derive(Debug)]
pub struct Deployed {
    /// The decoded volume.
    pub volume: Volume,
    /// `deployment.manifest`, untouched.
    pub manifest: serde_json::Value,
    /// `workspaceId`, when present.
    pub workspace_id: Option<String>,
}

/// Decodes a get-by-id answer for an update.
pub fn decode_deployed(response: &HttpResponse, id: &str) -> Result<Deployed> {
    let volume = decode_application(response, id)?;
    let envelope: DataEnvelope<wire::DeployedApplication<'_>> = parse(response, "an application")?;
    let missing = |why: &str| Error::undecodable(response.status, "a deployment manifest", why);
    let raw = envelope
        .data
        .deployment
        .and_then(|deployment| deployment.manifest)
        .ok_or_else(|| missing("it is missing"))?;
    // A volume manifest is a few hundred bytes; only a bounded one becomes a JSON tree.
    if raw.get().len() > MAX_MANIFEST_BYTES {
        return Err(missing("it is larger than 64 KiB"));
    }
    let manifest: serde_json::Value = serde_json::from_str(raw.get())
        .map_err(|cause| Error::undecodable(response.status, "a deployment manifest", cause))?;
    if !manifest.is_object() {
        return Err(missing("it is not an object"));
    }
    Ok(Deployed {
        volume,
        manifest,
        workspace_id: envelope.data.workspace_id.filter(|id| !id.is_empty()),
    })
}

/// Largest deployed manifest `expand` resubmits.
const MAX_MANIFEST_BYTES: usize = 64 * 1024;

/// Largest deployment version taken as real: far above any volume's history, far below
/// where `version + 1` could overflow.
pub const MAX_VERSION: u64 = 1_000_000_000;

/// A decoded page: its volumes (other types and other workspaces dropped), how many raw items
/// it held, and the `total` the server claimed.
#[derive(Debug)]
pub struct VolumePage {
    /// Volumes of the requested workspace on this page.
    pub volumes: Vec<Volume>,
    /// Items on the page before filtering (what `offset` advances by).
    pub received: u64,
    /// `pagination.total`, when present.
    pub total: Option<u64>,
}

/// A page of applications from the list endpoint, keeping the volumes of `workspace`.
pub fn decode_volume_page(response: &HttpResponse, workspace: &WorkspaceFqn) -> Result<VolumePage> {
    let page: Page<Application> = parse(response, "a page of applications")?;
    let received = page.data.len() as u64;
    let total = page.pagination.and_then(|pagination| pagination.total);
    let wanted = workspace.to_string();
    let mut volumes = Vec::with_capacity(page.data.len());
    for application in page.data {
        if !is_volume(&application) {
            continue;
        }
        let volume = volume_from_application(application, response.status)?;
        if volume.workspace_fqn == wanted {
            volumes.push(volume);
        }
    }
    Ok(VolumePage {
        volumes,
        received,
        total,
    })
}

/// Whether an application is a volume (a missing `type` is taken as one, since we asked for
/// volumes).
fn is_volume(application: &Application) -> bool {
    application
        .application_type
        .as_deref()
        .is_none_or(|kind| kind == "volume")
}

/// One page of a lookup: what was looked for, when it is on this page, and how far the pages
/// go.
#[derive(Debug)]
pub struct LookupPage<T> {
    /// The match on this page.
    pub found: Option<T>,
    /// Items on the page (what `offset` advances by).
    pub received: u64,
    /// `pagination.total`, when present.
    pub total: Option<u64>,
}

/// An application that holds a name in a workspace, as much as `create` needs to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingApplication {
    /// Application id.
    pub id: String,
    /// Its type; `volume` when the server did not say.
    pub application_type: String,
    /// Whether any of its deployments ever succeeded (`activeVersion`/`activeDeploymentId`).
    pub ever_ran: bool,
    /// The phase of its latest deployment.
    pub latest_phase: StatusPhase,
    /// `active`, `deleting` or `deletion_failed` (empty when not given).
    pub lifecycle_stage: String,
}

/// A page of a by-name lookup: the application named `name` in `workspace`, if on it.
///
/// Names are matched here, not trusted to the server's filter: a server that ignores
/// `applicationName` answers with other applications, none of which may count.
pub fn decode_named_application(
    response: &HttpResponse,
    workspace: &WorkspaceFqn,
    name: &str,
) -> Result<LookupPage<ExistingApplication>> {
    let wanted_fqn = format!("{workspace}:{name}");
    let wanted_workspace = workspace.to_string();
    lookup_page(response, |application| {
        let same_name = application.name.as_deref() == Some(name)
            || application.fqn.as_deref() == Some(wanted_fqn.as_str());
        let same_workspace =
            application_workspace(&application).is_none_or(|found| found == wanted_workspace);
        if !(same_name && same_workspace) {
            return Ok(None);
        }
        let id = application_id(application.id.as_deref(), response.status)?;
        let ever_ran = application
            .active_version
            .is_some_and(|version| version > 0)
            || application
                .active_deployment_id
                .as_deref()
                .is_some_and(|id| !id.is_empty());
        let latest_phase = volume_status(
            application
                .deployment
                .and_then(|deployment| deployment.current_status),
        )
        .phase;
        Ok(Some(ExistingApplication {
            id,
            application_type: application
                .application_type
                .filter(|kind| !kind.is_empty())
                .unwrap_or_else(|| "volume".to_string()),
            ever_ran,
            latest_phase,
            lifecycle_stage: application.lifecycle_stage.unwrap_or_default(),
        }))
    })
}

/// A page of a by-FQN lookup: the volume `volume`, if on it.
pub fn decode_found_volume(
    response: &HttpResponse,
    volume: &VolumeFqn,
) -> Result<LookupPage<Volume>> {
    let wanted = volume.to_string();
    lookup_page(response, |application| {
        if !is_volume(&application) {
            return Ok(None);
        }
        let decoded = volume_from_application(application, response.status)?;
        Ok((decoded.fqn == wanted).then_some(decoded))
    })
}

/// A page of applications and the first of them `matching` turns into a match.
fn lookup_page<T>(
    response: &HttpResponse,
    mut matching: impl FnMut(Application) -> Result<Option<T>>,
) -> Result<LookupPage<T>> {
    let page: Page<Application> = parse(response, "a page of applications")?;
    let received = page.data.len() as u64;
    let total = page
        .pagination
        .as_ref()
        .and_then(|pagination| pagination.total);
    for application in page.data {
        if let Some(found) = matching(application)? {
            return Ok(LookupPage {
                found: Some(found),
                received,
                total,
            });
        }
    }
    Ok(LookupPage {
        found: None,
        received,
        total,
    })
}

/// A server-sent id that will go into request paths: letters, digits, `-` and `_`, 1 to 128
/// characters, or the answer is refused.
fn application_id(id: Option<&str>, status: u16) -> Result<String> {
    let id = id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| Error::undecodable(status, "an application", "`id` is missing"))?;
    crate::input::validate::application_id("id", id).map_err(|_| {
        Error::undecodable(
            status,
            "an application id of letters, digits, `-` and `_`",
            format_args!("got {}", crate::input::validate::shown(id)),
        )
    })?;
    Ok(id.to_string())
}

/// The volume of a get-by-id answer; an application of another type is reported as not found.
pub fn decode_application(response: &HttpResponse, id: &str) -> Result<Volume> {
    let envelope: DataEnvelope<Application> = parse(response, "an application")?;
    if !is_volume(&envelope.data) {
        return Err(Error::NotFound {
            kind: ResourceKind::Volume,
            // The type comes from the server: quoted, clipped, control characters escaped.
            name: format!(
                "{id} (it is a {}, not a volume)",
                crate::input::validate::shown(&envelope.data.application_type.unwrap_or_default())
            ),
        });
    }
    volume_from_application(envelope.data, response.status)
}

/// The volume a create/update answer (`{data: Deployment}`) describes.
pub fn decode_deployment(response: &HttpResponse) -> Result<Volume> {
    let envelope: DataEnvelope<Deployment> = parse(response, "a deployment")?;
    let deployment = envelope.data;
    let status = response.status;
    let id = application_id(deployment.application_id.as_deref(), status)?;
    // The deployment FQN is the application FQN plus `:<version>` (docs/truefoundry-api.md §3.2).
    let fqn = deployment
        .fqn
        .as_deref()
        .map(|fqn| match fqn.rsplit_once(':') {
            Some((application, version)) if version.chars().all(|c| c.is_ascii_digit()) => {
                application.to_string()
            }
            _ => fqn.to_string(),
        });
    let parts = Parts {
        lifecycle_stage: None,
        id,
        fqn,
        name: None,
        workspace_fqn: None,
        created_at: deployment.created_at.clone(),
        last_version: None,
    };
    volume_from_parts(parts, Some(deployment), status)
}

/// The application fields a volume is built from, besides its deployment.
struct Parts {
    lifecycle_stage: Option<String>,
    id: String,
    fqn: Option<String>,
    name: Option<String>,
    workspace_fqn: Option<String>,
    created_at: Option<String>,
    last_version: Option<u64>,
}

fn application_workspace(application: &Application) -> Option<String> {
    application
        .workspace_fqn
        .clone()
        .or_else(|| application.workspace.as_ref().and_then(|w| w.fqn.clone()))
}

fn volume_from_application(application: Application, status: u16) -> Result<Volume> {
    let id = application_id(application.id.as_deref(), status)?;
    let parts = Parts {
        workspace_fqn: application_workspace(&application),
        lifecycle_stage: application.lifecycle_stage,
        id,
        fqn: application.fqn,
        name: application.name,
        created_at: application.created_at,
        last_version: application.last_version,
    };
    volume_from_parts(parts, application.deployment, status)
}

fn volume_from_parts(parts: Parts, deployment: Option<Deployment>, status: u16) -> Result<Volume> {
    let id = parts.id;
    let missing =
        |what: &str| Error::undecodable(status, "a volume", format!("volume {id}: {what}"));
    let deployment = deployment.ok_or_else(|| missing("it has no deployment"))?;
    let manifest = deployment
        .manifest
        .ok_or_else(|| missing("its deployment has no manifest"))?;
    let config = manifest
        .config
        .ok_or_else(|| missing("its manifest has no `config`"))?;
    let name = parts
        .name
        .or(manifest.name)
        .filter(|name| !name.is_empty())
        .ok_or_else(|| missing("it has no name"))?;
    // Prefer the server's FQN; fall back on the workspace it names.
    let workspace_fqn = parts
        .workspace_fqn
        .or(manifest.workspace_fqn)
        .or_else(|| {
            parts
                .fqn
                .as_deref()
                .and_then(|fqn| fqn.rsplit_once(':'))
                .map(|(workspace, _)| workspace.to_string())
        })
        .ok_or_else(|| missing("its workspace is not given"))?;
    let fqn = parts
        .fqn
        .unwrap_or_else(|| format!("{workspace_fqn}:{name}"));
    let (kind, size_gi, storage_class, persistent_volume_name) = match config.kind.as_deref() {
        Some("dynamic") => {
            let size = config
                .size
                .map(|size| u32::try_from(size).map_err(|_| missing("`config.size` is too large")))
                .transpose()?;
            (VolumeKind::Dynamic, size, config.storage_class, None)
        }
        Some("static") => (
            VolumeKind::Static,
            None,
            None,
            config.persistent_volume_name,
        ),
        other => {
            let found =
                other.map_or_else(|| String::from("missing"), crate::input::validate::shown);
            return Err(missing(&format!(
                "`config.type` is {found}, expected `dynamic` or `static`"
            )));
        }
    };
    let (browser_url, browser_username) = match manifest.volume_browser {
        Some(browser) => {
            let url = browser.endpoint.and_then(|endpoint| {
                let host = endpoint.host.filter(|host| !host.is_empty())?;
                let path = endpoint.path.unwrap_or_else(|| "/".to_string());
                Some(format!("https://{host}{path}"))
            });
            (url, browser.username)
        }
        None => (None, None),
    };
    let version = match deployment.version.or(parts.last_version) {
        Some(version) if version > MAX_VERSION => {
            return Err(missing(&format!(
                "its version {version} is not plausible (more than {MAX_VERSION})"
            )))
        }
        // At most MAX_VERSION, so it fits.
        Some(version) => Some(u32::try_from(version).unwrap_or(u32::MAX)),
        None => None,
    };
    Ok(Volume {
        mount_reference: format!("{VOLUME_SCHEME}{fqn}"),
        id,
        name,
        fqn,
        workspace_fqn,
        kind,
        size_gi,
        storage_class,
        persistent_volume_name,
        status: volume_status(deployment.current_status),
        version,
        created_at: parts.created_at.or(deployment.created_at),
        browser_url,
        browser_username,
        lifecycle: match parts.lifecycle_stage.as_deref() {
            Some("deleting") => Lifecycle::Deleting,
            Some("deletion_failed") => Lifecycle::DeletionFailed,
            _ => Lifecycle::Active,
        },
    })
}

/// Maps `deployment.currentStatus` to a [`VolumeStatus`] (docs/truefoundry-api.md §4).
pub fn volume_status(current: Option<wire::DeploymentStatus>) -> VolumeStatus {
    let (api_status, terminal_flag, message) = match current {
        Some(current) => (
            current.status.unwrap_or_default(),
            current.state.and_then(|state| state.is_terminal_state),
            current.message.filter(|message| !message.trim().is_empty()),
        ),
        None => (String::new(), None, None),
    };
    let phase = match api_status.as_str() {
        "DEPLOY_SUCCESS" => StatusPhase::Running,
        "DEPLOY_FAILED" | "BUILD_FAILED" | "FAILED" => StatusPhase::Failed,
        "PAUSED" => StatusPhase::Paused,
        "CANCELLED" => StatusPhase::Cancelled,
        "INITIALIZED"
        | "BUILDING"
        | "BUILD_SUCCESS"
        | "ROLLOUT_STARTED"
        | "SET_TRAFFIC"
        | "REDEPLOY_STARTED"
        | "DEPLOYING"
        | "COMPONENTS_DEPLOYING"
        | "REUSING_EXISTING_BUILD"
        | "WAITING"
        | "DEPLOY_FAILED_WITH_RETRY" => StatusPhase::Deploying,
        _ => StatusPhase::Unknown,
    };
    // `state.isTerminalState` is the reliable signal (docs/truefoundry-api.md §4); the phase is the fallback.
    let terminal = terminal_flag.unwrap_or(matches!(
        phase,
        StatusPhase::Running | StatusPhase::Failed | StatusPhase::Paused | StatusPhase::Cancelled
    ));
    let display = match (phase, api_status.is_empty()) {
        (StatusPhase::Running, _) => "RUNNING".to_string(),
        (_, true) => "UNKNOWN".to_string(),
        (_, false) => api_status.clone(),
    };
    VolumeStatus {
        phase,
        api_status,
        display,
        terminal,
        message,
    }
}
#[cfg(test)]
mod tests {
    use super::super::endpoints::{get_cluster, resubmit_with_size};
    use super::*;
    use alloc::vec;
    use serde_json::{json, Value};

    fn workspace() -> WorkspaceFqn {
        WorkspaceFqn::parse("w", "c1:ws1").unwrap()
    }

    fn ok(body: Value) -> HttpResponse {
        HttpResponse {
            status: 200,
            body: serde_json::to_vec(&body).unwrap(),
            ..Default::default()
        }
    }

    fn fixture(name: &str) -> HttpResponse {
        let text = match name {
            "application" => include_str!("../../tests/fixtures/application.json"),
            "application_page" => include_str!("../../tests/fixtures/application_page.json"),
            "deployment" => include_str!("../../tests/fixtures/deployment.json"),
            "workspace_page" => include_str!("../../tests/fixtures/workspace_page.json"),
            _ => unreachable!(),
        };
        HttpResponse {
            status: 200,
            body: text.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn workspace_id_is_read_from_the_matching_item() {
        assert_eq!(
            decode_workspace(&fixture("workspace_page"), &workspace()).unwrap(),
            ResolvedWorkspace {
                id: "ws-123".into(),
                cluster_id: "c1".into()
            }
        );
        let empty = ok(json!({"data":[],"pagination":{"total":0}}));
        assert_eq!(
            decode_workspace(&empty, &workspace()),
            Err(Error::NotFound {
                kind: ResourceKind::Workspace,
                name: "c1:ws1".into()
            })
        );
        // A server that ignored the filter returns other workspaces: none of them is ours.
        let other = ok(json!({"data":[{"id":"ws-9","fqn":"c1:other"}],"pagination":{"total":1}}));
        assert!(matches!(
            decode_workspace(&other, &workspace()),
            Err(Error::NotFound { .. })
        ));
    }

    #[test]
    fn cluster_fixture_decodes_to_storage_facts() {
        let response = HttpResponse {
            status: 200,
            body: include_bytes!("../../tests/fixtures/cluster.json").to_vec(),
            ..Default::default()
        };
        let facts = decode_cluster(&response, "c1").unwrap();
        assert_eq!(
            facts,
            ClusterFacts {
                cluster_id: "c1".into(),
                cluster_type: "azure-aks".into(),
                default_storage_class: Some("azureblob-nfs-premium".into()),
                base_domains: vec![
                    "*.ml.acme.example.com".into(),
                    "apps.acme.example.com".into()
                ],
            }
        );
        let bare = ok(json!({"data":{"id":"c9"}}));
        let facts = decode_cluster(&bare, "c9").unwrap();
        assert_eq!(
            (facts.cluster_type.as_str(), facts.base_domains.len()),
            ("", 0)
        );
    }

    #[test]
    fn deployed_keeps_the_manifest_and_resubmission_changes_only_size() {
        let mut app: Value = serde_json::from_slice(&fixture("application").body).unwrap();
        app["data"]["deployment"]["manifest"]["config"]["access_modes"] = json!(["ReadWriteMany"]);
        let deployed = decode_deployed(&ok(app.clone()), "app-1").unwrap();
        assert_eq!(deployed.workspace_id.as_deref(), Some("ws-123"));
        assert_eq!(deployed.volume.size_gi, Some(100));
        let request = resubmit_with_size(&deployed.manifest, 150, "ws-123");
        let body: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
        let mut expected = app["data"]["deployment"]["manifest"].clone();
        expected["config"]["size"] = json!(150);
        assert_eq!(body, json!({"manifest": expected, "workspaceId": "ws-123"}));
        assert_eq!(
            get_cluster("c1").path_and_query(""),
            "/api/svc/v1/clusters/c1"
        );
    }

    #[test]
    fn application_fixture_decodes_to_a_volume() {
        let volume = decode_application(&fixture("application"), "app-1").unwrap();
        assert_eq!(
            volume,
            Volume {
                id: "app-1".into(),
                name: "training-data".into(),
                fqn: "c1:ws1:training-data".into(),
                mount_reference: "tfy-volume://c1:ws1:training-data".into(),
                workspace_fqn: "c1:ws1".into(),
                kind: VolumeKind::Dynamic,
                size_gi: Some(100),
                storage_class: Some("efs-sc".into()),
                persistent_volume_name: None,
                status: VolumeStatus {
                    phase: StatusPhase::Running,
                    api_status: "DEPLOY_SUCCESS".into(),
                    display: "RUNNING".into(),
                    terminal: true,
                    message: None,
                },
                version: Some(1),
                created_at: Some("2026-02-10T14:30:00Z".into()),
                browser_url: Some("https://c1.example.com/training-data/".into()),
                browser_username: Some("admin".into()),
                lifecycle: Lifecycle::Active,
            }
        );
    }

    #[test]
    fn deployment_fixture_decodes_to_the_created_volume() {
        let volume = decode_deployment(&fixture("deployment")).unwrap();
        assert_eq!(volume.id, "app-7");
        assert_eq!(volume.fqn, "c1:ws1:shared-datasets");
        assert_eq!(volume.workspace_fqn, "c1:ws1");
        assert_eq!(volume.kind, VolumeKind::Static);
        assert_eq!(
            volume.persistent_volume_name.as_deref(),
            Some("shared-datasets-pv")
        );
        assert_eq!(volume.status.phase, StatusPhase::Deploying);
        assert_eq!(volume.status.display, "INITIALIZED");
        assert!(!volume.status.terminal);
        assert_eq!(volume.version, Some(1));
    }

    #[test]
    fn page_keeps_only_volumes_of_the_workspace() {
        let page = decode_volume_page(&fixture("application_page"), &workspace()).unwrap();
        let names: Vec<&str> = page.volumes.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["training-data", "shared-datasets"]);
        assert_eq!((page.received, page.total), (4, Some(4)));
    }

    #[test]
    fn missing_optional_fields_and_extras_do_not_fail_decoding() {
        let minimal = ok(json!({"data":{
            "id":"app-2","unknownField":{"x":1},"status":"RUNNING","url":"ignored",
            "deployment":{"manifest":{"name":"v2","workspace_fqn":"c1:ws1",
                                      "config":{"type":"dynamic","size":5.0,"storage_class":null,
                                                "access_modes":["ReadWriteOnce"]}}}}}));
        let volume = decode_application(&minimal, "app-2").unwrap();
        assert_eq!(volume.fqn, "c1:ws1:v2");
        assert_eq!(volume.size_gi, Some(5));
        assert_eq!(volume.storage_class, None);
        assert_eq!(volume.status.phase, StatusPhase::Unknown);
        assert_eq!(volume.status.display, "UNKNOWN");
        assert_eq!(volume.version, None);
    }

    #[test]
    fn wrong_shapes_are_undecodable_with_a_reason() {
        let cases = [
            (b"not json".to_vec(), "expected an application"),
            (b"{}".to_vec(), "missing field `data`"),
            (br#"{"data":{"deployment":{}}}"#.to_vec(), "`id` is missing"),
            (br#"{"data":{"id":"a"}}"#.to_vec(), "no deployment"),
            (br#"{"data":{"id":"a","deployment":{"manifest":{"name":"v","workspace_fqn":"c:w","config":{"type":"nfs"}}}}}"#.to_vec(), "config.type"),
            (br#"{"data":{"id":"a","deployment":{"manifest":{"config":{"type":"dynamic","size":-1}}}}}"#.to_vec(), "whole non-negative"),
            (Vec::new(), "EOF"),
        ];
        for (body, needle) in cases {
            let response = HttpResponse {
                status: 200,
                body,
                ..Default::default()
            };
            match decode_application(&response, "a") {
                Err(Error::UndecodableResponse {
                    status: 200,
                    detail,
                }) => {
                    assert!(detail.contains(needle), "{detail:?} lacks {needle:?}")
                }
                other => panic!("expected undecodable, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_non_volume_application_is_not_a_volume() {
        let service = ok(json!({"data":{"id":"app-3","type":"service"}}));
        assert_eq!(
            decode_application(&service, "app-3"),
            Err(Error::NotFound {
                kind: ResourceKind::Volume,
                name: "app-3 (it is a `service`, not a volume)".into()
            })
        );
    }

    #[test]
    fn statuses_map_to_phases_and_display() {
        let cases = [
            (
                "DEPLOY_SUCCESS",
                None,
                StatusPhase::Running,
                "RUNNING",
                true,
            ),
            (
                "INITIALIZED",
                Some(false),
                StatusPhase::Deploying,
                "INITIALIZED",
                false,
            ),
            (
                "ROLLOUT_STARTED",
                None,
                StatusPhase::Deploying,
                "ROLLOUT_STARTED",
                false,
            ),
            (
                "DEPLOY_FAILED",
                Some(true),
                StatusPhase::Failed,
                "DEPLOY_FAILED",
                true,
            ),
            (
                "BUILD_FAILED",
                None,
                StatusPhase::Failed,
                "BUILD_FAILED",
                true,
            ),
            ("PAUSED", None, StatusPhase::Paused, "PAUSED", true),
            ("CANCELLED", None, StatusPhase::Cancelled, "CANCELLED", true),
            (
                "SOMETHING_NEW",
                Some(true),
                StatusPhase::Unknown,
                "SOMETHING_NEW",
                true,
            ),
            ("", None, StatusPhase::Unknown, "UNKNOWN", false),
        ];
        for (api, terminal_flag, phase, display, terminal) in cases {
            let status = volume_status(Some(wire::DeploymentStatus {
                status: Some(api.into()),
                state: Some(wire::StatusState {
                    is_terminal_state: terminal_flag,
                }),
                message: Some("  ".into()),
            }));
            assert_eq!(
                (
                    status.phase,
                    status.display.as_str(),
                    status.terminal,
                    status.message
                ),
                (phase, display, terminal, None),
                "{api}"
            );
        }
    }
}
