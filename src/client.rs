//! The operations that reach the control plane: local checks first, then the API calls in
//! order, over any [`Transport`].

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::api::{self, ResolvedWorkspace};
use crate::clock::Clock;
use crate::config::Credentials;
use crate::error::{from_status, Error, NotFoundMeans, ResourceKind, Result};
use crate::fqn::{VolumeFqn, WorkspaceFqn};
use crate::http::{ApiRequest, HttpResponse, Transport};
use crate::manifest;
use crate::manifest::ValidCreate;
use crate::model::{CreateRequest, Volume, VolumeStatus};
use crate::retry;
use crate::validate;

/// Upper bound on list pages, so a server whose pagination never ends cannot loop us forever
/// (at [`api::LIST_PAGE_SIZE`] per page this is two million volumes).
const MAX_LIST_PAGES: u32 = 10_000;

/// Most volumes reserved up front from the server's `total` (about 7 MiB).
const MAX_RESERVED_VOLUMES: usize = 20_000;

/// Most volumes one list returns: a server that keeps sending pages cannot exhaust the
/// component's memory (and trap it); the caller gets an error instead.
pub const MAX_LISTED_VOLUMES: u64 = 50_000;

/// Runs volume operations against the control plane named by its credentials.
///
/// The credentials are checked lazily, so a call with invalid arguments is refused as
/// [`Error::InvalidInput`] even when the environment is incomplete.
pub struct Client<T> {
    credentials: Result<Credentials>,
    transport: T,
}

