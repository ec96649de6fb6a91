//! HTTP routing and the endpoint handlers: authentication, access scoping, query parsing,
//! and the mapping of store results to status codes (`docs/truefoundry-api.md` §2, §5, §6).

use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::clock;
use crate::json;
use crate::lock;
use crate::request::RecordedRequest;
use crate::seed::Access;
use crate::state::{Store, Upsert, UpsertError, Workspace};
use crate::validate;

/// A normal (unfaulted) answer: status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// A refusal: status and the `message` of the `{statusCode, message}` body.
#[derive(Debug)]
struct ApiError {
    status: u16,
    message: String,
}

impl ApiError {
    fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, message)
    }

    /// NestJS's wording for an unmatched route, used for wrong methods too.
    fn no_route(req: &RecordedRequest) -> ApiError {
        ApiError::new(404, format!("Cannot {} {}", req.method, req.path))
    }
}

type Handled = Result<Value, ApiError>;

/// Answers one request from the store. `total_override` replaces `pagination.total` on list
/// endpoints (the `InconsistentTotal` fault).
pub(crate) fn handle(
    store: &Mutex<Store>,
    req: &RecordedRequest,
    total_override: Option<u64>,
) -> Reply {
    let mut store = lock(store);
    store.settle(clock::now());
    let answer = dispatch(&mut store, req, total_override);
    // A change the state file does not hold would be lost at the next start: say so.
    let answer = match store.save_if_changed() {
        Ok(()) => answer,
        Err(error) => Err(ApiError::new(
            500,
            format!("the emulator applied the request but could not save it: {error}"),
        )),
    };
    let (status, body) = match answer {
        Ok(value) => (200, value),
        Err(e) => (e.status, json::error(e.status, &e.message)),
    };
    Reply {
        status,
        // Serializing a Value cannot fail (all keys are strings).
        body: serde_json::to_vec(&body).unwrap_or_default(),
    }
}

/// The endpoints the emulator knows.
enum Route<'a> {
    Workspaces,
    Apps,
    App(&'a str),
    Clusters,
    Cluster(&'a str),
}

fn route(path: &str) -> Option<Route<'_>> {
    let rest = path.strip_prefix("/api/svc/v1/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["workspaces"] => Some(Route::Workspaces),
        ["apps"] => Some(Route::Apps),
        ["apps", id] if !id.is_empty() => Some(Route::App(id)),
        ["clusters"] => Some(Route::Clusters),
        ["clusters", id] if !id.is_empty() => Some(Route::Cluster(id)),
        _ => None,
    }
}

fn dispatch(store: &mut Store, req: &RecordedRequest, total_override: Option<u64>) -> Handled {
    if !req.path.starts_with("/api/") {
        return Err(ApiError::no_route(req));
    }
    let caller = authenticate(store, req)?;
    let route = route(&req.path).ok_or_else(|| ApiError::no_route(req))?;
    match (req.method.as_str(), route) {
        ("GET", Route::Workspaces) => list_workspaces(store, &caller, req, total_override),
        ("GET", Route::Apps) => list_apps(store, &caller, req, total_override),
        ("PUT", Route::Apps) => {
            caller.may_write()?;
            put_app(store, &caller, req)
        }
        ("GET", Route::App(id)) => get_app(store, &caller, id),
        ("DELETE", Route::App(id)) => {
            caller.may_write()?;
            delete_app(store, &caller, id)
        }
        ("GET", Route::Clusters) => list_clusters(store, req, total_override),
        ("GET", Route::Cluster(id)) => get_cluster(store, id),
        _ => Err(ApiError::no_route(req)),
    }
}

/// Who is calling: the access of their key.
struct Caller {
    access: Access,
}

impl Caller {
    fn may_write(&self) -> Result<(), ApiError> {
        match self.access {
            Access::ReadOnly => Err(ApiError::new(
                403,
                "Forbidden: this API key has read-only access",
            )),
            _ => Ok(()),
        }
    }

    /// Whether the workspace exists for this caller at all (listings filter on it).
    fn sees(&self, workspace_fqn: &str) -> bool {
        match &self.access {
            Access::Admin | Access::ReadOnly => true,
            Access::Workspaces(allowed) => allowed.iter().any(|w| w == workspace_fqn),
        }
    }

    fn check_workspace(&self, workspace_fqn: &str) -> Result<(), ApiError> {
        if self.sees(workspace_fqn) {
            Ok(())
        } else {
            Err(ApiError::new(
                403,
                format!("Forbidden: this API key has no access to workspace {workspace_fqn}"),
            ))
        }
    }
}

/// `Authorization: Bearer <token>` with a seeded token. The message never repeats the token.
fn authenticate(store: &Store, req: &RecordedRequest) -> Result<Caller, ApiError> {
    let token = req.header("authorization").and_then(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then_some(token.trim())
    });
    token
        .and_then(|t| store.access_for(t))
        .map(|access| Caller {
            access: access.clone(),
        })
        .ok_or_else(|| ApiError::new(401, "Unauthorized"))
}

