//! Response objects in the real API's shapes (`docs/truefoundry-api.md` §2.1, §2.6, §3):
//! camelCase envelopes, snake_case manifests. Every object also satisfies the entity models of
//! TrueFoundry's Python CLI (PyPI `truefoundry` 0.17.5, `deploy/lib/model/entity.py`), which
//! require more fields than the OpenAPI does (`tests/hosts/official_sdk.rs` checks both).

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use crate::clock::iso8601;
use crate::seed::SeedCluster;
use crate::state::{App, Deployment, Status, Workspace};

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

/// An error body, `{statusCode, message}` (`docs/truefoundry-api.md` §3.6; NestJS style for
/// every status — a guess for 400/401/404, whose bodies the OpenAPI leaves untyped).
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

/// A Workspace (`docs/truefoundry-api.md` §2.1); the CLI's model also needs `name`.
pub(crate) fn workspace(tenant: &str, ws: &Workspace) -> Value {
    json!({
        "id": ws.id,
        "fqn": ws.fqn,
        "name": ws.name,
        "tenantName": tenant,
        "clusterId": ws.cluster_id,
        "accountId": account_id(tenant),
        "createdBySubject": subject(tenant),
        "createdAt": iso8601(ws.created_at),
        "updatedAt": iso8601(ws.created_at),
        "manifest": {"type": "workspace", "cluster_fqn": ws.cluster_id, "name": ws.name},
    })
}

/// A Cluster (`docs/truefoundry-api.md` §2.6). `workbench_config` appears only with a default
/// storage class; `cloudProvider`, which the OpenAPI lacks, is required by the CLI's model.
pub(crate) fn cluster(tenant: &str, c: &SeedCluster, created_at: SystemTime) -> Value {
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
        "cloudProvider": cloud_provider(&c.cluster_type),
        "createdBySubject": subject(tenant),
        "createdAt": iso8601(created_at),
        "updatedAt": iso8601(created_at),
        "manifest": manifest,
    })
}

/// The cloud of a `cluster_type`. No source shows the values the real API sends; these are
/// the provider names TrueFoundry uses elsewhere (a guess), `generic` for the rest.
fn cloud_provider(cluster_type: &str) -> &'static str {
    match cluster_type {
        "aws-eks" => "aws",
        "gcp-gke-standard" => "gcp",
        "azure-aks" => "azure",
        "civo-talos" => "civo",
        _ => "generic",
    }
}

/// A DeploymentStatus (`docs/truefoundry-api.md` §3.3).
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
        "createdAt": iso8601(st.at),
        "updatedAt": iso8601(st.at),
    });
    if let (Some(message), Some(o)) = (&st.message, out.as_object_mut()) {
        o.insert("message".into(), Value::String(message.clone()));
    }
    out
}

/// The UI text for a status (TrueFoundry's applications skill documentation shows "Running"
/// for DEPLOY_SUCCESS, "Failed" for failures; `docs/truefoundry-api.md` §3.3).
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

/// A Deployment (`docs/truefoundry-api.md` §3.2); `app_fqn` is `<cluster>:<workspace>:<name>`.
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
        "createdAt": iso8601(dep.created_at),
        "updatedAt": iso8601(dep.updated_at),
    })
}

/// An Application (`docs/truefoundry-api.md` §3.1, §3.7) with the nested `workspace` the CLI
/// needs and the latest deployment. No flat `status`: clients read
/// `deployment.currentStatus.status`. The CLI's model requires an integer `activeVersion`:
/// it is `0` until some deployment succeeded (a guess at what the real API sends for an
/// application that never ran), and `activeDeploymentId` is absent until then.
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
    put("lifecycleStage", json!(app.lifecycle.as_str()));
    put("metadata", json!({}));
    put("autopilot", json!({}));
    put("createdBySubject", subject(tenant));
    if let Some(latest) = app.latest() {
        put("lastVersion", json!(latest.version));
        put("lastDeploymentId", json!(latest.id));
    }
    match app.active() {
        Some(active) => {
            put("activeVersion", json!(active.version));
            put("activeDeploymentId", json!(active.id));
        }
        None => put("activeVersion", json!(0)),
    }
    put("createdAt", json!(iso8601(app.created_at)));
    put("updatedAt", json!(iso8601(app.updated_at)));
    put("recommendations", json!([]));
    put("alerts", json!([]));
    if let Some(latest) = app.latest() {
        put("deployment", deployment(tenant, &app.id, &fqn, latest));
    }
    Value::Object(out)
}