impl<T: Transport + Clock> Client<T> {
    /// A client whose credentials come from environment variables (see [`Credentials::from_env`]).
    pub fn from_env<I, K, V>(variables: I, transport: T) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        Client {
            credentials: Credentials::from_env(variables),
            transport,
        }
    }

    /// A client with known credentials.
    pub fn new(credentials: Credentials, transport: T) -> Self {
        Client {
            credentials: Ok(credentials),
            transport,
        }
    }

    /// Creates a volume; refuses with [`Error::AlreadyExists`] when the name is taken. With
    /// `request.wait`, follows the deployment until the volume runs.
    pub fn create(&mut self, request: &CreateRequest) -> Result<Volume> {
        let valid = manifest::from_request(request)?;
        let wait = request
            .wait
            .map(crate::wait::WaitPlan::from_options)
            .transpose()?;
        self.redacting(|client| {
            let workspace = client.workspace_with_free_name(&valid)?;
            let create = api::create_or_update(&valid.manifest, &workspace.id);
            let not_found = NotFoundMeans {
                kind: ResourceKind::Workspace,
                name: &valid.manifest.workspace_fqn,
            };
            let response = client.call(&create, Some(not_found))?;
            let volume = api::decode_deployment(&response)?;
            if volume.workspace_fqn != valid.manifest.workspace_fqn {
                return Err(Error::WorkspaceMismatch {
                    volume_workspace: volume.workspace_fqn,
                    requested_workspace: valid.manifest.workspace_fqn.clone(),
                });
            }
            match wait {
                Some(plan) => client.follow(&volume.id, plan),
                None => Ok(volume),
            }
        })
    }

    /// Resolves the request's workspace and makes sure the name is free in it.
    pub(crate) fn workspace_with_free_name(
        &mut self,
        valid: &ValidCreate,
    ) -> Result<ResolvedWorkspace> {
        let workspace = self.workspace(&valid.workspace)?;
        // PUT /apps is an upsert: without this check it would silently add a version to an
        // existing volume of the same name.
        let lookup = api::find_application(&valid.workspace, &valid.manifest.name);
        let response = self.call(&lookup, None)?;
        if let Some((id, kind)) =
            api::decode_named_application(&response, &valid.workspace, &valid.manifest.name)?
        {
            return Err(Error::AlreadyExists {
                name: if kind.is_empty() || kind == "volume" {
                    valid.manifest.name.clone()
                } else {
                    // The type comes from the server: quoted, clipped, control characters
                    // escaped.
                    format!("{} (a {})", valid.manifest.name, validate::shown(&kind))
                },
                workspace_fqn: valid.workspace.to_string(),
                id,
            });
        }
        Ok(workspace)
    }

    /// Every volume of a workspace, all pages, sorted by name.
    pub fn list(&mut self, workspace_fqn: &str) -> Result<Vec<Volume>> {
        let workspace = WorkspaceFqn::parse("workspace-fqn", workspace_fqn)?;
        self.redacting(|client| {
            let not_found = NotFoundMeans {
                kind: ResourceKind::Workspace,
                name: workspace_fqn,
            };
            let mut volumes = Vec::new();
            let mut offset = 0u64;
            let mut expected_total = None;
            for _ in 0..MAX_LIST_PAGES {
                let request = api::list_volumes_page(&workspace, offset, api::LIST_PAGE_SIZE);
                let response = client.call(&request, Some(not_found))?;
                let page = api::decode_volume_page(&response, &workspace)?;
                let total = page.total.or(expected_total);
                if volumes.is_empty() {
                    // One allocation for the whole list: growing by doubling would copy it
                    // and briefly hold twice its size. The bound keeps a lying `total` from
                    // reserving memory that the pages will not fill.
                    let expected = usize::try_from(total.unwrap_or(0)).unwrap_or(usize::MAX);
                    volumes.reserve_exact(expected.min(MAX_RESERVED_VOLUMES));
                }
                if expected_total.is_some() && page.total.is_some() && page.total != expected_total
                {
                    return Err(inconsistent_pages(format!(
                        "the total changed from {} to {} between pages",
                        expected_total.unwrap_or_default(),
                        page.total.unwrap_or_default()
                    )));
                }
                expected_total = total;
                offset += page.received;
                if offset > MAX_LISTED_VOLUMES {
                    return Err(Error::UndecodableResponse {
                        status: response.status,
                        detail: format!(
                            "the workspace lists more than {MAX_LISTED_VOLUMES} volumes, more \
                             than this component holds in memory"
                        ),
                    });
                }
                volumes.extend(page.volumes);
                let done = match total {
                    Some(total) if offset >= total => true,
                    Some(total) if page.received == 0 => {
                        return Err(inconsistent_pages(format!(
                            "the control plane reported {total} volumes but its pages ended \
                             after {offset}"
                        )))
                    }
                    _ => page.received == 0,
                };
                if done {
                    // An empty list may mean a missing workspace: tell the two apart.
                    if offset == 0 {
                        client.workspace(&workspace)?;
                    }
                    // Unstable sort: no scratch buffer (names are unique in a workspace anyway).
                    volumes.sort_unstable_by(|a, b| a.name.cmp(&b.name));
                    let before = volumes.len();
                    volumes.dedup_by(|a, b| a.id == b.id);
                    if volumes.len() != before {
                        return Err(inconsistent_pages(
                            "the same volume appeared on two pages".to_string(),
                        ));
                    }
                    return Ok(volumes);
                }
            }
            Err(inconsistent_pages(format!(
                "pagination did not end after {MAX_LIST_PAGES} pages"
            )))
        })
    }

    /// One volume by application id or by FQN (with or without `tfy-volume://`).
    pub fn get(&mut self, volume: &str) -> Result<Volume> {
        let reference = VolumeRef::parse("volume", volume)?;
        self.redacting(|client| client.fetch(&reference))
    }

    /// The status of a volume's latest deployment.
    pub fn status(&mut self, volume: &str) -> Result<VolumeStatus> {
        self.get(volume).map(|volume| volume.status)
    }

    /// Reads a volume the caller already validated.
    pub(crate) fn fetch(&mut self, reference: &VolumeRef) -> Result<Volume> {
        match reference {
            VolumeRef::Fqn(fqn) => {
                let response = self.call(&api::find_volume(fqn), None)?;
                api::decode_found_volume(&response, fqn)
            }
            VolumeRef::Id(id) => {
                let not_found = NotFoundMeans {
                    kind: ResourceKind::Volume,
                    name: id,
                };
                let response = self.call(&api::get_application(id), Some(not_found))?;
                api::decode_application(&response, id)
            }
        }
    }

    /// The internal id and cluster of a workspace, or [`Error::NotFound`].
    pub(crate) fn workspace(&mut self, workspace: &WorkspaceFqn) -> Result<ResolvedWorkspace> {
        let response = self.call(&api::lookup_workspace(workspace), None)?;
        api::decode_workspace(&response, workspace)
    }

    /// Sends one request; a non-2xx answer becomes the matching error.
    pub(crate) fn call(
        &mut self,
        request: &ApiRequest,
        not_found: Option<NotFoundMeans<'_>>,
    ) -> Result<HttpResponse> {
        let credentials = self.credentials.as_ref().map_err(Clone::clone)?;
        let http = request.to_http(credentials);
        let mut attempt = 1;
        let outcome = loop {
            let outcome = self.transport.send(&http);
            match retry::delay_before_retry(request.method, &outcome, attempt) {
                Some(delay) => {
                    self.transport.sleep_nanos(delay);
                    attempt += 1;
                }
                None => break outcome,
            }
        };
        let response = outcome.map_err(|failure| Error::Transport {
            message: failure.message,
        })?;
        if response.is_success() {
            Ok(response)
        } else {
            // Scrub the key from the body before its message is clipped: a key cut in half
            // by the clip would no longer match `redact` afterwards.
            let body = scrub_bytes(&response.body, credentials.api_key.expose().as_bytes());
            Err(from_status(response.status, &body, not_found))
        }
    }

    /// The transport (which may also be the clock).
    pub(crate) fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Runs `operation`, scrubbing the API key from any error it returns.
    pub(crate) fn redacting<R>(
        &mut self,
        operation: impl FnOnce(&mut Self) -> Result<R>,
    ) -> Result<R> {
        let result = operation(self);
        match (&self.credentials, result) {
            (Ok(credentials), Err(error)) => Err(error.redact(credentials.api_key.expose())),
            (_, result) => result,
        }
    }
}