/// `offset` (default 0) and `limit` (default 100, 1..=1000: the documented range for
/// /workspaces, `docs/truefoundry-api.md` §2.1, and a guess for /apps, §2.3).
fn page_params(req: &RecordedRequest) -> Result<(u64, u64), ApiError> {
    let limit = match req.query_param("limit") {
        None => 100,
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "limit must be an integer from 1 to 1000, got {raw:?}"
                ))
            })?,
    };
    let offset = match req.query_param("offset") {
        None => 0,
        Some(raw) => raw.parse::<u64>().map_err(|_| {
            ApiError::bad_request(format!(
                "offset must be a non-negative integer, got {raw:?}"
            ))
        })?,
    };
    Ok((offset, limit))
}

/// The slice `[offset, offset + limit)` of `len` items, empty past the end.
fn window(len: usize, offset: u64, limit: u64) -> std::ops::Range<usize> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(len);
    let end = start
        .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
        .min(len);
    start..end
}

/// `GET /api/svc/v1/workspaces?fqn=&name=&clusterId=&limit=&offset=`.
fn list_workspaces(
    store: &Store,
    caller: &Caller,
    req: &RecordedRequest,
    total_override: Option<u64>,
) -> Handled {
    let (offset, limit) = page_params(req)?;
    let wanted = |key: &str, actual: &str| req.query_param(key).is_none_or(|v| v == actual);
    let matching: Vec<&Workspace> = store
        .workspaces
        .iter()
        .filter(|w| caller.sees(&w.fqn))
        .filter(|w| wanted("fqn", &w.fqn) && wanted("name", &w.name))
        .filter(|w| wanted("clusterId", &w.cluster_id))
        .collect();
    let data = matching[window(matching.len(), offset, limit)]
        .iter()
        .map(|w| json::workspace(&store.tenant, w))
        .collect();
    let total = total_override.unwrap_or(matching.len() as u64);
    Ok(json::page(data, total, offset, limit))
}

/// `GET /api/svc/v1/apps` with the filters of `docs/truefoundry-api.md` §2.3; unknown
/// parameters are ignored, as the real API silently ignores a misspelt filter (§1). Each
/// application on the page counts as one read of its latest deployment, and completes its
/// deletion if it was deleting.
fn list_apps(
    store: &mut Store,
    caller: &Caller,
    req: &RecordedRequest,
    total_override: Option<u64>,
) -> Handled {
    let (offset, limit) = page_params(req)?;
    let matching: Vec<usize> = store
        .apps
        .iter()
        .enumerate()
        .filter(|(_, app)| caller.sees(&app.workspace.fqn) && app_matches(req, app))
        .map(|(i, _)| i)
        .collect();
    let page = &matching[window(matching.len(), offset, limit)];
    let data = page
        .iter()
        .map(|&idx| json::application(&store.tenant, &store.apps[idx]))
        .collect();
    store.after_answer(page);
    let total = total_override.unwrap_or(matching.len() as u64);
    Ok(json::page(data, total, offset, limit))
}

fn app_matches(req: &RecordedRequest, app: &crate::state::App) -> bool {
    let q = |key: &str| req.query_param(key);
    let in_list = |key: &str, actual: &str| {
        q(key).is_none_or(|list| list.split(',').any(|item| item.trim() == actual))
    };
    // `applicationName` (exact) wins over `nameSearchQuery` (substring), per the SDK docs.
    let name_ok = match (q("applicationName"), q("nameSearchQuery")) {
        (Some(exact), _) => exact == app.name,
        (None, Some(part)) => app.name.to_lowercase().contains(&part.to_lowercase()),
        (None, None) => true,
    };
    name_ok
        && q("workspaceFqn").is_none_or(|v| v == app.workspace.fqn)
        && in_list("workspaceId", &app.workspace.id)
        && in_list("applicationType", "volume")
        && in_list("lifecycleStage", app.lifecycle.as_str())
        && q("fqn").is_none_or(|v| v == app.fqn())
        && q("applicationId").is_none_or(|v| v == app.id)
}

/// `GET /api/svc/v1/apps/{id}`; a read of the latest deployment, and the last answer of a
/// deleting application.
fn get_app(store: &mut Store, caller: &Caller, id: &str) -> Handled {
    let idx = store.app_index(id).ok_or_else(|| app_not_found(id))?;
    caller.check_workspace(&store.apps[idx].workspace.fqn)?;
    let data = json::application(&store.tenant, &store.apps[idx]);
    store.after_answer(&[idx]);
    Ok(json!({"data": data}))
}

/// `DELETE /api/svc/v1/apps/{id}`: 200 `{message}` and an asynchronous deletion
/// (`docs/truefoundry-api.md` §2.5). The API documents only 403 and 404 for this route, so a
/// volume with a deployment in progress is accepted (the deployment is cancelled), and so is a
/// mounted one, whose deletion then fails: `lifecycleStage` becomes `deletion_failed`, a
/// stage the API documents, and the volume stays as it was.
fn delete_app(store: &mut Store, caller: &Caller, id: &str) -> Handled {
    let idx = store.app_index(id).ok_or_else(|| app_not_found(id))?;
    caller.check_workspace(&store.apps[idx].workspace.fqn)?;
    store.delete(idx);
    Ok(json!({"message": format!("Deletion of application {id} initiated")}))
}

