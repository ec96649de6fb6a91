//! Response objects in the real API's shapes (spec §2.1, §2.6, §3): camelCase envelopes,
//! snake_case manifests.

use serde_json::{json, Map, Value};

use super::seed::SeedCluster;
use super::state::{App, Deployment, Status, Workspace};

/// The subject every emulated object was "created by". The emulator has no users; a fixed
/// subject keeps responses deterministic and never derives anything from the API key.
pub(crate) fn subject(tenant: &str) -> Value {
    json!({
        "subjectId": "emulator-user",
        "subjectType": "user",
        "subjectSlug": format!("dev@{tenant}.example.com"),
    })
}

/// Account id derived from the tenant (the emulator has one account per tenant).
fn account_id(tenant: &str) -> String {
    format!("acc-{tenant}")
}

/// An error body, `{statusCode, message}` (spec §3.6; NestJS style for every status — a guess
/// for 400/401/404, whose bodies the OpenAPI leaves untyped).
pub(crate) fn error(status: u16, message: &str) -> Value {
    json!({"statusCode": status, "message": message})
}

/// A list envelope `{data, pagination:{total, offset, limit}}`.
pub(crate) fn page(data: Vec<Value>, total: u64, offset: u64, limit: u64) -> Value {
    json!({
        "data": data,
        "pagination": {"total": total, "offset": offset, "limit": limit},
    })
}

/// A Workspace (spec §2.1).
pub(crate) fn workspace(tenant: &str, ws: &Workspace) -> Value {
    json!({
        "id": ws.id,
        "fqn": ws.fqn,
        "name": ws.name,
        "tenantName": tenant,
        "clusterId": ws.cluster_id,
        "accountId": account_id(tenant),
        "createdBySubject": subject(tenant),
        "createdAt": ws.created_at,
        "updatedAt": ws.created_at,
        "manifest": {"type": "workspace", "cluster_fqn": ws.cluster_id, "name": ws.name},
    })
}

/// A Cluster (spec §2.6). `workbench_config` appears only with a default storage class.
pub(crate) fn cluster(tenant: &str, c: &SeedCluster, created_at: &str) -> Value {
    let mut manifest = json!({
        "type": "cluster",
        "name": c.id,
        "cluster_type": c.cluster_type,
        "environment_names": [],
        "base_domains": c.base_domains,
        "collaborators": [],
    });
    if let (Some(class), Some(m)) = (&c.default_storage_class, manifest.as_object_mut()) {
        m.insert(
            "workbench_config".into(),
            json!({"default_storage_class": class}),
        );
    }
    json!({
        "id": c.id,
        "fqn": c.id,
        "tenantName": tenant,
        "accountId": account_id(tenant),
        "createdBySubject": subject(tenant),
        "createdAt": created_at,
        "updatedAt": created_at,
        "manifest": manifest,
    })
}

/// A DeploymentStatus (spec §3.3).
fn status(deployment_id: &str, st: &Status) -> Value {
    let terminal = st.is_terminal();
    // Guess: a deployment in progress is "DEPLOYING"; a finished one has no transition ("").
    let transition = if terminal { "" } else { "DEPLOYING" };
    let mut out = json!({
        "id": st.id,
        "deploymentId": deployment_id,
        "status": st.value,
        "transition": transition,
        "state": {"isTerminalState": terminal, "display": display(&st.value)},
        "createdAt": st.at,
        "updatedAt": st.at,
    });
    if let (Some(message), Some(o)) = (&st.message, out.as_object_mut()) {
        o.insert("message".into(), Value::String(message.clone()));
    }
    out
}

/// The UI text for a status (APPS shows "Running" for DEPLOY_SUCCESS, "Failed" for failures).
fn display(status: &str) -> &'static str {
    match status {
        "INITIALIZED" => "Initialized",
        "DEPLOY_SUCCESS" => "Running",
        "DEPLOY_FAILED" | "BUILD_FAILED" | "FAILED" | "DEPLOY_FAILED_WITH_RETRY" => "Failed",
        "PAUSED" => "Paused",
        "CANCELLED" => "Cancelled",
        _ => "Deploying",
    }
}

/// A Deployment (spec §3.2); `app_fqn` is `<cluster>:<workspace>:<name>`.
pub(crate) fn deployment(tenant: &str, app_id: &str, app_fqn: &str, dep: &Deployment) -> Value {
    json!({
        "id": dep.id,
        "version": dep.version,
        "fqn": format!("{app_fqn}:{}", dep.version),
        "applicationId": app_id,
        "manifest": dep.manifest,
        "createdBySubject": subject(tenant),
        "currentStatusId": dep.status.id,
        "currentStatus": status(&dep.id, &dep.status),
        "createdAt": dep.created_at,
        "updatedAt": dep.updated_at,
    })
}

/// An Application (spec §3.1/§3.7) with the nested `workspace` the CLI needs and the latest
/// deployment. No flat `status`: clients read `deployment.currentStatus.status`. The active
/// version/deployment fields are omitted until some deployment succeeded.
pub(crate) fn application(tenant: &str, app: &App) -> Value {
    let fqn = app.fqn();
    let mut out = Map::new();
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_string(), v);
    };
    put("id", json!(app.id));
    put("fqn", json!(fqn));
    put("name", json!(app.name));
    put("type", json!("volume"));
    put("tenantName", json!(tenant));
    put("workspaceId", json!(app.workspace.id));
    put("workspaceFqn", json!(app.workspace.fqn));
    put(
        "workspace",
        json!({
            "name": app.workspace.name,
            "fqn": app.workspace.fqn,
            "clusterId": app.workspace.cluster_id,
        }),
    );
    put("lifecycleStage", json!("active"));
    put("metadata", json!({}));
    put("autopilot", json!({}));
    put("createdBySubject", subject(tenant));
    if let Some(latest) = app.latest() {
        put("lastVersion", json!(latest.version));
        put("lastDeploymentId", json!(latest.id));
    }
    if let Some(active) = app.active() {
        put("activeVersion", json!(active.version));
        put("activeDeploymentId", json!(active.id));
    }
    put("createdAt", json!(app.created_at));
    put("updatedAt", json!(app.updated_at));
    put("recommendations", json!([]));
    put("alerts", json!([]));
    if let Some(latest) = app.latest() {
        put("deployment", deployment(tenant, &app.id, &fqn, latest));
    }
    Value::Object(out)
}