/// A volume named by application id or by FQN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeRef {
    /// An application id.
    Id(String),
    /// `<cluster>:<workspace>:<name>`.
    Fqn(VolumeFqn),
}

impl VolumeRef {
    /// An id (no `:`) or an FQN (with or without `tfy-volume://`); `field` names the
    /// argument in errors.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let text = text.trim();
        if text.contains(':') {
            return VolumeFqn::parse(field, text).map(VolumeRef::Fqn);
        }
        validate::application_id(field, text)?;
        Ok(VolumeRef::Id(text.to_string()))
    }
}

/// `bytes` with every occurrence of `secret` replaced by `[redacted]`.
fn scrub_bytes(bytes: &[u8], secret: &[u8]) -> Vec<u8> {
    if secret.is_empty() || bytes.len() < secret.len() {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.starts_with(secret) {
            out.extend_from_slice(b"[redacted]");
            rest = &rest[secret.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

fn inconsistent_pages(detail: String) -> Error {
    Error::UndecodableResponse {
        status: 200,
        detail: format!("inconsistent pagination: {detail}; retry the list"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{HttpResponse, Method, TransportError};
    use crate::manifest::tests::{dynamic_request, static_request};
    use crate::model::VolumeKind;
    use crate::testing::{created, empty_page, volume_item, workspace_page, Scripted, ENV};
    use alloc::vec;
    use serde_json::{json, Value};

    #[test]
    fn create_resolves_workspace_checks_name_then_puts() {
        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (200, empty_page()),
            (
                200,
                created(
                    "training-data",
                    json!({"type":"dynamic","storage_class":"efs-sc","size":100}),
                ),
            ),
        ]);
        let volume = Client::from_env(ENV, &mut transport)
            .create(&dynamic_request())
            .unwrap();
        assert_eq!(
            (volume.id.as_str(), volume.fqn.as_str()),
            ("app-1", "c1:ws1:training-data")
        );
        assert_eq!(volume.kind, VolumeKind::Dynamic);
        assert_eq!(
            transport.paths(),
            [
                "/api/svc/v1/workspaces?fqn=c1%3Aws1",
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=training-data",
                "/api/svc/v1/apps",
            ]
        );
        let put = &transport.sent[2];
        assert_eq!(put.method, Method::Put);
        let body: Value = serde_json::from_slice(put.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["workspaceId"], "ws-123");
        assert_eq!(body["manifest"]["config"]["size"], 100);
        for request in &transport.sent {
            assert!(request
                .headers
                .contains(&("authorization", "Bearer sk-canary-123".into())));
        }
    }

    #[test]
    fn create_refuses_existing_name_without_putting() {
        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (
                200,
                json!({"data":[volume_item("app-5","training-data")],"pagination":{"total":1}}),
            ),
        ]);
        let error = Client::from_env(ENV, &mut transport)
            .create(&dynamic_request())
            .unwrap_err();
        assert_eq!(
            error,
            Error::AlreadyExists {
                name: "training-data".into(),
                workspace_fqn: "c1:ws1".into(),
                id: "app-5".into()
            }
        );
        assert_eq!(transport.sent.len(), 2);
    }

    #[test]
    fn create_refuses_a_name_taken_by_another_application_type() {
        let mut service = volume_item("app-6", "shared-datasets");
        service["type"] = json!("service");
        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (200, json!({"data":[service],"pagination":{"total":1}})),
        ]);
        let error = Client::from_env(ENV, &mut transport)
            .create(&static_request())
            .unwrap_err();
        assert!(
            matches!(&error, Error::AlreadyExists { name, id, .. } if name == "shared-datasets (a `service`)" && id == "app-6"),
            "{error:?}"
        );
    }

    #[test]
    fn invalid_input_is_refused_before_configuration_and_network() {
        let mut transport = Scripted::default();
        let mut client = Client::from_env([("NOTHING", "")], &mut transport);
        let bad = CreateRequest {
            size_gi: Some(0),
            ..dynamic_request()
        };
        assert!(
            matches!(client.create(&bad), Err(Error::InvalidInput { field, .. }) if field == "size-gi")
        );
        assert!(
            matches!(client.list("nope"), Err(Error::InvalidInput { field, .. }) if field == "workspace-fqn")
        );
        assert!(
            matches!(client.get("a/b"), Err(Error::InvalidInput { field, .. }) if field == "volume")
        );
        assert!(matches!(
            client.list("c1:ws1"),
            Err(Error::MissingConfiguration { variable, .. }) if variable == "TFY_BASE_URL"
        ));
        assert!(transport.sent.is_empty());
    }

    #[test]
    fn list_walks_every_page_and_sorts() {
        let page = |items: Vec<Value>| json!({"data":items,"pagination":{"total":3}});
        let mut transport = Scripted::answering(vec![
            (
                200,
                page(vec![volume_item("a1", "zeta"), volume_item("a2", "alpha")]),
            ),
            (200, page(vec![volume_item("a3", "mid")])),
        ]);
        let volumes = Client::from_env(ENV, &mut transport)
            .list("c1:ws1")
            .unwrap();
        let names: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["alpha", "mid", "zeta"]);
        assert_eq!(
            transport.paths(),
            [
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationType=volume&offset=0&limit=200",
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationType=volume&offset=2&limit=200",
            ]
        );
    }

    #[test]
    fn empty_list_checks_the_workspace_exists() {
        let mut transport = Scripted::answering(vec![(200, empty_page()), (200, empty_page())]);
        let error = Client::from_env(ENV, &mut transport)
            .list("c1:gone")
            .unwrap_err();
        assert_eq!(
            error,
            Error::NotFound {
                kind: ResourceKind::Workspace,
                name: "c1:gone".into()
            }
        );
        let mut transport = Scripted::answering(vec![(200, empty_page()), (200, workspace_page())]);
        assert_eq!(
            Client::from_env(ENV, &mut transport)
                .list("c1:ws1")
                .unwrap(),
            vec![]
        );
    }

    #[test]
    fn pages_that_disagree_with_total_are_an_error() {
        let mut transport = Scripted::answering(vec![
            (
                200,
                json!({"data":[volume_item("a1","one")],"pagination":{"total":5}}),
            ),
            (200, json!({"data":[],"pagination":{"total":5}})),
        ]);
        let error = Client::from_env(ENV, &mut transport)
            .list("c1:ws1")
            .unwrap_err();
        assert!(
            matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("reported 5 volumes but its pages ended after 1")),
            "{error:?}"
        );
    }

    #[test]
    fn a_list_that_never_ends_stops_before_exhausting_memory() {
        let half = MAX_LISTED_VOLUMES / 2 + 1;
        let items: Vec<Value> = (0..half)
            .map(|i| volume_item(&format!("a{i}"), "same"))
            .collect();
        let page = json!({"data": items, "pagination": {"total": 1_000_000}});
        let mut transport = Scripted::answering(vec![(200, page.clone()), (200, page)]);
        let error = Client::from_env(ENV, &mut transport)
            .list("c1:ws1")
            .unwrap_err();
        assert!(
            matches!(&error, Error::UndecodableResponse { detail, .. } if detail.contains("more than 50000 volumes")),
            "{error:?}"
        );
        assert_eq!(transport.sent.len(), 2);
    }

    #[test]
    fn get_by_id_and_by_fqn_use_the_right_endpoint() {
        let mut transport = Scripted::answering(vec![
            (200, json!({"data": volume_item("app-1", "data")})),
            (
                200,
                json!({"data":[volume_item("app-1","data")],"pagination":{"total":1}}),
            ),
            (
                200,
                json!({"data":[volume_item("app-1","data")],"pagination":{"total":1}}),
            ),
        ]);
        let mut client = Client::from_env(ENV, &mut transport);
        let by_id = client.get("app-1").unwrap();
        let by_fqn = client.get("c1:ws1:data").unwrap();
        let by_reference = client.get("tfy-volume://c1:ws1:data").unwrap();
        assert_eq!(by_id, by_fqn);
        assert_eq!(by_fqn, by_reference);
        assert_eq!(
            transport.paths(),
            [
                "/api/svc/v1/apps/app-1",
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=data&applicationType=volume",
                "/api/svc/v1/apps?workspaceFqn=c1%3Aws1&applicationName=data&applicationType=volume",
            ]
        );
    }

    #[test]
    fn get_unknown_id_is_not_found() {
        let mut transport =
            Scripted::answering(vec![(404, json!({"statusCode":404,"message":"nope"}))]);
        assert_eq!(
            Client::from_env(ENV, &mut transport).get("app-404"),
            Err(Error::NotFound {
                kind: ResourceKind::Volume,
                name: "app-404".into()
            })
        );
    }

    #[test]
    fn server_errors_are_typed_and_scrubbed_of_the_key() {
        let mut transport = Scripted::answering(vec![(
            401,
            json!({"statusCode":401,"message":"token sk-canary-123 is invalid"}),
        )]);
        assert_eq!(
            Client::from_env(ENV, &mut transport).list("c1:ws1"),
            Err(Error::Unauthorized {
                status: 401,
                message: "token [redacted] is invalid".into()
            })
        );
    }

    #[test]
    fn reads_are_retried_with_backoff_until_they_succeed() {
        let busy = || json!({"statusCode":503,"message":"busy"});
        let mut transport = Scripted::answering(vec![
            (503, busy()),
            (429, busy()),
            (200, json!({"data": volume_item("app-1", "data")})),
        ]);
        let volume = Client::from_env(ENV, &mut transport).get("app-1").unwrap();
        assert_eq!(volume.name, "data");
        assert_eq!(transport.sent.len(), 3);
        assert_eq!(transport.sleeps, [500_000_000, 1_000_000_000]);
    }

    #[test]
    fn reads_give_up_after_three_attempts() {
        let busy = || (503, json!({"statusCode":503,"message":"busy"}));
        let mut transport = Scripted::answering(vec![busy(), busy(), busy(), busy()]);
        let error = Client::from_env(ENV, &mut transport)
            .get("app-1")
            .unwrap_err();
        assert_eq!(
            error,
            Error::HttpStatus {
                status: 503,
                message: "busy".into()
            }
        );
        assert_eq!(transport.sent.len(), 3);
    }

    #[test]
    fn writes_are_retried_only_when_the_connection_was_refused() {
        let mut transport = Scripted::answering(vec![(200, workspace_page()), (200, empty_page())])
            .then(Err(TransportError::refused("connection refused")))
            .then(Ok(HttpResponse {
                status: 200,
                body: serde_json::to_vec(&created(
                    "training-data",
                    json!({"type":"dynamic","storage_class":"efs-sc","size":100}),
                ))
                .unwrap(),
                retry_after_seconds: None,
            }));
        let volume = Client::from_env(ENV, &mut transport)
            .create(&dynamic_request())
            .unwrap();
        assert_eq!(volume.id, "app-1");
        let puts = transport
            .sent
            .iter()
            .filter(|r| r.method == Method::Put)
            .count();
        assert_eq!(puts, 2);

        let mut transport = Scripted::answering(vec![
            (200, workspace_page()),
            (200, empty_page()),
            (503, json!({"statusCode":503,"message":"busy"})),
        ]);
        let error = Client::from_env(ENV, &mut transport)
            .create(&dynamic_request())
            .unwrap_err();
        assert_eq!(
            error,
            Error::HttpStatus {
                status: 503,
                message: "busy".into()
            }
        );
        assert_eq!(transport.sent.len(), 3, "the PUT was not repeated");
    }

    #[test]
    fn a_key_cut_by_the_message_clip_is_still_scrubbed() {
        let key = ENV[1].1;
        let message = format!("{}{key}{}", "x".repeat(495), "y".repeat(100));
        let mut transport =
            Scripted::answering(vec![(400, json!({"statusCode":400,"message":message}))]);
        let error = Client::from_env(ENV, &mut transport)
            .get("app-1")
            .unwrap_err();
        let shown = format!("{error:?} {error}");
        assert!(!shown.contains(&key[..5]), "{shown}");
        assert!(
            shown.contains("x[reda…"),
            "the placeholder is what gets clipped: {shown}"
        );
    }

    #[test]
    fn a_key_in_a_type_name_is_scrubbed() {
        let key = ENV[1].1;
        let mut transport = Scripted::answering(vec![(
            200,
            json!({"data":{"id":"app-1","type":format!("{key}\nx")}}),
        )]);
        let error = Client::from_env(ENV, &mut transport)
            .get("app-1")
            .unwrap_err();
        let shown = format!("{error:?} {error}");
        assert!(!shown.contains(key), "{shown}");
        assert!(!shown.contains('\n'), "{shown}");
    }

    #[test]
    fn transport_failures_become_transport_errors() {
        let mut transport = Scripted::default();
        assert_eq!(
            Client::from_env(ENV, &mut transport).get("app-1"),
            Err(Error::Transport {
                message: "script exhausted".into()
            })
        );
    }
}