fn app_not_found(id: &str) -> ApiError {
    ApiError::new(404, format!("Application with id {id} not found"))
}

/// `GET /api/svc/v1/clusters` (every key sees every cluster).
fn list_clusters(store: &Store, req: &RecordedRequest, total_override: Option<u64>) -> Handled {
    let (offset, limit) = page_params(req)?;
    let data = store.clusters[window(store.clusters.len(), offset, limit)]
        .iter()
        .map(|c| json::cluster(&store.tenant, c, store.started_at))
        .collect();
    let total = total_override.unwrap_or(store.clusters.len() as u64);
    Ok(json::page(data, total, offset, limit))
}

/// `GET /api/svc/v1/clusters/{id}`.
fn get_cluster(store: &Store, id: &str) -> Handled {
    let cluster = store
        .cluster(id)
        .ok_or_else(|| ApiError::new(404, format!("Cluster with id {id} not found")))?;
    Ok(json!({"data": json::cluster(&store.tenant, cluster, store.started_at)}))
}

/// The parts of a `PUT /apps` body the emulator reads.
struct PutBody {
    manifest: Map<String, Value>,
    workspace_id: Option<String>,
    dry_run: bool,
    force: bool,
}

fn parse_put_body(body: &[u8]) -> Result<PutBody, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("request body must be JSON: {e}")))?;
    let Value::Object(mut obj) = value else {
        return Err(ApiError::bad_request("request body must be a JSON object"));
    };
    let manifest = match obj.remove("manifest") {
        None | Some(Value::Null) => return Err(ApiError::bad_request("manifest is required")),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(ApiError::bad_request("manifest must be an object")),
    };
    let flag = |key: &str| match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a boolean"))),
    };
    let workspace_id = match obj.get("workspaceId") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => return Err(ApiError::bad_request("workspaceId must be a string")),
    };
    Ok(PutBody {
        workspace_id,
        dry_run: flag("dryRun")?,
        force: flag("forceDeploy")?,
        manifest,
    })
}

/// Finds the target workspace from `workspaceId`, else `manifest.workspace_fqn`.
fn resolve_workspace(store: &Store, body: &PutBody) -> Result<Workspace, ApiError> {
    let manifest_fqn = match body.manifest.get("workspace_fqn") {
        None | Some(Value::Null) => None,
        Some(Value::String(fqn)) => Some(fqn.as_str()),
        Some(_) => {
            return Err(ApiError::bad_request(
                "manifest.workspace_fqn: must be a string",
            ))
        }
    };
    match (body.workspace_id.as_deref(), manifest_fqn) {
        (Some(id), fqn) => {
            let ws = store
                .workspace_by_id(id)
                .ok_or_else(|| ApiError::new(404, format!("Workspace with id {id} not found")))?;
            match fqn {
                Some(fqn) if fqn != ws.fqn => Err(ApiError::bad_request(format!(
                    "manifest.workspace_fqn {fqn} does not match workspaceId {id} ({})",
                    ws.fqn
                ))),
                _ => Ok(ws.clone()),
            }
        }
        (None, Some(fqn)) => store
            .workspace_by_fqn(fqn)
            .cloned()
            .ok_or_else(|| ApiError::new(404, format!("Workspace {fqn} not found"))),
        (None, None) => Err(ApiError::bad_request(
            "workspaceId or manifest.workspace_fqn is required",
        )),
    }
}

/// `PUT /api/svc/v1/apps`: create the volume or add a version (`docs/truefoundry-api.md` §2.2).
fn put_app(store: &mut Store, caller: &Caller, req: &RecordedRequest) -> Handled {
    let body = parse_put_body(&req.body)?;
    let workspace = resolve_workspace(store, &body)?;
    caller.check_workspace(&workspace.fqn)?;
    let mut manifest = Value::Object(body.manifest);
    let spec =
        validate::volume_manifest(&manifest).map_err(|invalid| ApiError::bad_request(invalid.0))?;
    if let Some(m) = manifest.as_object_mut() {
        m.insert("workspace_fqn".into(), Value::String(workspace.fqn.clone()));
    }
    let upserted = store
        .upsert(Upsert {
            workspace,
            spec,
            manifest,
            force: body.force,
            dry_run: body.dry_run,
        })
        .map_err(|e| match e {
            UpsertError::Immutable(message) => ApiError::bad_request(message),
            UpsertError::Conflict(message) => ApiError::new(409, message),
        })?;
    let data = json::deployment(
        &store.tenant,
        &upserted.app_id,
        &upserted.app_fqn,
        &upserted.deployment,
    );
    Ok(json!({"data": data}))
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_clamp_to_the_list() {
        assert_eq!(window(5, 0, 2), 0..2);
        assert_eq!(window(5, 4, 2), 4..5);
        assert_eq!(window(5, 5, 2), 5..5);
        assert_eq!(window(5, u64::MAX, u64::MAX), 5..5);
    }
}
